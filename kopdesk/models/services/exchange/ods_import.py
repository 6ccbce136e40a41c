"""Import of the ministry's ODS export (and of kopdesk's own registry export): read, match, validate, preview, apply.

The workbook is read with python-calamine (fast). Columns are found by their header, whatever the case, spacing,
order or known alias (brief §2), also under a two-row header. Every row is checked before anything is written,
with lookups done in batches (regions, existing cooperatives, NIKs): no query per row. The preview says what each
row would do (new, updated with the changes field by field, unchanged, invalid with row, column, value and reason).
:func:`apply_import` writes in the caller's one transaction with bulk statements; an invalid row, a cancel or a
crash leaves the database as it was, unless the clerk chose to import only the valid rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session

from kopdesk.models.audit import AuditEntry
from kopdesk.models.base import utcnow
from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.errors import DomainError
from kopdesk.models.fileio import atomic_workbook
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.region import Region, undotted
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.registry.cooperatives import DEFAULTS, FIELDS, TRANSITIONS, _convert, normalize_nik

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
IGNORED_HEADERS = {"no", "nomor", "no urut", "id", "keterangan"}
REGION_PARTS = ("province", "kabkota", "kecamatan", "kelurahan", "region_code")
# Fields compared and written; the region parts become the four region codes.
DATA_FIELDS = [f for f, _h, _a in ODS_COLUMNS if f not in REGION_PARTS]
REGION_FIELDS = ("province_code", "kabkota_code", "kecamatan_code", "kelurahan_code")
COMPARED = DATA_FIELDS + list(REGION_FIELDS)
FTS_BULK_THRESHOLD = 5000  # new rows from which a SQLite import fills the search index set-based
NEW, UPDATED, UNCHANGED, INVALID = "baru", "diperbarui", "tidak berubah", "tidak valid"
ACTION_LABELS = {NEW: "Baru", UPDATED: "Diperbarui", UNCHANGED: "Tidak berubah", INVALID: "Tidak valid"}


class ImportFileError(DomainError):
    """The file cannot be imported at all (not a workbook, no header, unknown layout)."""


class ImportRejected(DomainError):
    """Some rows are invalid and the clerk did not choose to import only the valid ones; nothing was written."""


def norm_header(text: object) -> str:
    """A header as compared: lower case, letters and digits only ("No. Badan  Hukum" -> "nobadanhukum")."""
    return re.sub(r"[^0-9a-z]", "", str(text or "").lower())


ALIASES: dict[str, str] = {}
for _f, _h, _a in ODS_COLUMNS:
    for _name in (_h, *_a, _f):
        ALIASES.setdefault(norm_header(_name), _f)
HEADER_OF = {f: h for f, h, _a in ODS_COLUMNS}


@dataclass
class Issue:
    """Why a row is invalid: the row and column of the file (1-based, as Excel shows them), the value, the reason."""

    row: int
    column: int
    header: str
    value: Any
    reason: str

    def text(self) -> str:
        col = column_letter(self.column) if self.column else "-"
        shown = "" if self.value in (None, "") else f" ({self.value!r})"
        return f"Baris {self.row}, kolom {col} «{self.header}»{shown}: {self.reason}"


@dataclass
class Change:
    field: str
    label: str
    old: Any
    new: Any


@dataclass
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


@dataclass
class ImportPreview:
    """What an import would do, row by row, before anything is written."""

    path: str
    sheet: str
    header_row: int
    columns: dict[int, str]  # 0-based column index -> field
    headers: list[str]
    raw: list[list[Any]]  # the data rows as read (for the invalid-rows workbook)
    rows: list[PreviewRow]
    unknown_headers: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        out = {NEW: 0, UPDATED: 0, UNCHANGED: 0, INVALID: 0}
        for r in self.rows:
            out[r.action] += 1
        return out

    @property
    def issues(self) -> list[Issue]:
        return [i for r in self.rows for i in r.issues]

    def summary(self) -> str:
        c = self.counts()
        return (f"{len(self.rows)} baris: {c[NEW]} baru, {c[UPDATED]} diperbarui, {c[UNCHANGED]} tidak berubah, "
                f"{c[INVALID]} tidak valid")


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    skipped_invalid: int
    created_ids: list[int] = field(default_factory=list)


def column_letter(n: int) -> str:
    """1 -> A, 27 -> AA."""
    s = ""
    while n:
        n, r = divmod(n - 1, 26)
        s = chr(65 + r) + s
    return s


# ---------------------------------------------------------------------------------------------------------------
# Reading


def read_sheet(path: str | Path, sheet: str | int | None = None) -> tuple[str, list[list[Any]], list[tuple]]:
    """The first (or named) sheet of an .xlsx/.xls/.ods workbook as rows of Python values, and its merged ranges.

    Raises:
        ImportFileError: not a readable workbook.
    """
    from python_calamine import CalamineWorkbook

    p = Path(path)
    if not p.is_file():
        raise ImportFileError(f"Berkas tidak ditemukan: {p}")
    try:
        wb = CalamineWorkbook.from_path(str(p))
        names = wb.sheet_names
        if not names:
            raise ImportFileError(f"Buku kerja {p.name} tidak berisi lembar kerja.")
        ws = wb.get_sheet_by_name(sheet) if isinstance(sheet, str) else wb.get_sheet_by_index(sheet or 0)
        rows = ws.to_python(skip_empty_area=False)
        merged = list(getattr(ws, "merged_cell_ranges", None) or [])
        return ws.name, rows, merged
    except ImportFileError:
        raise
    except Exception as exc:  # calamine raises its own error types for every broken file
        raise ImportFileError(
            f"Berkas {p.name} bukan buku kerja Excel/ODS yang dapat dibaca ({type(exc).__name__}). "
            "Simpan ulang sebagai .xlsx lalu coba lagi.") from None


def _find_header(rows: list[list[Any]], merged: list[tuple]) -> tuple[int, dict[int, str], list[str], list[str]]:
    """The header row (0-based), the columns it maps to fields, the header texts, and unknown headers."""
    best: tuple[int, int, dict[int, str], list[str]] | None = None
    for h in range(min(len(rows), 15)):
        texts = _header_texts(rows, h, merged)
        mapping: dict[int, str] = {}
        for j, text in enumerate(texts):
            f = ALIASES.get(norm_header(text))
            if f is None and h > 0:  # a two-row header: the lower label alone
                f = ALIASES.get(norm_header(rows[h][j] if j < len(rows[h]) else ""))
            if f is not None and f not in mapping.values():
                mapping[j] = f
        score = len(mapping)
        if score >= 2 and (best is None or score > best[1]):
            best = (h, score, mapping, texts)
    if best is None or "name" not in best[2].values():
        raise ImportFileError(
            "Judul kolom tidak dikenali: baris judul harus memuat setidaknya «Nama Koperasi» dan satu kolom lain "
            "(mis. «NIK», «No. Badan Hukum», «Kab/Kota»).")
    h, _score, mapping, texts = best
    unknown = [t for j, t in enumerate(texts) if j not in mapping and str(t or "").strip()
               and norm_header(t) not in {norm_header(x) for x in IGNORED_HEADERS}]
    return h, mapping, texts, unknown


def _header_texts(rows: list[list[Any]], h: int, merged: list[tuple]) -> list[str]:
    """Header texts of row h; with a row above that spans it (merged parent cells), "parent child"."""
    row = rows[h]
    texts = [str(v).strip() if v not in (None, "") else "" for v in row]
    if h == 0:
        return texts
    upper = rows[h - 1]
    parents: list[str] = []
    carry = ""
    merged_parent_cols: set[int] = set()
    for (r0, c0), (r1, c1) in [tuple(m) for m in merged if len(m) == 2]:
        if r0 <= h - 1 <= r1 and r1 < h:
            merged_parent_cols.update(range(c0, c1 + 1))
    for j in range(len(row)):
        v = upper[j] if j < len(upper) else None
        if v not in (None, ""):
            carry = str(v).strip()
        elif j not in merged_parent_cols:
            carry = ""
        parents.append(carry)
    out = []
    for j, t in enumerate(texts):
        p = parents[j] if j < len(parents) else ""
        if t and p and ALIASES.get(norm_header(f"{p} {t}")):
            out.append(f"{p} {t}")
        else:
            out.append(t or (p if p and ALIASES.get(norm_header(p)) else t))
    return out


def _merged_header_errors(rows: list[list[Any]], h: int, merged: list[tuple], mapping: dict[int, str]) -> list[str]:
    """Header cells merged across columns that hold data: those columns have no header of their own."""
    errors = []
    for m in merged:
        try:
            (r0, c0), (r1, c1) = m
        except (TypeError, ValueError):
            continue
        if not (r0 <= h <= r1) or c1 <= c0:
            continue
        for j in range(c0 + 1, c1 + 1):
            if j in mapping:
                continue
            has_data = any(j < len(r) and r[j] not in (None, "") for r in rows[h + 1:h + 200])
            if has_data:
                errors.append(f"sel judul {column_letter(c0 + 1)}{r0 + 1}:{column_letter(c1 + 1)}{r1 + 1} digabung, "
                              f"sehingga kolom {column_letter(j + 1)} tidak berjudul padahal berisi data")
    return errors


# ---------------------------------------------------------------------------------------------------------------
# Regions and lookups, loaded once


def _key(text: str) -> str:
    return " ".join(re.sub(r"[^0-9a-z ]", " ", text.lower()).split())


_PREFIXES = ("kabupaten ", "kab ", "kota ", "kecamatan ", "kec ", "kelurahan ", "kel ", "desa ", "provinsi ", "prov ")


def _cell_text(value: Any) -> str:
    if isinstance(value, float) and value == int(value):
        return str(int(value))
    return str(value if value is not None else "").strip()


def _short(text: str) -> str:
    k = _key(text)
    for p in _PREFIXES:
        if k.startswith(p):
            return k[len(p):]
    return k


class _Regions:
    """Region lookups by name or code; provinces and kab/kota loaded at once, the levels below per parent."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.by_code: dict[str, tuple[str, int, str | None]] = {}
        self.children: dict[tuple[str | None, str], list[str]] = defaultdict(list)
        self.loaded: set[str | None] = set()
        self._add(session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)
                                  .where(Region.level <= 2)))
        self.loaded.add(None)
        self.cache: dict[tuple, tuple[dict[str, str | None], str | None, str | None]] = {}

    def _add(self, rows: Any) -> None:
        for code, name, level, parent in rows:
            self.by_code[code] = (name, level, parent)
            for k in {_key(name), _short(name)}:
                self.children[(parent, k)].append(code)
                if level == 2:
                    self.children[("*", k)].append(code)
                    self.loaded.add(parent)

    def _ensure_children(self, parent: str | None) -> None:
        if parent in self.loaded or parent == "*":
            return
        self.loaded.add(parent)
        self._add(self.session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)
                                       .where(Region.parent_code == parent)))

    def _ensure_code(self, code: str) -> bool:
        if code not in self.by_code:
            row = self.session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)
                                       .where(Region.code == code)).first()
            if row is None:
                return False
            self.by_code[code] = (row[1], row[2], row[3])
            if row[3]:
                self._ensure_code(row[3])
        return True

    def chain(self, code: str) -> dict[str, str | None]:
        out: dict[str, str | None] = dict.fromkeys(REGION_FIELDS)
        c: str | None = code
        while c:
            _name, level, parent = self.by_code[c]
            out[REGION_FIELDS[level - 1]] = c
            c = parent
        return out

    def find(self, parent: str | None, text: str, level: int) -> tuple[str | None, str | None]:
        """A child of ``parent`` named ``text`` (or with that code); (code, None) or (None, reason)."""
        raw = str(text).strip()
        if isinstance(text, float) and text == int(text):
            raw = str(int(text))
        digits = undotted(raw)
        self._ensure_children(parent)
        if (digits and len(digits) == len(re.sub(r"[\s.]", "", raw)) and self._ensure_code(digits)
                and self.by_code[digits][1] == level and (parent in (None, "*") or self.by_code[digits][2] == parent)):
            return digits, None
        candidates = self.children.get((parent, _key(raw))) or self.children.get((parent, _short(raw))) or []
        if len(candidates) == 1:
            return candidates[0], None
        if len(candidates) > 1:
            return None, "nama wilayah ambigu; tulis lengkap (mis. «Kabupaten …» atau «Kota …») atau pakai kode"
        return None, "tidak dikenal"

    def resolve(self, parts: dict[str, Any]) -> tuple[dict[str, str | None], str | None, str | None]:
        """Region codes from the row's region cells; (codes, bad part, reason)."""
        key = tuple(_cell_text(parts.get(p)) for p in REGION_PARTS)
        hit = self.cache.get(key)
        if hit is not None:
            return hit
        result = self._resolve(dict(zip(REGION_PARTS, key)))
        self.cache[key] = result
        return result

    def _resolve(self, p: dict[str, str]) -> tuple[dict[str, str | None], str | None, str | None]:
        empty: dict[str, str | None] = dict.fromkeys(REGION_FIELDS)
        if p["region_code"]:
            code = undotted(p["region_code"])
            if not self._ensure_code(code):
                return empty, "region_code", f"kode wilayah {p['region_code']} tidak dikenal"
            return self.chain(code), None, None
        parent: str | None = None
        if p["province"]:
            parent, why = self.find(None, p["province"], 1)
            if parent is None:
                return empty, "province", f"provinsi {why}"
        if not p["kabkota"]:
            return empty, "kabkota", "wajib diisi"
        kab, why = self.find(parent or "*", p["kabkota"], 2)
        if kab is None:
            return empty, "kabkota", f"kabupaten/kota {why}"
        code = kab
        if p["kecamatan"]:
            kec, why = self.find(kab, p["kecamatan"], 3)
            if kec is None:
                return empty, "kecamatan", f"kecamatan {why} di {self.by_code[kab][0]}"
            code = kec
            if p["kelurahan"]:
                kel, why = self.find(kec, p["kelurahan"], 4)
                if kel is None:
                    return empty, "kelurahan", f"desa/kelurahan {why} di Kecamatan {self.by_code[kec][0]}"
                code = kel
        elif p["kelurahan"]:
            return empty, "kecamatan", "wajib diisi bila desa/kelurahan diisi"
        return self.chain(code), None, None


# ---------------------------------------------------------------------------------------------------------------
# Preview

_MATCH_COLUMNS = [Cooperative.id, Cooperative.version, *(getattr(Cooperative, f) for f in COMPARED)]


def preview_import(session: Session, path: str | Path, *, today: dt.date | None = None,
                   progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> ImportPreview:
    """Read and check a workbook and say what importing it would do; nothing is written.

    Raises:
        ImportFileError: the file is not a workbook, or its header cannot be understood.
    """
    today = today or dt.date.today()
    progress(0, 0, "Membaca berkas…")
    sheet, rows, merged = read_sheet(path)
    if not rows:
        raise ImportFileError(f"Lembar {sheet} kosong.")
    h, mapping, texts, unknown = _find_header(rows, merged)
    merge_errors = _merged_header_errors(rows, h, merged, mapping)
    if merge_errors:
        raise ImportFileError("Judul kolom tidak dapat dibaca: " + "; ".join(merge_errors)
                              + ". Pisahkan sel judul yang digabung, satu judul untuk setiap kolom.")
    data = rows[h + 1:]
    while data and all(v in (None, "") for v in data[-1]):
        data.pop()
    first_row = h + 2  # the Excel row number of data[0]
    regions = _Regions(session)
    lookups = {
        "kelompok_id": {_key(n): i for i, n in session.execute(select(Kelompok.id, Kelompok.name))},
        "sector_id": {_key(n): i for i, n in session.execute(select(Sector.id, Sector.name))},
    }
    col_of = {f: j for j, f in mapping.items()}
    total = len(data)
    out: list[PreviewRow] = []
    parse_cache: dict[tuple[str, Any], Any] = {}

    # Pass 1: convert every cell.
    for i, raw in enumerate(data):
        if i % 5000 == 0:
            check(cancelled)
            progress(i, total * 2, "Memeriksa baris…")
        rownum = first_row + i
        if all(v in (None, "") for v in raw):
            continue
        pr = PreviewRow(rownum, NEW, "")
        clean: dict[str, Any] = {}
        for f, j in col_of.items():
            if f in REGION_PARTS:
                continue
            value = raw[j] if j < len(raw) else None
            if isinstance(value, str):
                value = value.strip()
            if value is None or value == "":
                if f == "name":
                    pr.issues.append(Issue(rownum, j + 1, texts[j], value, "wajib diisi"))
                continue
            try:
                clean[f] = _convert_cell(session, f, value, today, lookups, parse_cache)
            except ValueError as exc:
                pr.issues.append(Issue(rownum, j + 1, texts[j], value, str(exc)))
        parts = {p: (raw[col_of[p]] if p in col_of and col_of[p] < len(raw) else None) for p in REGION_PARTS}
        if any(v not in (None, "") for v in parts.values()):
            codes, bad, reason = regions.resolve(parts)
            if bad:
                j = col_of.get(bad, col_of.get("kabkota", -1))
                pr.issues.append(Issue(rownum, j + 1, texts[j] if j >= 0 else HEADER_OF[bad], parts.get(bad), reason or ""))
            else:
                clean.update(codes)
        pr.name = str(clean.get("name") or (raw[col_of["name"]] if col_of["name"] < len(raw) else "") or "")
        pr.clean = clean
        out.append(pr)

    # Pass 2: match with the registry in batches (NIK, then legal number, then name within the kelurahan).
    check(cancelled)
    niks = {r.clean["nik"] for r in out if r.clean.get("nik")}
    legal = {r.clean["legal_number"] for r in out if r.clean.get("legal_number")}
    kels = {r.clean["kelurahan_code"] for r in out if r.clean.get("kelurahan_code")}
    existing: dict[int, dict[str, Any]] = {}

    def load(where: Any) -> None:
        for rec in session.execute(select(*_MATCH_COLUMNS).where(where)):
            existing[rec[0]] = dict(zip(["id", "version", *COMPARED], rec))

    for chunk_set, column in ((niks, Cooperative.nik), (legal, Cooperative.legal_number),
                              (kels, Cooperative.kelurahan_code)):
        items = list(chunk_set)
        for start in range(0, len(items), 900):
            load(column.in_(items[start:start + 900]))
            check(cancelled)
    by_nik = {e["nik"]: e for e in existing.values() if e["nik"]}
    by_legal: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_name_kel: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for e in existing.values():
        if e["legal_number"]:
            by_legal[_key(e["legal_number"])].append(e)
        if e["kelurahan_code"]:
            by_name_kel[(_key(e["name"]), e["kelurahan_code"])].append(e)

    seen_nik: dict[str, int] = {}
    claimed: dict[int, int] = {}
    for i, pr in enumerate(out):
        if i % 5000 == 0:
            check(cancelled)
            progress(total + i, total * 2, "Mencocokkan dengan registri…")
        c = pr.clean
        nik = c.get("nik")
        nik_col = col_of.get("nik", -1)
        if nik:
            if nik in seen_nik:
                pr.issues.append(Issue(pr.row, nik_col + 1, texts[nik_col], nik, f"NIK ganda dalam berkas (juga di baris {seen_nik[nik]})"))
            else:
                seen_nik[nik] = pr.row
        match: dict[str, Any] | None = None
        if nik and nik in by_nik:
            match, pr.matched_by = by_nik[nik], "NIK"
        elif c.get("legal_number") and len(by_legal.get(_key(c["legal_number"]), [])) == 1:
            match, pr.matched_by = by_legal[_key(c["legal_number"])][0], "nomor badan hukum"
        elif c.get("name") and c.get("kelurahan_code") and len(by_name_kel.get((_key(c["name"]), c["kelurahan_code"]), [])) == 1:
            match, pr.matched_by = by_name_kel[(_key(c["name"]), c["kelurahan_code"])][0], "nama dan kelurahan"
        if match is not None:
            if match["id"] in claimed:
                pr.issues.append(Issue(pr.row, col_of["name"] + 1, texts[col_of["name"]], pr.name,
                                       f"cocok dengan koperasi yang sama seperti baris {claimed[match['id']]}"))
            claimed.setdefault(match["id"], pr.row)
            if nik and nik in by_nik and by_nik[nik]["id"] != match["id"]:
                pr.issues.append(Issue(pr.row, nik_col + 1, texts[nik_col], nik, f"NIK {nik} sudah dipakai oleh {by_nik[nik]['name']}"))
            pr.coop_id, pr.version, pr.old_status = match["id"], match["version"], match["status"]
            for f in COMPARED:
                if f in c and c[f] != match[f] and not (f in REGION_FIELDS and c[f] is None):
                    pr.changes.append(Change(f, FIELDS[f].label, match[f], c[f]))
            new_status = c.get("status")
            if new_status and new_status != match["status"] and new_status not in TRANSITIONS.get(match["status"], set()):
                j = col_of.get("status", -1)
                pr.issues.append(Issue(pr.row, j + 1, texts[j], c.get("status"),
                                       f"status tidak dapat diubah dari {match['status']} menjadi {new_status}"))
            pr.action = UPDATED if pr.changes else UNCHANGED
        else:
            for f, spec in FIELDS.items():
                if spec.required and f not in c and f not in DEFAULTS and f != "name":
                    j = col_of.get(f, col_of.get("kabkota", -1) if f == "kabkota_code" else -1)
                    if any(x.column == j + 1 and j >= 0 for x in pr.issues):
                        continue
                    pr.issues.append(Issue(pr.row, j + 1 if j >= 0 else 0, texts[j] if j >= 0 else HEADER_OF.get(f, spec.label),
                                           None, "wajib diisi untuk koperasi baru" + ("" if j >= 0 else " (kolom tidak ada)")))
            pr.action = NEW
        if pr.issues:
            pr.action = INVALID
    progress(total * 2, total * 2, "Selesai memeriksa")
    return ImportPreview(str(path), sheet, h + 1, mapping, texts, data, out, unknown)


def _convert_cell(session: Session, f: str, value: Any, today: dt.date, lookups: dict[str, dict[str, int]],
                  cache: dict[tuple[str, Any], Any]) -> Any:
    spec = FIELDS[f]
    if f == "nik":
        nik = normalize_nik(value)
        if nik is None:
            return None
        if not nik.isdigit():
            raise ValueError("NIK hanya boleh berisi angka")
        if len(nik) > 20:
            raise ValueError("NIK terlalu panjang (paling banyak 20 angka)")
        return nik
    if spec.kind == "fk":
        ident = lookups[f].get(_key(str(value)))
        if ident is None:
            raise ValueError(f"{value!r} tidak ada dalam daftar {spec.label.lower()}")
        return ident
    if spec.kind in ("choice", "date", "past_date", "year") or (spec.kind in ("count", "money", "signed_money") and isinstance(value, str)):
        key = (f, value)
        hit = cache.get(key)
        if hit is None:
            hit = _convert_cached(session, f, spec, value, today)
            cache[key] = hit
        if isinstance(hit, ValueError):
            raise hit
        return hit
    if spec.kind in ("count", "money", "signed_money") and isinstance(value, (int, float)) and not isinstance(value, bool):
        if value != value:
            raise ValueError("harus berupa angka")
        number = round(value)
        if spec.kind != "signed_money" and number < 0:
            raise ValueError("tidak boleh negatif")
        return number
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if spec.kind in ("text", "phone", "email") and not isinstance(value, str):
        value = value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value)
    return _convert(session, f, spec, value, today, [], None)


def _convert_cached(session: Session, f: str, spec: Any, value: Any, today: dt.date) -> Any:
    try:
        if spec.kind == "choice" and f == "status":
            v = _key(str(value))
            value = {"aktif": "aktif", "tidak aktif": "tidak_aktif", "non aktif": "tidak_aktif",
                     "nonaktif": "tidak_aktif", "tidak ditemukan": "tidak_ditemukan"}.get(v, value)
        if spec.kind == "choice" and f == "nik_status":
            v = _key(str(value))
            value = {"sudah": "bersertifikat", "bersertifikat": "bersertifikat", "ada": "bersertifikat",
                     "belum": "belum_bersertifikat", "belum bersertifikat": "belum_bersertifikat",
                     "tidak ada": "tidak_ada"}.get(v, value)
        if spec.kind == "choice" and f == "jenis":
            v = _key(str(value))
            value = {"ksp": "simpan_pinjam", "kspps": "simpan_pinjam", "usp": "simpan_pinjam"}.get(v, value)
        return _convert(session, f, spec, value, today, [], None)
    except ValueError as exc:
        return exc


# ---------------------------------------------------------------------------------------------------------------
# Apply


def apply_import(session: Session, actor: Actor, preview: ImportPreview, *, valid_only: bool = False,
                 source_ref: str | None = None, today: dt.date | None = None,
                 progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> ImportResult:
    """Write a checked import in the caller's transaction with bulk statements.

    Raises:
        ImportRejected: some rows are invalid and ``valid_only`` is false (nothing written).
        Cancelled: the clerk cancelled; the caller's transaction rolls everything back.
    """
    require(actor, "import")
    today = today or dt.date.today()
    invalid = [r for r in preview.rows if r.action == INVALID]
    if invalid and not valid_only:
        first = "; ".join(i.text() for r in invalid[:3] for i in r.issues[:1])
        raise ImportRejected(f"{len(invalid)} baris tidak valid, tidak ada yang disimpan. {first}"
                             + (" …" if len(invalid) > 3 else ""), invalid=len(invalid))
    ref = (source_ref or f"impor {Path(preview.path).name}")[:60]
    now = utcnow()
    new_rows = [r for r in preview.rows if r.action == NEW]
    upd_rows = [r for r in preview.rows if r.action == UPDATED]
    total = len(new_rows) + len(upd_rows)
    done = 0
    user_id, username = actor.user_id, actor.username
    created_ids: list[int] = []
    audit: list[dict[str, Any]] = []
    status_rows: list[dict[str, Any]] = []
    batch = 5000
    ct = Cooperative.__table__
    sqlite = session.get_bind().dialect.name == "sqlite"
    fts_trigger = None
    if sqlite and len(new_rows) >= FTS_BULK_THRESHOLD:
        # Large imports: fill the search index once, set-based, instead of row by row from the insert trigger. SQLite
        # DDL is transactional, so a cancel or a crash brings the trigger back with everything else.
        fts_trigger = session.connection().exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = 'cooperative_fts_ai'").scalar()
        if fts_trigger:
            session.connection().exec_driver_sql("DROP TRIGGER cooperative_fts_ai")
    for start in range(0, len(new_rows), batch):
        check(cancelled)
        chunk = new_rows[start:start + batch]
        values = []
        for r in chunk:
            v = {**DEFAULTS, **dict.fromkeys(COMPARED), **r.clean}
            v.setdefault("address", "")
            v["address"] = v["address"] or ""
            for k in ("members_male", "members_female", "employees", "managers", "own_capital", "external_capital",
                      "assets", "business_volume", "shu"):
                v[k] = v.get(k) or 0
            v.update(registered_on=today, status_date=today, version=1, created_at=now, updated_at=now,
                     grade_override=False, is_merah_putih=False, membership_scope="kabkota")
            v["form"] = v.get("form") or "primer"
            v["pola"] = v.get("pola") or "konvensional"
            v["status"] = v.get("status") or "aktif"
            v["nik_status"] = v.get("nik_status") or ("bersertifikat" if v.get("nik_certified_on") else "tidak_ada")
            values.append(v)
        if sqlite:
            # One writer at a time (BEGIN IMMEDIATE): new rowids follow the current maximum, so a plain executemany
            # (fast) gives known ids; RETURNING would run one statement per row on SQLite.
            first = (session.scalar(select(func.max(ct.c.id))) or 0) + 1
            ids = list(range(first, first + len(values)))
            for v, ident in zip(values, ids):
                v["id"] = ident
            session.execute(insert(ct), values)
        else:
            ids = list(session.scalars(insert(ct).returning(ct.c.id, sort_by_parameter_order=True), values))
        created_ids.extend(ids)
        for ident, v in zip(ids, values):
            status_rows.append({"cooperative_id": ident, "from_status": None, "to_status": v["status"],
                                "effective_date": today, "changed_at": now, "reason": "Impor data", "source": "import",
                                "source_ref": ref, "user_id": user_id, "username": username})
            audit.append({"at": now, "user_id": user_id, "username": username, "action": "create",
                          "entity": "cooperative", "entity_id": str(ident), "cooperative_id": ident, "field": None,
                          "old_value": None, "new_value": v["name"], "note": ref, "entity_version": 1})
        done += len(chunk)
        progress(done, total, "Menyimpan koperasi baru…")
    if fts_trigger and created_ids:
        session.connection().exec_driver_sql(
            "INSERT INTO cooperative_fts(rowid, name, nik, legal_number, address) "
            "SELECT id, name, nik, legal_number, address FROM cooperative WHERE id BETWEEN ? AND ?",
            (created_ids[0], created_ids[-1]))
    if fts_trigger:
        session.connection().exec_driver_sql(fts_trigger)
    groups: dict[tuple[str, ...], list[PreviewRow]] = defaultdict(list)
    for r in upd_rows:
        groups[tuple(sorted(ch.field for ch in r.changes))].append(r)
    from kopdesk.models.services.administration.audit import format_value

    t = Cooperative.__table__
    for fields, rows in groups.items():
        stmt = (update(t).where(t.c.id == bindparam("_id"), t.c.version == bindparam("_version"))
                .values(**{f: bindparam("_v_" + f) for f in fields}, version=bindparam("_newversion"), updated_at=now))
        for start in range(0, len(rows), batch):
            check(cancelled)
            chunk = rows[start:start + batch]
            params = [{"_id": r.coop_id, "_version": r.version, "_newversion": (r.version or 0) + 1,
                       **{"_v_" + ch.field: ch.new for ch in r.changes}} for r in chunk]
            result = session.connection().execute(stmt, params)
            if result.rowcount != len(chunk):  # someone saved one of them since the preview (version check)
                from kopdesk.models.errors import ConflictError

                raise ConflictError("cooperative", chunk[0].coop_id or 0)
            for r in chunk:
                for ch in r.changes:
                    audit.append({"at": now, "user_id": user_id, "username": username, "action": "update",
                                  "entity": "cooperative", "entity_id": str(r.coop_id), "cooperative_id": r.coop_id,
                                  "field": ch.field, "old_value": format_value(ch.old), "new_value": format_value(ch.new),
                                  "note": ref, "entity_version": (r.version or 0) + 1})
                    if ch.field == "status":
                        status_rows.append({"cooperative_id": r.coop_id, "from_status": ch.old, "to_status": ch.new,
                                            "effective_date": today, "changed_at": now, "reason": "Impor data",
                                            "source": "import", "source_ref": ref, "user_id": user_id,
                                            "username": username})
            done += len(chunk)
            progress(done, total, "Menyimpan perubahan…")
    check(cancelled)
    for start in range(0, len(status_rows), 20000):
        session.execute(insert(StatusChange.__table__), status_rows[start:start + 20000])
    for start in range(0, len(audit), 20000):
        check(cancelled)
        session.execute(insert(AuditEntry.__table__), audit[start:start + 20000])
    return ImportResult(len(new_rows), len(upd_rows), sum(1 for r in preview.rows if r.action == UNCHANGED),
                        len(invalid), created_ids)


def import_file(db: Any, actor: Actor, path: str | Path, *, valid_only: bool = False, dry_run: bool = False,
                today: dt.date | None = None, progress: Progress = NO_PROGRESS,
                cancelled: CancelCheck = NEVER_CANCELLED) -> tuple[ImportPreview, ImportResult | None]:
    """Check and (unless ``dry_run``) import a workbook in one transaction; the preview is re-made inside it."""
    require(actor, "import")
    if dry_run:
        with db.read() as s:
            return preview_import(s, path, today=today, progress=progress, cancelled=cancelled), None
    with db.transaction(actor) as s:
        preview = preview_import(s, path, today=today, progress=progress, cancelled=cancelled)
        result = apply_import(s, actor, preview, valid_only=valid_only, today=today, progress=progress,
                              cancelled=cancelled)
        return preview, result


# ---------------------------------------------------------------------------------------------------------------
# Reports of an import


def write_issues_workbook(preview: ImportPreview, path: str | Path) -> int:
    """The invalid rows as they were in the file, the faulty cells highlighted with the reason as a comment, and a
    sheet listing every issue. Returns the number of invalid rows written."""
    with atomic_workbook(path, {"in_memory": True}) as wb:
        head = wb.add_format({"bold": True, "bg_color": "#D9E2F3", "border": 1})
        bad = wb.add_format({"bg_color": "#FFC7CE", "font_color": "#9C0006", "border": 1})
        ws = wb.add_worksheet("Baris Tidak Valid")
        ws.write_row(0, 0, ["Baris", *preview.headers, "Alasan"], head)
        first = preview.header_row + 1
        r = 1
        invalid = [row for row in preview.rows if row.action == INVALID]
        for pr in invalid:
            raw = preview.raw[pr.row - first] if 0 <= pr.row - first < len(preview.raw) else []
            ws.write_number(r, 0, pr.row)
            bad_cols = {i.column: i for i in pr.issues}
            for j in range(len(preview.headers)):
                v = raw[j] if j < len(raw) else None
                fmt = bad if (j + 1) in bad_cols else None
                if isinstance(v, (dt.date, dt.datetime)):
                    v = v.isoformat()
                if v is None:
                    ws.write_blank(r, j + 1, None, fmt)
                else:
                    ws.write(r, j + 1, v, fmt)
                if (j + 1) in bad_cols:
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
                                 "" if i.value is None else str(i.value), i.reason])
        ws2.set_column(0, 1, 8)
        ws2.set_column(2, 3, 24)
        ws2.set_column(4, 4, 70)
        ws2.freeze_panes(1, 0)
        return len(invalid)
