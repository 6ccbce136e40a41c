"""Reconciliation of an ODS workbook with the registry, and consolidation of the kab/kota offices' workbooks into
the province recap."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.documents.workbooks import OfficeWorkbook, OfficeWorkbookWriter
from kopdesk.models.fileio import atomic_workbook
from kopdesk.models.formats import as_written, format_date, percent
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.region import Region, dotted, undotted
from kopdesk.models.services.exchange import normalize as rules
from kopdesk.models.services.exchange import ods_export
from kopdesk.models.services.exchange.ods_import import (
    INVALID,
    NEW,
    UPDATED,
    Change,
    ImportFileError,
    preview_import,
    read_sheet,
)
from kopdesk.models.services.registry.regions import require_region
from kopdesk.models.services.reporting import report_data
from kopdesk.models.vocab import REGISTERED_STATUSES

WORKBOOK_FORMAT = "kopdesk-konsolidasi/1"
RECAP_KEYS = ["Aktif", "Tidak Aktif", "Total Koperasi", "Bersertifikat NIK", "Progres"]


# ---------------------------------------------------------------------------------------------------------------
# Reconciliation


@dataclass
class Reconciliation:
    path: str
    only_in_ods: list[tuple[int, str]]  # (file row, name)
    only_in_registry: list[tuple[int, str, str]]  # (id, name, nik)
    differing: list[tuple[int, int, str, list[Change]]]  # (file row, id, name, changes)
    invalid: list[tuple[int, str, str]]  # (file row, name, reasons)
    scope: list[str]

    def summary(self) -> str:
        return (f"Hanya di ODS: {len(self.only_in_ods)}; hanya di registri: {len(self.only_in_registry)}; "
                f"berbeda: {len(self.differing)}; baris tidak valid: {len(self.invalid)}")


def reconcile(session: Session, path: str | Path, *, sheet: str | None = None, progress: Progress = NO_PROGRESS,
              cancelled: CancelCheck = NEVER_CANCELLED) -> Reconciliation:
    """What ODS has that the registry lacks, what the registry has that ODS lacks (in the kab/kota the file covers),
    and the fields that differ; the file is read by the import's rules (ods_import.preview_import)."""
    p = preview_import(session, path, sheet=sheet, progress=progress, cancelled=cancelled)
    matched = {r.coop_id for r in p.rows if r.coop_id}
    scope = sorted(p.kabkota_codes)
    missing = []
    if scope:
        q = (select(Cooperative.id, Cooperative.name, Cooperative.nik)
             .where(Cooperative.kabkota_code.in_(scope), Cooperative.status.in_(REGISTERED_STATUSES))
             .order_by(Cooperative.kabkota_code, Cooperative.name))
        missing = [(i, n, k or "") for i, n, k in session.execute(q) if i not in matched]
    return Reconciliation(
        str(path),
        only_in_ods=[(r.row, r.name) for r in p.rows if r.action == NEW],
        only_in_registry=missing,
        differing=[(r.row, r.coop_id or 0, r.name, r.changes) for r in p.rows if r.action == UPDATED
                   or (r.action == INVALID and r.changes)],
        invalid=[(r.row, r.name, "; ".join(i.reason for i in r.issues)) for r in p.rows if r.action == INVALID],
        scope=[dotted(c) for c in scope],
    )


def write_reconciliation(rec: Reconciliation, path: str | Path) -> None:
    with atomic_workbook(path, {"in_memory": True}) as wb:
        head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
        title = wb.add_format({"bold": True, "font_size": 14})
        ws = wb.add_worksheet("Ringkasan")
        ws.write(0, 0, "Rekonsiliasi ODS dengan registri", title)
        rows = [("Berkas ODS", Path(rec.path).name), ("Kab/Kota", ", ".join(rec.scope)),
                ("Dibuat", format_date(dt.date.today())), ("Hanya di ODS (belum ada di registri)", len(rec.only_in_ods)),
                ("Hanya di registri (tidak ada di ODS)", len(rec.only_in_registry)),
                ("Data berbeda", len(rec.differing)), ("Baris ODS tidak valid", len(rec.invalid))]
        for i, (k, v) in enumerate(rows, start=2):
            ws.write_string(i, 0, k)
            ws.write(i, 1, v)
        ws.set_column(0, 0, 40)
        ws.set_column(1, 1, 40)
        sheets = [
            ("Hanya di ODS", ["Baris ODS", "Nama Koperasi"], [list(x) for x in rec.only_in_ods]),
            ("Hanya di Registri", ["ID", "Nama Koperasi", "NIK"], [list(x) for x in rec.only_in_registry]),
            ("Berbeda", ["Baris ODS", "ID", "Nama Koperasi", "Kolom", "Di registri", "Di ODS"],
             [[r, i, n, c.label, c.old_text, c.new_text] for r, i, n, cs in rec.differing for c in cs]),
            ("Tidak Valid", ["Baris ODS", "Nama Koperasi", "Alasan"], [list(x) for x in rec.invalid]),
        ]
        for name, headers, data in sheets:
            s = wb.add_worksheet(name)
            s.write_row(0, 0, headers, head)
            for i, row in enumerate(data, start=1):
                s.write_row(i, 0, row)
            s.freeze_panes(1, 0)
            s.set_column(0, len(headers) - 1, 18)
            s.set_column(1 if name != "Berbeda" else 2, 1 if name != "Berbeda" else 2, 40)


# ---------------------------------------------------------------------------------------------------------------
# Consolidation


def office_workbook(session: Session, region_code: str, *, period: tuple[dt.date, dt.date] | None = None,
                    as_of: dt.date | None = None, progress: Progress = NO_PROGRESS,
                    cancelled: CancelCheck = NEVER_CANCELLED) -> OfficeWorkbook:
    """A kab/kota office's workbook for the province: metadata (office, region, date, figures), recap, registry (its
    rows stream from ``session``, which must stay open until they are written)."""
    region = require_region(session, region_code)
    rep = report_data.province_recap(session, region.code, period=period, as_of=as_of)
    total = rep.total
    assert total is not None
    meta: list[tuple[str, str | int]] = [
        ("Format", WORKBOOK_FORMAT), ("Instansi", rep.office), ("Kode Wilayah", dotted(region.code)),
        ("Nama Wilayah", region.name), ("Tanggal", (as_of or dt.date.today()).isoformat()),
        ("Periode Awal", period[0].isoformat() if period else ""),
        ("Periode Akhir", period[1].isoformat() if period else ""),
    ] + [(k, int(c.value or 0)) for k, c in zip(RECAP_KEYS, total.cells)]
    registry = ods_export.registry_sheet(session, RegistryFilter(region_code=region.code), progress=progress,
                                         cancelled=cancelled)
    return OfficeWorkbook(tuple(meta), rep, registry)


def export_office_workbook(session: Session, region_code: str, path: str | Path, *, write: OfficeWorkbookWriter,
                           period: tuple[dt.date, dt.date] | None = None, as_of: dt.date | None = None,
                           progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> None:
    """A kab/kota office's workbook for the province (:func:`office_workbook`) to ``path``, written whole or not at
    all by ``write`` (kopdesk.reports.excel.registry.write_office_workbook)."""
    write(office_workbook(session, region_code, period=period, as_of=as_of, progress=progress, cancelled=cancelled),
          path)


@dataclass
class OfficeFigures:
    path: str
    office: str
    region_code: str
    region_name: str
    date: dt.date | None
    figures: dict[str, int] = field(default_factory=dict)


def read_office_workbook(path: str | Path) -> OfficeFigures:
    """The metadata and figures of a kab/kota workbook made by :func:`export_office_workbook`."""
    try:
        _sheet, rows, _m = read_sheet(path, "Metadata")
    except ImportFileError:
        raise
    except Exception:
        raise ImportFileError(f"{Path(path).name}: bukan buku kerja konsolidasi KopDesk (lembar Metadata tidak ada).") from None
    # The same reading rules as the import (ods_import.read_sheet, normalize): counts as numbers or "1.234".
    meta = {rules.text(r[0]) or "": (r[1] if len(r) > 1 else None) for r in rows if r and r[0] is not None}
    if rules.text(meta.get("Format")) != WORKBOOK_FORMAT:
        raise ImportFileError(f"{Path(path).name}: bukan buku kerja konsolidasi KopDesk (Format: "
                              f"{as_written(meta.get('Format')) or 'kosong'}).")
    figures = {}
    for k in RECAP_KEYS:
        try:
            figures[k] = rules.count(meta.get(k)) or 0
        except rules.Refused as exc:
            raise ImportFileError(f"{Path(path).name}: angka «{k}» tidak valid: {exc}") from None
    try:
        date = rules.date(meta.get("Tanggal"))
    except rules.Refused:
        date = None
    return OfficeFigures(str(path), str(meta.get("Instansi") or ""), undotted(str(meta.get("Kode Wilayah") or "")),
                         str(meta.get("Nama Wilayah") or ""), date, figures)


def consolidate(session: Session, paths: list[str | Path], *, province_code: str | None = None) -> report_data.Report:
    """The province recap built from the kab/kota workbooks (a kab/kota that sent nothing shows as zero and is
    named in the parameters)."""
    offices = [read_office_workbook(p) for p in paths]
    if not offices:
        raise ImportFileError("Tidak ada buku kerja yang dipilih.")
    provinces = {o.region_code[:2] for o in offices}
    if province_code is None:
        if len(provinces) != 1:
            raise ImportFileError("Buku kerja berasal dari lebih dari satu provinsi: " + ", ".join(sorted(provinces)))
        province_code = provinces.pop()
    province = require_region(session, province_code)
    by_code: dict[str, OfficeFigures] = {}
    for o in offices:
        if len(o.region_code) != 4 or o.region_code[:2] != province.code:
            raise ImportFileError(f"{Path(o.path).name}: wilayah {dotted(o.region_code)} bukan kabupaten/kota "
                                  f"di {province.name}.")
        if o.region_code in by_code:
            raise ImportFileError(f"Dua buku kerja untuk {o.region_name}: {Path(by_code[o.region_code].path).name} "
                                  f"dan {Path(o.path).name}.")
        by_code[o.region_code] = o
    children = list(session.scalars(select(Region).where(Region.parent_code == province.code).order_by(Region.code)))
    rows = []
    sums = [0] * 5
    missing = []
    for i, child in enumerate(children, start=1):
        o = by_code.get(child.code)
        values = [o.figures[k] for k in RECAP_KEYS] if o else [0] * 5
        if o is None:
            missing.append(child.name)
        sums = [a + b for a, b in zip(sums, values)]
        cells = [report_data.Cell(v) for v in values] + [report_data.Cell(percent(values[3], values[0]))]
        rows.append(report_data.ReportRow(i, report_data._short_name(child), cells, child.code))
    total = report_data.ReportRow(None, f"{province.name}/Total",
                                  [report_data.Cell(v) for v in sums] + [report_data.Cell(percent(sums[3], sums[0]))],
                                  province.code, True)
    dates = sorted(o.date for o in offices if o.date)
    params = {"Sumber": "Buku kerja kab/kota: " + ", ".join(f"{o.region_name} ({format_date(o.date)})" for o in offices),
              "Belum mengirim": ", ".join(missing) or "-"}
    rep = report_data._finish(session, "province-recap", f"Capaian Koperasi {province.name}", province, "Kab/Kota",
                              report_data.RECAP_COLUMNS, rows, total,
                              f"Posisi per {format_date(dates[-1])}" if dates else "", params)
    rep.source = "Konsolidasi buku kerja kab/kota (KopDesk)"
    return rep
