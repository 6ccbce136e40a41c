"""The Kemendagri region hierarchy: provinsi, kab/kota, kecamatan, kelurahan/desa."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models.base import Base

LEVEL_PROVINSI, LEVEL_KABKOTA, LEVEL_KECAMATAN, LEVEL_KELURAHAN = 1, 2, 3, 4
LEVEL_NAMES = {1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Kelurahan/Desa"}


def undotted(code: str) -> str:
    """A region code without dots or spaces: "64.71.01" -> "647101"."""
    return "".join(ch for ch in str(code) if ch.isdigit())


def dotted(code: str | None) -> str:
    """A region code as people write it: "6471011001" -> "64.71.01.1001"."""
    if not code:
        return ""
    c = undotted(code)
    return ".".join(p for p in (c[0:2], c[2:4], c[4:6], c[6:10]) if p)


def level_of(code: str) -> int:
    """The level of a region code by its length (2, 4, 6 or 10 digits)."""
    return {2: 1, 4: 2, 6: 3, 10: 4}.get(len(undotted(code)), 0)


class Region(Base):
    """One region of the Kemendagri code list.

    Attributes:
        code: the code without dots (2, 4, 6 or 10 digits).
        level: 1 provinsi, 2 kab/kota, 3 kecamatan, 4 kelurahan/desa.
        kind: provinsi, kabupaten, kota, kecamatan, kelurahan or desa.
        parent_code: the region above, None for a province.
    """

    __tablename__ = "region"

    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("region.code"), index=True)
    postal_code: Mapped[str | None] = mapped_column(String(5))
    source: Mapped[str | None] = mapped_column(String(120))
    as_of: Mapped[dt.date | None] = mapped_column(Date)

    @property
    def dotted_code(self) -> str:
        return dotted(self.code)
