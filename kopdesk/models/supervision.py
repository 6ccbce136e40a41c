"""Pemutakhiran: field verification rounds, their officers (PPKL), the cooperatives covered and the visits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models import cooperative, region  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps


class VerificationRound(Timestamps, Base):
    """A round of field checks over a set of cooperatives.

    Attributes:
        status: draft, berjalan (under way) or ditutup (closed; its status rules were applied).
    """

    __tablename__ = "verification_round"
    __audited__ = True
    __audit_label__ = "Putaran pemutakhiran"
    __audit_exclude__ = frozenset({"version", "created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="berjalan")
    started_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    closed_by: Mapped[str | None] = mapped_column(String(60))
    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class RoundOfficer(Base):
    """A field officer (PPKL) assigned to one kecamatan of a round."""

    __tablename__ = "round_officer"
    __audited__ = True
    __audit_label__ = "Petugas pemutakhiran"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("verification_round.id", ondelete="CASCADE"), nullable=False, index=True)
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    officer_name: Mapped[str] = mapped_column(String(150), nullable=False)
    officer_nip: Mapped[str | None] = mapped_column(String(18))


class RoundCooperative(Base):
    """A cooperative covered by a round."""

    __tablename__ = "round_cooperative"

    round_id: Mapped[int] = mapped_column(ForeignKey("verification_round.id", ondelete="CASCADE"), primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), primary_key=True, index=True)


class Visit(Timestamps, Base):
    """One field visit: found at the registered address or not, business running or not (brief §11 field_check).

    Attributes:
        result: aktif, tidak_aktif, pindah_alamat or tidak_ditemukan, derived from the answers.
    """

    __tablename__ = "visit"
    __audited__ = True
    __audit_label__ = "Kunjungan lapangan"
    __audit_exclude__ = frozenset({"created_at", "updated_at", "photo"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("verification_round.id", ondelete="CASCADE"))
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False, index=True)
    visit_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    officer_name: Mapped[str | None] = mapped_column(String(150))
    found_at_address: Mapped[bool] = mapped_column(Boolean, nullable=False)
    new_address: Mapped[str | None] = mapped_column(String(300))
    business_active: Mapped[bool | None] = mapped_column(Boolean)
    rat_held_last_year: Mapped[bool | None] = mapped_column(Boolean)
    sign_board: Mapped[bool | None] = mapped_column(Boolean)
    contact_person: Mapped[str | None] = mapped_column(String(150))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    result: Mapped[str] = mapped_column(String(20), nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
    photo_name: Mapped[str | None] = mapped_column(String(200))
    photo: Mapped[bytes | None] = mapped_column(nullable=True)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (UniqueConstraint("round_id", "cooperative_id"),)

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id
