"""Import of the ministry's ODS export and of the workbooks offices keep by hand: find the data, read it as offices
write it, check every row, then write all of it or nothing.

1. Find the data (:func:`find_layout`): the sheet whose header row names the columns (not necessarily the first; the
   clerk may choose another when several qualify), the header row in it (also a two-row header), and what is not
   data: the title block above the header, a row of column numbers under it, blank rows, totals rows ("Jumlah",
   "Total") and the signature lines under a totals row. The preview names all of it.
2. Read the values as offices write them: every cell goes through its rule in
   :mod:`kopdesk.models.services.exchange.normalize`; regions are matched to the Kemendagri codes in the database,
   within the province on the row and the region the office governs; a kelompok or sektor the list lacks becomes a
   new entry, written with the import and reported (a dry run only reports it).
3. Check each row and match it with the registry (NIK, then legal number, then name within the kelurahan), in
   batches of :data:`BATCH_ROWS` rows streamed from the workbook (:mod:`kopdesk.models.services.exchange.workbook`),
   with lookups per batch, never per row; memory holds a batch, not the file.
4. Write in the caller's one transaction, batch by batch. One invalid row (unless the clerk chose to import only the
   valid ones), a cancel or a crash leaves the database as it was; the row-by-row report and the workbook of
   invalid rows with the faulty cells highlighted (:func:`write_issues_workbook`) say what to fix.
"""

from __future__ import annotations

import array
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, bindparam, func, select, update
from sqlalchemy.orm import Session

from kopdesk.models.audit import AuditEntry
from kopdesk.models.base import utcnow
from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.errors import ConflictError, DomainError
from kopdesk.models.fileio import atomic_workbook
from kopdesk.models.formats import as_written, format_count
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.office import OfficeProfile
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.region import Region, dotted, undotted
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.exchange import normalize as rules
from kopdesk.models.services.exchange.lookups import kelompok_keys, sector_keys
from kopdesk.models.services.exchange.normalize import Refused
from kopdesk.models.services.exchange.workbook import (
    ImportFileError,
    Merged,
    Workbook,
    column_letter,
    open_workbook,
)
from kopdesk.models.services.registry.cooperatives import DEFAULTS, FIELDS, TRANSITIONS, _convert
from kopdesk.models.vocab import FORM, GRADES, JENIS, MEMBERSHIP_SCOPE, NIK_STATUS, POLA, STATUS

__all__ = ["ImportFileError", "ImportPreview", "ImportRejected", "ImportResult", "apply_import", "column_letter",
           "find_layout", "import_file", "preview_import", "read_sheet", "write_issues_workbook"]

# The ODS layout kopdesk reads and writes: field, canonical header, aliases (brief §2: header-driven, tolerant).
ODS_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("nik", "NIK", ("NIK Koperasi", "Nomor Induk Koperasi", "No. NIK", "No NIK")),
    ("name", "Nama Koperasi", ("Koperasi", "Nama", "Nama Lembaga")),
    ("legal_number", "No. Badan Hukum", ("Nomor Badan Hukum", "Nomor Badan Hukum Pendirian", "No. BH", "No BH",
                                         "Badan Hukum", "No Badan Hukum Pendirian")),
    ("legal_date", "Tanggal Badan Hukum", ("Tgl Badan Hukum", "Tgl. Badan Hukum", "Tanggal Badan Hukum Pendirian",
                                           "Tanggal BH", "Tgl BH", "Tgl. BH")),
    ("address", "Alamat", ("Alamat Lengkap", "Alamat Koperasi", "Jalan")),
    ("province", "Provinsi", ("Propinsi",)),
    ("kabkota", "Kab/Kota", ("Kabupaten", "Kabupaten/Kota", "Kabupaten / Kota", "Kota", "Kab. / Kota", "Kab")),
    ("kecamatan", "Kecamatan", ("Kec", "Kec.")),
    ("kelurahan", "Desa/Kelurahan", ("Desa", "Kelurahan", "Desa / Kelurahan", "Kelurahan/Desa", "Kel/Desa")),
    ("region_code", "Kode Wilayah", ("Kode Desa", "Kode Kelurahan", "Kode Wilayah Kemendagri")),
    ("jenis", "Jenis Koperasi", ("Jenis", "Jenis Kop")),
    ("pola", "Pola Pengelolaan", ("Pola",)),
    ("kelompok_id", "Kelompok Koperasi", ("Kelompok", "Kelompok Kop")),
    ("sector_id", "Sektor Usaha", ("Sektor",)),
    ("form", "Bentuk Koperasi", ("Bentuk",)),
    ("status", "Status Aktif", ("Status", "Status Koperasi", "Keaktifan")),
    ("nik_status", "Status NIK", ("Status Sertifikat NIK",)),
    ("nik_certified_on", "Tanggal Sertifikat NIK", ("Tanggal Sertifikat", "Tgl Sertifikat", "Tanggal Terbit Sertifikat")),
    ("certificate_valid_until", "Tanggal Berlaku Sertifikat", ("Berlaku Sertifikat", "Sertifikat Berlaku s.d.")),
    ("grade", "Grade", ("Status Grade",)),
    ("members_male", "Anggota Pria", ("Anggota Laki-laki", "Anggota L", "Jumlah Anggota Pria")),
    ("members_female", "Anggota Wanita", ("Anggota Perempuan", "Anggota P", "Jumlah Anggota Wanita")),
    ("managers", "Manager", ("Manajer", "Jumlah Manager")),
    ("employees", "Karyawan", ("Jumlah Karyawan",)),
    ("own_capital", "Modal Sendiri", ()),
    ("external_capital", "Modal Luar", ()),
    ("assets", "Aset", ("Asset", "Total Aset")),
    ("business_volume", "Volume Usaha", ("Omzet",)),
    ("shu", "SHU", ("Sisa Hasil Usaha",)),
    ("figures_year", "Tahun Data", ("Tahun Buku", "Tahun")),
    ("phone", "Telepon", ("No. Telp", "No Telp", "Telp", "No. Telepon", "Nomor Telepon")),
    ("email", "Email", ("E-mail", "Surel", "Alamat Email")),
    ("nib", "NIB", ()),
    ("npwp", "NPWP", ()),
]
# Columns the import reads that the ODS layout does not write.
IMPORT_ONLY_COLUMNS: list[tuple[str, str, tuple[str, ...]]] = [
    ("membership_scope", "Wilayah Keanggotaan", ("Lingkup Keanggotaan", "Wilayah Anggota")),
]
IGNORED_HEADERS = {"no", "nomor", "no urut", "id", "keterangan"}
REGION_PARTS = ("province", "kabkota", "kecamatan", "kelurahan", "region_code")
# Fields compared and written; the region parts become the four region codes.
DATA_FIELDS = [f for f, _h, _a in ODS_COLUMNS + IMPORT_ONLY_COLUMNS if f not in REGION_PARTS]
REGION_FIELDS = ("province_code", "kabkota_code", "kecamatan_code", "kelurahan_code")
COMPARED = DATA_FIELDS + list(REGION_FIELDS)
FTS_BULK_THRESHOLD = 5000  # rows from which a SQLite import fills the search index set-based
INDEX_REBUILD_THRESHOLD = 20_000  # rows from which a SQLite import as large as the registry rebuilds its indexes
BATCH_ROWS = 5000  # rows checked, matched and written together
HEAD_ROWS = 30  # rows of each sheet searched for the header
NEW, UPDATED, UNCHANGED, INVALID = "baru", "diperbarui", "tidak berubah", "tidak valid"
ACTION_LABELS = {NEW: "Baru", UPDATED: "Diperbarui", UNCHANGED: "Tidak berubah", INVALID: "Tidak valid"}
LOOKUP_LABELS = {"kelompok_id": "Kelompok", "sector_id": "Sektor"}


class ImportRejected(DomainError):
    """Some rows are invalid and the clerk did not choose to import only the valid ones; nothing was written.

    Attributes:
        preview: the checked file, row by row (for the report and the workbook of invalid rows).
    """

    preview: ImportPreview | None = None


def norm_header(text: object) -> str:
    """A header as compared: lower case, letters and digits only ("No. Badan  Hukum" -> "nobadanhukum")."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


ALIASES: dict[str, str] = {}
for _f, _h, _a in ODS_COLUMNS + IMPORT_ONLY_COLUMNS:
    for _name in (_h, *_a, _f):
        ALIASES.setdefault(norm_header(_name), _f)
HEADER_OF = {f: h for f, h, _a in ODS_COLUMNS + IMPORT_ONLY_COLUMNS}
_IGNORED = {norm_header(x) for x in IGNORED_HEADERS}


# ---------------------------------------------------------------------------------------------------------------
# What a check says


@dataclass(slots=True)
class Issue:
    """Why a row is invalid: the row and column of the file (1-based, as Excel shows them), the value, the reason."""

    row: int
    column: int
    header: str
    value: Any
    reason: str

    def text(self) -> str:
        col = column_letter(self.column) if self.column else "-"
        shown = as_written(self.value) if self.value not in (None, "") else ""
        value = f" ({shown})" if shown and f"«{shown}»" not in self.reason else ""
        return f"Baris {self.row}, kolom {col} «{self.header}»{value}: {self.reason}"


@dataclass(slots=True)
class Change:
    """One field an import would change, with both values as a clerk reads them."""

    field: str
    label: str
    old: Any
    new: Any
    old_text: str = ""
    new_text: str = ""

    def text(self) -> str:
        return f"{self.label}: {self.old_text or '–'} → {self.new_text or '–'}"


@dataclass(slots=True)
class PreviewRow:
    row: int
    action: str
    name: str
    coop_id: int | None = None
    matched_by: str | None = None
    changes: list[Change] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    clean: dict[str, Any] = field(default_factory=dict)
    version: int | None = None
    old_status: str | None = None
    raw: list[Any] | None = None  # the cells as read, kept for invalid rows (the workbook of invalid rows)


@dataclass(frozen=True)
class SheetChoice:
    """A sheet whose header row was recognised."""

    name: str
    header_row: int
    columns: int
    hidden: bool = False


@dataclass
class Skipped:
    """Rows that are not data: what they are and where."""

    what: str  # "judul", "nomor kolom", "kosong", "jumlah", "penutup"
    rows: list[int] = field(default_factory=list)
    count: int = 0

    LABELS = {"judul": "blok judul", "nomor kolom": "baris nomor kolom", "kosong": "baris kosong",
              "jumlah": "baris jumlah", "penutup": "baris di bawah baris jumlah (tanda tangan, catatan)"}

    def add(self, row: int) -> None:
        self.count += 1
        if len(self.rows) < 50:
            self.rows.append(row)

    def text(self) -> str:
        label = self.LABELS.get(self.what, self.what)
        if self.what == "kosong":
            return f"{format_count(self.count)} {label}"
        more = f" dan {format_count(self.count - len(self.rows))} lainnya" if self.count > len(self.rows) else ""
        return f"{label} (baris {_ranges(self.rows)}{more})"


def _ranges(rows: list[int]) -> str:
    """Row numbers as a clerk reads them: "1–3, 7"."""
    spans: list[tuple[int, int]] = []
    for r in sorted(rows):
        if spans and spans[-1][1] == r - 1:
            spans[-1] = (spans[-1][0], r)
        else:
            spans.append((r, r))
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


@dataclass
class NewLookup:
    """A kelompok or sektor value the list lacks: added by the import."""

    field: str
    name: str
    first_row: int
    rows: int = 0
    id: int | None = None

    def text(self) -> str:
        return f"{self.name} ({format_count(self.rows)} baris, pertama di baris {self.first_row})"


@dataclass
class ImportPreview:
    """What an import would do (or did), row by row, and how the file was read."""

    path: str
    sheet: str
    header_row: int
    columns: dict[int, str]  # 0-based column index -> field
    headers: list[str]
    rows: list[PreviewRow]
    unknown_headers: list[str] = field(default_factory=list)
    sheets: list[SheetChoice] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    new_lookups: list[NewLookup] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=lambda: {NEW: 0, UPDATED: 0, UNCHANGED: 0, INVALID: 0})
    kabkota_codes: set[str] = field(default_factory=set)
    issue_count: int = 0

    def counts(self) -> dict[str, int]:
        return dict(self.totals)

    @property
    def issues(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues]

    def summary(self) -> str:
        c = self.totals
        return (f"{format_count(sum(c.values()))} baris: {format_count(c[NEW])} baru, {format_count(c[UPDATED])} "
                f"diperbarui, {format_count(c[UNCHANGED])} tidak berubah, {format_count(c[INVALID])} tidak valid")

    def notes(self) -> list[str]:
        """How the file was read, for the preview: the sheet, what was skipped, new lookup values, ignored columns."""
        out = [f"Lembar «{self.sheet}» dipakai (judul kolom di baris {self.header_row})."]
        others = [s.name for s in self.sheets if s.name != self.sheet]
        if others:
            out.append("Lembar lain yang juga berjudul kolom dikenal: " + ", ".join(f"«{n}»" for n in others)
                       + "; pilih lembarnya bila bukan yang ini.")
        if self.skipped:
            out.append("Dilewati: " + "; ".join(s.text() for s in self.skipped) + ".")
        for fld, label in LOOKUP_LABELS.items():
            new = [n for n in self.new_lookups if n.field == fld]
            if new:
                out.append(f"{label} baru (ditambahkan ke daftar saat diimpor): " + "; ".join(n.text() for n in new)
                           + ".")
        if self.unknown_headers:
            out.append("Kolom diabaikan: " + ", ".join(self.unknown_headers) + ".")
        return out


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped_invalid: int
    created_ids: list[int] = field(default_factory=list)
    new_lookups: list[NewLookup] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# Finding the data


@dataclass
class Layout:
    """Where the data of a workbook is: the sheet, its header, and the first rows read to find them."""

    sheet: str
    header_row: int  # 1-based; the lower row of a two-row header
    first_header_row: int  # the upper row of a two-row header, else header_row
    mapping: dict[int, str]
    texts: list[str]
    unknown: list[str]
    head: list[tuple[int, list[Any]]]
    choices: list[SheetChoice]


def _cell_label(value: Any) -> str:
    return "" if value is None else (rules.text(value) or "")


def _header_texts(values: list[Any], above: list[Any] | None) -> tuple[list[str], bool]:
    """Header texts of a row; under a row of group labels ("Anggota" over "Pria", "Wanita"), "group label" when that
    is a known header. Returns the texts and whether the row above took part."""
    texts = [_cell_label(v) for v in values]
    if above is None:
        return texts, False
    width = max(len(values), len(above))
    texts += [""] * (width - len(texts))
    out: list[str] = []
    used = False
    carry = ""
    for j in range(width):
        parent = _cell_label(above[j]) if j < len(above) else ""
        child = texts[j]
        if parent:
            carry = parent
        elif not child:
            carry = ""
        if child and carry and ALIASES.get(norm_header(f"{carry} {child}")):
            out.append(f"{carry} {child}")
            used = True
        elif not child and parent and ALIASES.get(norm_header(parent)):
            out.append(parent)
            used = True
        else:
            out.append(child)
    return out, used


def _best_header(head: list[tuple[int, list[Any]]]) -> tuple[int, int, dict[int, str], list[str], bool] | None:
    """The header row among the first rows: (row, score, mapping, texts, two-row) or None."""
    best: tuple[int, int, dict[int, str], list[str], bool] | None = None
    for k, (rownum, values) in enumerate(head):
        above = head[k - 1][1] if k > 0 and head[k - 1][0] == rownum - 1 else None
        texts, two_rows = _header_texts(values, above)
        mapping: dict[int, str] = {}
        for j, t in enumerate(texts):
            f = ALIASES.get(norm_header(t))
            if f is None and two_rows and j < len(values):
                f = ALIASES.get(norm_header(_cell_label(values[j])))
            if f is not None and f not in mapping.values():
                mapping[j] = f
        if "name" in mapping.values() and len(mapping) >= 2 and (best is None or len(mapping) > best[1]):
            best = (rownum, len(mapping), mapping, texts, two_rows)
    return best


def find_layout(wb: Workbook, sheet: str | None = None) -> Layout:
    """The sheet and header row that hold the data: the sheet the clerk named, else the one whose header row names
    the most known columns (visible sheets first; an instructions sheet before the data does not matter).

    Raises:
        ImportFileError: no sheet has a header row with «Nama Koperasi» and another known column.
    """
    found: dict[str, tuple[Any, list[tuple[int, list[Any]]], bool]] = {}
    for info in wb.sheets:
        head = list(wb.rows(info.name, limit=HEAD_ROWS))
        best = _best_header(head)
        if best is not None:
            found[info.name] = (best, head, info.hidden)
    choices = [SheetChoice(name, b[0], b[1], hidden) for name, (b, _h, hidden) in found.items()]
    if sheet is not None:
        wb.info(sheet)
        if sheet not in found:
            raise ImportFileError(f"Lembar «{sheet}» tidak memuat baris judul kolom yang dikenali (setidaknya «Nama "
                                  "Koperasi» dan satu kolom lain)." + (" Lembar yang memuatnya: " + ", ".join(
                                      f"«{c.name}»" for c in choices) + "." if choices else ""))
        chosen = sheet
    else:
        if not choices:
            raise ImportFileError(
                "Judul kolom tidak dikenali: tidak ada lembar yang baris judulnya memuat setidaknya «Nama Koperasi» "
                "dan satu kolom lain (mis. «NIK», «No. Badan Hukum», «Kab/Kota»). Lembar yang diperiksa: "
                + ", ".join(f"«{s.name}»" for s in wb.sheets) + ".")
        chosen = max(choices, key=lambda c: (not c.hidden, c.columns)).name
        # max() keeps the first of equals, so the earliest sheet wins a tie
    (rownum, _score, mapping, texts, two_rows), head, _hidden = found[chosen]
    unknown = [t for j, t in enumerate(texts) if j not in mapping and t and norm_header(t) not in _IGNORED]
    return Layout(chosen, rownum, rownum - 1 if two_rows else rownum, mapping, texts, unknown, head, choices)


def _merged_header_errors(layout: Layout, merged: list[Merged]) -> list[str]:
    """Header cells merged across columns that hold data: those columns have no header of their own."""
    h = layout.header_row - 1
    data = [values for rownum, values in layout.head if rownum > layout.header_row]
    errors = []
    for m in merged:
        try:
            (r0, c0), (r1, c1) = m
        except (TypeError, ValueError):
            continue
        if not (r0 <= h <= r1) or c1 <= c0:
            continue
        for j in range(c0 + 1, c1 + 1):
            if j in layout.mapping:
                continue
            if any(j < len(r) and r[j] not in (None, "") for r in data):
                errors.append(f"sel judul {column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1} digabung, "
                              f"sehingga kolom {column_letter(j + 1)} tidak berjudul padahal berisi data")
    return errors


_NUMBERING = re.compile(r"^\(?\s*(\d{1,3})\s*\)?\.?$")


def _is_numbering_row(values: list[Any]) -> bool:
    """A row of column numbers under the header: (1), (2), (3) ... or 1, 2, 3 ..."""
    numbers = []
    for v in values:
        if v is None:
            continue
        if isinstance(v, int) and not isinstance(v, bool):
            numbers.append(v)
            continue
        m = _NUMBERING.match(str(v).strip()) if isinstance(v, str) else None
        if m is None:
            return False
        numbers.append(int(m.group(1)))
    return len(numbers) >= 2 and numbers == list(range(numbers[0], numbers[0] + len(numbers)))


_TOTAL_WORDS = ("jumlah", "total", "sub total", "subtotal", "grand total", "jumlah total")


def _is_total_label(value: Any) -> bool:
    if not isinstance(value, str):
        return False
    k = rules.key(value)
    return k in _TOTAL_WORDS or k.startswith(("jumlah ", "total ", "sub total ", "subtotal "))


def read_sheet(path: str | Path, sheet: str | int | None = None) -> tuple[str, list[list[Any]], list[Merged]]:
    """The non-empty rows of one sheet (the first when None) of a small workbook, with the same limits and cell
    values as the import (used for the consolidation workbooks' Metadata sheet).

    Raises:
        ImportFileError: not a readable workbook, too big, or no such sheet.
    """
    with open_workbook(path) as wb:
        info = wb.sheets[sheet or 0] if not isinstance(sheet, str) else wb.info(sheet)
        rows = [values for _n, values in wb.rows(info.name)]
        _count, merged = wb.scan(info.name)
        return info.name, rows, merged


# ---------------------------------------------------------------------------------------------------------------
# Regions


@dataclass(frozen=True)
class _Place:
    code: str
    name: str
    level: int
    kind: str
    parent: str | None


class _Regions:
    """Region matching by the rules of :mod:`normalize`, against the Kemendagri codes in the database.

    Provinces and kab/kota are loaded at once; the kecamatan and desa of a kab/kota on first use, in one query.
    """

    def __init__(self, session: Session, office_code: str | None) -> None:
        self.session = session
        self.places: dict[str, _Place] = {}
        self.provinces: dict[str, str] = {}
        self.kabkota: dict[tuple[str, str], list[str]] = defaultdict(list)  # (province, bare key) -> codes
        self.kabkota_anywhere: dict[str, list[str]] = defaultdict(list)  # bare key -> codes
        self.below: dict[tuple[str, int, str], list[str]] = defaultdict(list)  # (parent, level, key) -> codes
        self.loaded: set[str] = set()
        self.cache: dict[tuple[Any, ...], tuple[dict[str, str | None], str | None, str | None]] = {}
        self.chains: dict[str, dict[str, str | None]] = {}
        self.level_cache: dict[tuple[Any, ...], tuple[str | None, str | None]] = {}
        for code, name, level, kind, parent in session.execute(
                select(Region.code, Region.name, Region.level, Region.kind, Region.parent_code).where(Region.level <= 2)):
            self.places[code] = _Place(code, name, level, kind, parent)
            if level == 1:
                self.provinces[rules.province_key(name)] = code
                self.provinces[rules.key(name)] = code
            else:
                bare = rules.kabkota_name(name)[1]
                self.kabkota[(parent or "", bare)].append(code)
                self.kabkota_anywhere[bare].append(code)
        office = self.places.get(undotted(office_code or "")[:4]) or self.places.get(undotted(office_code or "")[:2])
        self.office = office

    def _load_below(self, kab: str) -> None:
        if kab in self.loaded:
            return
        self.loaded.add(kab)
        for code, name, level, kind, parent in self.session.execute(
                select(Region.code, Region.name, Region.level, Region.kind, Region.parent_code)
                .where(Region.code.startswith(kab), Region.level >= 3)):
            self.places[code] = _Place(code, name, level, kind, parent)
            for k in set(rules.place_keys(name, level)):
                self.below[(parent or "", level, k)].append(code)

    def _get(self, code: str) -> _Place | None:
        if code not in self.places:
            if len(code) >= 6:
                self._load_below(code[:4])
            if code not in self.places:
                return None
        return self.places[code]

    def chain(self, code: str) -> dict[str, str | None]:
        hit = self.chains.get(code)
        if hit is None:
            hit = self.chains[code] = self._chain(code)
        return hit

    def _chain(self, code: str) -> dict[str, str | None]:
        out: dict[str, str | None] = dict.fromkeys(REGION_FIELDS)
        c: str | None = code
        while c:
            place = self._get(c)
            if place is None:
                break
            out[REGION_FIELDS[place.level - 1]] = c
            c = place.parent
        return out

    def resolve(self, key: tuple[Any, ...]) -> tuple[dict[str, str | None], str | None, str | None]:
        """Region codes from a row's region cells in REGION_PARTS order: (codes, None, None) or (empty, the faulty
        part, the reason)."""
        hit = self.cache.get(key)
        if hit is None:
            hit = self._marker(key) or self._resolve({p: rules.text(v) or "" for p, v in zip(REGION_PARTS, key)})
            if len(self.cache) > _CACHE_LIMIT:
                self.cache.clear()
                self.level_cache.clear()
            self.cache[key] = hit
        return hit

    @staticmethod
    def _marker(key: tuple[Any, ...]) -> tuple[dict[str, str | None], str | None, str | None] | None:
        """A formula without a stored result or an error cell among the region cells: that part, with the reason."""
        for part, value in zip(REGION_PARTS, key):
            try:
                rules._refuse_marker(value)
            except Refused as exc:
                return dict.fromkeys(REGION_FIELDS), part, str(exc)
        return None

    def _outside_office(self, kab: str) -> str | None:
        office = self.office
        if office is None:
            return None
        inside = kab == office.code if office.level == 2 else kab[:2] == office.code
        if inside:
            return None
        return (f"{self.places[kab].name} berada di luar wilayah kantor ini ({office.name}); impor hanya koperasi "
                f"di wilayah kantor")

    def _resolve(self, p: dict[str, str]) -> tuple[dict[str, str | None], str | None, str | None]:
        empty: dict[str, str | None] = dict.fromkeys(REGION_FIELDS)
        if p["region_code"]:
            code = undotted(p["region_code"])
            place = self._get(code) if code else None
            if place is None:
                return empty, "region_code", f"kode wilayah {p['region_code']} tidak dikenal"
            codes = self.chain(code)
            outside = self._outside_office(codes["kabkota_code"]) if codes["kabkota_code"] else None
            return (empty, "region_code", outside) if outside else (codes, None, None)
        province: str | None = None
        if p["province"]:
            digits = undotted(p["province"])
            province = digits if len(digits) == 2 and digits in self.places else self.provinces.get(
                rules.province_key(p["province"]))
            if province is None:
                return empty, "province", f"provinsi «{p['province']}» tidak dikenal"
        if not p["kabkota"]:
            return empty, "kabkota", "wajib diisi"
        kab, why = self._cached(("kab", p["kabkota"], province), self._kabkota, p["kabkota"], province)
        if kab is None:
            return empty, "kabkota", why
        outside = self._outside_office(kab)
        if outside:
            return empty, "kabkota", outside
        code = kab
        if p["kecamatan"]:
            kec, why = self._cached((kab, 3, p["kecamatan"]), self._below, kab, 3, p["kecamatan"])
            if kec is None:
                return empty, "kecamatan", why
            code = kec
            if p["kelurahan"]:
                kel, why = self._cached((kec, 4, p["kelurahan"]), self._below, kec, 4, p["kelurahan"])
                if kel is None:
                    return empty, "kelurahan", why
                code = kel
        elif p["kelurahan"]:
            return empty, "kecamatan", "wajib diisi bila desa/kelurahan diisi"
        return self.chain(code), None, None

    def _cached(self, key: tuple[Any, ...], fn: Callable[..., tuple[str | None, str | None]],
                *args: Any) -> tuple[str | None, str | None]:
        hit = self.level_cache.get(key)
        if hit is None:
            hit = self.level_cache[key] = fn(*args)
        return hit

    def _kabkota(self, text: str, province: str | None) -> tuple[str | None, str | None]:
        digits = undotted(text)
        if len(digits) == 4 and digits == re.sub(r"[\s.]", "", text):
            place = self.places.get(digits)
            if place is None or place.level != 2:
                return None, f"kode kabupaten/kota {text} tidak dikenal"
            if province and place.parent != province:
                return None, f"{place.name} tidak berada di Provinsi {self.places[province].name}"
            return digits, None
        kind, bare = rules.kabkota_name(text)
        scope = province or (self.office.code[:2] if self.office else None)

        def matching(prov: str | None) -> list[str]:
            if prov is not None:
                codes = list(self.kabkota.get((prov, bare), []))
            else:
                codes = list(self.kabkota_anywhere.get(bare, []))
            return [c for c in codes if kind is None or self.places[c].kind == kind]

        codes = matching(scope)
        if not codes:
            elsewhere = matching(None)
            if elsewhere and province:
                names = ", ".join(f"{self.places[c].name} ({self.places[self.places[c].parent or ''].name})"
                                  for c in elsewhere[:3])
                return None, (f"«{text}» tidak berada di Provinsi {self.places[province].name}; yang bernama itu ada "
                              f"di provinsi lain: {names}")
            if elsewhere and len(elsewhere) == 1 and self.office is not None:
                return None, self._outside_office(elsewhere[0])
            return None, f"kabupaten/kota «{text}» tidak dikenal"
        if len(codes) > 1:
            named = " atau ".join(self.places[c].name + ("" if scope else f" ({self.places[self.places[c].parent or ''].name})")
                                  for c in codes[:4])
            if kind is None and len({self.places[c].kind for c in codes}) > 1 and scope:
                return None, f"«{text}» bisa {named}; tulis salah satunya"
            return None, f"«{text}» ada lebih dari satu: {named}; tulis provinsinya atau pakai kode wilayah"
        return codes[0], None

    def _below(self, parent: str, level: int, text: str) -> tuple[str | None, str | None]:
        digits = undotted(text)
        width = 6 if level == 3 else 10
        what = "kecamatan" if level == 3 else "desa/kelurahan"
        parent_name = self.places[parent].name if parent in self.places else parent
        where = parent_name if level == 3 else f"Kecamatan {parent_name}"
        if len(digits) == width and digits == re.sub(r"[\s.]", "", text):
            place = self._get(digits)
            if place is None or place.level != level:
                return None, f"kode {what} {text} tidak dikenal"
            if place.parent != parent:
                return None, f"{what} {place.name} tidak berada di {where}"
            return digits, None
        self._load_below(parent[:4])
        full, bare = rules.place_keys(text, level)
        codes = self.below.get((parent, level, full)) or self.below.get((parent, level, bare)) or []
        if len(codes) == 1:
            return codes[0], None
        if len(codes) > 1:
            return None, f"ada {len(codes)} {what} bernama «{text}» di {where}; pakai kode wilayahnya"
        if level == 4:  # the desa exists, but in another kecamatan of the kab/kota
            kab = parent[:4]
            others = sorted({self.places[c].parent or "" for (pv, lv, k), cs in self.below.items()
                             if lv == 4 and pv and pv.startswith(kab) and k in (full, bare) for c in cs})
            if others:
                names = ", ".join(f"Kecamatan {self.places[o].name}" for o in others[:3] if o in self.places)
                return None, f"desa/kelurahan «{text}» tidak berada di {where}; yang bernama itu ada di {names}"
        return None, f"{what} «{text}» tidak ada di {where}"


# ---------------------------------------------------------------------------------------------------------------
# Lookups


@dataclass(frozen=True)
class NewEntry:
    """A kelompok or sektor that will be added to its list (its id is known once written)."""

    field: str
    key: str


class _Lookups:
    def __init__(self, session: Session) -> None:
        self.keys = {"kelompok_id": kelompok_keys(session), "sector_id": sector_keys(session)}
        self.names = {"kelompok_id": dict(session.execute(select(Kelompok.id, Kelompok.name)).all()),
                      "sector_id": dict(session.execute(select(Sector.id, Sector.name)).all())}
        self.new: dict[tuple[str, str], NewLookup] = {}
        self.found: dict[tuple[str, Any], int | NewEntry | Refused] = {}

    def find(self, f: str, value: Any, row: int) -> int | NewEntry:
        """The id of the entry a cell names, or a :class:`NewEntry` for a name the list lacks.

        Raises:
            Refused: not a possible name, or a key two entries answer to.
        """
        hit = self.found.get((f, value))
        if hit is None:
            try:
                hit = self._find(f, value, row)
            except Refused as exc:
                hit = exc
            if len(self.found) > _CACHE_LIMIT:
                self.found.clear()
            self.found[(f, value)] = hit
        elif isinstance(hit, NewEntry):
            entry = self.new[(hit.field, hit.key)]
            entry.rows += 1
            return entry.id if entry.id is not None else hit
        if isinstance(hit, Refused):
            raise hit
        return hit

    def _find(self, f: str, value: Any, row: int) -> int | NewEntry:
        name = rules.lookup_name(value)
        k = rules.lookup_key(name)
        entry = self.new.get((f, k))
        if entry is not None:  # new in this file (and perhaps already written)
            entry.rows += 1
            return entry.id if entry.id is not None else NewEntry(f, k)
        ids = self.keys[f].get(k)
        if ids:
            if len(ids) > 1:
                names = " dan ".join(sorted(self.names[f].get(i, str(i)) for i in ids))
                raise Refused(f"«{name}» cocok dengan lebih dari satu {LOOKUP_LABELS[f].lower()}: {names}; tulis "
                              "nama lengkapnya")
            return next(iter(ids))
        self.new[(f, k)] = NewLookup(f, name, row, rows=1)
        return NewEntry(f, k)

    def display(self, f: str, value: Any) -> str:
        if isinstance(value, NewEntry):
            return self.new[(value.field, value.key)].name + " (baru)"
        return self.names[f].get(value, as_written(value))


# ---------------------------------------------------------------------------------------------------------------
# Checking rows

_LABELLED: dict[str, dict[str, str]] = {"jenis": JENIS, "pola": POLA, "status": STATUS, "nik_status": NIK_STATUS,
                                        "form": FORM, "membership_scope": MEMBERSHIP_SCOPE}
_COUNTS = {"members_male", "members_female", "managers", "employees"}
_MONEY = {"own_capital", "external_capital", "assets", "business_volume"}
_TEXTS = {"name", "legal_number", "address"}
_CHOICES: dict[str, Callable[[Any], str]] = {"jenis": rules.jenis, "pola": rules.pola, "status": rules.status,
                                             "nik_status": rules.nik_status,
                                             "membership_scope": rules.membership_scope}
# Fields whose values repeat from row to row: their rule's answer is remembered per spelling.
_REPEATING = {"form", "membership_scope", "grade", "figures_year", *_CHOICES}
_CACHE_LIMIT = 20_000  # remembered answers per cache; a cache that fills is emptied (memory stays bounded)
_REQUIRED_NEW = [f for f, spec in FIELDS.items() if spec.required and f not in DEFAULTS and f != "name"]
_MISS = object()
_DIRECT, _CACHED, _LOOKUP = 0, 1, 2
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_MATCH_COLUMNS = [Cooperative.id, Cooperative.version, *(getattr(Cooperative, f) for f in COMPARED)]


class _Checker:
    """Converts and checks rows, and matches them with the registry batch by batch."""

    def __init__(self, session: Session, layout: Layout, today: dt.date) -> None:
        self.session = session
        self.layout = layout
        self.today = today
        office_code = session.scalar(select(OfficeProfile.region_code).where(OfficeProfile.id == 1))
        self.regions = _Regions(session, office_code)
        self.lookups = _Lookups(session)
        self.col_of = {f: j for j, f in layout.mapping.items()}
        self.mapped = sorted(layout.mapping)
        self.region_cols = [(p, self.col_of[p]) for p in REGION_PARTS if p in self.col_of]
        # The region cells of a row in REGION_PARTS order; an absent column reads as None.
        self.region_index = [self.col_of.get(p, 1 << 30) for p in REGION_PARTS]
        self.no_region = (None,) * len(REGION_PARTS)
        self.region_columns = {j + 1 for _p, j in self.region_cols}
        absent = 1 << 30  # a column index no row reaches
        self.j_nik, self.j_legal = self.col_of.get("nik", absent), self.col_of.get("legal_number", absent)
        self.j_name = self.col_of["name"]
        self.cache: dict[tuple[str, Any], Any] = {}
        self.rules = self._rules()
        # (column, field, rule, how) in column order: how the row loop turns each cell into its stored value.
        self.plan = [(j, f, self.rules.get(f, rules.text), _LOOKUP if f in LOOKUP_LABELS else _CACHED
                      if f in _REPEATING else _DIRECT) for j, f in sorted(layout.mapping.items())
                     if f not in REGION_PARTS]
        self.seen_nik: dict[int, int] = {}  # NIK (as int("1" + digits)) -> the file row it was first seen on
        self.claimed: dict[int, int] = {}
        # Cooperatives this import creates come after this id; they are never matched with later rows of the file.
        self.max_id = session.scalar(select(func.max(Cooperative.id))) or 0
        self.after_totals = False

    def header(self, j: int) -> str:
        return self.layout.texts[j] if 0 <= j < len(self.layout.texts) else ""

    def issue(self, pr: PreviewRow, f: str, value: Any, reason: str) -> None:
        j = self.col_of.get(f, self.col_of.get("kabkota", -1) if f == "kabkota_code" else -1)
        pr.issues.append(Issue(pr.row, j + 1 if j >= 0 else 0, self.header(j) if j >= 0 else HEADER_OF.get(
            f, FIELDS[f].label if f in FIELDS else f), value, reason))

    # --- one row ---------------------------------------------------------------------------------------------
    def row(self, rownum: int, values: list[Any]) -> PreviewRow | str:
        """A checked row, or what it is when it is not data ("kosong", "jumlah", "penutup").

        The reader gives no empty or blank strings, so a missing value is None.
        """
        n = len(values)
        j_nik, j_legal = self.j_nik, self.j_legal
        if not ((j_nik < n and values[j_nik] is not None) or (j_legal < n and values[j_legal] is not None)):
            name = values[self.j_name] if self.j_name < n else None
            if any(_is_total_label(v) for v in (name, *values[:4])):
                self.after_totals = True
                return "jumlah"
            filled = sum(1 for j in self.mapped if j < n and values[j] is not None)
            if not filled:
                return "kosong"
            if self.after_totals and filled <= 2:
                return "penutup"
        pr = PreviewRow(rownum, NEW, "")
        clean: dict[str, Any] = {}
        cache = self.cache
        for j, f, fn, how in self.plan:
            value = values[j] if j < n else None
            if value is None:
                if f == "name":
                    pr.issues.append(Issue(rownum, j + 1, self.header(j), None, "wajib diisi"))
                continue
            try:
                if how == _CACHED:  # values that repeat: the rule's answer remembered per spelling
                    hit = cache.get((f, value), _MISS)
                    if hit is _MISS:
                        try:
                            hit = fn(value)
                        except (Refused, ValueError) as exc:
                            hit = Refused(str(exc))
                        if len(cache) > _CACHE_LIMIT:
                            cache.clear()
                        cache[(f, value)] = hit
                    if hit.__class__ is Refused:
                        raise hit
                    if f == "form":
                        clean["form"], scope = hit
                        if scope:
                            clean["form_scope"] = scope
                    else:
                        clean[f] = hit
                elif how == _LOOKUP:
                    clean[f] = self.lookups.find(f, value, rownum)
                else:
                    clean[f] = fn(value)
            except (Refused, ValueError) as exc:
                pr.issues.append(Issue(rownum, j + 1, self.header(j), value, str(exc)))
        if "form_scope" in clean:
            scope = clean.pop("form_scope")
            if "membership_scope" in clean and clean["membership_scope"] != scope:
                j = self.col_of["membership_scope"]
                self.issue(pr, "membership_scope", values[j] if j < n else None,
                           f"bentuk «{as_written(values[self.col_of['form']])}» menyebut wilayah keanggotaan "
                           f"{MEMBERSHIP_SCOPE[scope]}, kolom ini {MEMBERSHIP_SCOPE[clean['membership_scope']]}")
            clean["membership_scope"] = scope
        if self.region_cols:
            key = tuple(values[j] if j < n else None for j in self.region_index)
            if key != self.no_region:
                codes, bad, reason = self.regions.resolve(key)
                if bad:
                    self.issue(pr, bad, key[REGION_PARTS.index(bad)], reason or "")
                else:
                    clean.update(codes)
        pr.name = clean.get("name") or ""
        pr.clean = clean
        return pr

    def _rules(self) -> dict[str, Callable[[Any], Any]]:
        """The rule of each field (kopdesk.models.services.exchange.normalize), with the registry's own limits."""
        today = self.today
        out: dict[str, Callable[[Any], Any]] = {"nik": rules.nik, "form": rules.form, **_CHOICES,
                                                "shu": lambda v: rules.money(v, signed=True)}
        out.update(dict.fromkeys(_COUNTS, rules.count))
        out.update(dict.fromkeys(_MONEY, rules.money))

        def year(v: Any) -> int | None:
            number = rules.count(v)
            if number is not None and not 1900 <= number <= today.year + 1:
                raise Refused(f"tahun {number} tidak masuk akal")
            return number

        def dated(past: bool) -> Callable[[Any], dt.date | None]:
            def convert(v: Any) -> dt.date | None:
                day = rules.date(v)
                if past and day is not None and day > today:
                    raise Refused(f"tanggal {as_written(day)} tidak boleh di masa depan")
                return day
            return convert

        def texted(f: str) -> Callable[[Any], Any]:
            spec = FIELDS[f]

            def convert(v: Any) -> Any:
                rules._refuse_marker(v)
                t = rules.text(v)
                if t is None:
                    return None
                if _CONTROL.search(t):
                    raise Refused("berisi karakter kendali yang tidak boleh")
                if spec.kind == "text":
                    if spec.max_len and len(t) > spec.max_len:
                        raise Refused(f"terlalu panjang ({format_count(len(t))} karakter, paling banyak "
                                      f"{format_count(spec.max_len)})")
                    return t
                return _convert(self.session, f, spec, t, today, [], None)
            return convert

        def grade(v: Any) -> str:
            rules._refuse_marker(v)
            g = (rules.text(v) or "").upper()
            if g not in GRADES:
                raise Refused(f"grade harus salah satu dari {', '.join(GRADES)}")
            return g

        out["figures_year"] = year
        out["grade"] = grade
        for f in DATA_FIELDS:
            spec = FIELDS.get(f)
            if f in out or f in LOOKUP_LABELS or spec is None:
                continue
            out[f] = dated(spec.kind == "past_date") if spec.kind in ("date", "past_date") else texted(f)
        return out

    # --- a batch ---------------------------------------------------------------------------------------------
    def match(self, batch: list[PreviewRow], expected: Mapping[int, tuple[int | None, int | None]] | None) -> None:
        """Match a batch with the registry (NIK, then legal number, then name within the kelurahan) and decide each
        row's action; rows created earlier in this import are not matched."""
        key = rules.key
        if self.max_id:
            legal_keys = [key(r.clean["legal_number"]) if r.clean.get("legal_number") else "" for r in batch]
            name_kels: list[tuple[str, str] | None] = [
                (key(r.clean["name"]), r.clean["kelurahan_code"]) if r.clean.get("name") and r.clean.get("kelurahan_code")
                else None for r in batch]
        else:  # an empty registry: nothing to match, no keys to compute
            legal_keys, name_kels = [""] * len(batch), [None] * len(batch)
        existing: dict[int, dict[str, Any]] = {}
        by_nik: dict[str, dict[str, Any]] = {}
        by_legal: dict[str, list[dict[str, Any]]] = defaultdict(list)
        by_name_kel: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        if self.max_id:  # an empty registry has nothing to match
            older = Cooperative.id <= self.max_id

            def load(where: Any) -> None:
                for rec in self.session.execute(select(*_MATCH_COLUMNS).where(where, older)):
                    existing[rec[0]] = dict(zip(["id", "version", *COMPARED], rec))

            niks = list({r.clean["nik"] for r in batch if r.clean.get("nik")})
            legal = list({r.clean["legal_number"] for r in batch if r.clean.get("legal_number")})
            for items, column in ((niks, Cooperative.nik), (legal, Cooperative.legal_number)):
                for start in range(0, len(items), 900):
                    load(column.in_(items[start:start + 900]))
            # Name within the kelurahan, for the rows the NIK and the legal number did not match: names first.
            found_nik = {e["nik"] for e in existing.values() if e["nik"]}
            found_legal = {key(e["legal_number"]) for e in existing.values() if e["legal_number"]}
            wanted = {nk for r, lk, nk in zip(batch, legal_keys, name_kels)
                      if nk and r.clean.get("nik") not in found_nik and lk not in found_legal}
            kels = list({k for _n, k in wanted})
            by_name: set[int] = set()
            for start in range(0, len(kels), 900):
                for ident, name, kel in self.session.execute(
                        select(Cooperative.id, Cooperative.name, Cooperative.kelurahan_code)
                        .where(Cooperative.kelurahan_code.in_(kels[start:start + 900]), older)):
                    if (key(name), kel) in wanted and ident not in existing:
                        by_name.add(ident)
            ids = list(by_name)
            for start in range(0, len(ids), 900):
                load(Cooperative.id.in_(ids[start:start + 900]))
            for e in existing.values():
                if e["nik"]:
                    by_nik[e["nik"]] = e
                if e["legal_number"]:
                    by_legal[key(e["legal_number"])].append(e)
                if e["kelurahan_code"]:
                    by_name_kel[(key(e["name"]), e["kelurahan_code"])].append(e)
        texts = self.layout.texts
        nik_col = self.col_of.get("nik", -1)
        seen_nik = self.seen_nik
        for pr, legal_key, name_kel in zip(batch, legal_keys, name_kels):
            c = pr.clean
            nik = c.get("nik")
            if nik:
                seen = int("1" + nik)  # as a number (half the memory of the text), leading zeros kept
                if seen in seen_nik:
                    pr.issues.append(Issue(pr.row, nik_col + 1, texts[nik_col], nik,
                                           f"NIK ganda dalam berkas (juga di baris {seen_nik[seen]})"))
                else:
                    seen_nik[seen] = pr.row
            match: dict[str, Any] | None = None
            if existing:
                if nik and nik in by_nik:
                    match, pr.matched_by = by_nik[nik], "NIK"
                elif legal_key and len(by_legal.get(legal_key, [])) == 1:
                    match, pr.matched_by = by_legal[legal_key][0], "nomor badan hukum"
                elif name_kel and len(by_name_kel.get(name_kel, [])) == 1:
                    match, pr.matched_by = by_name_kel[name_kel][0], "nama dan kelurahan"
            if expected is not None:
                want = expected.get(pr.row)
                now = (match["id"], match["version"]) if match else None
                if want is not None and want != now:
                    raise ConflictError("cooperative", want[0] or 0)
            if match is not None:
                name_col = self.col_of["name"]
                if match["id"] in self.claimed:
                    pr.issues.append(Issue(pr.row, name_col + 1, texts[name_col], pr.name,
                                           f"cocok dengan koperasi yang sama seperti baris {self.claimed[match['id']]}"))
                self.claimed.setdefault(match["id"], pr.row)
                if nik and nik in by_nik and by_nik[nik]["id"] != match["id"]:
                    pr.issues.append(Issue(pr.row, nik_col + 1, texts[nik_col], nik,
                                           f"NIK {nik} sudah dipakai oleh {by_nik[nik]['name']}"))
                pr.coop_id, pr.version, pr.old_status = match["id"], match["version"], match["status"]
                for f in COMPARED:
                    if f in c and c[f] != match[f] and not (f in REGION_FIELDS and c[f] is None):
                        pr.changes.append(Change(f, FIELDS[f].label, match[f], c[f], self.display(f, match[f]),
                                                 self.display(f, c[f])))
                new_status = c.get("status")
                if new_status and new_status != match["status"] and new_status not in TRANSITIONS.get(match["status"], set()):
                    self.issue(pr, "status", new_status, f"status tidak dapat diubah dari {STATUS[match['status']]} "
                                                         f"menjadi {STATUS[new_status]}")
                pr.action = UPDATED if pr.changes else UNCHANGED
            else:
                for f in _REQUIRED_NEW:
                    if f not in c:
                        j = self.col_of.get(f, self.col_of.get("kabkota", -1) if f == "kabkota_code" else -1)
                        if j >= 0 and any(x.column == j + 1 for x in pr.issues):
                            continue
                        if f == "kabkota_code" and any(x.column in self.region_columns for x in pr.issues):
                            continue  # the region cells were already found wanting
                        self.issue(pr, f, None, "wajib diisi untuk koperasi baru" + ("" if j >= 0 else " (kolom tidak ada)"))
                pr.action = NEW
            if pr.issues:
                pr.action = INVALID

    def display(self, f: str, value: Any) -> str:
        if value is None:
            return ""
        if f in ("kelompok_id", "sector_id"):
            return self.lookups.display(f, value)
        if f in _LABELLED:
            return _LABELLED[f].get(value, str(value))
        if f in REGION_FIELDS:
            place = self.regions._get(value)
            return place.name if place else dotted(value)
        return as_written(value)


# ---------------------------------------------------------------------------------------------------------------
# Writing


def _insert_many(session: Session, table: Any, rows: list[dict[str, Any]]) -> None:
    """One executemany of plain rows (dicts with the same keys)."""
    if rows:
        names = [c.name for c in table.columns if c.name in rows[0]]
        pick = itemgetter(*names)
        _insert_tuples(session, table, names, [pick(r) for r in rows])


def _insert_tuples(session: Session, table: Any, names: list[str], rows: list[tuple[Any, ...]]) -> None:
    """One executemany of plain rows: each column's type converts its values (as SQLAlchemy would), without the
    per-row statement bookkeeping that costs more than the database itself on large imports."""
    if not rows:
        return
    conn = session.connection()
    dialect = conn.dialect
    columns = [table.c[n] for n in names]
    procs = [c.type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    quote = dialect.identifier_preparer.quote
    mark = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    converted = [(i, _memoized(p)) for i, p in enumerate(procs) if p is not None]
    if converted:
        data: list[tuple[Any, ...]] = []
        for row in rows:
            values = list(row)
            for i, p in converted:
                values[i] = p(values[i])
            data.append(tuple(values))
        rows = data
    conn.exec_driver_sql(sql, rows)


def _memoized(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A type's conversion remembered per value: an import writes the same dates and times on every row."""
    memo: dict[Any, Any] = {}

    def run(value: Any) -> Any:
        try:
            return memo[value]
        except KeyError:
            if len(memo) > 50_000:
                memo.clear()
            out = memo[value] = convert(value)
            return out
        except TypeError:
            return convert(value)

    return run


def _new_ids(session: Session, n: int) -> list[int]:
    """Ids for ``n`` new cooperatives: after the current maximum on SQLite (one writer at a time: BEGIN IMMEDIATE),
    from the id sequence on PostgreSQL."""
    ct = Cooperative.__table__
    if session.get_bind().dialect.name == "sqlite":
        first = (session.scalar(select(func.max(ct.c.id))) or 0) + 1
        return list(range(first, first + n))
    return list(session.connection().exec_driver_sql(
        "SELECT nextval(pg_get_serial_sequence('cooperative', 'id')) FROM generate_series(1, %s)", (n,)).scalars())


_STATUS_NAMES = ["cooperative_id", "from_status", "to_status", "effective_date", "changed_at", "reason", "source",
                 "source_ref", "user_id", "username"]
_AUDIT_NAMES = ["at", "user_id", "username", "action", "entity", "entity_id", "cooperative_id", "field", "old_value",
                "new_value", "note", "entity_version"]


class _Writer:
    """Writes checked batches in the caller's transaction with bulk statements."""

    def __init__(self, session: Session, actor: Actor, ref: str, today: dt.date, expected_rows: int,
                 lookups: _Lookups, progress: Progress, cancelled: CancelCheck, existing_rows: int = 0) -> None:
        self.session = session
        self.actor = actor
        self.ref = ref
        self.today = today
        self.now = utcnow()
        self.lookups = lookups
        self.progress = progress
        self.cancelled = cancelled
        self.expected_rows = expected_rows
        self.created_ids = array.array("q")  # 8 bytes an id while the import runs; a list in the result
        self.updated = 0
        self.sqlite = session.get_bind().dialect.name == "sqlite"
        self.fts_trigger: str | None = None
        self.fts_ranges: list[tuple[int, int]] = []
        if self.sqlite and expected_rows >= FTS_BULK_THRESHOLD:
            # Large imports: fill the search index once, set-based, instead of row by row from the insert trigger.
            # SQLite DDL is transactional, so a cancel or a crash brings the trigger back with everything else.
            conn = session.connection()
            self.fts_trigger = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cooperative_fts_ai'").scalar()
            if self.fts_trigger:
                conn.exec_driver_sql("DROP TRIGGER cooperative_fts_ai")
        self.indexes: list[str] = []
        if self.sqlite and expected_rows >= INDEX_REBUILD_THRESHOLD and expected_rows >= existing_rows:
            # An import at least as large as the registry: building the secondary indexes once at the end costs
            # less than keeping them row by row (measured: 100,000 rows, 1.5 s less). Transactional like the rest;
            # readers keep their snapshot, with the indexes, until the commit.
            conn = session.connection()
            rows = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                                        "AND tbl_name = 'cooperative' AND sql IS NOT NULL").all()
            for name, sql in rows:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
                self.indexes.append(sql)

    def _resolve_new(self, rows: list[PreviewRow]) -> None:
        for r in rows:
            for f in ("kelompok_id", "sector_id"):
                v = r.clean.get(f)
                if isinstance(v, NewEntry):
                    entry = self.lookups.new[(v.field, v.key)]
                    if entry.id is None:
                        if f == "kelompok_id":
                            order = (self.session.scalar(select(func.max(Kelompok.sort_order))) or 0) + 1
                            obj: Any = Kelompok(name=entry.name, sort_order=order, active=True)
                        else:
                            obj = Sector(name=entry.name, active=True)
                        self.session.add(obj)
                        self.session.flush()
                        entry.id = obj.id
                        self.lookups.keys[f][v.key] = {obj.id}
                        self.lookups.names[f][obj.id] = entry.name
                    r.clean[f] = entry.id
            for ch in r.changes:
                if isinstance(ch.new, NewEntry):
                    ch.new = r.clean[ch.field]

    def write(self, rows: list[PreviewRow]) -> list[int]:
        """Write the new and changed rows of a batch; returns the ids of the cooperatives created."""
        new_rows = [r for r in rows if r.action == NEW]
        upd_rows = [r for r in rows if r.action == UPDATED]
        ids: list[int] = []
        if not new_rows and not upd_rows:
            return ids
        check(self.cancelled)
        self._resolve_new(new_rows + upd_rows)
        audit: list[dict[str, Any]] = []
        status_rows: list[dict[str, Any]] = []
        user_id, username, now, ref, today = self.actor.user_id, self.actor.username, self.now, self.ref, self.today
        ct = cast(Table, Cooperative.__table__)
        if new_rows:
            base = {**DEFAULTS, **dict.fromkeys(COMPARED), "registered_on": today, "status_date": today,
                    "version": 1, "created_at": now, "updated_at": now, "grade_override": False,
                    "is_merah_putih": False}
            filled = {"address": "", **dict.fromkeys(_COUNTS | _MONEY | {"shu"}, 0), "membership_scope": "kabkota",
                      "form": "primer", "pola": "konvensional", "status": "aktif"}
            values = []
            for r in new_rows:
                v = base.copy()
                v.update(r.clean)
                for k, default in filled.items():
                    if v[k] is None:
                        v[k] = default
                if v["nik_status"] is None:
                    v["nik_status"] = "bersertifikat" if v["nik_certified_on"] else "tidak_ada"
                values.append(v)
            ids = _new_ids(self.session, len(values))
            for v, ident in zip(values, ids):
                v["id"] = ident
            _insert_many(self.session, ct, values)
            if self.sqlite:
                self.fts_ranges.append((ids[0], ids[-1]))
            self.created_ids.extend(ids)
            _insert_tuples(self.session, StatusChange.__table__, _STATUS_NAMES, [
                (ident, None, v["status"], today, now, "Impor data", "import", ref, user_id, username)
                for ident, v in zip(ids, values)])
            _insert_tuples(self.session, AuditEntry.__table__, _AUDIT_NAMES, [
                (now, user_id, username, "create", "cooperative", str(ident), ident, None, None, v["name"], ref, 1)
                for ident, v in zip(ids, values)])
            self.progress(len(self.created_ids), self.expected_rows, "Menyimpan koperasi baru…")
        if upd_rows:
            from kopdesk.models.services.administration.audit import format_value

            groups: dict[tuple[str, ...], list[PreviewRow]] = defaultdict(list)
            for r in upd_rows:
                groups[tuple(sorted(ch.field for ch in r.changes))].append(r)
            for fields, group in groups.items():
                stmt = (update(ct).where(ct.c.id == bindparam("_id"), ct.c.version == bindparam("_version"))
                        .values(**{f: bindparam("_v_" + f) for f in fields}, version=bindparam("_newversion"),
                                updated_at=now))
                params = [{"_id": r.coop_id, "_version": r.version, "_newversion": (r.version or 0) + 1,
                           **{"_v_" + ch.field: ch.new for ch in r.changes}} for r in group]
                result = self.session.connection().execute(stmt, params)
                if result.rowcount != len(group):  # someone saved one of them since it was read (version check)
                    raise ConflictError("cooperative", group[0].coop_id or 0)
                for r in group:
                    for ch in r.changes:
                        audit.append({"at": now, "user_id": user_id, "username": username, "action": "update",
                                      "entity": "cooperative", "entity_id": str(r.coop_id), "cooperative_id": r.coop_id,
                                      "field": ch.field, "old_value": format_value(ch.old),
                                      "new_value": format_value(ch.new), "note": ref,
                                      "entity_version": (r.version or 0) + 1})
                        if ch.field == "status":
                            status_rows.append({"cooperative_id": r.coop_id, "from_status": ch.old, "to_status": ch.new,
                                                "effective_date": today, "changed_at": now, "reason": "Impor data",
                                                "source": "import", "source_ref": ref, "user_id": user_id,
                                                "username": username})
            self.updated += len(upd_rows)
            self.progress(self.updated, self.expected_rows, "Menyimpan perubahan…")
        check(self.cancelled)
        _insert_many(self.session, StatusChange.__table__, status_rows)
        _insert_many(self.session, AuditEntry.__table__, audit)
        return ids

    def finish(self) -> None:
        conn = self.session.connection()
        for first, last in self.fts_ranges if self.fts_trigger else []:
            conn.exec_driver_sql(
                "INSERT INTO cooperative_fts(rowid, name, nik, legal_number, address) "
                "SELECT id, name, nik, legal_number, address FROM cooperative WHERE id BETWEEN ? AND ?", (first, last))
        if self.fts_trigger:
            conn.exec_driver_sql(self.fts_trigger)
            self.fts_trigger = None
        for sql in self.indexes:
            conn.exec_driver_sql(sql)
        self.indexes = []
        if not self.sqlite and len(self.created_ids) + self.updated >= FTS_BULK_THRESHOLD:
            # PostgreSQL plans the next queries from statistics that do not know the new rows yet.
            conn.exec_driver_sql("ANALYZE cooperative, status_change, audit_entry")


# ---------------------------------------------------------------------------------------------------------------
# The one pass: read, check, match and (optionally) write


def _run(session: Session, path: str | Path, *, sheet: str | None, today: dt.date, progress: Progress,
         cancelled: CancelCheck, write: tuple[Actor, str] | None = None, valid_only: bool = False,
         keep_rows: bool = True, keep_values: bool = False,
         expected: Mapping[int, tuple[int | None, int | None]] | None = None) -> tuple[ImportPreview, ImportResult | None]:
    progress(0, 0, "Membaca berkas…")
    with open_workbook(path) as wb:
        layout = find_layout(wb, sheet)
        declared = wb.info(layout.sheet).rows
        # The row count for progress and the limit comes from the sheet's <dimension>; without one, from a scan.
        total_rows = declared if declared is not None else wb.scan(layout.sheet)[0]
        checker = _Checker(session, layout, today)
        preview = ImportPreview(str(path), layout.sheet, layout.header_row, layout.mapping, layout.texts, [],
                                layout.unknown, layout.choices)
        skipped: dict[str, Skipped] = {}
        expected_rows = max(total_rows - layout.header_row, 0)
        writer = _Writer(session, write[0], write[1], today, expected_rows, checker.lookups, progress, cancelled,
                         checker.max_id) if write else None
        doomed = False
        batch: list[PreviewRow] = []
        raw_of: dict[int, list[Any]] = {}
        first_data = True
        done = 0

        def skip(what: str, rownum: int) -> None:
            skipped.setdefault(what, Skipped(what)).add(rownum)

        def flush() -> None:
            nonlocal doomed
            checker.match(batch, expected)
            invalid = [r for r in batch if r.action == INVALID]
            if invalid and not valid_only:
                doomed = True
            if writer is not None and not doomed:
                writer.write(batch)
            for r in batch:
                preview.totals[r.action] += 1
                if r.action == INVALID:
                    preview.issue_count += len(r.issues)
                    r.raw = raw_of.get(r.row)
                if r.clean.get("kabkota_code"):
                    preview.kabkota_codes.add(r.clean["kabkota_code"])
                if not keep_values:
                    r.clean = {}
                if keep_rows or r.action in (INVALID, UPDATED):
                    preview.rows.append(r)
            batch.clear()
            raw_of.clear()

        for rownum, _values in layout.head:
            if rownum < layout.first_header_row:
                skip("judul", rownum)
        merged: list[Merged] = []
        # The header's columns (for the workbook of invalid rows) and the first four (where "Jumlah" is written).
        columns = max(len(layout.texts), 4)
        for rownum, values in wb.rows(layout.sheet, columns=columns, merged=merged):
            if rownum <= layout.header_row:
                continue
            done += 1
            if done % 1000 == 0:
                check(cancelled)
                progress(done, expected_rows, "Memeriksa baris…")
            if first_data:
                first_data = False
                if _is_numbering_row(values):
                    skip("nomor kolom", rownum)
                    continue
            result = checker.row(rownum, values)
            if isinstance(result, str):
                skip(result, rownum)
                continue
            raw_of[rownum] = values
            batch.append(result)
            if len(batch) >= BATCH_ROWS:
                flush()
        if batch:
            flush()
        merge_errors = _merged_header_errors(layout, merged)
        if merge_errors:  # read at the end of the sheet; raising here rolls back anything written
            raise ImportFileError("Judul kolom tidak dapat dibaca: " + "; ".join(merge_errors)
                                  + ". Pisahkan sel judul yang digabung, satu judul untuk setiap kolom.")
        order = ["judul", "nomor kolom", "kosong", "jumlah", "penutup"]
        preview.skipped = sorted(skipped.values(), key=lambda s: order.index(s.what))
        preview.new_lookups = list(checker.lookups.new.values())
        check(cancelled)
        progress(expected_rows, expected_rows, "Selesai memeriksa")
        if writer is None:
            return preview, None
        invalid_count = preview.totals[INVALID]
        if doomed:
            first = "; ".join(r.issues[0].text() for r in preview.rows if r.action == INVALID and r.issues)
            first = "; ".join(first.split("; ")[:3])
            exc = ImportRejected(f"{format_count(invalid_count)} baris tidak valid, tidak ada yang disimpan. {first}"
                                 + (" …" if invalid_count > 3 else ""), invalid=invalid_count)
            exc.preview = preview
            raise exc
        writer.finish()
        new = [n for n in preview.new_lookups if n.id is not None]
        return preview, ImportResult(len(writer.created_ids), writer.updated, preview.totals[UNCHANGED], invalid_count,
                                     writer.created_ids.tolist(), new)


def preview_import(session: Session, path: str | Path, *, sheet: str | None = None, today: dt.date | None = None,
                   progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED,
                   keep_rows: bool = True, keep_values: bool = False) -> ImportPreview:
    """Read and check a workbook and say what importing it would do; nothing is written.

    Args:
        sheet: the sheet to read (default: the one whose header row is recognised best).
        keep_rows: keep every row in the preview (False: only the invalid and the changed ones; the counts are
            complete either way).
        keep_values: keep each row's converted values (``PreviewRow.clean``).

    Raises:
        ImportFileError: the file is not a workbook, is too big, or no header row can be understood.
    """
    preview, _ = _run(session, path, sheet=sheet, today=today or dt.date.today(), progress=progress,
                      cancelled=cancelled, keep_rows=keep_rows, keep_values=keep_values)
    return preview


def apply_import(session: Session, actor: Actor, preview: ImportPreview, *, valid_only: bool = False,
                 source_ref: str | None = None, today: dt.date | None = None,
                 progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> ImportResult:
    """Import the file a preview was made of, in the caller's transaction; a cooperative saved by someone else since
    the preview is a conflict.

    Raises:
        ImportRejected: some rows are invalid and ``valid_only`` is false (nothing written).
        ConflictError: a matched cooperative changed since the preview.
        Cancelled: the clerk cancelled; the caller's transaction rolls everything back.
    """
    require(actor, "import")
    invalid = preview.totals[INVALID]
    if invalid and not valid_only:
        first = "; ".join(i.text() for r in preview.rows if r.action == INVALID for i in r.issues[:1])
        first = "; ".join(first.split("; ")[:3])
        exc = ImportRejected(f"{format_count(invalid)} baris tidak valid, tidak ada yang disimpan. {first}"
                             + (" …" if invalid > 3 else ""), invalid=invalid)
        exc.preview = preview
        raise exc
    expected = {r.row: (r.coop_id, r.version) for r in preview.rows if r.coop_id is not None}
    ref = (source_ref or f"impor {Path(preview.path).name}")[:60]
    _p, result = _run(session, preview.path, sheet=preview.sheet, today=today or dt.date.today(), progress=progress,
                      cancelled=cancelled, write=(actor, ref), valid_only=valid_only, keep_rows=False,
                      expected=expected)
    assert result is not None
    return result


def import_file(db: Any, actor: Actor, path: str | Path, *, sheet: str | None = None, valid_only: bool = False,
                dry_run: bool = False, today: dt.date | None = None, progress: Progress = NO_PROGRESS,
                cancelled: CancelCheck = NEVER_CANCELLED, keep_rows: bool = True,
                source_ref: str | None = None) -> tuple[ImportPreview, ImportResult | None]:
    """Check and (unless ``dry_run``) import a workbook in one transaction, reading it once.

    Raises:
        ImportRejected: invalid rows and not ``valid_only``; nothing written; ``.preview`` holds the report.
        ImportFileError: not a workbook, too big, or no header row understood.
    """
    require(actor, "import")
    today = today or dt.date.today()
    if dry_run:
        with db.read() as s:
            return _run(s, path, sheet=sheet, today=today, progress=progress, cancelled=cancelled,
                        keep_rows=keep_rows)
    ref = (source_ref or f"impor {Path(path).name}")[:60]
    with db.transaction(actor) as s:
        return _run(s, path, sheet=sheet, today=today, progress=progress, cancelled=cancelled, write=(actor, ref),
                    valid_only=valid_only, keep_rows=keep_rows)


# ---------------------------------------------------------------------------------------------------------------
# Reports of an import


def write_issues_workbook(preview: ImportPreview, path: str | Path) -> int:
    """The invalid rows as they were in the file, the faulty cells highlighted with the reason as a comment, and a
    sheet listing every issue. Returns the number of invalid rows written."""
    with atomic_workbook(path, {"in_memory": True}) as wb:
        head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
        bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1})
        date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
        bad_date = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1,
                                  "num_format": "dd/mm/yyyy"})
        ws = wb.add_worksheet("Baris Tidak Valid")
        ws.write_row(0, 0, ["Baris", *preview.headers, "Alasan"], head)
        r = 1
        invalid = [row for row in preview.rows if row.action == INVALID]
        for pr in invalid:
            raw = pr.raw or []
            ws.write_number(r, 0, pr.row)
            bad_cols = {i.column: i for i in pr.issues}
            for j in range(len(preview.headers)):
                v = raw[j] if j < len(raw) else None
                faulty = (j + 1) in bad_cols
                if isinstance(v, (dt.date, dt.datetime)):
                    moment = v if isinstance(v, dt.datetime) else dt.datetime(v.year, v.month, v.day)
                    ws.write_datetime(r, j + 1, moment, bad_date if faulty else date_fmt)
                elif v is None:
                    ws.write_blank(r, j + 1, None, bad if faulty else None)
                elif isinstance(v, (bool, int, float, str)):
                    ws.write(r, j + 1, v, bad if faulty else None)
                else:
                    ws.write_string(r, j + 1, str(v), bad if faulty else None)
                if faulty:
                    ws.write_comment(r, j + 1, bad_cols[j + 1].reason)
            ws.write_string(r, len(preview.headers) + 1, "; ".join(i.text() for i in pr.issues))
            r += 1
        ws.freeze_panes(1, 1)
        ws.set_column(1, len(preview.headers), 16)
        ws.set_column(len(preview.headers) + 1, len(preview.headers) + 1, 80)
        ws2 = wb.add_worksheet("Daftar Masalah")
        ws2.write_row(0, 0, ["Baris", "Kolom", "Judul kolom", "Nilai", "Alasan"], head)
        for k, i in enumerate(preview.issues, start=1):
            ws2.write_row(k, 0, [i.row, column_letter(i.column) if i.column else "-", i.header,
                                 as_written(i.value), i.reason])
        ws2.set_column(0, 1, 8)
        ws2.set_column(2, 3, 24)
        ws2.set_column(4, 4, 70)
        ws2.freeze_panes(1, 0)
        return len(invalid)
