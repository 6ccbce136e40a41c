"""The cooperative: identity, address, classification, figures, status and its history; board; yearly figures."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopdesk.models import lookup, region, user  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps, utcnow


class Cooperative(Timestamps, Base):
    """A cooperative in the office's registry (brief §1, §11).

    Attributes:
        nik: the NIK Koperasi, a digit string, unique when present.
        status: aktif, tidak_aktif, tidak_ditemukan, proses_pembubaran or dibubarkan (kopdesk.models.vocab.STATUS).
        registered_on: the date the cooperative entered the registry; "as of" figures count from it.
        version: optimistic-locking counter; a save that loaded an older version fails with a conflict.
    """

    __tablename__ = "cooperative"
    __audited__ = True
    __audit_label__ = "Koperasi"
    __audit_exclude__ = frozenset({"version", "created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    nik: Mapped[str | None] = mapped_column(String(20), unique=True)
    legal_number: Mapped[str | None] = mapped_column(String(100))
    legal_date: Mapped[dt.date | None] = mapped_column(Date)
    ad_amendment_number: Mapped[str | None] = mapped_column(String(100))
    ad_amendment_date: Mapped[dt.date | None] = mapped_column(Date)
    nib: Mapped[str | None] = mapped_column(String(20))
    npwp: Mapped[str | None] = mapped_column(String(25))

    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    rt_rw: Mapped[str | None] = mapped_column(String(20))
    postal_code: Mapped[str | None] = mapped_column(String(5))
    province_code: Mapped[str] = mapped_column(ForeignKey("region.code"), nullable=False)
    kabkota_code: Mapped[str] = mapped_column(ForeignKey("region.code"), nullable=False)
    kecamatan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(200))

    form: Mapped[str] = mapped_column(String(20), nullable=False, default="primer")
    membership_scope: Mapped[str] = mapped_column(String(20), nullable=False, default="kabkota")
    jenis: Mapped[str] = mapped_column(String(20), nullable=False)
    pola: Mapped[str] = mapped_column(String(20), nullable=False, default="konvensional")
    kelompok_id: Mapped[int | None] = mapped_column(ForeignKey("kelompok.id"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sector.id"))
    business_scale: Mapped[str | None] = mapped_column(String(60))
    is_merah_putih: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    members_male: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    members_female: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    employees: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    managers: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    own_capital: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    external_capital: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    assets: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    business_volume: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    shu: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    figures_year: Mapped[int | None] = mapped_column(Integer)

    status: Mapped[str] = mapped_column(String(20), nullable=False, default="aktif")
    status_reason: Mapped[str | None] = mapped_column(String(300))
    status_date: Mapped[dt.date | None] = mapped_column(Date)
    registered_on: Mapped[dt.date | None] = mapped_column(Date)

    nik_status: Mapped[str] = mapped_column(String(20), nullable=False, default="tidak_ada")
    nik_certified_on: Mapped[dt.date | None] = mapped_column(Date)
    certificate_valid_until: Mapped[dt.date | None] = mapped_column(Date)
    grade: Mapped[str | None] = mapped_column(String(2))
    grade_override: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    notes: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}
    __table_args__ = (
        Index("ix_cooperative_kabkota_status", "kabkota_code", "status"),
        Index("ix_cooperative_kecamatan_status", "kecamatan_code", "status"),
        Index("ix_cooperative_kelurahan", "kelurahan_code"),
        # Covering index of the recaps and stats (migration 0003_demo_perf).
        Index("ix_cooperative_recap", "province_code", "kabkota_code", "status", "nik_status", "kecamatan_code",
              "jenis", "pola"),
        Index("ix_cooperative_status_id", "status", "id"),
        Index("ix_cooperative_jenis_pola", "jenis", "pola"),
        Index("ix_cooperative_name", "name"),
        Index("ix_cooperative_legal_number", "legal_number"),
    )

    officers: Mapped[list[Officer]] = relationship(
        back_populates="cooperative", cascade="all, delete-orphan", order_by="Officer.id"
    )

    def audit_cooperative_id(self) -> int | None:
        return self.id

    @property
    def members_total(self) -> int:
        return (self.members_male or 0) + (self.members_female or 0)


class Officer(Base):
    """A member of the board (pengurus), a supervisor (pengawas) or the manager, with a term.

    Attributes:
        citizen_nik: the person's NIK KTP (16 digits): personal data, masked where the role does not allow it.
    """

    __tablename__ = "officer"
    __audited__ = True
    __audit_label__ = "Pengurus/Pengawas"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False, index=True)
    role: Mapped[str] = mapped_column(String(20), nullable=False)
    name: Mapped[str] = mapped_column(String(150), nullable=False)
    sex: Mapped[str | None] = mapped_column(String(1))
    citizen_nik: Mapped[str | None] = mapped_column(String(16))
    phone: Mapped[str | None] = mapped_column(String(40))
    term_start: Mapped[dt.date | None] = mapped_column(Date)
    term_end: Mapped[dt.date | None] = mapped_column(Date)

    cooperative: Mapped[Cooperative] = relationship(back_populates="officers")

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class StatusChange(Base):
    """One change of a cooperative's status: from, to, when, why and what caused it."""

    __tablename__ = "status_change"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False)
    from_status: Mapped[str | None] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20), nullable=False)
    effective_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow)
    reason: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20), nullable=False, default="manual")
    source_ref: Mapped[str | None] = mapped_column(String(60))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    username: Mapped[str | None] = mapped_column(String(60))

    __table_args__ = (Index("ix_status_change_coop_date", "cooperative_id", "effective_date", "id"),)


class AnnualReport(Base):
    """The yearly institutional and financial figures of a cooperative (ODS kelembagaan and keuangan)."""

    __tablename__ = "annual_report"
    __audited__ = True
    __audit_label__ = "Data tahunan"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False)
    book_year: Mapped[int] = mapped_column(Integer, nullable=False)
    members_male: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    members_female: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    managers: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    employees: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    own_capital: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    external_capital: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    assets: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    business_volume: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    shu: Mapped[int] = mapped_column(BigInteger, nullable=False, default=0)
    source: Mapped[str | None] = mapped_column(String(20))

    __table_args__ = (UniqueConstraint("cooperative_id", "book_year"),)

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class MerahPutihProfile(Base):
    """The formation record of a Koperasi Desa/Kelurahan Merah Putih (brief §9), one per cooperative."""

    __tablename__ = "merah_putih_profile"
    __audited__ = True
    __audit_label__ = "Profil Koperasi Merah Putih"

    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), primary_key=True)
    formation_path: Mapped[str | None] = mapped_column(String(20))  # baru | pengembangan | revitalisasi
    musdes_date: Mapped[dt.date | None] = mapped_column(Date)
    musdes_ba_number: Mapped[str | None] = mapped_column(String(100))
    founding_meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    npak_name: Mapped[str | None] = mapped_column(String(150))
    akta_number: Mapped[str | None] = mapped_column(String(100))
    akta_date: Mapped[dt.date | None] = mapped_column(Date)
    ahu_sk_number: Mapped[str | None] = mapped_column(String(100))
    ahu_sk_date: Mapped[dt.date | None] = mapped_column(Date)
    bumn_partner: Mapped[str | None] = mapped_column(String(150))
    population: Mapped[int | None] = mapped_column(Integer)
    stage: Mapped[str | None] = mapped_column(String(60))

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class MerahPutihOutlet(Base):
    """A gerai or business unit of a Koperasi Merah Putih (sembako, apotek, klinik, ...)."""

    __tablename__ = "merah_putih_outlet"
    __audited__ = True
    __audit_label__ = "Gerai Koperasi Merah Putih"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False, index=True)
    kind: Mapped[str] = mapped_column(String(30), nullable=False)
    status: Mapped[str] = mapped_column(String(20), nullable=False, default="rencana")
    opened_date: Mapped[dt.date | None] = mapped_column(Date)

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id
