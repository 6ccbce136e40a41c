"""Declarative base, naming convention and the mixins every entity shares."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, MetaData, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    """The current time in UTC, timezone-aware."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """The declarative base of all kopdesk entities.

    Attributes:
        __audited__: when true, every insert, update and delete of the entity is written to the audit trail.
        __audit_exclude__: columns left out of the audit trail (bookkeeping or binary content).
    """

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    __audited__ = False
    __audit_exclude__: frozenset[str] = frozenset()
    __audit_label__ = ""

    def audit_cooperative_id(self) -> int | None:
        """The cooperative this record belongs to, so that its history shows the change."""
        return None


class Timestamps:
    """Created and updated times, set by the database."""

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, server_default=func.now()
    )
