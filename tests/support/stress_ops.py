"""Operations of the load harness beyond registry edits, registered as the services that provide them exist.

Each operation works on its own range of cooperatives (made by :func:`prepare_extra`, called from
:func:`tests.support.stress.prepare`) so that a proof about one kind of work is not muddled by another:

- ``rat``: record a RAT (create or update) with a unique note; clerks collide on a small set on purpose.
- ``visit``: record a visit in the harness's open verification round (unique note).
- ``letter``: issue teguran letters to 1-3 cooperatives due one (another clerk may have taken them: skipped).
- ``certificate``: issue a NIK certificate to 1-2 eligible cooperatives.
- ``import``: import a small generated workbook with new cooperatives in the clerk's own NIK range.

The verifiers prove, from the database: every reported success is there, exactly once in the audit trail; no
audited change that no clerk was told about; letter numbers and certificate serials unique and gapless per year.
"""

from __future__ import annotations

import datetime as dt
import random
import tempfile
from collections import Counter as Tally
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kopdesk.models.audit import AuditEntry
from kopdesk.models.certificate import Certificate
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.db import Database
from kopdesk.models.errors import ConflictError
from kopdesk.models.office import Counter
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.supervision import VerificationRound
from kopdesk.models.teguran import Letter
from tests.support.stress import VERIFIERS, Outcome, register_operation

RAT_PREFIX = "6471029"  # cooperatives whose RATs the clerks record (and that visits cover)
LETTER_PREFIX = "6471039"  # cooperatives without any RAT, so due a teguran
CERT_PREFIX = "6471049"  # cooperatives with three RATs, so eligible for a NIK certificate
ROUND_NAME = "Uji Beban Pemutakhiran"
RAT_SET = 10
TODAY = dt.date.today()


def _ids(db: Database, prefix: str, limit: int | None = None) -> list[int]:
    with db.read() as s:
        q = select(Cooperative.id).where(Cooperative.nik.like(prefix + "%")).order_by(Cooperative.id)
        return list(s.scalars(q.limit(limit) if limit else q))


def prepare_extra(db: Database, clerks: int) -> None:
    """The cooperatives, RATs, round and signing key the operations need (idempotent)."""
    from kopdesk.models.services.administration import office
    from kopdesk.models.services.certificates import signing
    from kopdesk.models.services.registry import cooperatives as registry
    from kopdesk.models.services.supervision import pemutakhiran

    system = Actor.system("stress")
    sets = ((RAT_PREFIX, RAT_SET), (LETTER_PREFIX, 40 * clerks), (CERT_PREFIX, 20))
    with db.transaction(system) as s:
        for prefix, n in sets:
            have = set(s.scalars(select(Cooperative.nik).where(Cooperative.nik.like(prefix + "%"))))
            for i in range(n):
                nik = f"{prefix}{i:09d}"
                if nik in have:
                    continue
                coop, _ = registry.create_cooperative(s, system, {
                    "name": f"Koperasi Uji {prefix[-2:]}-{i:04d}", "nik": nik, "legal_number": f"{i}/BH/{prefix}",
                    "legal_date": "2001-01-01", "address": f"Jl. Uji No. {i}", "kabkota_code": "6471",
                    "kecamatan_code": "647101", "jenis": "konsumen"})
                if prefix == CERT_PREFIX:
                    s.flush()
                    for year in range(TODAY.year - 3, TODAY.year):
                        s.add(RatRecord(cooperative_id=coop.id, book_year=year, rat_date=dt.date(year + 1, 3, 1),
                                        report_received_date=dt.date(year + 1, 3, 10)))
        if s.scalar(select(VerificationRound.id).where(VerificationRound.name == ROUND_NAME,
                                                       VerificationRound.closed_on.is_(None))) is None:
            ids = list(s.scalars(select(Cooperative.id).where(Cooperative.nik.like(RAT_PREFIX + "%"))))
            pemutakhiran.create_round(s, system, ROUND_NAME, cooperative_ids=ids)
        prof = office.get_profile(s)
        if not (prof.name and prof.city and prof.signatory_name and prof.signatory_title):
            office.update_profile(s, system, prof.version, {
                "name": "Dinas Koperasi Kota Uji", "city": "Tarakan", "signatory_name": "Budi Santoso",
                "signatory_title": "Kepala Dinas"})
    signing.office_key()  # made once here, not raced by the clerks


def _marker(actor: Actor, state: dict[str, Any], op: str) -> str:
    return f"{op}:{actor.username}#{state['n']}"


def _audit_max(s) -> int:  # type: ignore[no-untyped-def]
    return s.scalar(select(func.max(AuditEntry.id))) or 0


def _created_here(s, entity: str, entity_id: int, actor: Actor, start: int) -> bool:  # type: ignore[no-untyped-def]
    """Whether this transaction created the record: its own audit 'create' entry (a pre-check would be racy)."""
    return s.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.id > start, AuditEntry.entity == entity, AuditEntry.entity_id == str(entity_id),
        AuditEntry.action == "create", AuditEntry.username == actor.username)) > 0


def op_rat(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any]) -> Outcome:
    from kopdesk.models.services.supervision.rat import record_rat

    ids = state.setdefault("rat_ids", _ids(db, RAT_PREFIX))
    coop, year = rng.choice(ids), TODAY.year - rng.choice((1, 2))
    marker = _marker(actor, state, "rat")
    try:
        with db.transaction(actor) as s:
            start = _audit_max(s)
            rec = record_rat(s, actor, coop, year, {"rat_date": dt.date(year + 1, 4, 2), "notes": marker})
            created = _created_here(s, "rat_record", rec.id, actor, start)
    except ConflictError:
        return Outcome("rat", False, conflict=True, facts={"coop": coop, "year": year})
    return Outcome("rat", True, facts={"coop": coop, "year": year, "marker": marker, "created": created,
                                             "key": [coop, year]})


def op_visit(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any]) -> Outcome:
    from kopdesk.models.services.supervision.pemutakhiran import record_visit

    ids = state.setdefault("rat_ids", _ids(db, RAT_PREFIX))
    if "round_id" not in state:
        with db.read() as s:
            state["round_id"] = s.scalar(select(VerificationRound.id).where(
                VerificationRound.name == ROUND_NAME, VerificationRound.closed_on.is_(None)))
    coop = rng.choice(ids)
    marker = _marker(actor, state, "visit")
    try:
        with db.transaction(actor) as s:
            start = _audit_max(s)
            visit = record_visit(s, actor, state["round_id"], coop, {
                "visit_date": TODAY, "found_at_address": "Ya", "business_active": "Ya", "notes": marker})
            created = _created_here(s, "visit", visit.id, actor, start)
    except ConflictError:
        return Outcome("visit", False, conflict=True, facts={"coop": coop})
    return Outcome("visit", True, facts={"coop": coop, "marker": marker, "created": created,
                                               "key": [state["round_id"], coop]})


def op_letter(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any]) -> Outcome:
    from kopdesk.models.services.letters import teguran
    from kopdesk.reports.pdf import teguran as letter_pdf

    ids = state.setdefault("letter_ids", _ids(db, LETTER_PREFIX))
    chosen = rng.sample(ids, min(len(ids), rng.randint(1, 3)))
    try:
        result = teguran.issue_batch(db, actor, chosen, renderer=letter_pdf)
    except ConflictError:
        return Outcome("letter", False, conflict=True, facts={"coops": chosen})
    letters = [{"id": info["id"], "number": info["number"]} for info in result.letters]
    return Outcome("letter", True, facts={"letters": letters, "skipped": len(result.skipped)})


def op_certificate(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any]) -> Outcome:
    from kopdesk.models.services.certificates import issuing as certificates

    ids = state.setdefault("cert_ids", _ids(db, CERT_PREFIX))
    chosen = rng.sample(ids, min(len(ids), rng.randint(1, 2)))
    try:
        with db.transaction(actor) as s:
            certs = certificates.issue(s, actor, chosen, kind="nik")
            serials = [c.serial for c in certs]
    except ConflictError:
        return Outcome("certificate", False, conflict=True, facts={"coops": chosen})
    return Outcome("certificate", True, facts={"serials": serials})


IMPORT_HEADER = ["Nama Koperasi", "NIK", "Nomor Badan Hukum", "Tanggal Badan Hukum", "Alamat", "Kabupaten",
                 "Kecamatan", "Jenis", "Status"]


def import_nik(clerk: int, n: int) -> str:
    """A NIK of the clerk's own range (16 digits)."""
    return f"6571018{clerk:02d}{n:07d}"


def write_workbook(path: Path, rows: list[tuple[str, str]]) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(IMPORT_HEADER)
    for name, nik in rows:
        ws.append([name, nik, f"{nik}/BH/IMP/2010", "14/07/2010", f"Jl. Impor {nik[-5:]}", "Kota Tarakan",
                   "Tarakan Barat", "Konsumen", "Aktif"])
    wb.save(path)
    return path


def op_import(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any]) -> Outcome:
    from kopdesk.models.services.exchange import ods_import

    clerk = int("".join(ch for ch in actor.username if ch.isdigit()) or 0)
    start = state.setdefault("import_next", 1)
    niks = [import_nik(clerk, start + k) for k in range(rng.randint(2, 4))]
    state["import_next"] = start + len(niks)
    folder = Path(state.setdefault("tmp", tempfile.mkdtemp(prefix="kopdesk-stress-import-")))
    path = write_workbook(folder / f"impor-{state['n']}.xlsx",
                          [(f"Koperasi Impor {actor.username} {nik[-7:]}", nik) for nik in niks])
    preview, result = ods_import.import_file(db, actor, path)
    bad = [i.text() for i in preview.issues]
    if result is None or result.created != len(niks):
        return Outcome("import", False, facts={"niks": niks}, error=f"UNEXPECTED impor tidak lengkap: {bad[:3]}")
    return Outcome("import", True, facts={"niks": niks, "ids": result.created_ids})


register_operation("rat", op_rat, 2)
register_operation("visit", op_visit, 2)
register_operation("letter", op_letter, 1)
register_operation("certificate", op_certificate, 1)
register_operation("import", op_import, 1)


# ---------------------------------------------------------------------------------------------------------------
# Proofs


def _audit(s, entity: str, after: int, **where: Any):  # type: ignore[no-untyped-def]
    q = select(AuditEntry.action, AuditEntry.field, AuditEntry.new_value, AuditEntry.entity_id, AuditEntry.username
               ).where(AuditEntry.id > after, AuditEntry.entity == entity)
    for key, value in where.items():
        q = q.where(getattr(AuditEntry, key) == value)
    return s.execute(q).all()


def _gapless(s, model, name: str, kind_filter, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    problems: list[str] = []
    rows = s.execute(select(model.year, model.seq).where(kind_filter)).all()
    by_year: dict[int, list[int]] = {}
    for year, seq in rows:
        by_year.setdefault(year, []).append(seq)
    counters = dict(s.execute(select(Counter.year, Counter.last_no).where(Counter.name == name)).all())
    for year, seqs in by_year.items():
        dupes = [q for q, n in Tally(seqs).items() if n > 1]
        if dupes:
            problems.append(f"{label} {year}: nomor ganda {dupes[:5]}")
        expected = set(range(1, max(seqs) + 1))
        if set(seqs) != expected:
            problems.append(f"{label} {year}: nomor berlubang {sorted(expected - set(seqs))[:5]}")
        if counters.get(year) != max(seqs):
            problems.append(f"{label} {year}: penghitung {counters.get(year)} tetapi nomor terakhir {max(seqs)}")
    return problems


def _marker_proof(s, ok: list[dict[str, Any]], entity: str, after: int, label: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Each reported save once in the audit trail (a create, or its note change); nothing audited unreported."""
    problems: list[str] = []
    entries = _audit(s, entity, after)
    notes = Tally(e.new_value for e in entries if e.field == "notes")
    creates = sum(1 for e in entries if e.action == "create")
    for o in ok:
        m = o["facts"]["marker"]
        if not o["facts"]["created"] and notes[m] != 1:
            problems.append(f"{label} {m} dilaporkan berhasil tetapi tercatat {notes[m]} kali di jejak audit")
    reported = {o["facts"]["marker"] for o in ok}
    prefix = "rat:" if entity == "rat_record" else f"{entity}:"
    extra = [v for v in notes if v and v.startswith(prefix) and v not in reported]
    if extra:
        problems.append(f"{label}: {len(extra)} perubahan di jejak audit tanpa simpanan yang dilaporkan berhasil")
    want = [o["facts"]["key"] for o in ok if o["facts"]["created"]]
    if len(want) != creates:
        problems.append(f"{label}: {creates} catatan baru di jejak audit, {len(want)} dilaporkan")
    twice = [k for k, n in Tally(map(tuple, want)).items() if n > 1]
    if twice:
        problems.append(f"{label}: {len(twice)} catatan dilaporkan dibuat dua kali (lost update), mis. {twice[:3]}")
    return problems


def verify_rat_and_visits(db: Database, outcomes: list[dict[str, Any]], audit_before: int) -> list[str]:
    problems: list[str] = []
    rats = [o for o in outcomes if o["op"] == "rat" and o["ok"]]
    visits = [o for o in outcomes if o["op"] == "visit" and o["ok"]]
    with db.read() as s:
        if rats:
            problems += _marker_proof(s, rats, "rat_record", audit_before, "RAT")
            have = set(s.execute(select(RatRecord.cooperative_id, RatRecord.book_year)).all())
            lost = [o for o in rats if (o["facts"]["coop"], o["facts"]["year"]) not in have]
            if lost:
                problems.append(f"RAT: {len(lost)} RAT yang dilaporkan tersimpan tidak ada")
            # The final note of each RAT is one that a clerk was told was saved.
            final = {(c, y): n for c, y, n in s.execute(select(
                RatRecord.cooperative_id, RatRecord.book_year, RatRecord.notes)).all()}
            reported = {o["facts"]["marker"] for o in rats}
            wrong = [k for k in {(o["facts"]["coop"], o["facts"]["year"]) for o in rats} if final.get(k) not in reported]
            if wrong:
                problems.append(f"RAT: catatan akhir {len(wrong)} RAT bukan simpanan yang dilaporkan")
        if visits:
            problems += _marker_proof(s, visits, "visit", audit_before, "Kunjungan")
    return problems


def verify_documents(db: Database, outcomes: list[dict[str, Any]], audit_before: int) -> list[str]:
    from kopdesk.models.services.administration import settings

    problems: list[str] = []
    letters = [x for o in outcomes if o["op"] == "letter" and o["ok"] for x in o["facts"]["letters"]]
    serials = [x for o in outcomes if o["op"] == "certificate" and o["ok"] for x in o["facts"]["serials"]]
    with db.read() as s:
        counter = settings.get(s, "teguran.counter")
        problems += _gapless(s, Letter, counter, Letter.kind == "teguran", "Surat teguran")
        problems += _gapless(s, Certificate, "certificate.nik", Certificate.kind == "nik", "Sertifikat NIK")
        numbers = Tally(s.scalars(select(Letter.number).where(Letter.kind == "teguran")))
        for x in letters:
            if numbers[x["number"]] != 1:
                problems.append(f"surat {x['number']} dilaporkan terbit tetapi ada {numbers[x['number']]} kali")
        audited = Tally(e.entity_id for e in _audit(s, "letter", audit_before, action="create"))
        if sorted(audited) != sorted(str(x["id"]) for x in letters) or any(n != 1 for n in audited.values()):
            problems.append(f"surat: {len(letters)} dilaporkan terbit, jejak audit mencatat {sum(audited.values())}")
        have = Tally(s.scalars(select(Certificate.serial)))
        for serial in serials:
            if have[serial] != 1:
                problems.append(f"sertifikat {serial} dilaporkan terbit tetapi ada {have[serial]} kali")
        n_audit = s.scalar(select(func.count()).select_from(AuditEntry).where(
            AuditEntry.id > audit_before, AuditEntry.entity == "certificate", AuditEntry.action == "create"))
        if n_audit != len(serials):
            problems.append(f"sertifikat: {len(serials)} dilaporkan terbit, jejak audit mencatat {n_audit}")
    return problems


def verify_imports(db: Database, outcomes: list[dict[str, Any]], audit_before: int) -> list[str]:
    problems: list[str] = []
    ok = [o for o in outcomes if o["op"] == "import" and o["ok"]]
    if not ok:
        return problems
    niks = [n for o in ok for n in o["facts"]["niks"]]
    with db.read() as s:
        have = dict(s.execute(select(Cooperative.nik, Cooperative.id).where(Cooperative.nik.like("6571018%"))).all())
        created = Tally(e.entity_id for e in _audit(s, "cooperative", audit_before, action="create"))
    missing = [n for n in niks if n not in have]
    if missing:
        problems.append(f"impor: {len(missing)} koperasi yang dilaporkan diimpor tidak ada, mis. {missing[:3]}")
    once = [n for n in niks if n in have and created[str(have[n])] != 1]
    if once:
        problems.append(f"impor: {len(once)} koperasi tanpa tepat satu catatan 'create' di jejak audit")
    extra = set(have) - set(niks)
    if extra:
        problems.append(f"impor: {len(extra)} koperasi di basis data tanpa impor yang dilaporkan berhasil")
    return problems


VERIFIERS.extend([verify_rat_and_visits, verify_documents, verify_imports])
