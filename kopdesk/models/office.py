"""The office profile (letterhead, signatory, region governed), shared settings and gapless counters."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models import region  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, utcnow


class OfficeProfile(Base):
    """The one office that uses this database (id is always 1).

    Attributes:
        government: the first letterhead line, e.g. "PEMERINTAH KOTA BALIKPAPAN".
        region_code: the region the office governs; the home page and recaps default to it.
        letter_number_format: e.g. "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}".
    """

    __tablename__ = "office_profile"
    __audited__ = True
    __audit_label__ = "Profil instansi"
    __audit_exclude__ = frozenset({"version", "logo"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    government: Mapped[str] = mapped_column(String(150), nullable=False, default="")
    name: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    address: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    city: Mapped[str] = mapped_column(String(100), nullable=False, default="")
    postal_code: Mapped[str | None] = mapped_column(String(5))
    phone: Mapped[str | None] = mapped_column(String(60))
    email: Mapped[str | None] = mapped_column(String(120))
    website: Mapped[str | None] = mapped_column(String(120))
    region_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"))
    unit_code: Mapped[str] = mapped_column(String(30), nullable=False, default="")
    classification_code: Mapped[str] = mapped_column(String(30), nullable=False, default="518")
    letter_number_format: Mapped[str] = mapped_column(
        String(120), nullable=False, default="{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}"
    )
    signatory_name: Mapped[str] = mapped_column(String(150), nullable=False, default="")
    signatory_title: Mapped[str] = mapped_column(String(200), nullable=False, default="")
    signatory_rank: Mapped[str | None] = mapped_column(String(100))
    signatory_nip: Mapped[str | None] = mapped_column(String(18))
    logo: Mapped[bytes | None] = mapped_column(LargeBinary)
    logo_name: Mapped[str | None] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}


class Setting(Base):
    """A setting shared by every clerk (rules marked [UNCONFIRMED] in the brief live here as JSON)."""

    __tablename__ = "setting"
    __audited__ = True
    __audit_label__ = "Pengaturan"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text, nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)


class Counter(Base):
    """A gapless counter per name and year (letter numbers, certificate serials)."""

    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
