"""RAT compliance: record the RAT of a cooperative per book year, judge it against the deadline, summarise, bulk-mark.

The deadline of book year Y is the office's :class:`RatDeadline` row for (Y, form) when there is one, otherwise the
month-day of setting ``rat.default_deadline`` in Y+1 (brief §4: primer 30 April, sekunder 30 June). A RAT is
``tepat_waktu`` when its meeting (or, with no meeting date known, the report) is dated on or before the deadline,
``terlambat`` when later, and ``belum`` when there is no record or neither date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import DomainError, FieldError, ValidationError
from kopdesk.models.formats import parse_date, parse_int, percent
from kopdesk.models.rat import RatDeadline, RatRecord
from kopdesk.models.region import Region, level_of, undotted
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.registry.cooperatives import get_cooperative, normalize_nik
from kopdesk.models.services.registry.history import status_as_of
from kopdesk.models.vocab import FORM, RAT_STATUS, REGISTERED_STATUSES, type_label

STATES = tuple(RAT_STATUS)  # tepat_waktu, terlambat, belum


# ---------------------------------------------------------------------------------------------------- deadline rule

def deadline(session: Session, book_year: int, form: str = "primer") -> dt.date:
    """The RAT reporting deadline of a book year for a form (primer/sekunder).

    A month-day that does not exist in year Y+1 (29 February outside a leap year) falls back to the last day of
    that month, so a rule written as "02-29" still gives a date every year.
    """
    row = session.get(RatDeadline, (book_year, form))
    if row is not None:
        return row.deadline
    rule = settings.get(session, "rat.default_deadline")
    month_day = rule.get(form) or rule.get("primer") or "04-30"
    return month_day_in(book_year + 1, month_day)


def month_day_in(year: int, month_day: str) -> dt.date:
    """``"MM-DD"`` in ``year``, clamped to the month's last day (29 Feb -> 28 Feb in a common year)."""
    month, day = (int(p) for p in month_day.split("-"))
    while day > 28:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, month, day)


def judge(rat_date: dt.date | None, report_received_date: dt.date | None, due: dt.date) -> str:
    """tepat_waktu / terlambat / belum for one record (None dates = no record)."""
    held = rat_date or report_received_date
    if held is None:
        return "belum"
    return "tepat_waktu" if held <= due else "terlambat"


def state_of(session: Session, coop: Cooperative, book_year: int) -> str:
    """The compliance state of one cooperative for a book year."""
    rec = session.scalar(select(RatRecord).where(RatRecord.cooperative_id == coop.id, RatRecord.book_year == book_year))
    due = deadline(session, book_year, coop.form)
    return judge(rec.rat_date, rec.report_received_date, due) if rec else "belum"


# ------------------------------------------------------------------------------------------------- record one RAT

RAT_FIELDS = {
    "rat_date": "Tanggal RAT", "report_received_date": "Tanggal laporan diterima", "attendance": "Jumlah hadir",
    "has_minutes": "Berita acara RAT", "has_financials": "Neraca dan PHU", "has_lpj": "Laporan pertanggungjawaban",
    "notes": "Catatan",
}


def _clean_rat(book_year: int, data: dict[str, Any], today: dt.date, row: int | None = None) -> dict[str, Any]:
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}

    def err(name: str, message: str, value: Any = None) -> None:
        errors.append(FieldError(name, RAT_FIELDS.get(name, name), message, value, row))

    for name, value in data.items():
        if name not in RAT_FIELDS:
            err(name, "kolom tidak dikenal")
            continue
        if name in ("rat_date", "report_received_date"):
            try:
                date = parse_date(value)
            except (ValueError, TypeError):
                err(name, "bukan tanggal yang benar (contoh: 14/03/2025)", value)
                continue
            if date is not None and date > today:
                err(name, "tidak boleh di masa depan", value)
            elif date is not None and date.year <= book_year:
                err(name, f"harus sesudah tahun buku {book_year} berakhir", value)
            clean[name] = date
        elif name == "attendance":
            try:
                number = parse_int(value)
            except (ValueError, TypeError):
                err(name, "harus berupa angka bulat", value)
                continue
            if number is not None and number < 0:
                err(name, "tidak boleh negatif", value)
            clean[name] = number
        elif name.startswith("has_"):
            clean[name] = bool(value)
        else:
            clean[name] = (str(value).strip() or None) if value is not None else None
    if clean.get("rat_date") and clean.get("report_received_date") and clean["report_received_date"] < clean["rat_date"]:
        err("report_received_date", "tidak boleh sebelum tanggal RAT", data.get("report_received_date"))
    if errors:
        raise ValidationError(errors)
    return clean


def _check_year(book_year: Any, today: dt.date) -> int:
    try:
        year = int(book_year)
    except (TypeError, ValueError):
        year = 0
    if not 1960 <= year < today.year:
        raise ValidationError([FieldError("book_year", "Tahun buku",
                                          f"harus tahun yang sudah berakhir (1960–{today.year - 1})", book_year)])
    return year


def record_rat(session: Session, actor: Actor, coop_id: int, book_year: int, data: dict[str, Any], *,
               today: dt.date | None = None) -> RatRecord:
    """Create or update the RAT of a cooperative for a book year; only the fields in ``data`` change.

    Args:
        data: any of rat_date, report_received_date, attendance, has_minutes, has_financials, has_lpj, notes.

    Raises:
        ValidationError: a date in the future or inside the book year, a received date before the meeting, ...
        NotFoundError: the cooperative does not exist.
    """
    require(actor, "supervision.write")
    today = today or dt.date.today()
    year = _check_year(book_year, today)
    coop = get_cooperative(session, coop_id)
    rec = session.scalar(select(RatRecord).where(RatRecord.cooperative_id == coop.id, RatRecord.book_year == year))
    merged = {k: getattr(rec, k) for k in ("rat_date", "report_received_date")} if rec else {}
    clean = _clean_rat(year, {**merged, **data}, today)
    clean = {k: v for k, v in clean.items() if k in data}
    if rec is None:
        rec = RatRecord(cooperative_id=coop.id, book_year=year, has_minutes=False, has_financials=False, has_lpj=False)
        session.add(rec)
    for key, value in clean.items():
        setattr(rec, key, value)
    session.flush()
    return rec


def delete_rat(session: Session, actor: Actor, coop_id: int, book_year: int) -> bool:
    """Remove a RAT entered by mistake; True when there was one."""
    require(actor, "supervision.write")
    rec = session.scalar(select(RatRecord).where(RatRecord.cooperative_id == coop_id, RatRecord.book_year == book_year))
    if rec is None:
        return False
    session.delete(rec)
    session.flush()
    return True


# --------------------------------------------------------------------------------------------- compliance views

@dataclass(frozen=True)
class ComplianceRow:
    """One obliged cooperative and its state for a book year (plain data for tables and threads)."""

    cooperative_id: int
    name: str
    nik: str | None
    kecamatan_code: str | None
    kecamatan: str
    jenis_label: str
    form: str
    deadline: dt.date
    rat_date: dt.date | None
    report_received_date: dt.date | None
    attendance: int | None
    state: str


@dataclass
class Tally:
    """Counts of one group: obliged, on time, late, missing, and their percentages of the obliged."""

    obliged: int = 0
    tepat_waktu: int = 0
    terlambat: int = 0
    belum: int = 0

    @property
    def held(self) -> int:
        return self.tepat_waktu + self.terlambat

    @property
    def held_pct(self) -> Decimal | None:
        return percent(self.held, self.obliged)

    def pct(self, state: str) -> Decimal | None:
        return percent(getattr(self, state), self.obliged)

    def add(self, state: str) -> None:
        self.obliged += 1
        setattr(self, state, getattr(self, state) + 1)


@dataclass
class ComplianceSummary:
    """The RAT compliance of a book year: total, by kecamatan and by type (jenis, KSP split by pola)."""

    book_year: int
    reference_date: dt.date
    total: Tally
    by_kecamatan: list[tuple[str | None, str, Tally]]
    by_jenis: list[tuple[str, Tally]]
    rows: list[ComplianceRow] = field(default_factory=list)


def reference_date(session: Session, book_year: int, today: dt.date | None = None) -> dt.date:
    """The day whose status decides who was obliged: the last deadline of the year, or today if it is not due yet."""
    today = today or dt.date.today()
    last = max(deadline(session, book_year, f) for f in FORM)
    return min(last, today)


def compliance_rows(session: Session, book_year: int, *, region_code: str | None = None,
                    today: dt.date | None = None) -> list[ComplianceRow]:
    """Every cooperative obliged to report the RAT of ``book_year`` with its state.

    Obliged: registered and active on the reference date (:func:`reference_date`, from the status history), plus
    any registered cooperative that did report for that year.
    """
    ref = reference_date(session, book_year, today)
    c = Cooperative
    st = status_as_of(ref).label("st")
    kec = Region.__table__.alias("kec")
    q = (select(c.id, c.name, c.nik, c.kecamatan_code, kec.c.name, c.jenis, c.pola, c.form, st, c.status, c.registered_on,
                RatRecord.rat_date, RatRecord.report_received_date, RatRecord.attendance, RatRecord.id)
         .outerjoin(kec, kec.c.code == c.kecamatan_code)
         .outerjoin(RatRecord, (RatRecord.cooperative_id == c.id) & (RatRecord.book_year == book_year))
         .where(c.status.in_(REGISTERED_STATUSES)))
    if region_code:
        code = undotted(region_code)
        col = {1: c.province_code, 2: c.kabkota_code, 3: c.kecamatan_code, 4: c.kelurahan_code}.get(level_of(code))
        if col is None:
            return []
        q = q.where(col == code)
    dues = {f: deadline(session, book_year, f) for f in FORM}
    out: list[ComplianceRow] = []
    for (cid, name, nik, kcode, kname, jenis, pola, form, status, current, registered_on, rat_date, received, attendance,
         rec_id) in session.execute(q.order_by(c.name, c.id)):
        # No history at all (data imported without it): the current status stands in.
        status = status if status is not None else current
        active_then = status == "aktif" and (registered_on is None or registered_on <= ref)
        if not active_then and rec_id is None:
            continue
        due = dues.get(form, dues["primer"])
        state = judge(rat_date, received, due) if rec_id is not None else "belum"
        out.append(ComplianceRow(cid, name, nik, kcode, kname or "(tanpa kecamatan)", type_label(jenis, pola), form,
                                 due, rat_date, received, attendance, state))
    return out


def summary(session: Session, book_year: int, *, region_code: str | None = None,
            today: dt.date | None = None, keep_rows: bool = False) -> ComplianceSummary:
    """Compliance of a book year, in total, by kecamatan and by type, with percentages of the obliged."""
    rows = compliance_rows(session, book_year, region_code=region_code, today=today)
    total = Tally()
    kec: dict[str | None, tuple[str, Tally]] = {}
    jen: dict[str, Tally] = {}
    for r in rows:
        total.add(r.state)
        kec.setdefault(r.kecamatan_code, (r.kecamatan, Tally()))[1].add(r.state)
        jen.setdefault(r.jenis_label, Tally()).add(r.state)
    by_kec = sorted(((code, name, t) for code, (name, t) in kec.items()), key=lambda x: (x[0] is None, x[0] or ""))
    order = ["Jasa", "Konsumen", "Pemasaran", "Produsen", "KSP Konvensional", "KSP Syariah"]
    by_jenis = sorted(jen.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0]))
    return ComplianceSummary(book_year, reference_date(session, book_year, today), total, by_kec, by_jenis,
                             rows if keep_rows else [])


def latest_book_year(session: Session, today: dt.date | None = None) -> int:
    """The most recent book year with any RAT recorded, or last year when there is none."""
    from sqlalchemy import func

    today = today or dt.date.today()
    year = session.scalar(select(func.max(RatRecord.book_year)))
    return int(year) if year else today.year - 1


# --------------------------------------------------------------------------------------------------- bulk marking

@dataclass(frozen=True)
class MarkRow:
    """One line of a bulk marking: a NIK and optionally the dates and attendance."""

    line: int
    nik: str
    rat_date: Any = None
    report_received_date: Any = None
    attendance: Any = None


@dataclass(frozen=True)
class Unmatched:
    """A line that could not be applied, and why (Indonesian)."""

    line: int
    nik: str
    reason: str

    def text(self) -> str:
        return f"Baris {self.line}: {self.nik or '(kosong)'}: {self.reason}"


class BulkMarkRejected(DomainError):
    """Some lines could not be matched; nothing was written."""

    code = "bulk_mark_rejected"

    def __init__(self, unmatched: list[Unmatched], total: int) -> None:
        self.unmatched = unmatched
        lines = "\n".join(u.text() for u in unmatched[:50])
        more = f"\n… dan {len(unmatched) - 50} baris lain" if len(unmatched) > 50 else ""
        super().__init__(f"{len(unmatched)} dari {total} baris tidak dapat dicocokkan; tidak ada yang disimpan.\n"
                         f"{lines}{more}", unmatched=unmatched, total=total)


@dataclass(frozen=True)
class BulkResult:
    """What a bulk marking did."""

    created: int
    updated: int
    cooperative_ids: tuple[int, ...]


def parse_nik_text(text: str) -> list[MarkRow]:
    """NIKs pasted by a clerk: one per line (or separated by commas/semicolons/tabs); blank lines are skipped.

    A line may carry a second and third column (tab or semicolon): the RAT date and the report received date.
    """
    out: list[MarkRow] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        parts = [p.strip() for p in re.split(r"[\t;]", line)]
        if len(parts) == 1 and "," in line and not re.search(r"\d,\d{3}", line):
            for piece in (p.strip() for p in line.split(",")):
                if piece:
                    out.append(MarkRow(number, piece))
            continue
        out.append(MarkRow(number, parts[0], parts[1] if len(parts) > 1 and parts[1] else None,
                           parts[2] if len(parts) > 2 and parts[2] else None))
    return out


_HEADERS = {
    "nik": ("nik", "nik koperasi", "nomor induk koperasi"),
    "rat_date": ("tanggal rat", "tgl rat", "tanggal pelaksanaan rat"),
    "report_received_date": ("tanggal laporan diterima", "tanggal diterima", "tgl diterima", "laporan diterima"),
    "attendance": ("jumlah hadir", "hadir", "kehadiran"),
}


def read_mark_file(path: str | Path) -> list[MarkRow]:
    """Rows of an Excel sheet with a header row naming at least the NIK column (first sheet).

    Raises:
        ValidationError: no NIK column, or the file cannot be read as a workbook.
    """
    from openpyxl import load_workbook

    try:
        wb = load_workbook(str(path), read_only=True, data_only=True)
    except Exception as exc:
        raise ValidationError([FieldError("file", "Berkas", f"tidak dapat dibaca sebagai Excel: {exc}", str(path))]) from None
    try:
        ws = wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        header = next(rows, None) or ()
        cols: dict[str, int] = {}
        for i, cell in enumerate(header):
            name = str(cell or "").strip().lower()
            for key, aliases in _HEADERS.items():
                if name in aliases and key not in cols:
                    cols[key] = i
        if "nik" not in cols:
            raise ValidationError([FieldError("file", "Berkas", "baris pertama harus memuat kolom 'NIK'", str(path))])
        out: list[MarkRow] = []
        for number, row in enumerate(rows, start=2):
            values = {k: (row[i] if i < len(row) else None) for k, i in cols.items()}
            if all(v is None or str(v).strip() == "" for v in values.values()):
                continue
            nik = values.get("nik")
            if isinstance(nik, float) and nik == int(nik):
                nik = int(nik)
            out.append(MarkRow(number, "" if nik is None else str(nik).strip(), values.get("rat_date"),
                               values.get("report_received_date"), values.get("attendance")))
        return out
    finally:
        wb.close()


def bulk_mark(session: Session, actor: Actor, book_year: int, rows: Iterable[MarkRow], *,
              received_on: dt.date | None = None, today: dt.date | None = None) -> BulkResult:
    """Mark the RAT of ``book_year`` as held/reported for every listed NIK, all or nothing.

    A line without its own dates gets ``received_on`` (default today) as the report received date. Existing
    records keep the fields a line does not give.

    Raises:
        BulkMarkRejected: any line has an empty, unknown, duplicate or dissolved NIK or a bad date; the error lists
            every such line and nothing is written.
    """
    require(actor, "supervision.write")
    today = today or dt.date.today()
    year = _check_year(book_year, today)
    received_on = received_on or today
    rows = list(rows)
    niks = {normalize_nik(r.nik) for r in rows if normalize_nik(r.nik)}
    found: dict[str, tuple[int, str]] = {}
    for chunk_start in range(0, len(niks), 500):
        chunk = sorted(niks)[chunk_start:chunk_start + 500]
        for cid, nik, status in session.execute(select(Cooperative.id, Cooperative.nik, Cooperative.status)
                                                .where(Cooperative.nik.in_(chunk))):
            found[nik] = (cid, status)
    unmatched: list[Unmatched] = []
    seen: dict[str, int] = {}
    plan: list[tuple[int, dict[str, Any]]] = []
    for r in rows:
        nik = normalize_nik(r.nik) or ""
        if not nik:
            unmatched.append(Unmatched(r.line, r.nik, "NIK kosong"))
            continue
        if not nik.isdigit():
            unmatched.append(Unmatched(r.line, r.nik, "NIK hanya boleh berisi angka"))
            continue
        if nik in seen:
            unmatched.append(Unmatched(r.line, r.nik, f"NIK sama dengan baris {seen[nik]}"))
            continue
        seen[nik] = r.line
        hit = found.get(nik)
        if hit is None:
            unmatched.append(Unmatched(r.line, r.nik, "NIK tidak terdaftar"))
            continue
        if hit[1] == "dibubarkan":
            unmatched.append(Unmatched(r.line, r.nik, "koperasi sudah dibubarkan"))
            continue
        data: dict[str, Any] = {}
        if r.rat_date not in (None, ""):
            data["rat_date"] = r.rat_date
        if r.report_received_date not in (None, ""):
            data["report_received_date"] = r.report_received_date
        if not data:
            data["report_received_date"] = received_on
        if r.attendance not in (None, ""):
            data["attendance"] = r.attendance
        try:
            _clean_rat(year, data, today, r.line)
        except ValidationError as exc:
            unmatched.append(Unmatched(r.line, r.nik, "; ".join(f"{e.label}: {e.message}" for e in exc.errors)))
            continue
        plan.append((hit[0], data))
    if unmatched:
        raise BulkMarkRejected(unmatched, len(rows))
    if not plan:
        raise ValidationError([FieldError("nik", "Daftar NIK", "tidak ada NIK yang diisi")])
    existing = set(session.scalars(select(RatRecord.cooperative_id).where(
        RatRecord.book_year == year, RatRecord.cooperative_id.in_([p[0] for p in plan]))))
    for cid, data in plan:
        record_rat(session, actor, cid, year, data, today=today)
    return BulkResult(created=sum(1 for cid, _ in plan if cid not in existing),
                      updated=sum(1 for cid, _ in plan if cid in existing),
                      cooperative_ids=tuple(cid for cid, _ in plan))
