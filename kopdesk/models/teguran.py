"""Warning letters (surat teguran) and their register, escalation exemptions, and dissolution cases."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models import cooperative  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps


class Letter(Timestamps, Base):
    """An outgoing letter in the register (buku agenda surat keluar).

    Attributes:
        year, seq: the gapless per-year counter behind ``number``; a cancelled letter keeps its number.
        level: 1, 2, 3 (Teguran I-III) or 4 (usulan pembubaran).
        grounds: JSON list of violation codes (kopdesk.models.vocab.VIOLATIONS).
        facts: JSON with the facts the letter states (missing book years, the visit that did not find it).
        pdf_sha256: hash of the exact PDF issued, so that a reprint can be proven identical.
    """

    __tablename__ = "letter"
    __audited__ = True
    __audit_label__ = "Surat"
    __audit_exclude__ = frozenset({"version", "created_at", "updated_at", "pdf"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False, default="teguran")
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    grounds: Mapped[str] = mapped_column(Text, nullable=False, default="[]")
    facts: Mapped[str] = mapped_column(Text, nullable=False, default="{}")
    year: Mapped[int] = mapped_column(Integer, nullable=False)
    seq: Mapped[int] = mapped_column(Integer, nullable=False)
    number: Mapped[str] = mapped_column(String(100), nullable=False)
    letter_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    nature: Mapped[str] = mapped_column(String(30), nullable=False, default="Penting")
    attachments: Mapped[str] = mapped_column(String(60), nullable=False, default="-")
    subject: Mapped[str] = mapped_column(String(200), nullable=False)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="terbit")  # terbit | dibatalkan
    cancelled_reason: Mapped[str | None] = mapped_column(String(300))
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    delivery_status: Mapped[str] = mapped_column(String(20), nullable=False, default="dicetak")
    printed_on: Mapped[dt.date | None] = mapped_column(Date)
    sent_on: Mapped[dt.date | None] = mapped_column(Date)
    received_on: Mapped[dt.date | None] = mapped_column(Date)
    returned_on: Mapped[dt.date | None] = mapped_column(Date)
    response_date: Mapped[dt.date | None] = mapped_column(Date)
    response_notes: Mapped[str | None] = mapped_column(Text)
    resolved: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    signer_name: Mapped[str | None] = mapped_column(String(150))
    issued_by: Mapped[str | None] = mapped_column(String(60))
    pdf_sha256: Mapped[str | None] = mapped_column(String(64))
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        UniqueConstraint("kind", "year", "seq"),
        Index("ix_letter_coop", "cooperative_id", "level"),
    )

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class EscalationExemption(Timestamps, Base):
    """A cooperative exempted from escalation for a stated reason until a date (e.g. a merger under way)."""

    __tablename__ = "escalation_exemption"
    __audited__ = True
    __audit_label__ = "Pengecualian teguran"
    __audit_exclude__ = frozenset({"created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False, index=True)
    reason: Mapped[str] = mapped_column(String(300), nullable=False)
    until: Mapped[dt.date] = mapped_column(Date, nullable=False)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    created_by: Mapped[str | None] = mapped_column(String(60))

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class DissolutionCase(Timestamps, Base):
    """A dissolution by the government (UU 25/1992 Pasal 47, PP 17/1994; brief §6)."""

    __tablename__ = "dissolution_case"
    __audited__ = True
    __audit_label__ = "Proses pembubaran"
    __audit_exclude__ = frozenset({"created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False, index=True)
    ground: Mapped[str] = mapped_column(String(60), nullable=False)
    stage: Mapped[str] = mapped_column(String(30), nullable=False, default="usulan")
    notice_date: Mapped[dt.date | None] = mapped_column(Date)
    objection_deadline: Mapped[dt.date | None] = mapped_column(Date)
    objection_date: Mapped[dt.date | None] = mapped_column(Date)
    objection_decision_due: Mapped[dt.date | None] = mapped_column(Date)
    decree_due: Mapped[dt.date | None] = mapped_column(Date)
    decree_number: Mapped[str | None] = mapped_column(String(100))
    decree_date: Mapped[dt.date | None] = mapped_column(Date)
    announcement_ref: Mapped[str | None] = mapped_column(String(200))
    liquidation_team: Mapped[str | None] = mapped_column(Text)
    closed_date: Mapped[dt.date | None] = mapped_column(Date)

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id
