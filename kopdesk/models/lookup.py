"""Editable lookup tables: kelompok koperasi and sektor usaha."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kopdesk.models.base import Base


class Kelompok(Base):
    """A kelompok koperasi (KUD, KPRI, Kopkar, Koperasi Merah Putih, ...), edited by the office."""

    __tablename__ = "kelompok"
    __audited__ = True
    __audit_label__ = "Kelompok koperasi"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)


class Sector(Base):
    """A sektor usaha (KBLI-like), edited by the office."""

    __tablename__ = "sector"
    __audited__ = True
    __audit_label__ = "Sektor usaha"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
    active: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
