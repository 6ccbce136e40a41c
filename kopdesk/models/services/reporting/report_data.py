"""The one query layer of every report: the province recap, the recaps by jenis and by region, RAT compliance,
predikat counts and pemutakhiran progress.

The PDF, the Excel workbook, the report page, the home page and the command line all render a :class:`Report`
built here, so their numbers cannot disagree. Every number carries the :class:`RegistryFilter` of the
cooperatives behind it (by id, so that "as of" figures open exactly the cooperatives they counted).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.documents.recap import PERCENT, Cell, Column, Report, ReportRow
from kopdesk.models.formats import format_date, percent
from kopdesk.models.health import HealthAssessment
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region, dotted, level_of
from kopdesk.models.services.registry.regions import require_region
from kopdesk.models.services.reporting.stats import cooperative_facts
from kopdesk.models.supervision import Visit
from kopdesk.models.vocab import JENIS, PREDIKAT, REGISTERED_STATUSES, TYPE_LABELS, type_label

# ---------------------------------------------------------------------------------------------------------------
# Parameters


def month_period(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str | None) -> tuple[dt.date, dt.date] | None:
    """A period from "2019-06" (a month), "06/2019", "2019" (a year) or "2019-01-01:2019-06-30"; None when empty.

    Raises:
        ValueError: with an Indonesian message.
    """
    from kopdesk.models.formats import parse_date

    if not text or not text.strip():
        return None
    t = text.strip()
    try:
        if ":" in t:
            a, b = t.split(":", 1)
            start, end = parse_date(a), parse_date(b)
            if start and end and start <= end:
                return start, end
        elif len(t) == 7 and t[4] == "-":
            return month_period(int(t[:4]), int(t[5:]))
        elif len(t) == 7 and t[2] == "/":
            return month_period(int(t[3:]), int(t[:2]))
        elif len(t) == 4 and t.isdigit():
            return dt.date(int(t), 1, 1), dt.date(int(t), 12, 31)
    except ValueError:
        pass
    raise ValueError(f"periode tidak valid: {text!r} (contoh: 2019-06, 2019, atau 2019-01-01:2019-06-30)")


def period_text(period: tuple[dt.date, dt.date] | None, as_of: dt.date | None) -> str:
    from kopdesk.models.formats import MONTHS

    if period:
        start, end = period
        if start.day == 1 and end == month_period(start.year, start.month)[1]:
            return f"Periode {MONTHS[start.month - 1]} {start.year}"
        return f"Periode {format_date(start)} s.d. {format_date(end)}"
    return f"Posisi per {format_date(as_of or dt.date.today())}"


def _office(session: Session) -> tuple[str, dict[str, str]]:
    p = session.get(OfficeProfile, 1)
    if p is None:
        return "", {}
    return p.name, {"title": p.signatory_title, "name": p.signatory_name, "rank": p.signatory_rank or "",
                    "nip": p.signatory_nip or "", "city": p.city}


def _children(session: Session, region: Region) -> list[Region]:
    return list(session.scalars(select(Region).where(Region.parent_code == region.code).order_by(Region.code)))


class _Bucket:
    """Ids collected per (row key, column index)."""

    def __init__(self, ncols: int) -> None:
        self.ncols = ncols
        self.ids: dict[Any, list[list[int]]] = {}

    def add(self, key: Any, col: int, ident: int) -> None:
        self.ids.setdefault(key, [[] for _ in range(self.ncols)])[col].append(ident)

    def cells(self, key: Any) -> list[Cell]:
        lists = self.ids.get(key) or [[] for _ in range(self.ncols)]
        return [Cell(len(ids), tuple(ids)) for ids in lists]

    def total(self) -> list[Cell]:
        merged: list[list[int]] = [[] for _ in range(self.ncols)]
        for lists in self.ids.values():
            for i, ids in enumerate(lists):
                merged[i].extend(ids)
        return [Cell(len(ids), tuple(sorted(ids))) for ids in merged]


def _finish(session: Session, key: str, title: str, region: Region, row_header: str, columns: list[Column],
            rows: list[ReportRow], total: ReportRow | None, ptext: str, params: dict[str, str]) -> Report:
    office, sig = _office(session)
    params = {"Laporan": title, "Wilayah": f"{region.name} ({dotted(region.code)})", **params,
              "Dibuat": format_date(dt.date.today()), "Sumber": "Registri KopDesk"}
    return Report(key=key, title=title, region_code=region.code, region_name=region.name, row_header=row_header,
                  columns=columns, rows=rows, total=total, period_text=ptext, parameters=params, office=office,
                  signatory=sig)


def _child_key_index(region: Region) -> int:
    return {1: 0, 2: 1, 3: 2}.get(region.level, 2)


# ---------------------------------------------------------------------------------------------------------------
# Reports

RECAP_COLUMNS = [Column("Aktif"), Column("Tidak Aktif"), Column("Total Koperasi"), Column("Bersertifikat NIK"),
                 Column("Progres"), Column("Presentase", PERCENT)]


def province_recap(session: Session, region_code: str, *, as_of: dt.date | None = None,
                   period: tuple[dt.date, dt.date] | None = None) -> Report:
    """The capaian recap per region below ``region_code`` (brief §10): Aktif, Tidak Aktif, Total Koperasi,
    Bersertifikat NIK, Progres (certificates issued in the period), Presentase = NIK ÷ Aktif × 100."""
    region = require_region(session, region_code)
    facts = cooperative_facts(session, region.code, as_of=as_of, book_year=(as_of or dt.date.today()).year - 1,
                              period=period, with_id=True)
    idx = _child_key_index(region)
    b = _Bucket(5)
    for f in facts:
        kab, kec, kel, _j, _p, st, cert, _rat = f[:8]
        ident = f[-1]
        inp = f[8] if period else False
        key = (kab, kec, kel)[idx] if region.level < 4 else region.code
        b.add(key, 0 if st == "aktif" else 1, ident)
        b.add(key, 2, ident)
        if cert:
            b.add(key, 3, ident)
            if inp:
                b.add(key, 4, ident)

    def row(no: int | None, label: str, cells: list[Cell], code: str | None, total: bool = False) -> ReportRow:
        aktif, nik = cells[0].value or 0, cells[3].value or 0
        return ReportRow(no, label, [*cells, Cell(percent(int(nik), int(aktif)))], code, total)

    rows: list[ReportRow] = []
    children = _children(session, region) if region.level < 4 else [region]
    for i, child in enumerate(children, start=1):
        rows.append(row(i, _short_name(child), b.cells(child.code), child.code))
    if None in b.ids:
        rows.append(row(len(rows) + 1, "(tanpa wilayah)", b.cells(None), None))
    total = row(None, f"{region.name}/Total", b.total(), region.code, True)
    params = {"Posisi per": format_date(as_of) if as_of else "saat ini"}
    if period:
        params["Periode progres"] = f"{format_date(period[0])} s.d. {format_date(period[1])}"
    return _finish(session, "province-recap", f"Capaian Koperasi {region.name}", region, _child_header(region),
                   RECAP_COLUMNS, rows, total, period_text(period, as_of), params)


def _short_name(region: Region) -> str:
    name = region.name
    for prefix in ("Kabupaten ", "Kab. "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def _child_header(region: Region) -> str:
    return {1: "Kab/Kota", 2: "Kecamatan", 3: "Kelurahan/Desa"}.get(region.level, "Wilayah")


SIMPLE_COLUMNS = [Column("Aktif"), Column("Tidak Aktif"), Column("Total")]


def recap_by_jenis(session: Session, region_code: str, *, as_of: dt.date | None = None) -> Report:
    """Active, inactive and total cooperatives per type (jenis, simpan pinjam split by pola; Balikpapan figures)."""
    region = require_region(session, region_code)
    facts = cooperative_facts(session, region.code, as_of=as_of, book_year=dt.date.today().year - 1, with_id=True)
    b = _Bucket(3)
    for f in facts:
        label = type_label(f[3], f[4])
        b.add(label, 0 if f[5] == "aktif" else 1, f[-1])
        b.add(label, 2, f[-1])
    order = list(dict.fromkeys([*(type_label(*k) if k[1] else JENIS[k[0]] for k in TYPE_LABELS), *b.ids]))
    rows = [ReportRow(i, label, b.cells(label)) for i, label in enumerate(order, start=1)]
    total = ReportRow(None, "Jumlah", b.total(), region.code, True)
    return _finish(session, "by-jenis", f"Rekapitulasi Koperasi Menurut Jenis, {region.name}", region, "Jenis",
                   SIMPLE_COLUMNS, rows, total, period_text(None, as_of),
                   {"Posisi per": format_date(as_of) if as_of else "saat ini"})


def recap_by_region(session: Session, region_code: str, *, as_of: dt.date | None = None) -> Report:
    """Active, inactive and total cooperatives per region below (per kecamatan for a kab/kota)."""
    region = require_region(session, region_code)
    facts = cooperative_facts(session, region.code, as_of=as_of, book_year=dt.date.today().year - 1, with_id=True)
    idx = _child_key_index(region)
    b = _Bucket(3)
    for f in facts:
        key = f[idx] if region.level < 4 else region.code
        b.add(key, 0 if f[5] == "aktif" else 1, f[-1])
        b.add(key, 2, f[-1])
    children = _children(session, region) if region.level < 4 else [region]
    rows = [ReportRow(i, c.name, b.cells(c.code), c.code) for i, c in enumerate(children, start=1)]
    if None in b.ids:
        rows.append(ReportRow(len(rows) + 1, f"(tanpa {_child_header(region).lower()})", b.cells(None)))
    total = ReportRow(None, "Jumlah", b.total(), region.code, True)
    return _finish(session, "by-region", f"Rekapitulasi Koperasi Menurut {_child_header(region)}, {region.name}",
                   region, _child_header(region), SIMPLE_COLUMNS, rows, total, period_text(None, as_of),
                   {"Posisi per": format_date(as_of) if as_of else "saat ini"})


RAT_COLUMNS = [Column("Aktif"), Column("Sudah RAT"), Column("Belum RAT"), Column("Persentase RAT", PERCENT)]


def rat_compliance(session: Session, region_code: str, *, book_year: int | None = None,
                   as_of: dt.date | None = None) -> Report:
    """Active cooperatives with and without a RAT for the book year, per region below (rat_pct, brief §11)."""
    region = require_region(session, region_code)
    book_year = book_year or (as_of or dt.date.today()).year - 1
    facts = cooperative_facts(session, region.code, as_of=as_of, book_year=book_year, with_id=True)
    idx = _child_key_index(region)
    b = _Bucket(3)
    for f in facts:
        if f[5] != "aktif":
            continue
        key = f[idx] if region.level < 4 else region.code
        b.add(key, 0, f[-1])
        b.add(key, 1 if f[7] else 2, f[-1])

    def row(no: int | None, label: str, cells: list[Cell], code: str | None, total: bool = False) -> ReportRow:
        return ReportRow(no, label, [*cells, Cell(percent(int(cells[1].value or 0), int(cells[0].value or 0)))],
                         code, total)

    children = _children(session, region) if region.level < 4 else [region]
    rows = [row(i, _short_name(c), b.cells(c.code), c.code) for i, c in enumerate(children, start=1)]
    if None in b.ids:
        rows.append(row(len(rows) + 1, "(tanpa wilayah)", b.cells(None), None))
    total = row(None, "Jumlah", b.total(), region.code, True)
    return _finish(session, "rat", f"Kepatuhan RAT Tahun Buku {book_year}, {region.name}", region,
                   _child_header(region), RAT_COLUMNS, rows, total, f"Tahun Buku {book_year}",
                   {"Tahun buku": str(book_year), "Posisi per": format_date(as_of) if as_of else "saat ini"})


def rat_trend(session: Session, region_code: str, *, book_year: int | None = None, years: int = 5) -> Report:
    """Active cooperatives (as of 31 December of each book year, from the status history) and those with a RAT for
    that book year, over the last ``years`` book years up to ``book_year``."""
    region = require_region(session, region_code)
    last = book_year or dt.date.today().year - 1
    b = _Bucket(3)
    for year in range(last - years + 1, last + 1):
        for f in cooperative_facts(session, region.code, as_of=dt.date(year, 12, 31), book_year=year, with_id=True):
            if f[5] != "aktif":
                continue
            b.add(year, 0, f[-1])
            b.add(year, 1 if f[7] else 2, f[-1])
    rows = []
    for i, year in enumerate(range(last - years + 1, last + 1), start=1):
        cells = b.cells(year)
        rows.append(ReportRow(i, f"Tahun buku {year}", [*cells, Cell(percent(int(cells[1].value or 0),
                                                                                int(cells[0].value or 0)))]))
    return _finish(session, "rat-trend", f"Perkembangan Koperasi Aktif dan RAT, {region.name}", region, "Tahun Buku",
                   RAT_COLUMNS, rows, None, f"Tahun Buku {last - years + 1}–{last}",
                   {"Tahun buku": f"{last - years + 1}–{last}", "Koperasi aktif": "posisi 31 Desember tiap tahun buku"})


def _region_filter(region: Region) -> Any:
    col = {1: Cooperative.province_code, 2: Cooperative.kabkota_code, 3: Cooperative.kecamatan_code,
           4: Cooperative.kelurahan_code}[level_of(region.code)]
    return col == region.code


def _child_col(region: Region) -> Any:
    return {1: Cooperative.kabkota_code, 2: Cooperative.kecamatan_code, 3: Cooperative.kelurahan_code,
            4: Cooperative.kelurahan_code}[region.level]


def predikat_counts(session: Session, region_code: str, *, year: int | None = None) -> Report:
    """Health predikat of the latest assessment of the year per cooperative, per region below."""
    region = require_region(session, region_code)
    year = year or dt.date.today().year
    latest = (select(HealthAssessment.cooperative_id, func.max(HealthAssessment.id).label("hid"))
              .where(HealthAssessment.period_year == year).group_by(HealthAssessment.cooperative_id).subquery())
    q = (select(_child_col(region), HealthAssessment.predikat, Cooperative.id)
         .join(latest, latest.c.cooperative_id == Cooperative.id)
         .join(HealthAssessment, HealthAssessment.id == latest.c.hid)
         .where(_region_filter(region), Cooperative.status.in_(REGISTERED_STATUSES)))
    keys = list(PREDIKAT)
    b = _Bucket(len(keys) + 1)
    for child, pred, ident in session.execute(q):
        key = child if region.level < 4 else region.code
        if pred in keys:
            b.add(key, keys.index(pred), ident)
        b.add(key, len(keys), ident)
    children = _children(session, region) if region.level < 4 else [region]
    rows = [ReportRow(i, _short_name(c), b.cells(c.code), c.code) for i, c in enumerate(children, start=1)]
    if None in b.ids:
        rows.append(ReportRow(len(rows) + 1, "(tanpa wilayah)", b.cells(None)))
    cols = [Column(v) for v in PREDIKAT.values()] + [Column("Jumlah Dinilai")]
    return _finish(session, "predikat", f"Predikat Kesehatan Koperasi Tahun {year}, {region.name}", region,
                   _child_header(region), cols, rows, ReportRow(None, "Jumlah", b.total(), region.code, True),
                   f"Tahun {year}", {"Tahun penilaian": str(year)})


PEMUTAKHIRAN_COLUMNS = [Column("Terdaftar"), Column("Diperiksa"), Column("Ditemukan"), Column("Tidak Ditemukan"),
                        Column("Usaha Berjalan"), Column("Belum Diperiksa"), Column("Progres (%)", PERCENT)]


def pemutakhiran_progress(session: Session, region_code: str, *,
                          period: tuple[dt.date, dt.date] | None = None) -> Report:
    """The field check: registered, checked (latest visit in the period), found, not found, business running,
    not yet checked, and checked ÷ registered × 100, per region below."""
    region = require_region(session, region_code)
    today = dt.date.today()
    period = period or (dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))
    latest = (select(Visit.cooperative_id, func.max(Visit.id).label("vid"))
              .where(Visit.visit_date >= period[0], Visit.visit_date <= period[1])
              .group_by(Visit.cooperative_id).subquery())
    q = (select(_child_col(region), Cooperative.id, Visit.found_at_address, Visit.business_active)
         .outerjoin(latest, latest.c.cooperative_id == Cooperative.id)
         .outerjoin(Visit, and_(Visit.id == latest.c.vid))
         .where(_region_filter(region), Cooperative.status.in_(REGISTERED_STATUSES)))
    b = _Bucket(6)
    for child, ident, found, business in session.execute(q):
        key = child if region.level < 4 else region.code
        b.add(key, 0, ident)
        if found is None:
            b.add(key, 5, ident)
            continue
        b.add(key, 1, ident)
        b.add(key, 2 if found else 3, ident)
        if business:
            b.add(key, 4, ident)

    def row(no: int | None, label: str, cells: list[Cell], code: str | None, total: bool = False) -> ReportRow:
        return ReportRow(no, label, [*cells, Cell(percent(int(cells[1].value or 0), int(cells[0].value or 0)))],
                         code, total)

    children = _children(session, region) if region.level < 4 else [region]
    rows = [row(i, _short_name(c), b.cells(c.code), c.code) for i, c in enumerate(children, start=1)]
    if None in b.ids:
        rows.append(row(len(rows) + 1, "(tanpa wilayah)", b.cells(None), None))
    return _finish(session, "pemutakhiran", f"Progres Pemutakhiran Data Koperasi, {region.name}", region,
                   _child_header(region), PEMUTAKHIRAN_COLUMNS, rows,
                   row(None, "Jumlah", b.total(), region.code, True), period_text(period, None),
                   {"Periode kunjungan": f"{format_date(period[0])} s.d. {format_date(period[1])}"})


REPORTS: dict[str, tuple[str, Callable[..., Report]]] = {
    "province-recap": ("Capaian koperasi per wilayah (rekap provinsi)", province_recap),
    "by-jenis": ("Rekap menurut jenis", recap_by_jenis),
    "by-region": ("Rekap menurut wilayah (kecamatan)", recap_by_region),
    "rat": ("Kepatuhan RAT", rat_compliance),
    "rat-trend": ("Perkembangan koperasi aktif dan RAT per tahun buku", rat_trend),
    "predikat": ("Predikat kesehatan", predikat_counts),
    "pemutakhiran": ("Progres pemutakhiran", pemutakhiran_progress),
}


def build(session: Session, name: str, region_code: str, *, as_of: dt.date | None = None,
          period: tuple[dt.date, dt.date] | None = None, book_year: int | None = None) -> Report:
    """Build the report ``name`` (a key of :data:`REPORTS`) with the parameters that apply to it."""
    if name not in REPORTS:
        raise KeyError(name)
    if name == "province-recap":
        return province_recap(session, region_code, as_of=as_of, period=period)
    if name in ("by-jenis", "by-region"):
        return REPORTS[name][1](session, region_code, as_of=as_of)
    if name == "rat":
        return rat_compliance(session, region_code, book_year=book_year, as_of=as_of)
    if name == "rat-trend":
        return rat_trend(session, region_code, book_year=book_year)
    if name == "predikat":
        return predikat_counts(session, region_code, year=book_year)
    return pemutakhiran_progress(session, region_code, period=period)
