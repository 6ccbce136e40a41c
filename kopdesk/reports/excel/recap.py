"""A report (kopdesk.models.documents.recap, built by kopdesk.models.services.reporting.report_data) as an Excel
workbook (xlsxwriter): a styled header, frozen panes, number formats, column widths, and a Parameter sheet."""

from __future__ import annotations

import io
from pathlib import Path

import xlsxwriter

from kopdesk.models.documents.recap import PERCENT, Report

SHEET_NAMES = {"province-recap": "Rekap", "by-jenis": "Jenis", "by-region": "Wilayah", "rat": "RAT", "rat-trend": "Tren RAT",
               "predikat": "Predikat", "pemutakhiran": "Pemutakhiran"}


def write_xlsx(report: Report, target: str | Path | io.BytesIO) -> None:
    """Write ``report`` to an .xlsx file (or buffer): the report sheet, then the Parameter sheet."""
    from kopdesk.models.fileio import atomic_workbook

    book = (xlsxwriter.Workbook(target, {"in_memory": True}) if isinstance(target, io.BytesIO)
            else atomic_workbook(target, {"in_memory": True}))
    with book as wb:
        add_report_sheet(wb, report)
        add_parameter_sheet(wb, report.parameters | {"Periode": report.period_text, "Instansi": report.office})


def add_report_sheet(wb: xlsxwriter.Workbook, report: Report, name: str | None = None):  # type: ignore[no-untyped-def]
    ws = wb.add_worksheet(name or SHEET_NAMES.get(report.key, "Laporan"))
    title = wb.add_format({"bold": True, "font_size": 14})
    sub = wb.add_format({"italic": True})
    head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1, "align": "center", "valign": "vcenter",
                          "text_wrap": True})
    text = wb.add_format({"border": 1})
    num = wb.add_format({"border": 1, "num_format": "#,##0"})
    pct = wb.add_format({"border": 1, "num_format": "0.00"})
    ttext = wb.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2"})
    tnum = wb.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "#,##0"})
    tpct = wb.add_format({"border": 1, "bold": True, "bg_color": "#F2F2F2", "num_format": "0.00"})
    ws.write(0, 0, report.title, title)
    ws.write(1, 0, report.period_text + (f" — {report.office}" if report.office else ""), sub)
    header_row = 3
    ws.write_row(header_row, 0, ["No", report.row_header, *[c.label for c in report.columns]], head)
    ws.set_row(header_row, 30)
    r = header_row + 1
    for row in report.all_rows():
        tf, nf, pf = (ttext, tnum, tpct) if row.is_total else (text, num, pct)
        ws.write(r, 0, row.no if row.no else "", tf)
        ws.write_string(r, 1, row.label, tf)
        for i, (cell, col) in enumerate(zip(row.cells, report.columns), start=2):
            if cell.value is None:
                ws.write_blank(r, i, None, pf if col.kind == PERCENT else nf)
            elif col.kind == PERCENT:
                ws.write_number(r, i, float(cell.value), pf)
            else:
                ws.write_number(r, i, int(cell.value), nf)
        r += 1
    ws.write(r + 1, 0, f"Sumber: {report.source}", sub)
    ws.freeze_panes(header_row + 1, 2)
    ws.set_column(0, 0, 5)
    ws.set_column(1, 1, max(18, min(45, max((len(x.label) for x in report.all_rows()), default=10) + 2)))
    ws.set_column(2, 1 + len(report.columns), 14)
    ws.set_landscape()
    ws.set_paper(9)
    ws.fit_to_pages(1, 0)
    ws.repeat_rows(header_row)
    return ws


def add_parameter_sheet(wb: xlsxwriter.Workbook, params: dict[str, str]) -> None:
    ws = wb.add_worksheet("Parameter")
    bold = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
    cell = wb.add_format({"border": 1})
    ws.write_row(0, 0, ["Parameter", "Nilai"], bold)
    for i, (k, v) in enumerate(params.items(), start=1):
        ws.write_string(i, 0, str(k), cell)
        ws.write_string(i, 1, str(v or ""), cell)
    ws.set_column(0, 0, 24)
    ws.set_column(1, 1, 60)
    ws.freeze_panes(1, 0)
