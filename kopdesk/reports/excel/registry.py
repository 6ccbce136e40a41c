"""The registry's workbooks (kopdesk.models.documents.workbooks) to .xlsx: the export in the ODS layout, the input
template with its drop-down lists and checks, and a kab/kota office's workbook for the province.

Every file is written beside its target and renamed at the end, so a failure or a cancel leaves no half-written
workbook. The export streams its rows (constant memory).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from kopdesk.models.documents.workbooks import (
    CODE,
    DATE,
    NUMBER,
    InputTemplate,
    OfficeWorkbook,
    RegistryExport,
    RegistrySheet,
)
from kopdesk.models.fileio import atomic_workbook
from kopdesk.reports.excel.recap import add_report_sheet

WIDTHS = {"name": 40, "address": 40, "legal_number": 24, "kabkota": 20, "kecamatan": 20, "kelurahan": 20}
_DATE, _NUMBER, _CODE, _TEXT = 0, 1, 2, 3


def write_registry_sheet(wb: xlsxwriter.Workbook, sheet: RegistrySheet, *, name: str = "Registri") -> int:
    """Add a sheet of ``sheet``'s rows (numbered, header frozen, autofilter) to ``wb``; returns the rows written."""
    ws = wb.add_worksheet(name)
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True, "valign": "vcenter"})
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    num_fmt = wb.add_format({"num_format": "#,##0"})
    text_fmt = wb.add_format({"num_format": "@"})
    headers = ["No", *[c.header for c in sheet.columns]]
    ws.write_row(0, 0, headers, head)
    ws.freeze_panes(1, 2)
    for j, col in enumerate(sheet.columns, start=1):
        ws.set_column(j, j, WIDTHS.get(col.field, max(12, len(col.header) + 2)))
    ws.set_column(0, 0, 6)
    kinds = [{DATE: _DATE, NUMBER: _NUMBER, CODE: _CODE}.get(c.kind, _TEXT) for c in sheet.columns]
    write_number, write_string, write_datetime = ws.write_number, ws.write_string, ws.write_datetime
    datetime = dt.datetime
    r = 0
    for batch in sheet.batches:
        for row in batch:
            r += 1
            write_number(r, 0, r)
            for j, v in enumerate(row, start=1):
                if v is None or v == "":
                    continue
                kind = kinds[j - 1]
                if kind == _TEXT:
                    write_string(r, j, str(v))
                elif kind == _DATE:
                    write_datetime(r, j, datetime(v.year, v.month, v.day), date_fmt)
                elif kind == _NUMBER:
                    write_number(r, j, v, num_fmt)
                else:
                    write_string(r, j, str(v), text_fmt)
    ws.autofilter(0, 0, max(r, 1), len(headers) - 1)
    return r


def write_registry_export(export: RegistryExport, path: str | Path) -> int:
    """The export to an .xlsx file: the Registri sheet, then the Parameter sheet; returns the number of rows."""
    with atomic_workbook(path, {"constant_memory": True}) as wb:
        n = write_registry_sheet(wb, export.sheet)
        params = wb.add_worksheet("Parameter")
        items = [("Laporan", export.title), ("Jumlah baris", str(n)), *export.parameters]
        for i, (k, v) in enumerate(items):
            params.write_string(i, 0, k)
            params.write_string(i, 1, v)
        params.set_column(0, 0, 20)
        params.set_column(1, 1, 60)
    return n


def write_office_workbook(book: OfficeWorkbook, path: str | Path) -> None:
    """A kab/kota office's workbook: the Metadata sheet, the recap (Rekap) and the registry (Registri)."""
    with atomic_workbook(path, {"in_memory": True}) as wb:
        ws = wb.add_worksheet("Metadata")
        bold = wb.add_format({"bold": True})
        for i, (k, v) in enumerate(book.metadata):
            ws.write_string(i, 0, k, bold)
            ws.write(i, 1, v)
        ws.set_column(0, 0, 20)
        ws.set_column(1, 1, 50)
        add_report_sheet(wb, book.recap, "Rekap")
        write_registry_sheet(wb, book.registry)


def write_input_template(template: InputTemplate, path: str | Path) -> None:
    """The input workbook: the Data sheet (one cooperative per row) with a drop-down list on every column that has
    choices (kept on the hidden Daftar sheet), date and number checks, and the Petunjuk sheet."""
    rows = template.rows
    with atomic_workbook(path, {"in_memory": True}) as wb:
        head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "text_wrap": True})
        note = wb.add_format({"italic": True, "font_color": "#555555"})
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        text_fmt = wb.add_format({"num_format": "@"})
        ws = wb.add_worksheet("Data")
        lst = wb.add_worksheet("Daftar")
        ws.write_row(0, 0, [c.header for c in template.columns], head)
        ws.freeze_panes(1, 2)
        lists = 0
        for col, c in enumerate(template.columns):
            ws.set_column(col, col, 40 if c.field in ("name", "address") else 18,
                          date_fmt if c.kind == DATE else text_fmt if c.kind == CODE else None)
            validation: dict[str, Any] | None = None
            if c.choices:
                name = xl_col_to_name(lists)
                lst.write(0, lists, c.header)
                lst.write_column(1, lists, c.choices)
                lists += 1
                validation = {"validate": "list", "source": f"=Daftar!${name}$2:${name}${len(c.choices) + 1}",
                              "error_title": "Isian tidak ada dalam daftar", "error_message": "Pilih dari daftar."}
            elif c.kind == DATE:
                validation = {"validate": "date", "criteria": "between", "minimum": c.minimum, "maximum": c.maximum,
                              "error_title": "Tanggal tidak valid",
                              "error_message": "Isi tanggal (dd/mm/yyyy), tidak di masa depan."}
            elif c.kind == NUMBER:
                validation = {"validate": "integer", "criteria": ">=", "value": c.minimum,
                              "error_title": "Angka tidak valid", "error_message": "Isi angka bulat (tanpa titik)."}
            if validation is not None:
                ws.data_validation(1, col, rows, col, validation)
        lst.hide()
        guide = wb.add_worksheet("Petunjuk")
        guide.write(0, 0, "Isi satu koperasi per baris di lembar Data. Kolom berdaftar memakai pilihan dari daftar; "
                          "tanggal dd/mm/yyyy; angka bulat tanpa pemisah. Kirim kembali berkas ini ke Dinas.", note)
