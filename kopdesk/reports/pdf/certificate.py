"""The certificate PDF: A4 landscape, framed, with the signed QR code, its check code and a Code128 of the NIK.

Fast in bulk (performance.md §3): the QR is encoded in C++ by zxing-cpp's creator (public API) and its modules
drawn as one path of run-length rectangles; the frame, ornaments, watermark and letterhead are drawn once per
document into a PDF form XObject and reused on every page.

Drawing only: the pages come as plain data (kopdesk.models.documents.certificates); issuing, the transaction and
the office profile are the service's (kopdesk.models.services.certificates.printing), which is handed
:func:`render_certificates`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from collections.abc import Sequence

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from kopdesk.models.documents.certificates import CertificateOffice, PrintData
from kopdesk.models.formats import format_date
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.reports.pdf._layout import (
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    SERIF_BOLD,
    SERIF_ITALIC,
    format_nip,
    new_canvas,
)

PAGE = landscape(A4)
W, H = PAGE
GREEN = HexColor("#0F4C3A")
GOLD = HexColor("#A8842C")
GOLD_LIGHT = HexColor("#D9C48E")
INK = HexColor("#1E1E1C")
GREY = HexColor("#5B5B57")
WATERMARK = HexColor("#E3ECE7")

TITLES = {
    "nik": ("SERTIFIKAT", "NOMOR INDUK KOPERASI"),
    "predikat": ("SERTIFIKAT", "PREDIKAT KESEHATAN KOPERASI"),
}
QR_SIZE = 34 * mm
FRAME_IN = 10 * mm + 5 * mm + 2.4 + 3  # the inner gold rule
SEAL_X, SEAL_Y = W / 2 + 92, 122
CODE128_BAR = 0.5 * mm  # decodes from a 100-dpi scan or a phone photo (performance.md §3)
CODE128_HEIGHT = 11 * mm
PREDIKAT_LABELS = {"sehat": "SEHAT", "cukup_sehat": "CUKUP SEHAT", "dalam_pengawasan": "DALAM PENGAWASAN",
                   "dalam_pengawasan_khusus": "DALAM PENGAWASAN KHUSUS"}


# --- QR ---------------------------------------------------------------------------------------------------------------

_DARK_RUNS = re.compile(rb"\x00+")


def qr_rows(text: str) -> list[bytes]:
    """The QR code of ``text``, one bytes object per row of modules: 0 is a dark module, 255 a light one.

    Error correction M and the smallest version that holds the text, without the quiet zone (the page around it
    is blank). A certificate's payload is Base45, all in the QR alphanumeric set, so it is encoded in that mode
    (11 bits per two characters). zxing-cpp's creator does it in C++ through its public API, about 2 ms a code.
    """
    import zxingcpp
    from PIL import Image

    barcode = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    image = Image.fromarray(barcode.to_image(scale=1, add_quiet_zones=False))  # 8-bit grey, one pixel a module
    raw, width = image.tobytes(), image.width
    return [raw[row * width:(row + 1) * width] for row in range(image.height)]


def draw_qr(c: Canvas, text: str, x: float, y: float, size: float) -> None:
    """Draw a QR code with its lower left corner at (x, y), ``size`` wide, as one filled path.

    Each row's dark runs become rectangles in module units (integers), under a transform that maps modules to
    points; writing the operators directly avoids reportlab's slow float formatting of ~1,200 rectangles.
    """
    rows = qr_rows(text)
    m = size / len(rows)
    ops = [f"{run.start()} {row} {run.end() - run.start()} 1 re"
           for row, cells in enumerate(rows) for run in _DARK_RUNS.finditer(cells)]
    c.saveState()
    c.transform(m, 0, 0, -m, x, y + size)  # module (col, row) → points, rows downwards
    c.setFillColor(HexColor("#000000"))
    c.addLiteral("\n".join(ops) + "\nf")  # f: non-zero winding fill of the whole path
    c.restoreState()


def draw_code128(c: Canvas, value: str, cx: float, y: float) -> float:
    """A Code128 of ``value`` centred on cx with its bars from y; returns its width."""
    from reportlab.graphics.barcode.code128 import Code128

    bc = Code128(value, barWidth=CODE128_BAR, barHeight=CODE128_HEIGHT, humanReadable=False, quiet=1,
                 lquiet=10 * CODE128_BAR, rquiet=10 * CODE128_BAR)
    bc.drawOn(c, cx - bc.width / 2, y)
    return float(bc.width)


# --- text helpers -------------------------------------------------------------------------------------------------

def _spaced(c: Canvas, text: str, cx: float, y: float, font: str, size: float, space: float,
            color: Color = INK) -> None:
    width = c.stringWidth(text, font, size) + space * (len(text) - 1)
    t = c.beginText(cx - width / 2, y)
    t.setFont(font, size)
    t.setCharSpace(space)
    t.setFillColor(color)
    t.textOut(text)
    t.setCharSpace(0)  # the canvas keeps the text object's spacing otherwise
    c.drawText(t)


def _fit(c: Canvas, text: str, font: str, size: float, width: float, minimum: float) -> float:
    while size > minimum and c.stringWidth(text, font, size) > width:
        size -= 0.5
    return size


# --- the static part, drawn once per document ---------------------------------------------------------------------------

def _rope(c: Canvas, x0: float, y0: float, x1: float, y1: float, amp: float, period: float, phase: float) -> None:
    length = math.hypot(x1 - x0, y1 - y0)
    ux, uy = (x1 - x0) / length, (y1 - y0) / length
    nx, ny = -uy, ux
    steps = max(2, int(length / 2.5))
    p = c.beginPath()
    for i in range(steps + 1):
        s = length * i / steps
        off = amp * math.sin(2 * math.pi * s / period + phase)
        px, py = x0 + ux * s + nx * off, y0 + uy * s + ny * off
        if i == 0:
            p.moveTo(px, py)
        else:
            p.lineTo(px, py)
    c.drawPath(p, stroke=1, fill=0)


def _rosette(c: Canvas, cx: float, cy: float, big_r: float, small_r: float, d: float, turns: int) -> None:
    """A spirograph (hypotrochoid) curve, the classic guilloche of banknotes and diplomas."""
    p = c.beginPath()
    steps = 2400
    for i in range(steps + 1):
        t = 2 * math.pi * turns * i / steps
        k = (big_r - small_r) / small_r
        x = cx + (big_r - small_r) * math.cos(t) + d * math.cos(k * t)
        y = cy + (big_r - small_r) * math.sin(t) - d * math.sin(k * t)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    c.drawPath(p, stroke=1, fill=0)


def _corner(c: Canvas, x: float, y: float, sx: int, sy: int) -> None:
    """An ornament in a corner: a gold diamond with two arcs, mirrored by (sx, sy)."""
    c.saveState()
    c.translate(x, y)
    c.scale(sx, sy)
    c.setStrokeColor(GOLD)
    c.setFillColor(GOLD)
    c.setLineWidth(0.8)
    p = c.beginPath()
    p.moveTo(0, 9)
    p.lineTo(9, 18)
    p.lineTo(18, 9)
    p.lineTo(9, 0)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFillColor(HexColor("#FFFFFF"))
    c.circle(9, 9, 2.6, stroke=0, fill=1)
    for r in (26, 33):
        c.arc(-r + 9, -r + 9, r + 9, r + 9, startAng=5, extent=80)
    c.line(24, 2, 60, 2)
    c.line(2, 24, 2, 60)
    c.restoreState()


def _seal(c: Canvas, cx: float, cy: float, r: float) -> None:
    """A gold medallion: scalloped rim, rings, text around and a star in the middle."""
    c.saveState()
    c.setFillColor(GOLD_LIGHT)
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.6)
    p = c.beginPath()
    points = 48
    for i in range(points * 2 + 1):
        a = math.pi * i / points
        rr = r if i % 2 == 0 else r * 0.93
        x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    p.close()
    c.drawPath(p, stroke=1, fill=1)
    c.setFillColor(HexColor("#FFFFFF"))
    c.circle(cx, cy, r * 0.84, stroke=1, fill=1)
    c.setLineWidth(0.4)
    c.circle(cx, cy, r * 0.80, stroke=1, fill=0)
    c.circle(cx, cy, r * 0.56, stroke=1, fill=0)
    # text around the ring
    text = "CETAKAN DINAS • TERTANDA DIGITAL • "
    c.setFillColor(GREEN)
    size = r * 0.15
    radius = r * 0.62
    step = 2 * math.pi / len(text)
    for i, ch in enumerate(text):
        a = math.pi / 2 - i * step
        c.saveState()
        c.translate(cx + radius * math.cos(a), cy + radius * math.sin(a))
        c.rotate(math.degrees(a) - 90)
        c.setFont(SANS_BOLD, size)
        c.drawCentredString(0, 0, ch)
        c.restoreState()
    # a five-pointed star
    c.setFillColor(GOLD)
    p = c.beginPath()
    for i in range(11):
        a = math.pi / 2 + i * math.pi / 5
        rr = r * 0.42 if i % 2 == 0 else r * 0.17
        x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
        if i == 0:
            p.moveTo(x, y)
        else:
            p.lineTo(x, y)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.restoreState()


def _static(c: Canvas, office: CertificateOffice) -> None:
    """Frame, guilloche band, corner ornaments, watermark and letterhead: one form XObject per document."""
    c.beginForm("certificate-static")
    # watermark rosette behind the text
    c.setStrokeColor(WATERMARK)
    c.setLineWidth(0.45)
    _rosette(c, W / 2, H / 2 - 20, 150, 41, 92, 41)
    # outer frame: green rule, guilloche band, gold rule
    o = 10 * mm
    c.setStrokeColor(GREEN)
    c.setLineWidth(2.4)
    c.rect(o, o, W - 2 * o, H - 2 * o, stroke=1, fill=0)
    band = 5 * mm
    c.setLineWidth(0.35)
    mid = o + band / 2 + 1.2
    for phase, color in ((0.0, GREEN), (math.pi, GOLD)):
        c.setStrokeColor(color)
        for (x0, y0, x1, y1) in ((mid, mid, W - mid, mid), (W - mid, mid, W - mid, H - mid),
                                 (W - mid, H - mid, mid, H - mid), (mid, H - mid, mid, mid)):
            _rope(c, x0, y0, x1, y1, band / 2 - 1.2, 9.0, phase)
    i = o + band + 2.4
    c.setStrokeColor(GREEN)
    c.setLineWidth(0.8)
    c.rect(i, i, W - 2 * i, H - 2 * i, stroke=1, fill=0)
    c.setStrokeColor(GOLD)
    c.setLineWidth(1.4)
    g = i + 3
    c.rect(g, g, W - 2 * g, H - 2 * g, stroke=1, fill=0)
    k = g + 4
    for (x, y, sx, sy) in ((k, k, 1, 1), (W - k, k, -1, 1), (k, H - k, 1, -1), (W - k, H - k, -1, -1)):
        _corner(c, x, y, sx, sy)
    # letterhead: logo, government, office, address
    head = office.letterhead
    top = H - g - 10
    if head.logo:
        try:
            from reportlab.lib.utils import ImageReader

            size = 17 * mm
            c.drawImage(ImageReader(io.BytesIO(head.logo)), W / 2 - size / 2, top - size, size, size,
                        preserveAspectRatio=True, mask="auto")
            top -= size + 4
        except Exception:  # a broken logo must not stop a certificate
            pass
    else:
        top -= 6
    if head.government:
        _spaced(c, head.government.upper(), W / 2, top - 10, SANS_BOLD, 10.5, 1.6, GREEN)
    name = head.office.upper()
    size = _fit(c, name, SERIF_BOLD, 14.5, W - 2 * g - 160, 9)
    c.setFont(SERIF_BOLD, size)
    c.setFillColor(GREEN)
    c.drawCentredString(W / 2, top - 27, name)
    line = " · ".join(x for x in (head.address, head.contact) if x)
    if line:
        c.setFont(SANS, 8)
        c.setFillColor(GREY)
        c.drawCentredString(W / 2, top - 39, line)
    # the gold rule with a diamond under the letterhead
    y = top - 48
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.9)
    c.line(W / 2 - 170, y, W / 2 - 9, y)
    c.line(W / 2 + 9, y, W / 2 + 170, y)
    c.setFillColor(GOLD)
    p = c.beginPath()
    p.moveTo(W / 2 - 6, y)
    p.lineTo(W / 2, y + 4)
    p.lineTo(W / 2 + 6, y)
    p.lineTo(W / 2, y - 4)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    _seal(c, SEAL_X, SEAL_Y, 36)
    # footer note: this is the office's own print, not the ministry's certificate (brief §1)
    c.setFont(SANS_ITALIC, 7)
    c.setFillColor(GREY)
    c.drawCentredString(W / 2, g + 9, "Cetakan Dinas — bukan sertifikat Kementerian. Keaslian dapat diperiksa dengan "
                                      "memindai kode QR di KopDesk (menu Verifikasi Sertifikat) atau memasukkan kode cek.")
    c.endForm()
    c._static_top = y  # where draw_page starts (reportlab's Canvas takes any attribute)


# --- one page ------------------------------------------------------------------------------------------------------

def _facts_lines(page: PrintData) -> list[tuple[str, str]]:
    f = page.facts
    legal = f.get("bh") or "–"
    if f.get("bd"):
        try:
            legal += f", tanggal {format_date(dt.date.fromisoformat(f['bd']))}"
        except ValueError:
            legal += f", tanggal {f['bd']}"
    lines = [("NIK Koperasi", f.get("n") or "–"), ("Badan Hukum", legal), ("Alamat", f.get("al") or "–"),
             ("Jenis / Pola", f.get("j") or "–")]
    if page.kind == "nik":
        lines.append(("Grade", f.get("g") or "–"))
    else:
        score = str(f.get("sc", "")).replace(".", ",")
        lines.append(("Penilaian", f"Tahun buku {f.get('th', '–')}, skor {score}"
                                   + (f", BA No. {f['ba']}" if f.get("ba") else "")))
    lines.append(("Berlaku sampai", format_date(page.valid_until) if page.valid_until else "–"))
    return lines


def draw_page(c: Canvas, page: PrintData, office: CertificateOffice) -> None:
    c.doForm("certificate-static")
    top = getattr(c, "_static_top", H - 120)
    title, subtitle = TITLES.get(page.kind, TITLES["nik"])
    _spaced(c, title, W / 2, top - 44, SERIF_BOLD, 38, 7, GREEN)
    _spaced(c, subtitle, W / 2, top - 64, SANS_BOLD, 12, 3, GOLD)
    c.setFont(SANS, 9.5)
    c.setFillColor(GREY)
    c.drawCentredString(W / 2, top - 80, f"Nomor Seri: {page.serial}")
    c.setFont(SERIF_ITALIC, 13)
    c.setFillColor(INK)
    c.drawCentredString(W / 2, top - 103, "diberikan kepada")

    name = str(page.facts.get("nm", ""))
    size = _fit(c, name, SERIF_BOLD, 26, 600, 17)
    lines = simpleSplit(name, SERIF_BOLD, size, 640) if c.stringWidth(name, SERIF_BOLD, size) > 600 else [name]
    y = top - 132
    c.setFillColor(INK)
    for part in lines[:2]:
        c.setFont(SERIF_BOLD, size)
        c.drawCentredString(W / 2, y, part)
        y -= size * 1.1
    y += size * 1.1 - 10
    c.setStrokeColor(GOLD)
    c.setLineWidth(0.7)
    c.line(W / 2 - 120, y, W / 2 + 120, y)

    if page.kind == "predikat":
        y -= 20
        c.setFont(SANS, 10)
        c.drawCentredString(W / 2, y + 6, "dengan predikat kesehatan koperasi")
        _spaced(c, PREDIKAT_LABELS.get(str(page.facts.get("p")), str(page.facts.get("p", "")).upper()),
                W / 2, y - 12, SERIF_BOLD, 17, 2.5, GREEN)
        y -= 14

    # facts: labels right-aligned on a centre line, values left
    y -= 20
    axis = W / 2 - 95
    for lab, value in _facts_lines(page):
        c.setFont(SANS, 10)
        c.setFillColor(GREY)
        c.drawRightString(axis, y, lab)
        c.drawString(axis + 6, y, ":")
        c.setFont(SANS_BOLD if lab in ("NIK Koperasi", "Grade") else SANS, 10.5)
        c.setFillColor(INK)
        # beside the signature block (low on the page) a value must stay left of it
        sig_top = FRAME_IN + 46 + QR_SIZE + 6 + 12
        limit = 330 if y > sig_top else (W - FRAME_IN - 220) - 12 - (axis + 14)
        size = 10.5
        parts = simpleSplit(value, SANS, size, limit)
        while len(parts) > 2 and size > 8.5:  # a long address gets a smaller type before it is cut
            size -= 0.5
            parts = simpleSplit(value, SANS, size, limit)
        if len(parts) > 2:
            parts = [parts[0], parts[1].rstrip(",") + " …"]
        c.setFont(SANS_BOLD if lab in ("NIK Koperasi", "Grade") else SANS, size)
        for part in parts[:2]:
            c.drawString(axis + 14, y, part)
            y -= 13
        y -= 1.0

    # bottom left: QR of the signed payload and the check code under it
    g = FRAME_IN
    qx, qy = g + 62, g + 46
    draw_qr(c, page.payload, qx, qy, QR_SIZE)
    c.setFillColor(INK)
    c.setFont(SANS, 7.5)
    c.drawCentredString(qx + QR_SIZE / 2, qy - 11, "Kode cek")
    c.setFont(SANS_BOLD, 12)
    c.drawCentredString(qx + QR_SIZE / 2, qy - 24, page.check_code)

    # bottom centre: Code128 of the NIK with the digits under it
    nik = str(page.facts.get("n") or "")
    if nik:
        bx = W / 2 - 58
        draw_code128(c, nik, bx, qy + 4)
        c.setFont(SANS, 9)
        c.setFillColor(INK)
        _spaced(c, nik, bx, qy - 8, SANS, 9, 1.2, INK)

    # bottom right: place and date, signatory
    sig = office.signatory
    x = W - g - 220
    sy = qy + QR_SIZE + 6
    c.setFillColor(INK)
    c.setFont(SANS, 10)
    c.drawString(x, sy, f"{office.city + ', ' if office.city else ''}{format_date(page.issued_on)}")
    sy -= 13
    c.setFont(SANS_BOLD, 10)
    for part in simpleSplit((sig.title or "Kepala Dinas").upper() + ",", SANS_BOLD, 10, 210)[:3]:
        c.drawString(x, sy, part)
        sy -= 12.5
    sy = min(sy - 38, qy + 6)
    c.setFont(SANS_BOLD, 10.5)
    name_text = sig.name or "(nama penandatangan)"
    c.drawString(x, sy, name_text)
    c.setLineWidth(0.6)
    c.setStrokeColor(INK)
    c.line(x, sy - 1.5, x + c.stringWidth(name_text, SANS_BOLD, 10.5), sy - 1.5)
    c.setFont(SANS, 9.5)
    if sig.rank:
        sy -= 12
        c.drawString(x, sy, sig.rank)
    if sig.nip:
        sy -= 12
        c.drawString(x, sy, f"NIP. {format_nip(sig.nip)}")


def render_certificates(target: str | io.BytesIO, pages: Sequence[PrintData], office: CertificateOffice, *,
                        progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    """Write one PDF with one A4 landscape page per certificate; returns the number of pages."""
    from reportlab import rl_config

    old_a85 = rl_config.useA85
    rl_config.useA85 = 0  # binary zlib streams: ASCII85 would cost a pure-Python pass over every page
    try:
        out = target if isinstance(target, io.BytesIO) else io.BytesIO()
        c = new_canvas(out, pagesize=PAGE, title="Sertifikat", author=office.letterhead.office)
        _static(c, office)
        total = len(pages)
        for i, page in enumerate(pages):
            check(cancelled)
            draw_page(c, page, office)
            c.showPage()
            if i % 25 == 24:
                progress(i + 1, total, f"Mencetak sertifikat {i + 1} dari {total}…")
        c.save()
    finally:
        rl_config.useA85 = old_a85
    if not isinstance(target, io.BytesIO):  # a path: the file appears whole or not at all
        from kopdesk.models.fileio import write_bytes

        write_bytes(target, out.getvalue())
    progress(total, total, "PDF selesai.")
    return total
