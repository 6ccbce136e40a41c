"""The office profile (letterhead, signatory, region governed, logo) and the list of users, for the settings page.

Changes go through :func:`update_profile` (administrators only, optimistic locking on the profile's version) and
auth.create_user / auth.update_user for accounts. No Qt.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kopdesk.models.errors import ConflictError, FieldError, ValidationError
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region, undotted
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.user import User

PROFILE_FIELDS: dict[str, tuple[str, int]] = {
    "government": ("Pemerintah (baris pertama kop surat)", 150),
    "name": ("Nama instansi", 200),
    "address": ("Alamat", 300),
    "city": ("Kota", 100),
    "postal_code": ("Kode pos", 5),
    "phone": ("Telepon", 60),
    "email": ("Surel", 120),
    "website": ("Situs web", 120),
    "region_code": ("Wilayah yang dibina", 10),
    "unit_code": ("Kode unit (nomor surat)", 30),
    "signatory_name": ("Nama penanda tangan", 150),
    "signatory_title": ("Jabatan penanda tangan", 200),
    "signatory_rank": ("Pangkat/golongan", 100),
    "signatory_nip": ("NIP penanda tangan", 18),
}
LOGO_MAX_BYTES = 2_000_000
LOGO_SIGNATURES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")


def get_profile(session: Session) -> OfficeProfile:
    profile = session.get(OfficeProfile, 1)
    if profile is None:  # bootstrap seeds it; a database from elsewhere may lack it
        profile = OfficeProfile(id=1, government="", name="", address="", city="", unit_code="",
                                classification_code="518", signatory_name="", signatory_title="", version=1)
        session.add(profile)
        session.flush()
    return profile


def profile_values(session: Session) -> dict[str, Any]:
    """The profile as plain values (and its version and logo name) for a form."""
    p = get_profile(session)
    values = {name: getattr(p, name) for name in PROFILE_FIELDS}
    values.update(version=p.version, logo_name=p.logo_name, has_logo=p.logo is not None)
    return values


def update_profile(session: Session, actor: Actor, expected_version: int, changes: dict[str, Any], *,
                   logo_path: str | Path | None = None, remove_logo: bool = False) -> OfficeProfile:
    """Save the office profile (administrators only).

    Raises:
        ValidationError: each bad field with its reason; nothing is written.
        ConflictError: another administrator saved the profile since it was loaded.
    """
    require(actor, "settings.manage")
    profile = get_profile(session)
    if profile.version != expected_version:
        raise ConflictError("office_profile", 1)
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}
    for name, value in changes.items():
        if name not in PROFILE_FIELDS:
            errors.append(FieldError(name, name, "kolom tidak dikenal"))
            continue
        label, max_len = PROFILE_FIELDS[name]
        text = "" if value is None else str(value).strip()
        if name == "signatory_nip":
            text = re.sub(r"\s", "", text)
        if len(text) > max_len and name != "signatory_nip":
            errors.append(FieldError(name, label, f"terlalu panjang (paling banyak {max_len} karakter)", text))
            continue
        if name == "signatory_nip" and text and not re.fullmatch(r"\d{18}", text):
            errors.append(FieldError(name, label, "harus 18 angka", text))
            continue
        if name == "postal_code" and text and not re.fullmatch(r"\d{5}", text):
            errors.append(FieldError(name, label, "harus 5 angka", text))
            continue
        if name == "region_code" and text:
            code = undotted(text)
            if session.get(Region, code) is None:
                errors.append(FieldError(name, label, f"kode wilayah {text} tidak dikenal", text))
                continue
            text = code
        nullable = name in ("postal_code", "phone", "email", "website", "region_code", "signatory_rank", "signatory_nip")
        clean[name] = (text or None) if nullable else text
    logo: bytes | None = None
    if logo_path is not None:
        path = Path(logo_path)
        try:
            logo = path.read_bytes()
        except OSError as exc:
            errors.append(FieldError("logo", "Logo", f"berkas tidak dapat dibaca: {exc.strerror or exc}", str(path)))
        else:
            if len(logo) > LOGO_MAX_BYTES:
                errors.append(FieldError("logo", "Logo", "terlalu besar (paling besar 2 MB)", str(path)))
            elif not logo.startswith(LOGO_SIGNATURES):
                errors.append(FieldError("logo", "Logo", "harus gambar PNG atau JPEG", str(path)))
    if errors:
        raise ValidationError(errors)
    for name, value in clean.items():
        if getattr(profile, name) != value:
            setattr(profile, name, value)
    if logo is not None:
        profile.logo = logo
        profile.logo_name = Path(logo_path).name[:200]  # type: ignore[arg-type]
    elif remove_logo:
        profile.logo = None
        profile.logo_name = None
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("office_profile", 1) from None
    return profile


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    role: str
    nip: str | None
    active: bool
    last_login_at: Any


def list_users(session: Session, actor: Actor) -> list[UserRow]:
    """Every account, for the administrator's user list."""
    require(actor, "users.manage")
    return [UserRow(u.id, u.username, u.full_name, u.role, u.nip, u.active, u.last_login_at)
            for u in session.scalars(select(User).order_by(User.active.desc(), User.username))]
