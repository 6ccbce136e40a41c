"""Shared pieces of the supervision PDFs: styles, the grid, and the document with the letterhead and the footer."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from kopdesk.models.fileio import write_bytes
from kopdesk.reports.pdf._layout import SANS, SANS_BOLD, Letterhead, draw_letterhead, register_fonts


def styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    return {
        "title": ParagraphStyle("title", fontName=SANS_BOLD, fontSize=13, leading=17, alignment=1, spaceAfter=2 * mm),
        "sub": ParagraphStyle("sub", fontName=SANS, fontSize=10, leading=13, alignment=1, spaceAfter=3 * mm),
        "body": ParagraphStyle("body", fontName=SANS, fontSize=10, leading=14, spaceAfter=2 * mm, alignment=4),
        "cell": ParagraphStyle("cell", fontName=SANS, fontSize=8, leading=10),
        "cellb": ParagraphStyle("cellb", fontName=SANS_BOLD, fontSize=8, leading=10),
    }


def canvasmaker() -> Any:
    """A canvas class for platypus whose initial font is the embedded one (no stray Helvetica)."""
    import functools

    from reportlab.pdfgen.canvas import Canvas

    register_fonts()
    return functools.partial(Canvas, initialFontName=SANS, initialFontSize=10, pageCompression=1)


def grid(data: list[list[Any]], widths: list[float], *, header_rows: int = 1, font_size: float = 8) -> Table:
    t = Table(data, colWidths=widths, repeatRows=header_rows)
    t.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), SANS, font_size),
        ("FONT", (0, 0), (-1, header_rows - 1), SANS_BOLD, font_size),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), colors.HexColor("#e6ecf5")),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]))
    return t


def build_document(path: str | Path, story: list[Any], *, head: Letterhead, pagesize: tuple[float, float],
                   margin: float, top: float, bottom: float, footer_y: float, title: str, footer_text: str) -> Path:
    """Lay ``story`` out with the letterhead on page one and ``footer_text · halaman N`` on every page, then write
    the PDF to ``path`` whole or not at all."""
    width, height = pagesize

    def footer(c: Any, doc: Any) -> None:
        c.setFont(SANS, 7)
        c.drawRightString(width - margin, footer_y, f"{footer_text} · halaman {doc.page}")

    def first(c: Any, doc: Any) -> None:
        draw_letterhead(c, head, page_width=width, top=height - top, left=margin, right=margin)
        footer(c, doc)

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=top,
                            bottomMargin=bottom, title=title, author="KopDesk", initialFontName=SANS,
                            initialFontSize=10)
    doc.build(story, onFirstPage=first, onLaterPages=footer, canvasmaker=canvasmaker())
    target = Path(path)
    write_bytes(target, out.getvalue())
    return target
