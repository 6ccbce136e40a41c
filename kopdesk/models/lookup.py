"""Editable lookup tables: kelompok koperasi (with the other ways offices write each one) and sektor usaha."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Integer, String
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


class KelompokAlias(Base):
    """Another way offices write a kelompok: its short name or abbreviation ("KUD", "Kopwan", "Koperasi Wanita").

    The import finds a kelompok by its name or by any of its aliases, compared by
    :func:`kopdesk.models.services.exchange.normalize.lookup_key`; administrators edit them in Pengaturan.

    Attributes:
        alias: as written; unique, and no two aliases or names of different kelompok share a key.
    """

    __tablename__ = "kelompok_alias"
    __audited__ = True
    __audit_label__ = "Alias kelompok koperasi"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kelompok_id: Mapped[int] = mapped_column(ForeignKey("kelompok.id", ondelete="CASCADE"), nullable=False, index=True)
    alias: Mapped[str] = mapped_column(String(120), nullable=False, unique=True)
