"""A report (kopdesk.models.documents.recap, built by kopdesk.models.services.reporting.report_data) as a landscape
PDF table: title, period, office, signatory."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from kopdesk.models.documents.recap import PERCENT, Report
from kopdesk.models.formats import format_date
from kopdesk.reports.pdf._layout import SANS, SANS_BOLD, format_nip, register_fonts


def write_pdf(report: Report, target: str | Path | io.BytesIO, *, today: dt.date | None = None) -> None:
    """Write ``report`` as a landscape A4 PDF to a path or a buffer."""
    register_fonts()
    today = today or dt.date.today()
    title_style = ParagraphStyle("t", fontName=SANS_BOLD, fontSize=14, leading=18, alignment=TA_CENTER)
    sub_style = ParagraphStyle("s", fontName=SANS, fontSize=11, leading=14, alignment=TA_CENTER)
    cell_style = ParagraphStyle("c", fontName=SANS, fontSize=9.5, leading=11.5)
    small = ParagraphStyle("n", fontName=SANS, fontSize=8.5, leading=11)
    sig_style = ParagraphStyle("g", fontName=SANS, fontSize=10.5, leading=13.5)
    sig_bold = ParagraphStyle("gb", parent=sig_style, fontName=SANS_BOLD)

    story: list = [Paragraph(_esc(report.title), title_style)]
    for line in (report.period_text, report.office):
        if line:
            story.append(Paragraph(_esc(line), sub_style))
    story.append(Spacer(1, 5 * mm))

    table = report.table()
    data = [table[0]] + [[row[0], Paragraph(_esc(row[1]), cell_style) if len(row[1]) > 40 else row[1], *row[2:]]
                         for row in table[1:]]
    width = landscape(A4)[0] - 30 * mm
    ncols = len(report.columns)
    label_w = min(75 * mm, width * 0.32)
    num_w = (width - 12 * mm - label_w) / max(ncols, 1)
    t = Table(data, colWidths=[12 * mm, label_w, *([num_w] * ncols)], repeatRows=1)
    style = [
        ("FONT", (0, 0), (-1, -1), SANS, 9.5),
        ("FONT", (0, 0), (-1, 0), SANS_BOLD, 9.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#D9E2F3")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("ALIGN", (0, 1), (0, -1), "CENTER"),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]
    if report.total is not None:
        style += [("FONT", (0, -1), (-1, -1), SANS_BOLD, 9.5), ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#F2F2F2"))]
    t.setStyle(TableStyle(style))
    story.append(t)
    story.append(Spacer(1, 2 * mm))
    notes = [f"Sumber: {report.source}, diolah {format_date(today)}."]
    if any(c.kind == PERCENT and c.label == "Presentase" for c in report.columns):
        notes.append("Presentase = Bersertifikat NIK ÷ Aktif × 100. Progres = sertifikat NIK yang terbit dalam periode.")
    for n in notes:
        story.append(Paragraph(_esc(n), small))

    sig = report.signatory
    if sig.get("name") or sig.get("title"):
        place = f"{sig.get('city') or ''}, {format_date(today)}".lstrip(", ")
        block = [Paragraph(_esc(place), sig_style), Paragraph(_esc((sig.get("title") or "").upper() + ","), sig_bold),
                 Spacer(1, 18 * mm), Paragraph(f"<u>{_esc(sig.get('name') or '')}</u>", sig_bold)]
        if sig.get("rank"):
            block.append(Paragraph(_esc(sig["rank"]), sig_style))
        if sig.get("nip"):
            block.append(Paragraph(_esc("NIP. " + format_nip(sig["nip"])), sig_style))
        outer = Table([["", block]], colWidths=[width - 90 * mm, 90 * mm])
        outer.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        story.append(Spacer(1, 6 * mm))
        story.append(KeepTogether(outer))

    chart = bar_chart(report, width)  # after the signature, so the table and the signature stay on one page
    if chart is not None:
        story.append(Spacer(1, 6 * mm))
        story.append(KeepTogether([Paragraph(_esc("Grafik: " + chart[0]),
                                             ParagraphStyle("h", fontName=SANS_BOLD, fontSize=10)), chart[1]]))

    def footer(canvas, doc):  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(SANS, 8)
        canvas.drawRightString(landscape(A4)[0] - 15 * mm, 8 * mm, f"Halaman {doc.page}")
        canvas.drawString(15 * mm, 8 * mm, report.title)
        canvas.restoreState()

    out = target if isinstance(target, io.BytesIO) else io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4),
                            leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm, bottomMargin=15 * mm,
                            title=report.title, author=report.office or "KopDesk", creator="KopDesk",
                            initialFontName=SANS)
    doc.build(story, onFirstPage=footer, onLaterPages=footer)
    if out is not target:  # a path: the file appears whole or not at all
        from kopdesk.models.fileio import write_bytes

        write_bytes(target, out.getvalue())  # type: ignore[arg-type]


CHART_SERIES = {"province-recap": (0, 1), "by-jenis": (0, 1), "by-region": (0, 1), "rat": (1, 2), "rat-trend": (0, 1),
                 "pemutakhiran": (2, 3)}


def bar_chart(report: Report, width: float):  # type: ignore[no-untyped-def]
    """A grouped bar chart of the report's rows (no total), for the reports where a picture helps: (title, drawing)."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart
    from reportlab.graphics.charts.legends import Legend
    from reportlab.graphics.shapes import Drawing

    cols = CHART_SERIES.get(report.key)
    rows = [r for r in report.rows if any(r.cells[i].value for i in cols or ())]
    if not cols or not rows or len(rows) > 40:
        return None
    height = 55 * mm
    d = Drawing(width, height + 14 * mm)
    ch = VerticalBarChart()
    ch.x, ch.y, ch.width, ch.height = 12 * mm, 12 * mm, width - 60 * mm, height
    ch.data = [[int(r.cells[i].value or 0) for r in rows] for i in cols]
    ch.categoryAxis.categoryNames = [r.label[:18] for r in rows]
    ch.categoryAxis.labels.fontName = SANS
    ch.categoryAxis.labels.fontSize = 7
    ch.categoryAxis.labels.angle = 20 if len(rows) > 6 else 0
    ch.categoryAxis.labels.boxAnchor = "ne" if len(rows) > 6 else "n"
    ch.valueAxis.labels.fontName = SANS
    ch.valueAxis.labels.fontSize = 7
    ch.valueAxis.valueMin = 0
    palette = [colors.HexColor("#2E75B6"), colors.HexColor("#C55A11")]
    for i in range(len(cols)):
        ch.bars[i].fillColor = palette[i]
        ch.bars[i].strokeColor = None
    d.add(ch)
    legend = Legend()
    legend.x, legend.y = width - 44 * mm, height
    legend.fontName = SANS
    legend.fontSize = 8
    legend.colorNamePairs = [(palette[k], report.columns[i].label) for k, i in enumerate(cols)]
    d.add(legend)
    title = " dan ".join(report.columns[i].label for i in cols) + " per " + report.row_header.lower()
    return title, d


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
