"""The registry to Excel: a RegistryFilter selection in the ODS layout (so it can be imported back, here or
upward), the consolidation workbook of an office, and the reconciliation report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from kopdesk import __version__
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.fileio import atomic_workbook
from kopdesk.models.formats import format_date
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.queries import RegistryFilter, count, where_clauses
from kopdesk.models.region import Region, dotted
from kopdesk.models.services.exchange.ods_import import ODS_COLUMNS
from kopdesk.models.vocab import FORM, JENIS, NIK_STATUS, POLA, STATUS

DATE_FIELDS = {"legal_date", "nik_certified_on", "certificate_valid_until"}
NUMBER_FIELDS = {"members_male", "members_female", "managers", "employees", "own_capital", "external_capital",
                 "assets", "business_volume", "shu", "figures_year"}
LABELLED = {"jenis": JENIS, "pola": POLA, "status": STATUS, "nik_status": NIK_STATUS, "form": FORM}
WORKBOOK_FORMAT = "kopdesk-konsolidasi/1"


def _query(session: Session, f: RegistryFilter):  # type: ignore[no-untyped-def]
    c = Cooperative
    prov, kab = Region.__table__.alias("prov"), Region.__table__.alias("kab")
    kec, kel = Region.__table__.alias("kec"), Region.__table__.alias("kel")
    cols: list[Any] = []
    for field, _h, _a in ODS_COLUMNS:
        if field == "province":
            cols.append(prov.c.name)
        elif field == "kabkota":
            cols.append(kab.c.name)
        elif field == "kecamatan":
            cols.append(kec.c.name)
        elif field == "kelurahan":
            cols.append(kel.c.name)
        elif field == "region_code":
            cols.append(c.kelurahan_code)
        elif field == "kelompok_id":
            cols.append(Kelompok.name)
        elif field == "sector_id":
            cols.append(Sector.name)
        else:
            cols.append(getattr(c, field))
    cols += [c.kecamatan_code, c.kabkota_code]
    return (select(*cols)
            .outerjoin(prov, prov.c.code == c.province_code).outerjoin(kab, kab.c.code == c.kabkota_code)
            .outerjoin(kec, kec.c.code == c.kecamatan_code).outerjoin(kel, kel.c.code == c.kelurahan_code)
            .outerjoin(Kelompok, Kelompok.id == c.kelompok_id).outerjoin(Sector, Sector.id == c.sector_id)
            .where(and_(*where_clauses(session, f))).order_by(c.kabkota_code, c.name, c.id))


def write_registry_sheet(wb: xlsxwriter.Workbook, session: Session, f: RegistryFilter, *, name: str = "Registri",
                         progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    ws = wb.add_worksheet(name)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True, "valign": "vcenter"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    num_fmt = wb.add_format({"num_format": "#,##0"})
    text_fmt = wb.add_format({"num_format": "@"})
    headers = ["No", *[h for _f, h, _a in ODS_COLUMNS]]
    ws.write_row(0, 0, headers, head)
    ws.freeze_panes(1, 2)
    widths = {"name": 40, "address": 40, "legal_number": 24, "kabkota": 20, "kecamatan": 20, "kelurahan": 20}
    for j, (field, h, _a) in enumerate(ODS_COLUMNS, start=1):
        ws.set_column(j, j, widths.get(field, max(12, len(h) + 2)))
    ws.set_column(0, 0, 6)
    total = count(session, f)
    check(cancelled)
    progress(0, total, "Mengekspor registri…")
    r = 0
    fields = [fl for fl, _h, _a in ODS_COLUMNS]
    for row in session.execute(_query(session, f).execution_options(yield_per=5000)):
        r += 1
        if r % 5000 == 0:
            check(cancelled)
            progress(r, total, "Mengekspor registri…")
        ws.write_number(r, 0, r)
        kec_code, kab_code = row[-2], row[-1]
        for j, field in enumerate(fields, start=1):
            v = row[j - 1]
            if field == "region_code":
                v = dotted(v or kec_code or kab_code)
            if v is None or v == "":
                continue
            if field in DATE_FIELDS:
                ws.write_datetime(r, j, dt.datetime(v.year, v.month, v.day), date_fmt)
            elif field in NUMBER_FIELDS:
                ws.write_number(r, j, v, num_fmt)
            elif field in LABELLED:
                ws.write_string(r, j, LABELLED[field].get(v, v))
            elif field in ("nik", "nib", "npwp"):
                ws.write_string(r, j, str(v), text_fmt)
            else:
                ws.write_string(r, j, str(v))
    ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
    progress(r, total, "Selesai")
    return r


def export_registry(session: Session, f: RegistryFilter, path: str | Path, progress: Progress = NO_PROGRESS,
                    cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    """The cooperatives of a registry filter to an .xlsx file in the ODS layout; returns the number of rows.

    The file is written beside the target and renamed at the end, so a cancel leaves no half-written workbook.
    """
    with atomic_workbook(path, {"constant_memory": True}) as wb:
        n = write_registry_sheet(wb, session, f, progress=progress, cancelled=cancelled)
        params = wb.add_worksheet("Parameter")
        items = {"Laporan": "Ekspor registri koperasi (tata letak ODS)", "Jumlah baris": str(n),
                 "Wilayah": dotted(f.region_code) if f.region_code else "semua", "Pencarian": f.text or "-",
                 "Status": ", ".join(STATUS.get(s, s) for s in f.statuses) or "terdaftar (tanpa yang dibubarkan)",
                 "Jenis": ", ".join(JENIS.get(j, j) for j in f.jenis) or "semua",
                 "Dibuat": format_date(dt.date.today()), "Aplikasi": f"KopDesk {__version__}"}
        for i, (k, v) in enumerate(items.items()):
            params.write_string(i, 0, k)
            params.write_string(i, 1, v)
        params.set_column(0, 0, 20)
        params.set_column(1, 1, 60)
    return n


def write_input_template(session: Session, path: str | Path, region_code: str | None = None, *, rows: int = 2000) -> None:
    """An input workbook an office sends to cooperatives and imports back: the ODS headers, drop-down lists for the
    coded fields (jenis, pola, bentuk, status, status NIK, kelompok, sektor, kab/kota, kecamatan of the region) and
    data validation for dates and numbers."""
    from kopdesk.models.region import undotted

    code = undotted(region_code) if region_code else None
    lists: dict[str, list[str]] = {
        "jenis": list(JENIS.values()), "pola": list(POLA.values()), "form": list(FORM.values()),
        "status": list(STATUS.values())[:4], "nik_status": list(NIK_STATUS.values()),
        "kelompok_id": list(session.scalars(select(Kelompok.name).where(Kelompok.active.is_(True)).order_by(Kelompok.sort_order))),
        "sector_id": list(session.scalars(select(Sector.name).order_by(Sector.name))),
    }
    if code:
        level = len(code)
        kab_parent = code[:2]
        lists["kabkota"] = list(session.scalars(select(Region.name).where(
            Region.code == code if level == 4 else Region.parent_code == kab_parent).order_by(Region.code)))
        if level >= 4:
            lists["kecamatan"] = list(session.scalars(select(Region.name).where(
                Region.parent_code == code[:4]).order_by(Region.code)))
    with atomic_workbook(path, {"in_memory": True}) as wb:
        head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True})
        note = wb.add_format({"italic": True, "font_color": "#555555"})
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        text_fmt = wb.add_format({"num_format": "@"})
        ws = wb.add_worksheet("Data")
        lst = wb.add_worksheet("Daftar")
        fields = [f for f, _h, _a in ODS_COLUMNS if f not in ("region_code", "province")]
        headers = [h for f, h, _a in ODS_COLUMNS if f in fields]
        ws.write_row(0, 0, headers, head)
        ws.freeze_panes(1, 2)
        for col, f in enumerate(fields):
            ws.set_column(col, col, 40 if f in ("name", "address") else 18,
                          date_fmt if f in DATE_FIELDS else text_fmt if f in ("nik", "nib", "npwp", "legal_number") else None)
            if lists.get(f):
                j = list(lists).index(f)
                lst.write(0, j, HEADERS_BY_FIELD.get(f, f))
                lst.write_column(1, j, lists[f])
                ref = f"=Daftar!${_col(j)}$2:${_col(j)}${len(lists[f]) + 1}"
                ws.data_validation(1, col, rows, col, {"validate": "list", "source": ref,
                                                       "error_title": "Isian tidak ada dalam daftar",
                                                       "error_message": "Pilih dari daftar."})
            elif f in DATE_FIELDS:
                ws.data_validation(1, col, rows, col, {
                    "validate": "date", "criteria": "between", "minimum": dt.date(1900, 1, 1),
                    "maximum": dt.date.today() if f != "certificate_valid_until" else dt.date(2100, 12, 31),
                    "error_title": "Tanggal tidak valid",
                    "error_message": "Isi tanggal (dd/mm/yyyy), tidak di masa depan."})
            elif f in NUMBER_FIELDS:
                ws.data_validation(1, col, rows, col, {
                    "validate": "integer", "criteria": ">=", "value": -10**15 if f == "shu" else 0,
                    "error_title": "Angka tidak valid", "error_message": "Isi angka bulat (tanpa titik)."})
        lst.hide()
        guide = wb.add_worksheet("Petunjuk")
        guide.write(0, 0, "Isi satu koperasi per baris di lembar Data. Kolom berdaftar memakai pilihan dari daftar; "
                          "tanggal dd/mm/yyyy; angka bulat tanpa pemisah. Kirim kembali berkas ini ke Dinas.", note)


HEADERS_BY_FIELD = {f: h for f, h, _a in ODS_COLUMNS}


def _col(j: int) -> str:
    from kopdesk.models.services.exchange.ods_import import column_letter

    return column_letter(j + 1)
