"""Users, roles and permissions, password hashing and sign-in.

Every service that changes data calls :func:`require` with the acting user, so the rules hold whether the call
comes from the window, the command line or a test.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kopdesk.models.base import utcnow
from kopdesk.models.errors import AuthenticationError, FieldError, PermissionDenied, ValidationError
from kopdesk.models.user import LoginAttempt, User
from kopdesk.models.vocab import ROLES

# What each role may do. pimpinan reads everything and edits nothing.
PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({
        "registry.write", "supervision.write", "documents.issue", "documents.cancel", "import", "export",
        "reports", "users.manage", "settings.manage", "backup", "personal_data.view", "certificates.revoke",
    }),
    "operator": frozenset({
        "registry.write", "supervision.write", "documents.issue", "documents.cancel", "import", "export",
        "reports", "personal_data.view",
    }),
    "pimpinan": frozenset({"export", "reports"}),
}

PERMISSION_LABELS = {
    "registry.write": "mengubah data koperasi",
    "supervision.write": "mencatat pemutakhiran, RAT dan penilaian kesehatan",
    "documents.issue": "menerbitkan surat dan sertifikat",
    "documents.cancel": "membatalkan surat",
    "certificates.revoke": "mencabut sertifikat",
    "import": "mengimpor data",
    "export": "mengekspor data",
    "reports": "membuat laporan",
    "users.manage": "mengelola pengguna",
    "settings.manage": "mengubah pengaturan instansi",
    "backup": "mencadangkan dan memulihkan basis data",
    "personal_data.view": "melihat NIK KTP pengurus",
}

MAX_FAILED_BEFORE_DELAY = 3
LOCK_SECONDS = (0, 0, 0, 5, 15, 30, 60, 120, 300)


@dataclass(frozen=True)
class Actor:
    """Who is acting: the signed-in user, or the system for batch jobs started from the command line."""

    user_id: int | None
    username: str
    role: str
    full_name: str = ""

    def can(self, permission: str) -> bool:
        return permission in PERMISSIONS.get(self.role, frozenset())

    @classmethod
    def system(cls, name: str = "sistem") -> Actor:
        """The actor of command-line jobs, with the rights of an administrator."""
        return cls(user_id=None, username=name, role="admin", full_name="Sistem (baris perintah)")

    @classmethod
    def of(cls, user: User) -> Actor:
        return cls(user_id=user.id, username=user.username, role=user.role, full_name=user.full_name)


def require(actor: Actor | None, permission: str) -> Actor:
    """Refuse the action unless ``actor`` holds ``permission``.

    Raises:
        PermissionDenied: with an Indonesian message naming the action and the role.
    """
    if actor is None:
        raise PermissionDenied("Tindakan ini memerlukan pengguna yang sudah masuk.", permission=permission)
    if not actor.can(permission):
        raise PermissionDenied(
            f"Peran {ROLES.get(actor.role, actor.role)} tidak berhak {PERMISSION_LABELS.get(permission, permission)}.",
            permission=permission, role=actor.role,
        )
    return actor


def mask_citizen_nik(value: str | None, actor: Actor | None) -> str:
    """A citizen NIK as the actor may see it: whole for roles allowed personal data, else masked."""
    if not value:
        return ""
    if actor is not None and actor.can("personal_data.view"):
        return value
    return value[:4] + "*" * max(0, len(value) - 8) + value[-4:] if len(value) > 8 else "*" * len(value)


_hasher = None


def _ph():  # type: ignore[no-untyped-def]
    global _hasher
    if _hasher is None:
        from argon2 import PasswordHasher

        _hasher = PasswordHasher()
    return _hasher


def hash_password(password: str) -> str:
    return _ph().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(_ph().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def user_count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def _validate_user(username: str, full_name: str, role: str, password: str | None) -> None:
    errors = []
    if not username or not username.strip():
        errors.append(FieldError("username", "Nama pengguna", "wajib diisi"))
    elif len(username) > 60 or any(ch.isspace() for ch in username):
        errors.append(FieldError("username", "Nama pengguna", "tanpa spasi, paling banyak 60 karakter", username))
    if not full_name or not full_name.strip():
        errors.append(FieldError("full_name", "Nama lengkap", "wajib diisi"))
    if role not in ROLES:
        errors.append(FieldError("role", "Peran", f"harus salah satu dari {', '.join(ROLES)}", role))
    if password is not None and len(password) < 8:
        errors.append(FieldError("password", "Kata sandi", "minimal 8 karakter"))
    if errors:
        raise ValidationError(errors)


def create_user(
    session: Session, actor: Actor | None, *, username: str, full_name: str, role: str, password: str,
    nip: str | None = None, first_admin: bool = False,
) -> User:
    """Create a user. Only an admin may, except for the first admin account of a new database."""
    if first_admin:
        if user_count(session) > 0:
            raise PermissionDenied("Akun administrator pertama sudah ada.")
        role = "admin"
    else:
        require(actor, "users.manage")
    _validate_user(username, full_name, role, password)
    username = username.strip()
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise ValidationError([FieldError("username", "Nama pengguna", f"'{username}' sudah dipakai", username)])
    user = User(username=username, full_name=full_name.strip(), role=role, nip=nip,
                password_hash=hash_password(password), active=True)
    if first_admin and session.info.get("actor") is None:
        session.info["actor"] = Actor(user_id=None, username=username, role="admin", full_name=full_name)
    session.add(user)
    session.flush()
    return user


def update_user(session: Session, actor: Actor, user_id: int, *, full_name: str | None = None,
                role: str | None = None, active: bool | None = None, password: str | None = None,
                nip: str | None = None) -> User:
    """Change a user's name, role, active flag or password (admins only; a user may change its own password)."""
    user = session.get(User, user_id)
    if user is None:
        from kopdesk.models.errors import NotFoundError

        raise NotFoundError("Pengguna tidak ditemukan.", user_id=user_id)
    own_password_only = actor.user_id == user_id and full_name is None and role is None and active is None
    if not own_password_only:
        require(actor, "users.manage")
    _validate_user(user.username, full_name or user.full_name, role or user.role, password)
    if (role is not None and role != "admin" and user.role == "admin") or (active is False and user.role == "admin"):
        admins = session.scalar(select(func.count()).select_from(User).where(User.role == "admin", User.active.is_(True)))
        if (admins or 0) <= 1:
            raise ValidationError([FieldError("role", "Peran", "harus ada paling sedikit satu administrator aktif")])
    if full_name is not None:
        user.full_name = full_name.strip()
    if role is not None:
        user.role = role
    if active is not None:
        user.active = active
    if nip is not None:
        user.nip = nip or None
    if password is not None:
        user.password_hash = hash_password(password)
        user.failed_attempts = 0
        user.locked_until = None
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str, *, now: dt.datetime | None = None) -> Actor:
    """Check a sign-in. Repeated failures lock the account for a growing time; every attempt is logged.

    A failed attempt commits its bookkeeping (the failure count, the lock, the log line) before raising, so
    that a caller's rollback cannot erase it: call this in its own transaction.

    Raises:
        AuthenticationError: wrong name or password, an inactive account, or a temporary lock.
    """
    now = now or utcnow()
    username = (username or "").strip()
    user = session.scalar(select(User).where(func.lower(User.username) == username.lower()))
    session.info.setdefault("actor", Actor(user_id=None, username=username or "?", role="", full_name=""))

    def log(success: bool, note: str) -> None:
        session.add(LoginAttempt(username=username[:60] or "?", at=now, success=success, note=note))
        session.flush()
        if not success:
            session.commit()  # keep the failure on record even though the caller will see an exception

    if user is not None and user.locked_until is not None:
        locked_until = user.locked_until if user.locked_until.tzinfo else user.locked_until.replace(tzinfo=dt.UTC)
        if locked_until > now:
            wait = int((locked_until - now).total_seconds()) + 1
            log(False, "terkunci sementara")
            raise AuthenticationError(
                f"Terlalu banyak percobaan gagal. Coba lagi dalam {wait} detik.", wait_seconds=wait)
    if user is None or not verify_password(user.password_hash, password):
        if user is not None:
            user.failed_attempts += 1
            delay = LOCK_SECONDS[min(user.failed_attempts, len(LOCK_SECONDS) - 1)]
            if user.failed_attempts >= MAX_FAILED_BEFORE_DELAY and delay:
                user.locked_until = now + dt.timedelta(seconds=delay)
        log(False, "nama pengguna atau kata sandi salah")
        raise AuthenticationError("Nama pengguna atau kata sandi salah.")
    if not user.active:
        log(False, "akun nonaktif")
        raise AuthenticationError("Akun ini dinonaktifkan. Hubungi administrator.")
    user.failed_attempts = 0
    user.locked_until = None
    user.last_login_at = now
    log(True, "berhasil")
    return Actor.of(user)
