"""Bounded, streaming reading of an import workbook: refuse what is too big before reading it, then yield its rows.

An .xlsx/.xlsm file is a zip of XML parts. Before anything is parsed, the zip directory says how large every part
expands to, and each sheet's ``<dimension>`` element says how many rows and columns it spans: a workbook beyond
:data:`MAX_UNCOMPRESSED_BYTES`, :data:`MAX_ROWS` or :data:`MAX_COLUMNS` is refused with a message. The sheet XML is
then read as a stream, a megabyte at a time: one regular expression covers the cell forms Excel, LibreOffice,
Google Sheets, openpyxl and XlsxWriter write (measured: about four times faster than ElementTree), and any block it
does not fully cover is parsed with ElementTree instead, so an unusual writer costs speed, never correctness.
Memory holds one block of rows and the shared-strings table (packed as UTF-8 bytes), whatever the row count.

What the stream keeps that a plain reader loses: whether a number cell holds an identifier typed as a number (the
value comes back as ``int`` or ``float``, never as text), a formula without a stored result
(:class:`FormulaWithoutValue`; a workbook flagged ``fullCalcOnLoad`` by a program that never computed its formulas
has none), and error cells such as ``#N/A`` (:class:`CellError`).

.xls (at most 65,536 rows by its format), .xlsb and .ods are read whole through python-calamine after the same
size checks; there a formula without a stored result reads as an empty cell.
"""

from __future__ import annotations

import array
import datetime as dt
import html
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree import ElementTree as ET

from kopdesk.models.errors import DomainError
from kopdesk.models.formats import format_count

MAX_UNCOMPRESSED_BYTES = 512 * 1024 * 1024  # what all parts of the zip expand to
MAX_ROWS = 400_000  # rows of the sheet read, header and title included (a national ODS export has about 300,000)
MAX_COLUMNS = 200  # columns of the sheet read (the ODS layout has about 40)
MAX_SMALL_PART_BYTES = 32 * 1024 * 1024  # workbook.xml, styles.xml, relationships: parsed whole
BLOCK_BYTES = 1 << 20

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ERROR_CODES = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA",
                         "#SPILL!", "#CALC!"})


class ImportFileError(DomainError):
    """The file cannot be imported at all (not a workbook, too big, no header, unknown layout)."""


@dataclass(frozen=True, slots=True)
class FormulaWithoutValue:
    """A formula cell whose result was never stored (the file was written by a program, not saved by Excel)."""

    formula: str

    def __str__(self) -> str:
        return self.formula if self.formula.startswith("=") else "=" + self.formula


@dataclass(frozen=True, slots=True)
class CellError:
    """An error cell (#N/A, #DIV/0!, #REF! ...)."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class SheetInfo:
    """A sheet of the workbook.

    Attributes:
        rows, columns: the extent the file declares (its ``<dimension>``), None when it declares none.
    """

    name: str
    hidden: bool
    rows: int | None
    columns: int | None


Merged = tuple[tuple[int, int], tuple[int, int]]  # ((first row, first column), (last row, last column)), 0-based


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


def column_number(letters: str) -> int:
    """A -> 1, AA -> 27."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _too_big(what: str) -> ImportFileError:
    return ImportFileError(
        f"{what} Batasnya {format_count(MAX_ROWS)} baris, {format_count(MAX_COLUMNS)} kolom dan "
        f"{format_count(MAX_UNCOMPRESSED_BYTES // 2**20)} MB setelah diekstrak. Hapus baris dan kolom kosong di "
        "bawah dan di kanan data, atau bagi data menjadi beberapa berkas, lalu coba lagi.")


def check_extent(name: str, rows: int | None, columns: int | None) -> None:
    """Refuse a sheet whose declared extent is beyond the limits.

    Raises:
        ImportFileError: naming the sheet and its size.
    """
    if rows is not None and rows > MAX_ROWS:
        raise _too_big(f"Lembar «{name}» berisi {format_count(rows)} baris.")
    if columns is not None and columns > MAX_COLUMNS:
        raise _too_big(f"Lembar «{name}» berisi {format_count(columns)} kolom.")


def open_workbook(path: str | Path) -> Workbook:
    """Open a workbook for reading after checking what it would cost.

    Raises:
        ImportFileError: not found, not a workbook, or beyond the limits.
    """
    p = Path(path)
    if not p.is_file():
        raise ImportFileError(f"Berkas tidak ditemukan: {p}")
    with p.open("rb") as f:
        magic = f.read(8)
    if zipfile.is_zipfile(p):
        try:
            zf = zipfile.ZipFile(p)
            infos = zf.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            raise _not_a_workbook(p) from None
        total = sum(i.file_size for i in infos)
        if total > MAX_UNCOMPRESSED_BYTES:
            zf.close()
            raise _too_big(f"Berkas {p.name} berukuran {format_count(total // 2**20)} MB setelah diekstrak.")
        names = {i.filename for i in infos}
        if "xl/workbook.bin" in names or "content.xml" in names:
            zf.close()
            return CalamineBook(p)
        try:
            return XlsxBook(p, zf)
        except ImportFileError:
            zf.close()
            raise
        except (KeyError, ET.ParseError, zipfile.BadZipFile, ValueError, OSError, EOFError):
            zf.close()
            raise _not_a_workbook(p) from None
    if magic.startswith(b"\xd0\xcf\x11\xe0"):  # the OLE container of .xls
        if p.stat().st_size > MAX_UNCOMPRESSED_BYTES:
            raise _too_big(f"Berkas {p.name} berukuran {format_count(p.stat().st_size // 2**20)} MB.")
        return CalamineBook(p)
    raise _not_a_workbook(p)


def _not_a_workbook(p: Path) -> ImportFileError:
    return ImportFileError(f"Berkas {p.name} bukan buku kerja Excel/ODS yang dapat dibaca. Simpan ulang sebagai "
                           ".xlsx lalu coba lagi.")


class Workbook:
    """The sheets of a workbook and their rows; a context manager."""

    path: Path
    sheets: list[SheetInfo]

    def rows(self, sheet: str, limit: int | None = None, *, columns: int | None = None,
             merged: list[Merged] | None = None) -> Iterator[tuple[int, list[Any]]]:
        """The non-empty rows of a sheet as (row number as Excel shows it, values by 0-based column).

        Args:
            limit: stop after this many rows.
            columns: read only the first this many columns; the others are left out.
            merged: filled with the sheet's merged ranges once the last row is read.
        """
        raise NotImplementedError

    def scan(self, sheet: str) -> tuple[int, list[Merged]]:
        """The number of rows the sheet holds and its merged ranges (read without building the rows)."""
        raise NotImplementedError

    def close(self) -> None:
        pass

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def info(self, name: str) -> SheetInfo:
        for s in self.sheets:
            if s.name == name:
                return s
        raise ImportFileError(f"Lembar «{name}» tidak ada di {self.path.name}. Lembar yang ada: "
                              + ", ".join(f"«{s.name}»" for s in self.sheets))


# ---------------------------------------------------------------------------------------------------------------
# .xlsx / .xlsm: streamed

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Za-z]{1,3})?([0-9]+)?(?::([A-Za-z]{1,3})([0-9]+))?"')
_ROOT = re.compile(rb"<(?:(\w+):)?worksheet\b([^>]*)>")
_XMLNS = re.compile(rb'\sxmlns(?::\w+)?="[^"]*"')
# One cell in the forms common writers produce: reference, attributes, formula, value, inline text. A block where
# the count of cells differs from the count of matches goes to ElementTree instead.
_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"([^>]*?)(?:/>|>(<f\b[^>]*?(?:/>|>[^<]*</f>))?'
    rb'(?:<v>([^<]*)</v>|<v\s*/>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
)
_ATTRIBUTE = re.compile(rb'\s([\w:]+)="([^"]*)"')
_NUMBER, _SHARED, _INLINE, _FORMULA_STRING, _BOOLEAN, _ERROR, _DATE, _UNUSUAL = range(8)
_KINDS = {b"": _NUMBER, b"n": _NUMBER, b"s": _SHARED, b"inlineStr": _INLINE, b"str": _FORMULA_STRING,
          b"b": _BOOLEAN, b"e": _ERROR, b"d": _DATE}
# A cell's attribute text after its reference -> (kind, style index or None); _UNUSUAL sends the block to ElementTree.
_ATTRIBUTES: dict[bytes, tuple[int, int | None]] = {b"": (_NUMBER, None)}
_FORMULA_TEXT = re.compile(rb"<f\b[^>]*>([^<]*)</f>")
_SI = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si\s*/>|(<si\b.*?</si>)', re.S)
_ESCAPED_CHAR = re.compile(r"_x([0-9A-Fa-f]{4})_")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]{1,3})([0-9]+):([A-Za-z]{1,3})([0-9]+)"')
_BUILTIN_DATE_FORMATS = set(range(14, 23)) | set(range(27, 37)) | set(range(45, 48)) | set(range(50, 59))
_EXCEL_EPOCH = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
_COLUMN_CACHE: dict[bytes, int] = {}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _text(raw: bytes) -> str:
    """XML text as a string: entities resolved, Excel's _xHHHH_ escapes of control characters decoded."""
    text = raw.decode("utf-8")
    if "&" in text:
        text = html.unescape(text)
    if "_x" in text:
        text = _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), text)
    return text


def _is_date_format(code: str) -> bool:
    """Whether an Excel number format shows a date or time (d, m, y, h or s outside quotes and brackets)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.', "", code)
    return bool(re.search(r"[dmyhsDMYHS]", code)) and "General" not in code


class _SharedStrings:
    """The shared-strings table packed as UTF-8 bytes with offsets (a third of the memory of Python strings)."""

    HOT = 20_000  # decoded strings kept: the values that repeat (kab/kota, jenis, status) are among the first seen

    def __init__(self) -> None:
        self.blob = bytearray()
        self.offsets = array.array("I" if array.array("I").itemsize >= 4 else "L", [0])  # the blob stays < 512 MB
        self.hot: dict[int, str] = {}

    def add(self, text: str) -> None:
        self.blob += text.encode("utf-8")
        self.offsets.append(len(self.blob))

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: int) -> str:
        text = self.hot.get(i)
        if text is None:
            text = self.blob[self.offsets[i]:self.offsets[i + 1]].decode("utf-8")
            if len(self.hot) < self.HOT:
                self.hot[i] = text
        return text


def _si_text(element: ET.Element) -> str:
    """The text of one shared string: its own <t> and its runs' <t>, without phonetic runs (<rPh>)."""
    parts = []
    for child in element:
        name = _local(child.tag)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            for t in child:
                if _local(t.tag) == "t":
                    parts.append(t.text or "")
    return "".join(parts).replace("\r\n", "\n")


class XlsxBook(Workbook):
    """An .xlsx/.xlsm workbook read as a stream of rows."""

    def __init__(self, path: Path, zf: zipfile.ZipFile) -> None:
        self.path = path
        self.zf = zf
        self.names = {i.filename for i in zf.infolist()}
        rels = self._rels("_rels/.rels")
        wb_path = next((t for typ, t in rels.values() if typ.endswith("/officeDocument")), "xl/workbook.xml")
        wb_path = wb_path.lstrip("/")
        root = self._small_xml(wb_path)
        wb_rels = self._rels(str(PurePosixPath(wb_path).parent / "_rels" / (PurePosixPath(wb_path).name + ".rels")))
        base = PurePosixPath(wb_path).parent
        self.date1904 = False
        self.full_calc = False
        self.parts: dict[str, str] = {}
        sheets: list[tuple[str, bool, str]] = []
        for el in root.iter():
            name = _local(el.tag)
            if name == "workbookPr":
                self.date1904 = el.get("date1904", "").lower() in ("1", "true")
            elif name == "calcPr":
                self.full_calc = el.get("fullCalcOnLoad", "").lower() in ("1", "true")
            elif name == "sheet":
                rid = el.get(f"{{{REL_NS}}}id") or el.get("id") or ""
                typ, target = wb_rels.get(rid, ("", ""))
                if not target or not typ.endswith("/worksheet"):
                    continue  # chart sheets, dialog sheets: no cells to import
                part = target.lstrip("/") if target.startswith("/") else str(base / target)
                sheets.append((el.get("name") or "", el.get("state", "visible") != "visible", _normpath(part)))
        self.shared_path = next((_normpath(t.lstrip("/") if t.startswith("/") else str(base / t))
                                 for typ, t in wb_rels.values() if typ.endswith("/sharedStrings")), None)
        self.styles_path = next((_normpath(t.lstrip("/") if t.startswith("/") else str(base / t))
                                 for typ, t in wb_rels.values() if typ.endswith("/styles")), None)
        self._shared: _SharedStrings | None = None
        self._date_styles: frozenset[int] | None = None
        self.sheets = []
        for name, hidden, part in sheets:
            if part not in self.names:
                continue
            rows, cols = self._dimension(part)
            check_extent(name, rows, cols)
            self.sheets.append(SheetInfo(name, hidden, rows, cols))
            self.parts[name] = part
        if not self.sheets:
            raise ImportFileError(f"Buku kerja {path.name} tidak berisi lembar kerja.")

    def close(self) -> None:
        self.zf.close()

    # --- small parts -----------------------------------------------------------------------------------------
    def _small_xml(self, part: str) -> ET.Element:
        info = self.zf.getinfo(part)
        if info.file_size > MAX_SMALL_PART_BYTES:
            raise _too_big(f"Bagian {part} berukuran {format_count(info.file_size // 2**20)} MB.")
        data = self.zf.read(part)
        if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data[:4096]:
            raise ImportFileError(f"{self.path.name}: bagian {part} memuat DOCTYPE; bukan buku kerja Excel biasa.")
        return ET.fromstring(data)

    def _rels(self, part: str) -> dict[str, tuple[str, str]]:
        if part not in self.names:
            return {}
        return {el.get("Id", ""): (el.get("Type", ""), el.get("Target", ""))
                for el in self._small_xml(part).iter() if _local(el.tag) == "Relationship"}

    def _dimension(self, part: str) -> tuple[int | None, int | None]:
        with self.zf.open(part) as f:
            head = f.read(16384)
        m = _DIMENSION.search(head)
        if not m or not m.group(2):
            return None, None
        if m.group(4):
            return int(m.group(4)), column_number(m.group(3).decode())
        return int(m.group(2)), column_number(m.group(1).decode()) if m.group(1) else None

    @property
    def shared(self) -> _SharedStrings:
        if self._shared is None:
            self._shared = self._load_shared()
        return self._shared

    def _load_shared(self) -> _SharedStrings:
        out = _SharedStrings()
        if not self.shared_path or self.shared_path not in self.names:
            return out
        with self.zf.open(self.shared_path) as f:
            head = f.read(BLOCK_BYTES)
            start = re.search(rb"<(\w+:)?sst\b[^>]*>", head)
            if start is None:
                return out
            if start.group(1):  # a prefixed table: parse it with ElementTree, as a stream
                f.close()
                with self.zf.open(self.shared_path) as g:
                    for _ev, el in ET.iterparse(g):
                        if _local(el.tag) == "si":
                            out.add(_si_text(el))
                            el.clear()
                return out
            decl = b" ".join(_XMLNS.findall(start.group(0))) or f' xmlns="{MAIN_NS}"'.encode()
            data = head[start.end():]
            while True:
                chunk = f.read(BLOCK_BYTES)
                end = max(data.rfind(b"</si>"), data.rfind(b"<si/>"))
                cut = end + 5 if end >= 0 else 0
                if not chunk:
                    cut = len(data)
                items = _SI.findall(data, 0, cut)
                block = data[:cut]
                if any(c for _s, c in items):
                    texts = [_si_text(ET.fromstring(b"<w" + decl + b">" + c + b"</w>")[0]).encode("utf-8") if c
                             else s for s, c in items]
                else:
                    texts = [s for s, _c in items]
                if b"&" in block or b"_x" in block or b"\r" in block:
                    texts = [_text(t).replace("\r\n", "\n").encode("utf-8")
                             if b"&" in t or b"_x" in t or b"\r" in t else t for t in texts]
                # Most strings go in as the UTF-8 bytes they are, joined and measured in C.
                ends = accumulate(map(len, texts), initial=len(out.blob))
                next(ends)
                out.offsets.extend(ends)
                out.blob += b"".join(texts)
                data = data[cut:] + chunk
                if not chunk:
                    break
        return out

    @property
    def date_styles(self) -> frozenset[int]:
        if self._date_styles is None:
            self._date_styles = self._load_date_styles()
        return self._date_styles

    def _load_date_styles(self) -> frozenset[int]:
        if not self.styles_path or self.styles_path not in self.names:
            return frozenset()
        root = self._small_xml(self.styles_path)
        custom: dict[int, str] = {}
        out: set[int] = set()
        for el in root.iter():
            if _local(el.tag) == "numFmt":
                try:
                    custom[int(el.get("numFmtId", "-1"))] = el.get("formatCode", "")
                except ValueError:
                    continue
        for el in root.iter():
            if _local(el.tag) == "cellXfs":
                for i, xf in enumerate(x for x in el if _local(x.tag) == "xf"):
                    try:
                        fmt = int(xf.get("numFmtId", "0"))
                    except ValueError:
                        continue
                    if fmt in _BUILTIN_DATE_FORMATS or (fmt in custom and _is_date_format(custom[fmt])):
                        out.add(i)
                break
        return frozenset(out)

    # --- rows ------------------------------------------------------------------------------------------------
    def _open_data(self, sheet: str) -> tuple[Any, bytes, bytes, bytes]:
        """The sheet part opened and read up to the first row: (stream, first bytes of rows, prefix, xmlns)."""
        part = self.parts[self.info(sheet).name]
        f = self.zf.open(part)
        data = f.read(BLOCK_BYTES)
        root = _ROOT.search(data)
        while root is None and len(data) < 4 * BLOCK_BYTES:
            more = f.read(BLOCK_BYTES)
            if not more:
                break
            data += more
            root = _ROOT.search(data)
        if root is None:
            f.close()
            raise ImportFileError(f"Lembar «{sheet}» di {self.path.name} tidak dapat dibaca (bukan lembar kerja).")
        if b"<!DOCTYPE" in data[:root.start()]:
            f.close()
            raise ImportFileError(f"{self.path.name}: lembar «{sheet}» memuat DOCTYPE; bukan buku kerja Excel biasa.")
        prefix = (root.group(1) + b":") if root.group(1) else b""
        decl = b" ".join(_XMLNS.findall(root.group(2)))
        return f, data, prefix, decl

    def rows(self, sheet: str, limit: int | None = None, *, columns: int | None = None,
             merged: list[Merged] | None = None) -> Iterator[tuple[int, list[Any]]]:
        f, data, prefix, decl = self._open_data(sheet)
        try:
            start = re.search(rb"<" + re.escape(prefix) + rb"sheetData\b[^>]*?(/?)>", data)
            while start is None:
                chunk = f.read(BLOCK_BYTES)
                if not chunk:
                    return
                data += chunk
                start = re.search(rb"<" + re.escape(prefix) + rb"sheetData\b[^>]*?(/?)>", data)
            if start.group(1):
                return
            data = data[start.end():]
            end_tag = b"</" + prefix + b"sheetData>"
            row_end = b"</" + prefix + b"row>"
            fast = not prefix
            yielded = 0
            done = False
            while not done:
                stop = data.find(end_tag)
                if stop >= 0:
                    unit, done = data[:stop], True
                else:
                    chunk = f.read(BLOCK_BYTES)
                    if not chunk:
                        unit, done = data, True
                    else:
                        data += chunk
                        cut = data.rfind(row_end)
                        if cut < 0:
                            continue
                        cut += len(row_end)
                        unit, data = data[:cut], data[cut:]
                rows = self._fast_rows(unit, columns) if fast else None
                if rows is None:
                    rows = self._tree_rows(unit, decl, columns)
                for row in rows:
                    if row[0] > MAX_ROWS:
                        raise _too_big(f"Lembar «{sheet}» berisi lebih dari {format_count(MAX_ROWS)} baris.")
                    yield row
                    yielded += 1
                    if limit is not None and yielded >= limit:
                        return
            if merged is not None:  # the merged ranges follow the rows in the sheet's XML
                rest = data[data.find(end_tag):] if end_tag in data else data
                while True:
                    chunk = f.read(BLOCK_BYTES)
                    cut = rest.rfind(b">") + 1 if chunk else len(rest)
                    merged.extend(_merges(rest[:cut]))
                    rest = rest[cut:] + chunk
                    if not chunk:
                        break
        finally:
            f.close()

    def _fast_rows(self, unit: bytes, columns: int | None = None) -> list[tuple[int, list[Any]]] | None:
        """The rows of a block by the cell expression; None when a cell escapes it (the block goes to ElementTree).

        The loop is the reader's cost (two thirds of it), so it is written for speed: attribute texts and column
        letters are looked up once per distinct value, shared strings once per index (the values that repeat).
        """
        cells = _CELL.findall(unit)
        if len(cells) != unit.count(b"<c ") + unit.count(b"<c>"):
            return None
        out: list[tuple[int, list[Any]]] = []
        current = b""
        values: list[Any] = []
        limit = MAX_COLUMNS if columns is None else min(columns, MAX_COLUMNS)
        shared = self.shared if b't="s"' in unit else _SharedStrings()
        n_shared = len(shared)
        hot, blob, offsets = shared.hot, shared.blob, shared.offsets
        dates = self.date_styles
        cols = _COLUMN_CACHE
        kinds = _ATTRIBUTES
        full_calc = self.full_calc
        for col, rownum, attrs, formula, v, inline in cells:
            if rownum != current:
                if values:
                    out.append((int(current), values))
                values = []
                current = rownum
            j = cols.get(col)
            if j is None:
                j = _column_index(col, rownum)
            if j >= limit:
                continue
            try:
                kind, style = kinds[attrs]
            except KeyError:
                parsed = kinds[attrs] = _parse_attributes(attrs)
                kind, style = parsed
            if kind == _SHARED:
                if not v:
                    continue
                value: Any = hot.get(v)
                if value is None:
                    i = int(v)
                    if i >= n_shared:
                        return None
                    value = blob[offsets[i]:offsets[i + 1]].decode("utf-8")
                    if value.isspace():
                        value = ""
                    if len(hot) < _SharedStrings.HOT:
                        hot[v] = value
                if not value:
                    continue
            elif kind == _NUMBER:
                if formula and (not v or full_calc):
                    value = self._formula(formula)
                elif not v:
                    continue
                elif (style is None or style not in dates) and v.isdigit():
                    value = int(v)
                else:
                    value = self._number(v, style, dates)
            elif kind == _UNUSUAL:
                return None
            else:
                value = self._other_value(kind, formula, v, inline)
                if value is None:
                    continue
            width = len(values)
            if j == width:
                values.append(value)
            elif j > width:
                values.extend([None] * (j - width))
                values.append(value)
            else:
                values[j] = value
        if values:
            out.append((int(current), values))
        return out

    def _other_value(self, kind: int, formula: bytes, v: bytes, inline: bytes) -> Any:
        """Inline strings, formula strings, booleans, errors and ISO dates (the rarer cells); None when empty."""
        if kind == _INLINE:
            return _text(inline) if inline and not inline.isspace() else None
        if kind == _FORMULA_STRING:
            if formula and self.full_calc:
                return self._formula(formula)
            return _text(v) if v and not v.isspace() else None
        if kind == _BOOLEAN:
            return self._formula(formula) if formula and self.full_calc else v == b"1"
        if kind == _ERROR:
            return CellError(_text(v))
        return _iso_date(v.decode())  # _DATE

    def _formula(self, raw: bytes) -> FormulaWithoutValue:
        m = _FORMULA_TEXT.search(raw)
        return FormulaWithoutValue(_text(m.group(1)) if m else "")

    def _number(self, v: bytes, style: int | None, dates: frozenset[int]) -> Any:
        try:
            number: int | float = int(v) if v.isdigit() or (v[:1] == b"-" and v[1:].isdigit()) else float(v)
        except ValueError:
            return _text(v)
        if style is not None and style in dates:
            return self._date(float(number))
        return number

    def _date(self, serial: float) -> dt.date | dt.datetime | float:
        if serial != serial or not -1 < serial < 2958466:  # NaN or beyond 9999-12-31
            return serial
        if self.date1904:
            moment = _EPOCH_1904 + dt.timedelta(days=serial)
        else:
            # Excel counts 29 February 1900, which never was: serials before it are one day off.
            moment = _EXCEL_EPOCH + dt.timedelta(days=serial + (1 if serial < 61 else 0))
        moment = moment.replace(microsecond=0) if moment.microsecond < 500 else (
            moment + dt.timedelta(microseconds=1_000_000 - moment.microsecond))
        return moment.date() if moment.time() == dt.time() else moment

    def _tree_rows(self, unit: bytes, decl: bytes, columns: int | None = None) -> list[tuple[int, list[Any]]]:
        """The rows of a block by ElementTree: any cell form, prefixed names, cells without a reference."""
        try:
            root = ET.fromstring(b"<sheetData " + decl + b">" + unit + b"</sheetData>")
        except ET.ParseError as exc:
            raise ImportFileError(f"{self.path.name}: isi lembar rusak ({exc}). Buka di Excel, simpan ulang, lalu "
                                  "coba lagi.") from None
        out: list[tuple[int, list[Any]]] = []
        rownum = 0
        for row in root:
            if _local(row.tag) != "row":
                continue
            ref = row.get("r")
            rownum = int(ref) if ref and ref.isdigit() else rownum + 1
            values: list[Any] = []
            col = -1
            for c in row:
                if _local(c.tag) != "c":
                    continue
                ref = c.get("r")
                m = re.match(r"([A-Za-z]{1,3})", ref or "")
                col = column_number(m.group(1)) - 1 if m else col + 1
                if col >= MAX_COLUMNS:
                    raise _too_big(f"Sel {ref or column_letter(col + 1)} berada di luar batas kolom.")
                if columns is not None and col >= columns:
                    continue
                value = self._tree_value(c)
                if value is None or (value.__class__ is str and (not value or value.isspace())):
                    continue
                if col >= len(values):
                    values.extend([None] * (col - len(values) + 1))
                values[col] = value
            if values:
                out.append((rownum, values))
        return out

    def _tree_value(self, c: ET.Element) -> Any:
        t = c.get("t") or "n"
        formula = v = None
        inline = None
        for child in c:
            name = _local(child.tag)
            if name == "f":
                formula = child.text or ""
            elif name == "v":
                v = child.text
            elif name == "is":
                inline = _si_text(child)
        if formula is not None and (not v or self.full_calc) and t in ("n", "str", "b"):
            return FormulaWithoutValue(formula)
        if t == "s":
            return self.shared[int(v)] if v and v.strip().isdigit() and int(v) < len(self.shared) else None
        if t == "inlineStr":
            return inline
        if v is None:
            return None
        if t == "str":
            return _ESCAPED_CHAR.sub(lambda m: chr(int(m.group(1), 16)), v)
        if t == "b":
            return v.strip() == "1"
        if t == "e":
            return CellError(v)
        if t == "d":
            return _iso_date(v)
        s = c.get("s") or ""
        return self._number(v.strip().encode(), int(s) if s.isdigit() else None, self.date_styles)

    def scan(self, sheet: str) -> tuple[int, list[Merged]]:
        f, data, prefix, _decl = self._open_data(sheet)
        row_start = re.compile(rb"<" + re.escape(prefix) + rb"row[\s>/]")
        count = 0
        merged: list[Merged] = []
        try:
            while True:
                chunk = f.read(BLOCK_BYTES)
                cut = data.rfind(b">") + 1 if chunk else len(data)
                block, data = data[:cut], data[cut:] + chunk
                count += len(row_start.findall(block))
                if count > MAX_ROWS:
                    raise _too_big(f"Lembar «{sheet}» berisi lebih dari {format_count(MAX_ROWS)} baris.")
                merged.extend(_merges(block))
                if not chunk:
                    break
        finally:
            f.close()
        return count, merged


def _merges(block: bytes) -> list[Merged]:
    return [((int(r0) - 1, column_number(c0.decode()) - 1), (int(r1) - 1, column_number(c1.decode()) - 1))
            for c0, r0, c1, r1 in _MERGE.findall(block)]


def _parse_attributes(attrs: bytes) -> tuple[int, int | None]:
    """A cell's kind and style from its attributes after the reference; _UNUSUAL for anything else."""
    kind, style = _NUMBER, None
    rest = _ATTRIBUTE.sub(b"", attrs).strip()
    if rest and rest != b"/":
        return _UNUSUAL, None
    for name, value in _ATTRIBUTE.findall(attrs):
        if name == b"t":
            kind = _KINDS.get(value, _UNUSUAL)
        elif name == b"s":
            if not value.isdigit():
                return _UNUSUAL, None
            style = int(value)
        elif name not in (b"cm", b"vm", b"ph"):
            return _UNUSUAL, None
    return kind, style


def _column_index(letters: bytes, rownum: bytes) -> int:
    """The 0-based column of a cell reference's letters, remembered; refuses one beyond the column limit."""
    j = column_number(letters.decode()) - 1
    if j >= MAX_COLUMNS:
        raise _too_big(f"Sel {letters.decode()}{rownum.decode()} berada di luar batas kolom.")
    _COLUMN_CACHE[letters] = j
    return j


def _normpath(part: str) -> str:
    out: list[str] = []
    for piece in part.split("/"):
        if piece == "..":
            if out:
                out.pop()
        elif piece and piece != ".":
            out.append(piece)
    return "/".join(out)


def _iso_date(text: str) -> dt.date | dt.datetime | str:
    try:
        moment = dt.datetime.fromisoformat(text.strip().rstrip("Z"))
    except ValueError:
        return text
    return moment.date() if moment.time() == dt.time() else moment


# ---------------------------------------------------------------------------------------------------------------
# .xls, .xlsb, .ods: through python-calamine, whole (within the limits)


class CalamineBook(Workbook):
    """A workbook python-calamine reads whole: .xls (bounded by its format), .xlsb and .ods."""

    def __init__(self, path: Path) -> None:
        from python_calamine import CalamineWorkbook, SheetVisibleEnum

        self.path = path
        try:
            self.wb = CalamineWorkbook.from_path(str(path))
            meta = self.wb.sheets_metadata
        except Exception:  # calamine raises its own error types for every broken file
            raise _not_a_workbook(path) from None
        self.sheets = [SheetInfo(m.name, m.visible != SheetVisibleEnum.Visible, None, None) for m in meta]
        if not self.sheets:
            raise ImportFileError(f"Buku kerja {path.name} tidak berisi lembar kerja.")
        self._loaded: dict[str, Any] = {}

    def _sheet(self, name: str) -> Any:
        if name not in self._loaded:
            self.info(name)
            try:
                ws = self.wb.get_sheet_by_name(name)
            except Exception:
                raise _not_a_workbook(self.path) from None
            check_extent(name, ws.total_height, ws.total_width)
            self._loaded = {name: ws}  # one sheet in memory at a time
        return self._loaded[name]

    def rows(self, sheet: str, limit: int | None = None, *, columns: int | None = None,
             merged: list[Merged] | None = None) -> Iterator[tuple[int, list[Any]]]:
        ws = self._sheet(sheet)
        n = 0
        if merged is not None:
            merged.extend(self.scan(sheet)[1])
        try:
            data = ws.to_python(skip_empty_area=False)
        except Exception:
            raise _not_a_workbook(self.path) from None
        for i, raw in enumerate(data, start=1):
            values = [_calamine_value(v) for v in (raw if columns is None else raw[:columns])]
            while values and values[-1] is None:
                values.pop()
            if not values:
                continue
            yield i, values
            n += 1
            if limit is not None and n >= limit:
                return

    def scan(self, sheet: str) -> tuple[int, list[Merged]]:
        ws = self._sheet(sheet)
        merged = [tuple(m) for m in (getattr(ws, "merged_cell_ranges", None) or []) if len(m) == 2]
        return int(ws.total_height), merged

    def close(self) -> None:
        self._loaded = {}
        try:
            self.wb.close()
        except Exception:
            pass


def _calamine_value(v: Any) -> Any:
    if v is None or (v.__class__ is str and (not v or v.isspace())):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
        return int(v)
    if isinstance(v, str) and v in ERROR_CODES:
        return CellError(v)
    if isinstance(v, dt.datetime) and v.time() == dt.time():
        return v.date()
    return v
