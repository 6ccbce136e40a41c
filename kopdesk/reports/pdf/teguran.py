"""Surat teguran as PDF: the official letter format (brief §7), drawn on the reportlab canvas for speed.

A batch draws every letter twice: once into the combined PDF ready to print, and once into its own small PDF whose
SHA-256 goes into the register. Every single-letter PDF is drawn with ``invariant=1`` (no creation time, fixed
document id), so a reprint from the stored content gives the very same bytes and the same hash.

The letterhead (logo, government, office, address, double rule) is drawn once per document as a form XObject and
placed on every page; the logo image is embedded once per document.

Drawing only: what a letter says comes composed as plain data (kopdesk.models.documents.letters, composed by
kopdesk.models.services.letters.compose). This module is the letters service's renderer: it satisfies
kopdesk.models.documents.letters.LetterRenderer, and the CLI and the UI pass it to the service.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from kopdesk.models.documents.letterhead import Letterhead
from kopdesk.models.documents.letters import CommonParts, LetterDoc
from kopdesk.models.formats import format_date
from kopdesk.reports.pdf._layout import SANS, SANS_BOLD, draw_letterhead, draw_signature, register_fonts

PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 25 * mm, 20 * mm, 12 * mm, 18 * mm
BODY_SIZE, LEADING = 11.0, 14.6
TEXT_W = PAGE_W - LEFT - RIGHT


# ---------------------------------------------------------------------------------------------------------------
# Drawing

_W: dict[tuple[str, str, float], float] = {}


def _sw(text: str, font: str, size: float) -> float:
    key = (text, font, size)
    w = _W.get(key)
    if w is None:
        w = stringWidth(text, font, size)
        if len(_W) < 200_000:
            _W[key] = w
    return w


_WRAPS: dict[tuple[str, float, str, float, float], list[tuple[list[str], float]]] = {}


def _wrap(text: str, width: float, font: str = SANS, size: float = BODY_SIZE, first_indent: float = 0.0) -> list[tuple[list[str], float]]:
    """Greedy line breaking; returns (words, natural width) per line (remembered: each letter is laid out three
    times -- the fit check, its own PDF and the combined PDF -- and most paragraphs repeat across letters)."""
    key = (text, width, font, size, first_indent)
    hit = _WRAPS.get(key)
    if hit is not None:
        return hit
    if len(_WRAPS) > 20_000:
        _WRAPS.clear()
    out = _WRAPS[key] = _wrap_uncached(text, width, font, size, first_indent)
    return out


def _wrap_uncached(text: str, width: float, font: str, size: float, first_indent: float) -> list[tuple[list[str], float]]:
    space = _sw(" ", font, size)
    lines: list[tuple[list[str], float]] = []
    cur: list[str] = []
    cur_w = 0.0
    avail = width - first_indent
    for word in text.split():
        ww = _sw(word, font, size)
        if cur and cur_w + space + ww > avail:
            lines.append((cur, cur_w))
            cur, cur_w, avail = [word], ww, width
        else:
            cur_w = cur_w + space + ww if cur else ww
            cur.append(word)
    if cur:
        lines.append((cur, cur_w))
    return lines


class _Page:
    """Tracks the y position and breaks to a new page (with the letterhead form) when needed."""

    def __init__(self, c: Canvas, y: float, size: float = BODY_SIZE) -> None:
        self.c, self.y = c, y
        self.size, self.lead = size, round(size * LEADING / BODY_SIZE, 2)

    def need(self, h: float) -> None:
        if self.y - h < BOTTOM:
            self.c.showPage()
            self.y = PAGE_H - 20 * mm


def _paragraph(pg: _Page, text: str, x: float, width: float, indent: float = 12.5 * mm) -> None:
    c = pg.c
    lines = _wrap(text, width, size=pg.size, first_indent=indent)
    for i, (words, natural) in enumerate(lines):
        pg.need(pg.lead)
        lx = x + (indent if i == 0 else 0)
        avail = width - (indent if i == 0 else 0)
        t = c.beginText(lx, pg.y)
        t.setFont(SANS, pg.size)
        if i < len(lines) - 1 and len(words) > 1:
            t.setWordSpace((avail - natural) / (len(words) - 1))
            t.textOut(" ".join(words))
            t.setWordSpace(0)  # Tw is graphics state: it would leak into the next text drawn
        else:
            t.textOut(" ".join(words))
        c.drawText(t)
        pg.y -= pg.lead
    pg.y -= 3


def _item(pg: _Page, label: str, text: str, x: float, width: float) -> None:
    c = pg.c
    hang = 7 * mm
    lines = _wrap(text, width - hang, size=pg.size)
    for i, (words, natural) in enumerate(lines):
        pg.need(pg.lead)
        if i == 0:
            c.setFont(SANS, pg.size)
            c.drawString(x, pg.y, label)
        t = c.beginText(x + hang, pg.y)
        t.setFont(SANS, pg.size)
        if i < len(lines) - 1 and len(words) > 1:
            t.setWordSpace((width - hang - natural) / (len(words) - 1))
            t.textOut(" ".join(words))
            t.setWordSpace(0)
        else:
            t.textOut(" ".join(words))
        c.drawText(t)
        pg.y -= pg.lead
    pg.y -= 2


_LOGOS: dict[bytes, bytes] = {}


def prepared_logo(logo: bytes | None) -> bytes | None:
    """The logo flattened on white, at most 300 px, as JPEG: reportlab embeds a JPEG as it is (no re-encoding),
    which makes a batch of single-letter PDFs several times faster than decoding a PNG for each."""
    if not logo:
        return None
    import hashlib

    key = hashlib.sha256(logo).digest()
    out = _LOGOS.get(key)
    if out is None:
        from PIL import Image

        try:
            im: Image.Image = Image.open(io.BytesIO(logo))
            im.load()
        except Exception:  # a broken logo must not stop the letters
            return None
        if im.mode in ("RGBA", "LA", "P"):
            im = im.convert("RGBA")
            bg = Image.new("RGB", im.size, (255, 255, 255))
            bg.paste(im, mask=im.split()[-1])
            im = bg
        else:
            im = im.convert("RGB")
        im.thumbnail((300, 300))
        buf = io.BytesIO()
        im.save(buf, format="JPEG", quality=92, optimize=False)
        out = _LOGOS[key] = buf.getvalue()
    return out


def _logo_file(logo: bytes | None) -> str | None:
    """The prepared logo as a JPEG file in the temp folder (named by its hash, written once)."""
    import hashlib
    import os
    import tempfile

    data = prepared_logo(logo)
    if data is None:
        return None
    path = os.path.join(tempfile.gettempdir(), f"kopdesk-logo-{hashlib.sha256(data).hexdigest()[:20]}.jpg")
    if not os.path.exists(path):
        tmp = f"{path}.{os.getpid()}.tmp"
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    return path


def _define_letterhead(c: Canvas, common: CommonParts) -> float:
    """Draw the letterhead into a form XObject once per document; returns the y below it."""
    c.beginForm("kop")
    head = common.head()
    logo = _logo_file(head.logo)
    if logo is not None:
        # Drawn from a JPEG file: reportlab embeds its bytes as they are, with no decoding per document.
        size = 24 * mm
        c.drawImage(logo, 20 * mm, PAGE_H - TOP - size, size, size, preserveAspectRatio=True)
        head = Letterhead(head.government, head.office, head.address, head.contact, None)
    y = draw_letterhead(c, head, page_width=PAGE_W, top=PAGE_H - TOP, left=20 * mm, right=RIGHT)
    if logo is not None:
        y = min(y, PAGE_H - TOP - 24 * mm - 3 * mm - 1.4 * mm)
    c.endForm()
    return y


def draw_letter(c: Canvas, common: CommonParts, doc: LetterDoc, head_bottom: float, *, cancelled: bool = False) -> None:
    """Draw one letter (one or more pages) on the canvas, ending with showPage()."""
    c.doForm("kop")
    size = doc.font_size or BODY_SIZE
    pg = _Page(c, head_bottom - 8 * mm, size)
    lead = pg.lead
    c.setFont(SANS, size)
    c.drawRightString(PAGE_W - RIGHT, pg.y, f"{common.city}, {format_date(doc.date)}")
    label_x, colon_x, value_x = LEFT, LEFT + 21 * mm, LEFT + 24 * mm
    meta_w = PAGE_W - RIGHT - 45 * mm - value_x
    for label, value in (("Nomor", doc.number), ("Sifat", doc.nature), ("Lampiran", doc.attachments),
                         ("Hal", doc.subject)):
        lines = _wrap(value, meta_w, SANS_BOLD if label == "Hal" else SANS, size) or [([""], 0)]
        c.setFont(SANS, size)
        c.drawString(label_x, pg.y, label)
        c.drawString(colon_x, pg.y, ":")
        c.setFont(SANS_BOLD if label == "Hal" else SANS, size)
        for words, _ in lines:
            c.drawString(value_x, pg.y, " ".join(words))
            pg.y -= lead
    pg.y -= 6 * mm
    # Addressee (Pemda practice: "Yth." on the left, "di –" and the place below).
    c.setFont(SANS, size)
    first = True
    for line in doc.addressee:
        if line.startswith("di "):
            c.drawString(LEFT, pg.y, line)
            pg.y -= lead
            continue
        x = LEFT if first else LEFT + 9 * mm
        if not first and line.isupper():
            x = LEFT + 9 * mm
            c.setFont(SANS_BOLD, size)
        for words, _ in _wrap(line, PAGE_W / 2 + 20 * mm - x, size=size):
            c.drawString(x, pg.y, " ".join(words))
            pg.y -= lead
            x = LEFT + 9 * mm if first else x
        c.setFont(SANS, size)
        first = False
    pg.y -= 6 * mm
    body_x = LEFT
    for block in doc.body:
        if block[0] == "li":
            _item(pg, block[1], block[2], body_x + 12.5 * mm, TEXT_W - 12.5 * mm)
        else:
            _paragraph(pg, block[1], body_x, TEXT_W)
    pg.y -= 4 * mm
    sig_x = PAGE_W / 2 + 8 * mm
    sig_w = PAGE_W - RIGHT - sig_x
    from reportlab.lib.utils import simpleSplit

    title_lines = len(simpleSplit(common.signatory.title.upper() + ",", SANS_BOLD, size, sig_w))
    sig_h = lead * (title_lines + 3) + 18 * mm
    pg.need(sig_h)
    top_sig = pg.y
    pg.y = draw_signature(c, common.signatory, x=sig_x, y=pg.y, width=sig_w, gap=18 * mm, font_size=size)
    if common.tembusan:
        # Bottom left, beside the lower part of the signature block (saves a page for long bodies).
        tsize = 9.0
        copies: list[tuple[str, str]] = []  # (number, line) of the tembusan, wrapped
        for i, t in enumerate(common.tembusan, start=1):
            for j, part in enumerate(simpleSplit(t, SANS, tsize, sig_x - LEFT - 14 * mm)):
                copies.append(((f"{i}." if j == 0 else ""), part))
        y = min(top_sig - lead * (title_lines + 1) - 10 * mm, pg.y + 11 * (len(copies) + 1))
        if y - 11 * (len(copies) + 1) < BOTTOM - 8 * mm:
            pg.y -= 3 * mm
            pg.need(11 * (len(copies) + 1))
            y = pg.y
        c.setFont(SANS, tsize)
        c.drawString(LEFT, y, "Tembusan:")
        c.setLineWidth(0.5)
        c.line(LEFT, y - 1.5, LEFT + _sw("Tembusan:", SANS, tsize), y - 1.5)
        y -= 11
        for number, part in copies:
            c.drawString(LEFT, y, number)
            c.drawString(LEFT + 5 * mm, y, part)
            y -= 11
        pg.y = min(pg.y, y)
    if cancelled:
        c.saveState()
        c.setFillColorRGB(0.85, 0.1, 0.1, alpha=0.35)
        c.setFont(SANS_BOLD, 80)
        c.translate(PAGE_W / 2, PAGE_H / 2)
        c.rotate(40)
        c.drawCentredString(0, 0, "DIBATALKAN")
        c.restoreState()
    c.showPage()


class _MemoFlate:
    """FlateDecode that remembers its last outputs: the font subsets of a batch's single-letter PDFs are the same
    bytes letter after letter (see :func:`_seed_fonts`), so they are compressed once instead of 1,000 times."""

    pdfname = "FlateDecode"

    def __init__(self) -> None:
        self.cache: dict[bytes, bytes] = {}

    def encode(self, data: bytes | str) -> bytes:
        import zlib

        if isinstance(data, str):
            data = data.encode("utf8")
        out = self.cache.get(data)
        if out is None:
            out = zlib.compress(data)
            if len(self.cache) > 32:
                self.cache.clear()
            self.cache[data] = out
        return out


_MEMO_FLATE = _MemoFlate()
# Every glyph a letter normally uses, assigned in this fixed order at the start of each document, so that the
# font subsets (and so their compressed bytes) are identical from one single-letter PDF to the next.
_SEED_TEXT = "".join(chr(i) for i in range(32, 127)) + "–—‘’“”•…éÉèàâêîôûçäöüÄÖÜß°²³½"
_sped_up = False


def _speed_up_fonts() -> None:
    """Memoise subset building and compression on the shipped TTF fonts (pure functions; same bytes out)."""
    global _sped_up
    if _sped_up:
        return
    from reportlab.pdfbase import pdfmetrics

    for name in (SANS, SANS_BOLD):
        font = pdfmetrics.getFont(name).face
        make = font.makeSubset
        add = font.addSubsetObjects
        memo: dict[tuple[int, ...], bytes] = {}

        def make_subset(subset, _make=make, _memo=memo):
            key = tuple(subset)
            out = _memo.get(key)
            if out is None:
                if len(_memo) > 32:
                    _memo.clear()
                out = _memo[key] = _make(subset)
            return out

        def add_subset(doc, fontname, subset, _add=add, _font=font):
            ref = _add(doc, fontname, subset)
            stream = doc.idToObject.get(f"fontFile:{_font.filename}({fontname})")
            if stream is not None and doc.compression:
                stream.filters = [_MEMO_FLATE]
            return ref

        font.makeSubset = make_subset
        font.addSubsetObjects = add_subset
    _sped_up = True


def _seed_fonts(c: Canvas) -> None:
    from reportlab.pdfbase import pdfmetrics

    for name in (SANS, SANS_BOLD):
        pdfmetrics.getFont(name).splitString(_SEED_TEXT, c._doc)


class _Dry:
    """A canvas stand-in that only counts pages: measures whether a letter fits one page at a font size."""

    def __init__(self) -> None:
        self.pages = 1

    def showPage(self) -> None:
        self.pages += 1

    def stringWidth(self, text: str, font: str, size: float) -> float:
        return _sw(text, font, size)

    def beginText(self, *a: Any) -> _Dry:
        return self

    def __getattr__(self, name: str) -> Callable[..., None]:
        return lambda *a, **k: None


SIZES = (11.0, 10.5, 10.0, 9.5)


def fit_font_size(common: CommonParts, doc: LetterDoc) -> float:
    """The largest body size (11 to 9.5 pt) at which the letter, signature and tembusan fit one page."""
    register_fonts()
    head_bottom = PAGE_H - TOP - 24 * mm - 3 * mm - 1.4 * mm
    for size in SIZES:
        doc.font_size = size
        dry = _Dry()
        draw_letter(dry, common, doc, head_bottom)  # a stand-in canvas: counts pages, draws nothing
        if dry.pages <= 2:  # draw_letter ends with one showPage
            return size
    return SIZES[-1]


def _canvas(target: io.BytesIO, title: str, invariant: bool) -> Canvas:
    register_fonts()
    _speed_up_fonts()
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary streams: ASCII85 only bloats the file and costs time
    c = Canvas(target, pagesize=A4, initialFontName=SANS, initialFontSize=BODY_SIZE, pageCompression=1,
               invariant=1 if invariant else 0)
    c.setTitle(title)
    c.setAuthor("KopDesk")
    c.setCreator("KopDesk")
    _seed_fonts(c)
    return c


def render_single(common: CommonParts, doc: LetterDoc, *, cancelled: bool = False) -> bytes:
    """One letter as its own PDF, byte-for-byte reproducible (its SHA-256 is the register's proof)."""
    buf = io.BytesIO()
    c = _canvas(buf, f"{doc.subject} - {doc.number}", True)
    y = _define_letterhead(c, common)
    draw_letter(c, common, doc, y, cancelled=cancelled)
    c.save()
    return buf.getvalue()


def _render_chunk(common: CommonParts, docs: list[LetterDoc]) -> list[bytes]:
    """Worker-process entry: the single-letter PDFs of a chunk."""
    return [render_single(common, d) for d in docs]


PARALLEL_MIN = 150  # below this, starting worker processes costs more than it saves
CHUNK = 100


def render_batch(common: CommonParts, docs: list[LetterDoc], *, combined: bool = True,
                 progress: Callable[[int, int], None] | None = None, workers: int | None = None) -> tuple[bytes | None, list[bytes]]:
    """Every letter as its own PDF and, if asked, all of them in one PDF ready to print.

    Large batches draw the single-letter PDFs in worker processes (spawned, so safe from a UI thread) while this
    process draws the combined PDF; any failure of the pool falls back to drawing everything here. ``progress``
    may raise (e.g. Cancelled) to stop; the pool is then shut down.
    """
    import os

    n = len(docs)
    if workers is None:
        workers = min(2, os.cpu_count() or 1)
    step = max(1, n // 100)
    pool = None
    futures: list[Any] = []
    import sys

    frozen = getattr(sys, "frozen", False)  # a bundle would need multiprocessing.freeze_support() in main
    if n >= PARALLEL_MIN and workers >= 1 and not frozen and os.environ.get("KOPDESK_PDF_WORKERS", "") != "0":
        try:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"))
            futures = [pool.submit(_render_chunk, common, docs[i:i + CHUNK]) for i in range(0, n, CHUNK)]
        except Exception:
            pool, futures = None, []
    try:
        out_combined = None
        total = n * (2 if combined else 1) if pool is None else n
        done = 0
        singles: list[bytes] = []
        c = None
        buf = io.BytesIO()
        if combined:
            c = _canvas(buf, f"Surat teguran ({n} surat)", False)
            y_comb = _define_letterhead(c, common)
        for doc in docs:
            if pool is None:
                singles.append(render_single(common, doc))
                done += 1
            if c is not None:
                draw_letter(c, common, doc, y_comb)
                done += 1
            if progress is not None and (done % step == 0):
                progress(min(done, total), total)
        if c is not None:
            c.save()
            out_combined = buf.getvalue()
        if pool is not None:
            try:
                for f in futures:
                    singles.extend(f.result())
                    if progress is not None:
                        progress(n, n)
            except Exception:
                singles = [render_single(common, d) for d in docs]
        if progress is not None:
            progress(total, total)
        return out_combined, singles
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = [
    "draw_letter",
    "fit_font_size",
    "prepared_logo",
    "render_batch",
    "render_single",
]
