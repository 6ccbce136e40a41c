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

from sqlalchemy import and_, case, func, literal, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.formats import percent
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region, dotted, level_of, undotted
from kopdesk.models.services.registry.history import status_as_of
from kopdesk.models.services.registry.regions import child_column, require_region
from kopdesk.models.vocab import JENIS, POLA, REGISTERED_STATUSES, STATUS, TYPE_LABELS, type_label


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
    q = q.where(c.registered_on <= as_of) if as_of else q.where(c.status.in_(REGISTERED_STATUSES))
    rows = session.execute(q).all()
    if as_of:
        rows = [r for r in rows if r[5] in REGISTERED_STATUSES]
    return rows


def fact_counts(session: Session, region_code: str | None, *, as_of: dt.date | None, book_year: int,
                group_column: str | None) -> list[tuple[Any, ...]]:
    """The facts of :func:`cooperative_facts` counted in SQL: (child region, jenis, pola, status, registered,
    certified, RAT held) per group, so a province of tens of thousands of cooperatives costs one pass.

    Args:
        group_column: the cooperative column of the child region (kabkota_code, ...), or None for no split.
    """
    c = Cooperative
    status = (status_as_of(as_of) if as_of else c.status).label("st")
    certified = c.nik_status == "bersertifikat"
    if as_of:
        certified = and_(certified, c.nik_certified_on.is_not(None), c.nik_certified_on <= as_of)
    child = getattr(c, group_column) if group_column else literal(None)
    q = (
        select(child.label("child"), c.jenis, c.pola, status, func.count(), func.sum(case((certified, 1), else_=0)),
               func.count(RatRecord.id))
        .select_from(c)
        .outerjoin(RatRecord, and_(RatRecord.cooperative_id == c.id, RatRecord.book_year == book_year))
        .group_by(*([child] if group_column else []), c.jenis, c.pola, status)
    )
    if region_code:
        q = q.where(*region_conditions(region_code))
    q = q.where(c.registered_on <= as_of) if as_of else q.where(c.status.in_(REGISTERED_STATUSES))
    rows = session.execute(q).all()
    return [tuple(r) for r in rows if r[3] in REGISTERED_STATUSES]


def region_conditions(region_code: str) -> list[Any]:
    """The cooperatives of a region, naming every level above it too (a kab/kota code implies its province), so
    that the recap index (province, kab/kota, ...; migration 0003_demo_perf) serves every level."""
    code = undotted(region_code)
    columns = [Cooperative.province_code, Cooperative.kabkota_code, Cooperative.kecamatan_code,
               Cooperative.kelurahan_code]
    prefixes = [code[:2], code[:4], code[:6], code]
    return [columns[i] == prefixes[i] for i in range(level_of(code))]


def region_stats(session: Session, region_code: str, *, book_year: int | None = None,
                 as_of: dt.date | None = None) -> RegionStats:
    """The figures of one region, current or as of a date.

    Args:
        book_year: the RAT book year counted; by default the year before ``as_of`` (or today).
    """
    region = require_region(session, region_code)
    reference = as_of or dt.date.today()
    book_year = book_year or reference.year - 1
    group_column = child_column(region.code) if region.level < 4 else None
    rows = fact_counts(session, region.code, as_of=as_of, book_year=book_year, group_column=group_column)
    total = Figures()
    per_child: dict[str | None, Figures] = {}
    jenis: dict[str, Tally[str]] = {}
    pola: dict[str, Tally[str]] = {}
    for key, j, p, st, n, cert, rat in rows:
        for fig in (total, per_child.setdefault(key, Figures())):
            fig.registered += n
            fig.by_status[st] = fig.by_status.get(st, 0) + n
            fig.certified += int(cert or 0)
            fig.rat_held += int(rat or 0)
        t = type_label(j, p)
        jenis.setdefault(t, Tally())["total"] += n
        pola.setdefault(POLA.get(p, p), Tally())["total"] += n
        if st == "aktif":
            jenis[t]["aktif"] += n
            pola[POLA.get(p, p)]["aktif"] += n
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


def recap(session: Session, region_code: str | None = None, *, book_year: int,
          group_by: str | None = None) -> list[tuple[str, str, Figures]]:
    """The recap table of a region in SQL (province → kab/kota rows; None → the whole country).

    Each row: (region code, region name, Figures with registered, by_status, certified and RAT held for the book
    year). ``group_by`` is a cooperative column (province_code, kabkota_code, kecamatan_code); by default the
    level below ``region_code``. The counts read only the recap index; the RAT held is counted from the RAT side
    for the whole country (one ordered pass over that year's records) and by lookups for a region.
    """
    c = Cooperative.__table__.c
    r = RatRecord.__table__
    column_name = group_by or child_column(region_code)
    col = c[column_name]
    keys = [col] if column_name == "province_code" else [c.province_code, col]
    registered = c.status.in_(REGISTERED_STATUSES)
    per: dict[str | None, Figures] = {}

    def fig(key: str | None) -> Figures:
        return per.setdefault(key, Figures())

    if region_code:
        q = (
            select(*keys, c.status, func.count(), func.sum(case((c.nik_status == "bersertifikat", 1), else_=0)),
                   func.count(r.c.id))
            .select_from(Cooperative.__table__.outerjoin(r, and_(r.c.cooperative_id == c.id, r.c.book_year == book_year)))
            .where(registered, *region_conditions(region_code))
            .group_by(*keys, c.status)
        )
        for *key, status, n, cert, rat in session.execute(q):
            f = fig(key[-1])
            f.registered += n
            f.by_status[status] = f.by_status.get(status, 0) + n
            f.certified += int(cert or 0)
            f.rat_held += int(rat or 0)
    else:
        counts = (select(*keys, c.status, func.count(), func.sum(case((c.nik_status == "bersertifikat", 1), else_=0)))
                  .where(registered).group_by(*keys, c.status))
        for *key, status, n, cert in session.execute(counts):
            f = fig(key[-1])
            f.registered += n
            f.by_status[status] = f.by_status.get(status, 0) + n
            f.certified += int(cert or 0)
        held = (select(*keys, func.count()).select_from(r.join(Cooperative.__table__, c.id == r.c.cooperative_id))
                .where(r.c.book_year == book_year, registered).group_by(*keys))
        for *key, n in session.execute(held):
            fig(key[-1]).rat_held += n
    names = dict(session.execute(select(Region.code, Region.name).where(Region.code.in_([k for k in per if k]))).all())
    return [(k or "", names.get(k, "(tanpa wilayah)") if k else "(tanpa wilayah)", per[k])
            for k in sorted(per, key=lambda k: (k is None, k or ""))]
