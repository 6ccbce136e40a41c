"""Users of kopdesk with their roles, and the sign-in log."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models.base import Base, Timestamps, utcnow


class User(Timestamps, Base):
    """A clerk, a head of office or an administrator.

    Attributes:
        role: admin, operator or pimpinan (kopdesk.models.vocab.ROLES).
        password_hash: an argon2 hash; the password itself is never stored.
    """

    __tablename__ = "app_user"
    __audited__ = True
    __audit_label__ = "Pengguna"
    __audit_exclude__ = frozenset({"created_at", "updated_at", "password_hash", "failed_attempts",
                                   "locked_until", "last_login_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    full_name: Mapped[str] = mapped_column(String(150), nullable=False)
    nip: Mapped[str | None] = mapped_column(String(18))
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    password_hash: Mapped[str] = mapped_column(String(200), nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class LoginAttempt(Base):
    """One sign-in attempt, successful or not."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(60), nullable=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str | None] = mapped_column(String(200))

    __table_args__ = (Index("ix_login_attempt_user_at", "username", "at"),)
