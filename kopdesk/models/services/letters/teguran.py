"""Surat teguran: who is due which warning letter, issuing them in batches, and the register (no Qt).

Rules (brief §4, §6, §11; the [UNCONFIRMED] parts are settings):

* Grounds, each switchable in ``teguran.grounds``:
  - ``tidak_rat``: no RAT record for the latest ``teguran.rat_missing_years`` book years whose reporting deadline has
    passed (deadline per book year and form from the ``rat_deadline`` table, else ``rat.default_deadline``).
    The facts name every missing book year of the last ``dissolution.rat_missing_years`` (only years since the
    cooperative's legal date).
  - ``tidak_ditemukan``: the latest field visit did not find it at its registered address.
  - ``tidak_aktif_usaha``: the latest visit found no business running, or the registry status is Tidak Aktif.
  - ``tidak_menanggapi``: the previous letter's deadline passed with no response recorded.
* Escalation: Teguran I when a ground holds and no letter is open; the next level when the previous letter is
  unresolved and its deadline (letter date + ``teguran.response_days``) has passed while a ground still holds;
  after the last level of ``teguran.levels`` comes level 4, the proposal for dissolution, which opens a
  :class:`DissolutionCase` and moves the cooperative to "Dalam Proses Pembubaran".
* A cancelled letter keeps its number and no longer counts. A resolved letter closes the episode; a new Teguran I
  can follow only after that letter's deadline.
* An active exemption (reason, until a date) keeps a cooperative out of the issuable queue; the queue shows it.
* Issuing re-checks every selected cooperative inside the write transaction after locking it, so two clerks (or
  one double click) never send the same level twice.

What a letter says is composed in :mod:`kopdesk.models.services.letters.compose`; the PDFs are drawn inside the
issuing transaction (the register keeps each one's SHA-256) by the renderer the caller passes in, a
:class:`~kopdesk.models.documents.letters.LetterRenderer` (kopdesk.reports.pdf.teguran).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kopdesk.models.base import utcnow
from kopdesk.models.cooperative import Cooperative, Officer
from kopdesk.models.documents.letters import CommonParts, LetterDoc, LetterRenderer
from kopdesk.models.errors import FieldError, InvalidTransition, NotFoundError, ValidationError
from kopdesk.models.formats import format_date
from kopdesk.models.office import OfficeProfile
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.rat import RatDeadline, RatRecord
from kopdesk.models.region import Region
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.letters import compose
from kopdesk.models.services.letters.compose import years_text
from kopdesk.models.services.letters.numbering import format_number, take_numbers
from kopdesk.models.supervision import Visit
from kopdesk.models.teguran import DissolutionCase, EscalationExemption, Letter
from kopdesk.models.vocab import LETTER_DELIVERY, LETTER_LEVELS

if TYPE_CHECKING:
    from kopdesk.models.db import Database

ELIGIBLE_STATUSES = ("aktif", "tidak_aktif", "tidak_ditemukan")
DELIVERY = LETTER_DELIVERY  # the delivery statuses a letter goes through, with their labels


@dataclass
class DueItem:
    """One cooperative in the queue.

    Attributes:
        level: the level due (1-3 teguran, 4 usulan pembubaran).
        grounds: violation codes (kopdesk.models.vocab.VIOLATIONS).
        reasons: the grounds as Indonesian sentences with their facts.
        facts: missing_years, visit {date, officer, found, business_active}, previous {number, date, due, level}.
        exempt: the active exemption (reason, until) that holds the cooperative back, if any.
    """

    cooperative_id: int
    name: str
    nik: str | None
    address: str
    level: int
    grounds: list[str]
    reasons: list[str]
    facts: dict[str, Any]
    exempt: dict[str, Any] | None = None

    @property
    def level_label(self) -> str:
        return LETTER_LEVELS.get(self.level, str(self.level))

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["level_label"] = self.level_label
        return d


@dataclass
class IssueResult:
    """What one batch issued, and what it skipped and why."""

    letters: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[tuple[int, str]] = field(default_factory=list)
    combined_pdf: bytes | None = None
    single_pdfs: list[bytes] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------------------------
# Settings helpers


def response_days(session: Session, level: int) -> int:
    value = settings.get(session, "teguran.response_days")
    if isinstance(value, list):
        return int(value[min(level, len(value)) - 1]) if value else 30
    return int(value)


def max_teguran_level(session: Session) -> int:
    levels = settings.get(session, "teguran.levels") or [1, 2, 3]
    return max(int(x) for x in levels)


def rat_deadline(session: Session, book_year: int, form: str, _cache: dict[tuple[int, str], dt.date] | None = None) -> dt.date:
    """The RAT reporting deadline of a book year: the rat_deadline table, else the settings default."""
    key = (book_year, form)
    if _cache is not None and key in _cache:
        return _cache[key]
    row = session.get(RatDeadline, key)
    if row is not None:
        d = row.deadline
    else:
        md = settings.get(session, "rat.default_deadline").get(form, "04-30")
        month, day = (int(x) for x in md.split("-"))
        d = dt.date(book_year + 1, month, day)
    if _cache is not None:
        _cache[key] = d
    return d


def overdue_book_years(session: Session, form: str, today: dt.date, count: int,
                       cache: dict[tuple[int, str], dt.date] | None = None) -> list[int]:
    """The latest ``count`` book years whose RAT deadline lies before ``today``, oldest first."""
    y = today.year - 1
    while rat_deadline(session, y, form, cache) >= today:
        y -= 1
    return list(range(y - count + 1, y + 1))


# ---------------------------------------------------------------------------------------------------------------
# The queue


def _chunks(ids: Sequence[int], n: int = 900) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), n):
        yield ids[i:i + n]


OFFICE_REGION = "office"


def _region_condition(code: str) -> Any:
    column = {2: Cooperative.province_code, 4: Cooperative.kabkota_code, 6: Cooperative.kecamatan_code}.get(
        len(code), Cooperative.kelurahan_code)
    return column == code


def compute_queue(session: Session, *, today: dt.date | None = None, cooperative_ids: Sequence[int] | None = None,
                  include_exempt: bool = True, lock: bool = False,
                  region_code: str | None = OFFICE_REGION) -> list[DueItem]:
    """Every cooperative due a letter today, with level, reasons and facts (exempted ones flagged).

    Args:
        region_code: only cooperatives of this region; by default the region the office governs (its profile), so
            an office never writes to cooperatives outside its authority; None for every region.
    """
    today = today or dt.date.today()
    if region_code == OFFICE_REGION:
        region_code = session.scalar(select(OfficeProfile.region_code).where(OfficeProfile.id == 1))
    grounds_on = set(settings.get(session, "teguran.grounds"))
    n_teguran = int(settings.get(session, "teguran.rat_missing_years"))
    n_dissolution = int(settings.get(session, "dissolution.rat_missing_years"))
    n_window = max(n_teguran, n_dissolution, 1)
    top = max_teguran_level(session)
    cache: dict[tuple[int, str], dt.date] = {}

    q = select(Cooperative.id, Cooperative.name, Cooperative.nik, Cooperative.address, Cooperative.form,
               Cooperative.status, Cooperative.legal_date).where(Cooperative.status.in_(ELIGIBLE_STATUSES))
    if region_code and cooperative_ids is None:
        q = q.where(_region_condition(region_code))
    coops: list[Any] = []
    if cooperative_ids is not None:
        ids = sorted(set(cooperative_ids))
        for part in _chunks(ids):
            qq = q.where(Cooperative.id.in_(part))
            if lock:  # in id order, so clerks with overlapping selections queue instead of deadlocking
                qq = qq.order_by(Cooperative.id).with_for_update()
            coops.extend(session.execute(qq).all())
    else:
        coops = list(session.execute(q.order_by(Cooperative.name, Cooperative.id)).all())
    if not coops:
        return []
    ids = [c.id for c in coops]
    windows = {form: overdue_book_years(session, form, today, n_window, cache) for form in {c.form for c in coops}}
    lo = min(w[0] for w in windows.values())

    rat_years: dict[int, set[int]] = defaultdict(set)
    visits: dict[int, Any] = {}
    letters: dict[int, Any] = {}
    exemptions: dict[int, Any] = {}
    many = cooperative_ids is None
    parts = [ids] if many else list(_chunks(ids))
    for part in parts:
        def cond(col: Any, part: Sequence[int] = part) -> Any:
            return col.isnot(None) if many else col.in_(part)

        for cid, year in session.execute(select(RatRecord.cooperative_id, RatRecord.book_year)
                                         .where(cond(RatRecord.cooperative_id), RatRecord.book_year >= lo)):
            rat_years[cid].add(year)
        for v in session.execute(select(Visit.cooperative_id, Visit.visit_date, Visit.officer_name,
                                        Visit.found_at_address, Visit.business_active, Visit.id)
                                 .where(cond(Visit.cooperative_id)).order_by(Visit.visit_date, Visit.id)):
            visits[v.cooperative_id] = v  # the latest wins
        for row in session.execute(select(Letter.cooperative_id, Letter.id, Letter.level, Letter.number,
                                          Letter.letter_date, Letter.due_date, Letter.response_date, Letter.resolved)
                                   .where(cond(Letter.cooperative_id), Letter.kind == "teguran",
                                          Letter.status != "dibatalkan")
                                   .order_by(Letter.letter_date, Letter.year, Letter.seq)):
            letters[row.cooperative_id] = row
        for e in session.execute(select(EscalationExemption.cooperative_id, EscalationExemption.reason,
                                        EscalationExemption.until)
                                 .where(cond(EscalationExemption.cooperative_id), EscalationExemption.active.is_(True),
                                        EscalationExemption.until >= today)):
            exemptions[e.cooperative_id] = e

    out: list[DueItem] = []
    for c in coops:
        window = [y for y in windows[c.form] if c.legal_date is None or y >= c.legal_date.year]
        held = rat_years.get(c.id, set())
        missing = [y for y in window if y not in held]
        trailing = 0
        for y in reversed(window):
            if y in held:
                break
            trailing += 1
        grounds: list[str] = []
        reasons: list[str] = []
        facts: dict[str, Any] = {}
        if missing:
            facts["missing_years"] = missing
        if "tidak_rat" in grounds_on and window and trailing >= n_teguran:
            grounds.append("tidak_rat")
            reasons.append(f"Tidak melaksanakan/melaporkan RAT tahun buku {years_text(missing)}")
        v = visits.get(c.id)
        if v is not None:
            facts["visit"] = {"date": v.visit_date.isoformat(), "officer": v.officer_name or "",
                              "found": bool(v.found_at_address), "business_active": v.business_active}
            if "tidak_ditemukan" in grounds_on and not v.found_at_address:
                grounds.append("tidak_ditemukan")
                reasons.append(f"Tidak ditemukan di alamat terdaftar saat kunjungan {format_date(v.visit_date)}"
                               + (f" oleh {v.officer_name}" if v.officer_name else ""))
        if ("tidak_ditemukan" in grounds_on and c.status == "tidak_ditemukan" and "tidak_ditemukan" not in grounds
                and (v is None or v.found_at_address is False)):
            grounds.append("tidak_ditemukan")
            reasons.append("Tidak ditemukan di alamat terdaftar (status registri Tidak Ditemukan di Alamat)")
        if "tidak_aktif_usaha" in grounds_on and ((v is not None and v.business_active is False)
                                                  or c.status == "tidak_aktif"):
            grounds.append("tidak_aktif_usaha")
            reasons.append("Tidak menjalankan kegiatan usaha"
                           + (f" (kunjungan {format_date(v.visit_date)})" if v is not None and v.business_active is False
                              else " (status registri Tidak Aktif)"))
        if trailing >= n_dissolution:
            facts["dissolution_ground"] = "Permenkop 9/2018: tidak melaksanakan Rapat Anggota 3 tahun berturut-turut"

        last = letters.get(c.id)
        level = 0
        if last is None:
            level = 1 if grounds else 0
        elif last.resolved:
            level = 1 if grounds and (last.due_date is None or today > last.due_date) else 0
        elif last.level >= 4:
            level = 0  # the dissolution case takes over
        elif last.due_date is not None and today > last.due_date and grounds:
            level = last.level + 1 if last.level < top else 4
            facts["previous"] = {"number": last.number, "date": last.letter_date.isoformat(),
                                 "due": last.due_date.isoformat(), "level": last.level}
            if last.response_date is None:
                grounds.append("tidak_menanggapi")
                reasons.append(f"Tidak menanggapi {LETTER_LEVELS.get(last.level)} nomor {last.number} tanggal "
                               f"{format_date(last.letter_date)} sampai batas waktu {format_date(last.due_date)}")
        if not level:
            continue
        ex = exemptions.get(c.id)
        exempt = {"reason": ex.reason, "until": ex.until.isoformat()} if ex is not None else None
        if exempt and not include_exempt:
            continue
        out.append(DueItem(c.id, c.name, c.nik, c.address or "", level, grounds, reasons, facts, exempt))
    return out


# ---------------------------------------------------------------------------------------------------------------
# Issuing


def _office(session: Session) -> OfficeProfile:
    office = session.get(OfficeProfile, 1)
    if office is None:
        raise NotFoundError("Profil instansi belum ada; isi dulu di Pengaturan.")
    return office


def _region_names(session: Session, codes: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    codes_l = sorted(c for c in codes if c)
    for part in _chunks(codes_l):  # type: ignore[arg-type]
        for code, name in session.execute(select(Region.code, Region.name).where(Region.code.in_(part))):
            names[code] = name
    return names


def issue(session: Session, actor: Actor, selection: Sequence[int | tuple[int, int]], *,
          renderer: LetterRenderer | None, letter_date: dt.date | None = None, today: dt.date | None = None,
          combined: bool = True, progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> IssueResult:
    """Issue the letters due for the selected cooperatives, numbered and registered in this transaction.

    Args:
        selection: cooperative ids, or (id, level) pairs as the clerk saw them; a cooperative whose due level is no
            longer the one shown (another clerk issued it meanwhile) is skipped, never sent twice.
        renderer: draws the PDFs (kopdesk.reports.pdf.teguran); the register stores each letter's SHA-256.
            None draws nothing and registers no hash: only for tests of the rules.

    Raises:
        Cancelled: the user stopped it; the caller's transaction rolls back, numbers included.
    """
    require(actor, "documents.issue")
    today = today or dt.date.today()
    letter_date = letter_date or today
    expected: dict[int, int | None] = {}
    for sel in selection:
        if isinstance(sel, tuple):
            expected[int(sel[0])] = int(sel[1])
        else:
            expected[int(sel)] = None
    result = IssueResult()
    if not expected:
        return result
    progress(0, len(expected), "Memeriksa antrean…")
    items = compute_queue(session, today=today, cooperative_ids=list(expected), lock=True)
    by_id = {i.cooperative_id: i for i in items}
    chosen: list[DueItem] = []
    for cid, level in expected.items():
        item = by_id.get(cid)
        if item is None:
            result.skipped.append((cid, "tidak lagi dalam antrean (sudah diterbitkan, dikecualikan, atau tidak memenuhi alasan)"))
        elif item.exempt:
            result.skipped.append((cid, f"dikecualikan s.d. {item.exempt['until']}: {item.exempt['reason']}"))
        elif level is not None and level != item.level:
            result.skipped.append((cid, f"tingkat yang jatuh tempo kini {item.level_label}, bukan {LETTER_LEVELS.get(level)}"))
        else:
            chosen.append(item)
    if not chosen:
        return result
    chosen.sort(key=lambda i: (i.level, i.name, i.cooperative_id))
    check(cancelled)

    year = letter_date.year
    counter = settings.get(session, "teguran.counter")
    seqs = take_numbers(session, counter, year, len(chosen))
    common, docs, rows = build_letters(session, chosen, seqs, letter_date, actor.username, renderer)
    now = rows[0]["created_at"]
    if renderer is not None:
        def prog(done: int, total: int) -> None:
            progress(done, total, f"Menyusun surat {done}/{total}…")
            check(cancelled)

        combined_bytes, singles = renderer.render_batch(common, docs, combined=combined, progress=prog)
        import hashlib

        for row, data in zip(rows, singles):
            row["pdf_sha256"] = hashlib.sha256(data).hexdigest()
        result.combined_pdf = combined_bytes
        result.single_pdfs = singles
    check(cancelled)
    progress(len(rows), len(rows), "Mencatat di buku agenda…")
    session.execute(insert(Letter), rows)
    from kopdesk.models.audit import AuditEntry

    ids = dict(session.execute(select(Letter.seq, Letter.id).where(Letter.kind == "teguran", Letter.year == year,
                                                                   Letter.seq.between(seqs[0], seqs[-1]))).all())
    for row in rows:
        row["id"] = ids[row["seq"]]
    session.execute(insert(AuditEntry.__table__), [{
        "at": now, "user_id": actor.user_id, "username": actor.username, "action": "create", "entity": "letter",
        "entity_id": str(r["id"]), "cooperative_id": r["cooperative_id"], "field": None, "old_value": None,
        "new_value": r["number"], "note": f"{LETTER_LEVELS.get(r['level'])} diterbitkan", "entity_version": 1,
    } for r in rows])
    for item, row in zip(chosen, rows):
        if item.level == 4:
            _open_dissolution(session, actor, item, row, letter_date)
    result.letters = [{"id": r["id"], "number": r["number"], "cooperative_id": r["cooperative_id"],
                       "cooperative": it.name, "nik": it.nik, "level": r["level"], "letter_date": letter_date,
                       "due_date": r["due_date"], "pdf_sha256": r["pdf_sha256"]} for r, it in zip(rows, chosen)]
    return result


def build_letters(session: Session, chosen: Sequence[DueItem], seqs: Sequence[int | None], letter_date: dt.date,
                  username: str, renderer: LetterRenderer | None,
                  ) -> tuple[CommonParts, list[LetterDoc], list[dict[str, Any]]]:
    """The drawable content and the register rows of letters (``seqs`` None: a preview without numbers).

    Args:
        renderer: fits each letter's font size to its page (kept in the register, so a reprint lays out the same);
            None leaves the renderer's default size.
    """
    office = _office(session)
    year = letter_date.year
    common = compose.common_from_office(session, office)
    templates = {lvl: compose.load_template(session, lvl) for lvl in sorted({i.level for i in chosen})}
    nature = settings.get(session, "teguran.nature")
    attachments = settings.get(session, "teguran.attachments")

    coop_rows = {}
    for part in _chunks([i.cooperative_id for i in chosen]):
        for c in session.execute(select(Cooperative.id, Cooperative.legal_number, Cooperative.legal_date,
                                         Cooperative.kelurahan_code, Cooperative.kecamatan_code, Cooperative.kabkota_code,
                                         Cooperative.rt_rw).where(Cooperative.id.in_(part))):
            coop_rows[c.id] = c
    chairs: dict[int, str] = {}
    for part in _chunks(list(coop_rows)):
        for cid, name in session.execute(select(Officer.cooperative_id, Officer.name)
                                         .where(Officer.cooperative_id.in_(part), Officer.role == "ketua")
                                         .order_by(Officer.id)):
            chairs.setdefault(cid, name)
    regions = _region_names(session, {code for c in coop_rows.values()
                                      for code in (c.kelurahan_code, c.kecamatan_code, c.kabkota_code) if code})

    common_json = common.to_json()
    days = {lvl: response_days(session, min(lvl, 3)) for lvl in templates}
    contact = settings.get(session, "teguran.contact") or ""
    docs: list[LetterDoc] = []
    rows: list[dict[str, Any]] = []
    now = utcnow()
    for item, seq in zip(chosen, seqs):
        c = coop_rows[item.cooperative_id]
        if seq is None:  # a preview: no number is taken
            import re

            number = format_number(re.sub(r"\{nomor[^}]*\}", "....", office.letter_number_format), nomor=0,
                                   date=letter_date, kode=office.classification_code, unit=office.unit_code)
        else:
            number = format_number(office.letter_number_format, nomor=seq, date=letter_date,
                                   kode=office.classification_code, unit=office.unit_code)
        due = letter_date + dt.timedelta(days=days[item.level])
        subject, body = compose.fill_template(templates[item.level], item, number=number, due=due, coop=c,
                                              office=office, regions=regions, chair=chairs.get(item.cooperative_id),
                                              letter_date=letter_date, contact=contact)
        doc = LetterDoc(
            number=number, date=letter_date, nature=nature, attachments=attachments, subject=subject,
            addressee=compose.addressee_lines(item, c, regions, chairs.get(item.cooperative_id)),
            body=body, level=item.level, cooperative=item.name, nik=item.nik or "",
        )
        if renderer is not None:
            doc.font_size = renderer.fit_font_size(common, doc)
        docs.append(doc)
        facts = dict(item.facts, reasons=item.reasons, render=doc.to_json(), common=common_json)
        rows.append({
            "cooperative_id": item.cooperative_id, "kind": "teguran", "level": item.level,
            "grounds": json.dumps(item.grounds), "facts": json.dumps(facts, ensure_ascii=False),
            "year": year, "seq": seq, "number": number, "letter_date": letter_date, "nature": nature,
            "attachments": attachments, "subject": subject, "due_date": due, "status": "terbit",
            "delivery_status": "dicetak", "printed_on": letter_date, "resolved": False,
            "signer_name": common.signatory.name, "issued_by": username, "pdf_sha256": None,
            "version": 1, "created_at": now, "updated_at": now,
        })
    return common, docs, rows


def preview(session: Session, cooperative_id: int, renderer: LetterRenderer, *, letter_date: dt.date | None = None,
            today: dt.date | None = None) -> bytes:
    """The letter a cooperative would get today, as PDF, without taking a number or writing anything."""
    today = today or dt.date.today()
    items = compute_queue(session, today=today, cooperative_ids=[cooperative_id])
    if not items:
        raise NotFoundError("Koperasi ini tidak jatuh tempo teguran.", cooperative_id=cooperative_id)
    common, docs, _rows = build_letters(session, items, [None], letter_date or today, "", renderer)
    return renderer.render_single(common, docs[0])


def _open_dissolution(session: Session, actor: Actor, item: DueItem, row: dict[str, Any], letter_date: dt.date) -> None:
    from kopdesk.models.services.registry import cooperatives as registry

    ground = "tidak_rat_3_tahun" if item.facts.get("dissolution_ground") else (item.grounds[0] if item.grounds else "lainnya")
    session.add(DissolutionCase(cooperative_id=item.cooperative_id, ground=ground, stage="usulan"))
    try:
        registry.change_status(session, actor, item.cooperative_id, "proses_pembubaran",
                               reason=f"Usulan pembubaran, surat {row['number']}", effective_date=letter_date,
                               source="teguran", source_ref=row["number"][:60])
    except InvalidTransition:
        pass
    session.flush()


def issue_batch(db: Database, actor: Actor, selection: Sequence[int | tuple[int, int]], *, renderer: LetterRenderer,
                out_path: str | None = None, split_dir: str | None = None, letter_date: dt.date | None = None,
                today: dt.date | None = None, progress: Progress = NO_PROGRESS,
                cancelled: CancelCheck = NEVER_CANCELLED) -> IssueResult:
    """One user action: issue in one transaction, then write the combined PDF and, if asked, one PDF per letter.

    Files are written only after the commit (to a temporary name first), so a failed or cancelled batch leaves
    neither letters in the register nor stray files.

    Args:
        renderer: draws the letters (kopdesk.reports.pdf.teguran).
    """
    from pathlib import Path

    from kopdesk.models.fileio import write_bytes

    with db.transaction(actor) as s:
        result = issue(s, actor, selection, renderer=renderer, letter_date=letter_date, today=today,
                       progress=progress, cancelled=cancelled, combined=out_path is not None)
    if out_path and result.combined_pdf is not None:
        write_bytes(out_path, result.combined_pdf)
    if split_dir and result.letters:
        d = Path(split_dir)
        for info, data in zip(result.letters, result.single_pdfs):
            write_bytes(d / split_file_name(info), data)
    return result


def split_file_name(info: dict[str, Any]) -> str:
    import re

    nik = info.get("nik") or f"id{info['cooperative_id']}"
    num = re.sub(r"[^0-9A-Za-z]+", "-", info["number"]).strip("-")
    return f"{num}_{nik}.pdf"


# ---------------------------------------------------------------------------------------------------------------
# The register


def _letter(session: Session, letter_id: int, *, for_update: bool = True) -> Letter:
    letter = session.get(Letter, letter_id, with_for_update=for_update or None)
    if letter is None:
        raise NotFoundError("Surat tidak ditemukan di buku agenda.", letter_id=letter_id)
    return letter


def cancel(session: Session, actor: Actor, letter_id: int, reason: str) -> Letter:
    """Cancel a letter: it keeps its number (no gap, no reuse) and is marked cancelled with the reason."""
    require(actor, "documents.cancel")
    if not reason or not reason.strip():
        raise ValidationError([FieldError("cancelled_reason", "Alasan pembatalan", "wajib diisi")])
    letter = _letter(session, letter_id)
    if letter.status == "dibatalkan":
        raise InvalidTransition(f"Surat {letter.number} sudah dibatalkan.")
    letter.status = "dibatalkan"
    letter.cancelled_reason = reason.strip()[:300]
    letter.cancelled_at = utcnow()
    session.flush()
    return letter


def record_response(session: Session, actor: Actor, letter_id: int, response_date: dt.date, notes: str = "", *,
                    resolved: bool = False) -> Letter:
    """Record the cooperative's response to a letter; ``resolved`` closes the escalation."""
    require(actor, "documents.issue")
    letter = _letter(session, letter_id)
    if letter.status == "dibatalkan":
        raise InvalidTransition(f"Surat {letter.number} sudah dibatalkan; tanggapan tidak dapat dicatat.")
    if response_date < letter.letter_date:
        raise ValidationError([FieldError("response_date", "Tanggal tanggapan",
                                          f"tidak boleh sebelum tanggal surat ({format_date(letter.letter_date)})",
                                          response_date)])
    letter.response_date = response_date
    letter.response_notes = (notes or "").strip() or None
    letter.resolved = bool(resolved)
    session.flush()
    return letter


def record_delivery(session: Session, actor: Actor, letter_id: int, status: str, on: dt.date) -> Letter:
    """Track delivery: dicetak, dikirim, diterima, dikembalikan (returned undelivered), each with its date.

    A received level-4 letter is the notice of planned dissolution: its date starts the objection clock
    (2 months) and the decree deadline (4 months) of the cooperative's dissolution case.
    """
    require(actor, "documents.issue")
    if status not in DELIVERY:
        raise ValidationError([FieldError("delivery_status", "Status pengiriman",
                                          f"harus salah satu dari: {', '.join(DELIVERY.values())}", status)])
    letter = _letter(session, letter_id)
    letter.delivery_status = status
    setattr(letter, {"dicetak": "printed_on", "dikirim": "sent_on", "diterima": "received_on",
                     "dikembalikan": "returned_on"}[status], on)
    if status == "diterima" and letter.level == 4:
        case = session.scalars(select(DissolutionCase).where(DissolutionCase.cooperative_id == letter.cooperative_id,
                                                             DissolutionCase.closed_date.is_(None))
                               .order_by(DissolutionCase.id.desc())).first()
        if case is not None and case.notice_date is None:
            case.notice_date = on
            case.objection_deadline = _add_months(on, 2)
            case.decree_due = _add_months(on, 4)
            case.stage = "pemberitahuan"
    session.flush()
    return letter


def _add_months(d: dt.date, months: int) -> dt.date:
    import calendar

    m = d.month - 1 + months
    y, m = d.year + m // 12, m % 12 + 1
    return dt.date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def add_exemption(session: Session, actor: Actor, cooperative_id: int, reason: str, until: dt.date,
                  today: dt.date | None = None) -> EscalationExemption:
    """Exempt a cooperative from escalation for a stated reason until a date (e.g. a merger under way)."""
    require(actor, "documents.issue")
    today = today or dt.date.today()
    errors = []
    if not reason or not reason.strip():
        errors.append(FieldError("reason", "Alasan pengecualian", "wajib diisi"))
    if until < today:
        errors.append(FieldError("until", "Berlaku sampai", "tidak boleh sebelum hari ini", until))
    if errors:
        raise ValidationError(errors)
    ex = EscalationExemption(cooperative_id=cooperative_id, reason=reason.strip()[:300], until=until, active=True,
                             created_by=actor.username)
    session.add(ex)
    session.flush()
    return ex


@dataclass
class RegisterRow:
    id: int
    number: str
    letter_date: dt.date
    level: int
    cooperative_id: int
    cooperative: str
    nik: str | None
    subject: str
    due_date: dt.date | None
    status: str
    delivery_status: str
    response_date: dt.date | None
    resolved: bool
    pdf_sha256: str | None
    seq: int


def register(session: Session, *, year: int | None = None, text: str = "", level: int | None = None,
             status: str | None = None, limit: int = 5000) -> list[RegisterRow]:
    """The register (buku agenda surat keluar), in number order, filtered."""
    q = (select(Letter.id, Letter.number, Letter.letter_date, Letter.level, Letter.cooperative_id, Cooperative.name,
                Cooperative.nik, Letter.subject, Letter.due_date, Letter.status, Letter.delivery_status,
                Letter.response_date, Letter.resolved, Letter.pdf_sha256, Letter.seq)
         .join(Cooperative, Cooperative.id == Letter.cooperative_id).where(Letter.kind == "teguran"))
    if year:
        q = q.where(Letter.year == year)
    if level:
        q = q.where(Letter.level == level)
    if status:
        q = q.where(Letter.status == status)
    if text.strip():
        like = f"%{text.strip().lower()}%"
        from sqlalchemy import func, or_

        q = q.where(or_(func.lower(Cooperative.name).like(like), func.lower(Letter.number).like(like),
                        Cooperative.nik.like(like)))
    q = q.order_by(Letter.year, Letter.seq).limit(limit)
    return [RegisterRow(*r) for r in session.execute(q).all()]


def reprint(session: Session, letter_id: int, renderer: LetterRenderer) -> tuple[bytes, bool]:
    """Draw a registered letter again from its stored content; True when the bytes hash to the registered SHA-256."""
    import hashlib

    letter = _letter(session, letter_id, for_update=False)
    facts = json.loads(letter.facts or "{}")
    doc = LetterDoc.from_json(facts["render"])
    office = _office(session)
    common = CommonParts.from_json(facts["common"], office.logo or compose.default_logo())
    if letter.status == "dibatalkan":
        return renderer.render_single(common, doc, cancelled=True), False
    data = renderer.render_single(common, doc)
    return data, hashlib.sha256(data).hexdigest() == letter.pdf_sha256
