"""The audit trail: who changed which field of which record, when, from what to what. Append-only."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models.base import Base, utcnow


class AuditEntry(Base):
    """One changed field (or one created/deleted record).

    The database refuses UPDATE and DELETE on this table (triggers in the migrations), so the trail cannot be
    edited from the app.
    """

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(60), nullable=False)
    action: Mapped[str] = mapped_column(String(10), nullable=False)  # create | update | delete
    entity: Mapped[str] = mapped_column(String(40), nullable=False)
    entity_id: Mapped[str] = mapped_column(String(40), nullable=False)
    cooperative_id: Mapped[int | None] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(60))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(String(300))
    entity_version: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (
        Index("ix_audit_entry_coop", "cooperative_id", "id"),
        Index("ix_audit_entry_entity", "entity", "entity_id", "id"),
    )
