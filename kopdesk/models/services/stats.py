"""A region's figures: registered, by status, by jenis and pola, by the regions below it, RAT held, certified.

One query layer for the command line (``stats``), the home page and the reports, so their numbers agree. Figures
are current, or "as of" a date from the status history (posisi per tanggal).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter as Tally
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, desc, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.formats import percent
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region, dotted, level_of, undotted
from kopdesk.models.services.regions import child_column, require_region
from kopdesk.models.vocab import JENIS, POLA, REGISTERED_STATUSES, STATUS

TYPE_LABELS = {
    ("jasa", None): "Jasa", ("konsumen", None): "Konsumen", ("pemasaran", None): "Pemasaran",
    ("produsen", None): "Produsen", ("simpan_pinjam", "konvensional"): "KSP Konvensional",
    ("simpan_pinjam", "syariah"): "KSP Syariah",
}


def type_label(jenis: str, pola: str) -> str:
    """The recap type of the Balikpapan figures: jenis, with simpan pinjam split by pola (brief §3)."""
    if jenis == "simpan_pinjam":
        return TYPE_LABELS[("simpan_pinjam", pola if pola in POLA else "konvensional")]
    return JENIS.get(jenis, jenis)


@dataclass
class Figures:
    """Counts for one region or one row of a recap."""

    registered: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    certified: int = 0
    certified_in_period: int = 0
    rat_held: int = 0

    @property
    def aktif(self) -> int:
        return self.by_status.get("aktif", 0)

    @property
    def tidak_aktif(self) -> int:
        """Everything registered that is not active (the recap's "Tidak Aktif")."""
        return self.registered - self.aktif

    @property
    def certified_pct(self) -> Decimal | None:
        """Bersertifikat NIK ÷ Aktif × 100 (brief §10)."""
        return percent(self.certified, self.aktif)

    @property
    def rat_pct(self) -> Decimal | None:
        """Cooperatives with a RAT for the book year ÷ active × 100 (brief §11)."""
        return percent(self.rat_held, self.aktif)


@dataclass
class RegionStats:
    """The figures of a region and of each region below it."""

    code: str
    name: str
    level: int
    as_of: dt.date | None
    book_year: int
    total: Figures
    by_jenis: dict[str, dict[str, int]]
    by_pola: dict[str, dict[str, int]]
    children: list[tuple[str, str, Figures]]
    without_child: Figures | None

    def to_json(self) -> dict[str, Any]:
        def fig(f: Figures) -> dict[str, Any]:
            return {
                "registered": f.registered, "aktif": f.aktif, "tidak_aktif": f.tidak_aktif,
                "by_status": {k: f.by_status.get(k, 0) for k in STATUS if f.by_status.get(k)},
                "certified": f.certified, "rat_held": f.rat_held,
            }

        children = [{"code": dotted(code), "name": name, **fig(f)} for code, name, f in self.children]
        if self.without_child is not None and self.without_child.registered:
            children.append({"code": None, "name": "(tanpa wilayah)", **fig(self.without_child)})
        return {
            "region": {"code": dotted(self.code), "name": self.name, "level": self.level},
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "book_year": self.book_year,
            "registered": self.total.registered,
            "by_status": {k: self.total.by_status.get(k, 0) for k in STATUS},
            "by_jenis": self.by_jenis,
            "by_pola": self.by_pola,
            "by_child_region": children,
            "rat_held": self.total.rat_held,
            "rat_pct": _num(self.total.rat_pct),
            "certified": self.total.certified,
            "certified_pct": _num(self.total.certified_pct),
        }


def _num(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def status_as_of(as_of: dt.date):  # type: ignore[no-untyped-def]
    """A correlated subquery: a cooperative's status on ``as_of`` from its status history."""
    return (
        select(StatusChange.to_status)
        .where(StatusChange.cooperative_id == Cooperative.id, StatusChange.effective_date <= as_of)
        .order_by(desc(StatusChange.effective_date), desc(StatusChange.id))
        .limit(1)
        .scalar_subquery()
    )


def cooperative_facts(session: Session, region_code: str | None, *, as_of: dt.date | None, book_year: int,
                      period: tuple[dt.date, dt.date] | None = None, with_id: bool = False) -> list[tuple[Any, ...]]:
    """Per registered cooperative of a region: (kabkota, kecamatan, kelurahan, jenis, pola, status, certified,
    rat held[, certified in period][, id]). The one fact source of the stats and recaps.

    Args:
        period: add whether the NIK certificate was issued within (start, end) (the recap's "Progres").
        with_id: add the cooperative id last (reports keep the ids behind each number).
    """
    c = Cooperative
    status = status_as_of(as_of) if as_of else c.status
    rat = (select(RatRecord.id).where(RatRecord.cooperative_id == c.id, RatRecord.book_year == book_year)
           .correlate(c).exists())
    certified = c.nik_status == "bersertifikat"
    if as_of:
        certified = and_(certified, c.nik_certified_on.is_not(None), c.nik_certified_on <= as_of)
    in_period = (and_(c.nik_certified_on >= period[0], c.nik_certified_on <= period[1]) if period else None)
    cols = [c.kabkota_code, c.kecamatan_code, c.kelurahan_code, c.jenis, c.pola, status.label("st"),
            certified.label("cert"), rat.label("rat")]
    if in_period is not None:
        cols.append(in_period.label("inp"))
    if with_id:
        cols.append(c.id)
    q = select(*cols)
    if region_code:
        code = undotted(region_code)
        col = {1: c.province_code, 2: c.kabkota_code, 3: c.kecamatan_code, 4: c.kelurahan_code}[level_of(code)]
        q = q.where(col == code)
    if as_of:
        q = q.where(c.registered_on <= as_of)
    else:
        q = q.where(c.status.in_(REGISTERED_STATUSES))
    rows = session.execute(q).all()
    if as_of:
        rows = [r for r in rows if r[5] in REGISTERED_STATUSES]
    return rows


def region_stats(session: Session, region_code: str, *, book_year: int | None = None,
                 as_of: dt.date | None = None) -> RegionStats:
    """The figures of one region, current or as of a date.

    Args:
        book_year: the RAT book year counted; by default the year before ``as_of`` (or today).
    """
    region = require_region(session, region_code)
    reference = as_of or dt.date.today()
    book_year = book_year or reference.year - 1
    rows = cooperative_facts(session, region.code, as_of=as_of, book_year=book_year)
    child_idx = {"kabkota_code": 0, "kecamatan_code": 1, "kelurahan_code": 2, "province_code": None}[child_column(region.code)]
    total = Figures()
    per_child: dict[str | None, Figures] = {}
    jenis: dict[str, Tally[str]] = {}
    pola: dict[str, Tally[str]] = {}
    for kab, kec, kel, j, p, st, cert, rat in rows:
        key = (kab, kec, kel)[child_idx] if child_idx is not None and region.level < 4 else None
        for fig in (total, per_child.setdefault(key, Figures())):
            fig.registered += 1
            fig.by_status[st] = fig.by_status.get(st, 0) + 1
            fig.certified += 1 if cert else 0
            fig.rat_held += 1 if rat else 0
        t = type_label(j, p)
        jenis.setdefault(t, Tally())["total"] += 1
        pola.setdefault(POLA.get(p, p), Tally())["total"] += 1
        if st == "aktif":
            jenis[t]["aktif"] += 1
            pola[POLA.get(p, p)]["aktif"] += 1
    children: list[tuple[str, str, Figures]] = []
    if region.level < 4:
        for child in session.scalars(select(Region).where(Region.parent_code == region.code).order_by(Region.code)):
            children.append((child.code, child.name, per_child.get(child.code, Figures())))
    order = list(dict.fromkeys([*(type_label(*k) if k[1] else JENIS[k[0]] for k in TYPE_LABELS), *jenis]))
    return RegionStats(
        code=region.code, name=region.name, level=region.level, as_of=as_of, book_year=book_year, total=total,
        by_jenis={t: {"total": jenis[t]["total"], "aktif": jenis[t]["aktif"]} for t in order if t in jenis},
        by_pola={k: {"total": v["total"], "aktif": v["aktif"]} for k, v in pola.items()},
        children=children,
        without_child=per_child.get(None) if region.level < 4 else None,
    )
