"""Sign-in is slowed more and more after repeated failures, and every attempt (even for unknown names) is logged."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from kopdesk.models.errors import AuthenticationError
from kopdesk.models.services.administration import auth
from kopdesk.models.user import LoginAttempt, User
from tests.conftest import make_user


def _try(db, name, password, at):  # type: ignore[no-untyped-def]
    with db.transaction() as s:
        return auth.authenticate(s, name, password, now=at)


def test_growing_delay_and_a_log_of_every_attempt(db):
    make_user(db, "kasir", "operator", password="benar-sekali")
    t = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    waits = []
    for _ in range(6):
        with pytest.raises(AuthenticationError):
            _try(db, "kasir", "tebakan", t)
        with db.read() as s:
            until = s.scalar(select(User.locked_until).where(User.username == "kasir"))
        until = until and (until if until.tzinfo else until.replace(tzinfo=dt.UTC))
        waits.append(round((until - t).total_seconds()) if until and until > t else 0)
        if waits[-1]:  # while locked, even the right password is refused, and that is logged too
            with pytest.raises(AuthenticationError, match="Coba lagi dalam"):
                _try(db, "kasir", "benar-sekali", t + dt.timedelta(seconds=1))
        t += dt.timedelta(seconds=1000)  # wait out the lock before the next guess
    assert waits[:2] == [0, 0]
    locked = waits[2:]
    assert all(locked) and locked == sorted(locked) and locked[-1] > locked[0], waits
    with pytest.raises(AuthenticationError):
        _try(db, "tidak-ada", "apa-saja", t)
    assert _try(db, "kasir", "benar-sekali", t).username == "kasir"
    with db.read() as s:
        log = s.execute(select(LoginAttempt.username, LoginAttempt.success, LoginAttempt.note).order_by(LoginAttempt.id)).all()
    assert len(log) == 6 + len(locked) + 2
    assert ("tidak-ada", False, "nama pengguna atau kata sandi salah") in log
    assert sum(1 for r in log if r[2] == "terkunci sementara") == len(locked)
    assert log[-1][1] is True and sum(1 for r in log if not r[1]) == len(log) - 1
