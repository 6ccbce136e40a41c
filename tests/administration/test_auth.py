"""Users, argon2 passwords, sign-in with slow-down after failures, and the sign-in log."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kopdesk.models.errors import AuthenticationError, PermissionDenied, ValidationError
from kopdesk.models.services.administration import auth
from kopdesk.models.user import LoginAttempt, User
from tests.conftest import make_user


def test_first_admin_then_only_admins_create_users(db):
    admin = make_user(db, "admin", "admin")
    operator = make_user(db, "op", "operator")
    with pytest.raises(PermissionDenied):
        with db.transaction(operator) as s:
            auth.create_user(s, operator, username="x", full_name="X", role="operator", password="rahasia-123")
    with pytest.raises(PermissionDenied):
        with db.transaction(admin) as s:
            auth.create_user(s, None, username="y", full_name="Y", role="admin", password="rahasia-123", first_admin=True)
    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == "op"))
    assert stored.startswith("$argon2") and "rahasia" not in stored


def test_user_validation(db):
    admin = make_user(db, "admin", "admin")
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            auth.create_user(s, admin, username="ada spasi", full_name="", role="raja", password="pendek")
    fields = {e.field for e in info.value.errors}
    assert fields == {"username", "full_name", "role", "password"}


def test_sign_in_success_and_failures_are_logged_and_slowed(db):
    make_user(db, "admin", "admin", password="benar-sekali")
    now = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    with db.transaction() as s:
        actor = auth.authenticate(s, "ADMIN", "benar-sekali", now=now)
    assert actor.role == "admin"
    for _ in range(3):
        with pytest.raises(AuthenticationError):
            with db.transaction() as s:
                auth.authenticate(s, "admin", "salah", now=now)
    # After three failures even the right password waits.
    with pytest.raises(AuthenticationError) as info:
        with db.transaction() as s:
            auth.authenticate(s, "admin", "benar-sekali", now=now + dt.timedelta(seconds=1))
    assert "Coba lagi dalam" in str(info.value)
    with db.transaction() as s:
        auth.authenticate(s, "admin", "benar-sekali", now=now + dt.timedelta(seconds=30))
    with db.read() as s:
        log = s.execute(select(LoginAttempt.success).order_by(LoginAttempt.id)).scalars().all()
    assert log == [True, False, False, False, False, True]


def test_last_admin_cannot_be_demoted(db):
    admin = make_user(db, "admin", "admin")
    with pytest.raises(ValidationError):
        with db.transaction(admin) as s:
            auth.update_user(s, admin, admin.user_id, role="operator")


def test_citizen_nik_masked_for_roles_without_personal_data():
    op = auth.Actor(1, "op", "operator")
    boss = auth.Actor(2, "kadis", "pimpinan")
    assert auth.mask_citizen_nik("6471015507850002", op) == "6471015507850002"
    assert auth.mask_citizen_nik("6471015507850002", boss) == "6471********0002"
