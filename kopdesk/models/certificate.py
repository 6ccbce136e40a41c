"""Certificates printed by the office (NIK certificate, health predikat certificate) and their register."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models import cooperative  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps


class Certificate(Timestamps, Base):
    """A certificate issued to a cooperative, signed by the office's key.

    Attributes:
        kind: nik or predikat.
        serial: the printed serial number, from the gapless per-year counter (year, seq).
        payload: the signed text carried by the QR code.
        check_code: the short human-readable code printed under the QR.
        status: berlaku (valid) or dicabut (revoked).
    """

    __tablename__ = "certificate"
    __audited__ = True
    __audit_label__ = "Sertifikat"
    __audit_exclude__ = frozenset({"created_at", "updated_at", "payload"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="nik")
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    serial: Mapped[str] = mapped_column(String(60), nullable=False, unique=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    valid_until: Mapped[dt.date | None] = mapped_column(Date)
    grade_at_print: Mapped[str | None] = mapped_column(String(30))
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    payload: Mapped[str] = mapped_column(Text, nullable=False)
    check_code: Mapped[str] = mapped_column(String(20), nullable=False, index=True)
    key_id: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="berlaku")
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_reason: Mapped[str | None] = mapped_column(String(300))
    revoked_by: Mapped[str | None] = mapped_column(String(60))
    issued_by: Mapped[str | None] = mapped_column(String(60))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (UniqueConstraint("kind", "year", "seq"), Index("ix_certificate_status", "status"))

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id
