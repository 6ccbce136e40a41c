"""Shared PDF layout: the fonts kopdesk ships, the official letterhead (kop surat) and the signature block.

Every PDF of kopdesk embeds the Liberation fonts from resources/fonts, so it looks the same on every PC, and
never falls back to a non-embedded Helvetica (toolchain.md §5).
"""

from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from kopdesk.models.documents.letterhead import Letterhead, Signatory
from kopdesk.paths import resource

__all__ = ["Letterhead", "Signatory", "draw_letterhead", "draw_signature", "new_canvas", "register_fonts"]

SANS, SANS_BOLD, SANS_ITALIC = "KopSans", "KopSans-Bold", "KopSans-Italic"
SERIF, SERIF_BOLD, SERIF_ITALIC = "KopSerif", "KopSerif-Bold", "KopSerif-Italic"
_FILES = {
    SANS: "LiberationSans-Regular.ttf", SANS_BOLD: "LiberationSans-Bold.ttf",
    SANS_ITALIC: "LiberationSans-Italic.ttf", "KopSans-BoldItalic": "LiberationSans-BoldItalic.ttf",
    SERIF: "LiberationSerif-Regular.ttf", SERIF_BOLD: "LiberationSerif-Bold.ttf",
    SERIF_ITALIC: "LiberationSerif-Italic.ttf", "KopSerif-BoldItalic": "LiberationSerif-BoldItalic.ttf",
}
_registered = False


def register_fonts() -> None:
    """Register the shipped fonts with reportlab once, and make them the default of drawings."""
    global _registered
    if _registered:
        return
    for name, file in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource("fonts", file))))
    from reportlab.lib.fonts import addMapping

    addMapping(SANS, 0, 0, SANS)
    addMapping(SANS, 1, 0, SANS_BOLD)
    addMapping(SANS, 0, 1, SANS_ITALIC)
    addMapping(SANS, 1, 1, "KopSans-BoldItalic")
    addMapping(SERIF, 0, 0, SERIF)
    addMapping(SERIF, 1, 0, SERIF_BOLD)
    addMapping(SERIF, 0, 1, SERIF_ITALIC)
    addMapping(SERIF, 1, 1, "KopSerif-BoldItalic")
    from reportlab.graphics import shapes

    shapes.STATE_DEFAULTS["fontName"] = SANS
    _registered = True


def new_canvas(target: str | io.BytesIO, *, pagesize: tuple[float, float], title: str = "", author: str = "") -> Canvas:
    """A canvas whose initial font is an embedded one (no stray Helvetica)."""
    register_fonts()
    c = Canvas(target, pagesize=pagesize, initialFontName=SANS, initialFontSize=11, pageCompression=1)
    c.setTitle(title)
    c.setAuthor(author)
    c.setCreator("KopDesk")
    return c


def draw_letterhead(c: Canvas, head: Letterhead, *, page_width: float, top: float, left: float = 20 * mm,
                    right: float = 20 * mm) -> float:
    """Draw the letterhead: logo on the left, centred capitals, address line, a thick-over-thin double rule.

    Returns:
        The y coordinate just below the double rule.
    """
    from reportlab.lib.utils import ImageReader

    register_fonts()
    logo_size = 24 * mm
    centre = left + logo_size + (page_width - right - left - logo_size) / 2
    if head.logo:
        try:
            c.drawImage(ImageReader(io.BytesIO(head.logo)), left, top - logo_size, logo_size, logo_size,
                        preserveAspectRatio=True, mask="auto")
        except Exception:  # a broken logo must not stop a letter
            pass
    y = top - 6 * mm
    c.setFont(SANS_BOLD, 14)
    c.drawCentredString(centre, y, head.government.upper())
    y -= 6.5 * mm
    office = head.office.upper()
    size = 15.0
    while size > 10 and c.stringWidth(office, SANS_BOLD, size) > page_width - left - right - logo_size - 4 * mm:
        size -= 0.5
    c.setFont(SANS_BOLD, size)
    c.drawCentredString(centre, y, office)
    c.setFont(SANS, 9)
    for line in (head.address, head.contact):
        if line:
            y -= 4.6 * mm
            c.drawCentredString(centre, y, line)
    y = min(y, top - logo_size) - 3 * mm
    c.setLineWidth(2.2)
    c.line(left, y, page_width - right, y)
    c.setLineWidth(0.6)
    c.line(left, y - 1.4 * mm, page_width - right, y - 1.4 * mm)
    return y - 1.4 * mm


def draw_signature(c: Canvas, sig: Signatory, *, x: float, y: float, place_date: str = "",
                   width: float = 80 * mm, gap: float = 22 * mm, font_size: float = 11) -> float:
    """Draw the signature block starting at (x, y) downwards; returns the y below it."""
    register_fonts()
    from reportlab.lib.utils import simpleSplit

    line = font_size * 1.35
    if place_date:
        c.setFont(SANS, font_size)
        c.drawString(x, y, place_date)
        y -= line
    c.setFont(SANS_BOLD, font_size)
    for part in simpleSplit(sig.title.upper() + ",", SANS_BOLD, font_size, width):
        c.drawString(x, y, part)
        y -= line
    y -= gap
    c.setFont(SANS_BOLD, font_size)
    c.drawString(x, y, sig.name)
    c.setLineWidth(0.6)
    c.line(x, y - 1.2, x + c.stringWidth(sig.name, SANS_BOLD, font_size), y - 1.2)
    y -= line
    c.setFont(SANS, font_size)
    if sig.rank:
        c.drawString(x, y, sig.rank)
        y -= line
    if sig.nip:
        c.drawString(x, y, f"NIP. {format_nip(sig.nip)}")
        y -= line
    return y


def format_nip(nip: str) -> str:
    """An 18-digit NIP in its usual groups: 19700101 199503 1 001."""
    d = "".join(ch for ch in nip if ch.isdigit())
    if len(d) != 18:
        return nip
    return f"{d[:8]} {d[8:14]} {d[14]} {d[15:]}"
