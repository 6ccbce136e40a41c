"""RAT (Rapat Anggota Tahunan) records per cooperative and book year, and the office's deadlines."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models import cooperative  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps


class RatRecord(Timestamps, Base):
    """The RAT of one book year as the office received it (brief §4).

    Attributes:
        rat_date: the date of the meeting; None while only the report is known.
        report_received_date: when the office received the report.
    """

    __tablename__ = "rat_record"
    __audited__ = True
    __audit_label__ = "RAT"
    __audit_exclude__ = frozenset({"created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False)
    book_year: Mapped[int] = mapped_column(Integer, nullable=False)
    rat_date: Mapped[dt.date | None] = mapped_column(Date)
    report_received_date: Mapped[dt.date | None] = mapped_column(Date)
    attendance: Mapped[int | None] = mapped_column(Integer)
    has_minutes: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    has_financials: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    has_lpj: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        UniqueConstraint("cooperative_id", "book_year"),
        Index("ix_rat_record_year_coop", "book_year", "cooperative_id"),
    )

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class RatDeadline(Base):
    """The reporting deadline the ministry set for a book year and form (primer/sekunder)."""

    __tablename__ = "rat_deadline"
    __audited__ = True
    __audit_label__ = "Batas waktu RAT"

    book_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    form: Mapped[str] = mapped_column(String(20), primary_key=True)
    deadline: Mapped[dt.date] = mapped_column(Date, nullable=False)
    basis: Mapped[str | None] = mapped_column(String(200))
