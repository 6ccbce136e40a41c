"""The Kemendagri region hierarchy: provinsi, kab/kota, kecamatan, kelurahan/desa."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models.base import Base
from kopdesk.models.codes import dotted, level_of, undotted

LEVEL_PROVINSI, LEVEL_KABKOTA, LEVEL_KECAMATAN, LEVEL_KELURAHAN = 1, 2, 3, 4
LEVEL_NAMES = {1: "Provinsi", 2: "Kabupaten/Kota", 3: "Kecamatan", 4: "Kelurahan/Desa"}

# dotted/undotted/level_of live in the pure kopdesk.models.codes; re-exported here for the code that reads them here.
__all__ = ["LEVEL_KABKOTA", "LEVEL_KECAMATAN", "LEVEL_KELURAHAN", "LEVEL_NAMES", "LEVEL_PROVINSI", "Region", "dotted",
           "level_of", "undotted"]


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
