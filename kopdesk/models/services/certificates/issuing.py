"""Certificates: issue (one or many, gapless serials), reprint, revoke, list, and verify a scanned payload.

Two kinds (brief §1, §5): the NIK certificate (``nik``) for an active cooperative with a NIK that held its RAT,
and the health predikat certificate (``predikat``) from the cooperative's latest health assessment when it was
rated cukup sehat or better. The facts printed on the certificate are signed with the office's Ed25519 key
(kopdesk.models.services.certificates.signing); the signed payload goes into the QR code. Verification checks the signature,
then the register (revoked? expired?) and lays the certificate's facts beside the registry's current record.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from kopdesk.models.base import utcnow
from kopdesk.models.certificate import Certificate
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import FieldError, NotFoundError, ValidationError
from kopdesk.models.formats import format_date
from kopdesk.models.health import HealthAssessment
from kopdesk.models.office import Counter
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.certificates import signing
from kopdesk.models.services.letters import numbering
from kopdesk.models.vocab import JENIS, POLA, PREDIKAT, STATUS, label

KINDS = {"nik": "Sertifikat Nomor Induk Koperasi", "predikat": "Sertifikat Predikat Kesehatan Koperasi"}
KIND_SHORT = {"nik": "NIK", "predikat": "Predikat Kesehatan"}
SERIAL_CODES = {"nik": "NIK", "predikat": "PKK"}
CERT_STATUS = {"berlaku": "Berlaku", "dicabut": "Dicabut"}

# The facts a certificate carries (short keys keep the QR small) and how they are labelled.
FACT_LABELS: dict[str, str] = {
    "nm": "Nama koperasi",
    "n": "NIK Koperasi",
    "bh": "Nomor badan hukum",
    "bd": "Tanggal badan hukum",
    "al": "Alamat",
    "j": "Jenis / pola",
    "g": "Grade",
    "p": "Predikat kesehatan",
    "sc": "Skor penilaian",
    "th": "Tahun buku penilaian",
    "ba": "Nomor berita acara",
    "st": "Status koperasi",
}
# Facts compared with the registry's current record (a later change of these shows in verification).
COMPARED = ("nm", "n", "bh", "bd", "al", "j", "g", "p", "sc", "th", "st")
CERT_LABELS: dict[str, str] = {
    "k": "Jenis sertifikat", "s": "Nomor seri", "i": "Tanggal terbit", "u": "Berlaku sampai",
}


# --- facts -----------------------------------------------------------------------------------------------------

def compute_grade(rat_years: set[int], legal_date: dt.date | None, as_of: dt.date) -> str:
    """Brief §11: count RAT book years among Y-1..Y-3 of ``as_of``: 3 → A, 2 → B, 1 → C1/C2, 0 → D."""
    y = as_of.year
    n = len(rat_years & {y - 1, y - 2, y - 3})
    if n >= 3:
        return "A"
    if n == 2:
        return "B"
    if n == 1:
        return "C1" if legal_date is not None and legal_date >= _add_years(as_of, -3) else "C2"
    return "D"


def _address(coop: Cooperative, names: dict[str, str]) -> str:
    parts = [coop.address.strip()] if coop.address and coop.address.strip() else []
    if coop.kelurahan_code and coop.kelurahan_code in names:
        parts.append(names[coop.kelurahan_code])
    if coop.kecamatan_code and coop.kecamatan_code in names:
        parts.append("Kec. " + names[coop.kecamatan_code])
    for code in (coop.kabkota_code, coop.province_code):
        if code and code in names:
            parts.append(names[code])
    return ", ".join(parts)


def _grade(coop: Cooperative, rat_years: set[int], as_of: dt.date) -> str:
    if coop.grade_override and coop.grade:
        return coop.grade
    return compute_grade(rat_years, coop.legal_date, as_of)


def _latest_assessments(session: Session, coop_ids: list[int]) -> dict[int, HealthAssessment]:
    out: dict[int, HealthAssessment] = {}
    for chunk in _chunks(coop_ids, 900):
        rows = session.scalars(select(HealthAssessment).where(HealthAssessment.cooperative_id.in_(chunk))
                               .order_by(HealthAssessment.cooperative_id, HealthAssessment.period_year,
                                         HealthAssessment.assessed_on, HealthAssessment.id)).all()
        for a in rows:
            out[a.cooperative_id] = a  # the last one per cooperative wins
    return out


def _rat_years(session: Session, coop_ids: list[int]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = {}
    for chunk in _chunks(coop_ids, 900):
        for cid, year in session.execute(select(RatRecord.cooperative_id, RatRecord.book_year)
                                         .where(RatRecord.cooperative_id.in_(chunk))):
            out.setdefault(cid, set()).add(year)
    return out


def _region_names(session: Session, coops: list[Cooperative]) -> dict[str, str]:
    from kopdesk.models.services.registry import regions

    codes = {c for coop in coops for c in (coop.kelurahan_code, coop.kecamatan_code, coop.kabkota_code,
                                           coop.province_code) if c}
    return regions.names(session, sorted(codes))


def _chunks(items: list[Any], n: int) -> list[list[Any]]:
    return [items[i:i + n] for i in range(0, len(items), n)] or [[]]


def _coop_facts(coop: Cooperative, kind: str, names: dict[str, str], rat_years: set[int],
                assessment: HealthAssessment | None, as_of: dt.date) -> dict[str, Any]:
    f: dict[str, Any] = {
        "nm": coop.name, "n": coop.nik or "", "bh": coop.legal_number or "",
        "bd": coop.legal_date.isoformat() if coop.legal_date else "", "al": _address(coop, names),
        "j": f"{label(JENIS, coop.jenis)} / {label(POLA, coop.pola)}", "st": coop.status,
    }
    if kind == "nik":
        f["g"] = _grade(coop, rat_years, as_of)
    elif assessment is not None:
        f["p"] = assessment.predikat
        f["sc"] = f"{float(assessment.total_score):.2f}"
        f["th"] = assessment.period_year
        if assessment.ba_number:
            f["ba"] = assessment.ba_number
    return f


def current_facts(session: Session, coop: Cooperative, kind: str, as_of: dt.date | None = None) -> dict[str, Any]:
    """The facts a certificate of this kind would carry if issued now (for side-by-side verification)."""
    as_of = as_of or dt.date.today()
    return _coop_facts(coop, kind, _region_names(session, [coop]), _rat_years(session, [coop.id]).get(coop.id, set()),
                       _latest_assessments(session, [coop.id]).get(coop.id), as_of)


def display_value(key: str, value: Any) -> str:
    """A fact as a person reads it ("14 Juli 2024", "Cukup Sehat", "Aktif")."""
    if value is None or value == "":
        return "–"
    if key in ("bd", "i", "u"):
        try:
            return format_date(dt.date.fromisoformat(str(value)))
        except ValueError:
            return str(value)
    if key == "p":
        return label(PREDIKAT, value)
    if key == "st":
        return label(STATUS, value)
    if key == "k":
        return KINDS.get(str(value), str(value))
    if key == "sc":
        return str(value).replace(".", ",")
    return str(value)


# --- issue ---------------------------------------------------------------------------------------------------------

def _add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _problems(coop: Cooperative, kind: str, grade: str | None, assessment: HealthAssessment | None,
              eligible_predikat: list[str]) -> list[str]:
    problems = []
    if coop.status != "aktif":
        problems.append(f"statusnya {label(STATUS, coop.status)}, bukan Aktif")
    if kind == "nik":
        if not coop.nik:
            problems.append("belum mempunyai NIK Koperasi")
        if grade == "D":
            problems.append("tidak melaporkan RAT dalam tiga tahun buku terakhir (grade D)")
    else:
        if assessment is None:
            problems.append("belum pernah dinilai kesehatannya")
        elif assessment.predikat not in eligible_predikat:
            problems.append(f"predikat kesehatannya {label(PREDIKAT, assessment.predikat)}")
    return problems


def take_numbers(session: Session, name: str, year: int, n: int) -> int:
    """Take ``n`` consecutive numbers of a gapless counter at once; returns the first."""
    first = numbering.next_number(session, name, year)
    if n > 1:
        row = session.get(Counter, (name, year))
        assert row is not None
        row.last_no += n - 1
        session.flush()
    return first


def issue(session: Session, actor: Actor, cooperative_ids: list[int], *, kind: str = "nik",
          issued_on: dt.date | None = None, valid_until: dt.date | None = None,
          progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> list[Certificate]:
    """Issue certificates of one kind to the given cooperatives, in the order given, with gapless serials.

    Every cooperative is checked first; if any is not eligible nothing is written and a ValidationError names each
    one with its reason. Issuing a NIK certificate marks the cooperative "Bersertifikat NIK" with its validity.
    """
    require(actor, "documents.issue")
    if kind not in KINDS:
        raise ValidationError([FieldError("kind", "Jenis sertifikat", f"tidak dikenal: {kind!r} (nik atau predikat)")])
    ids = list(dict.fromkeys(cooperative_ids))
    if not ids:
        raise ValidationError([FieldError("cooperative_ids", "Koperasi", "belum ada koperasi yang dipilih")])
    issued_on = issued_on or dt.date.today()
    years = int(settings.get(session, "certificate.validity_years") or 1)
    valid_until = valid_until or (_add_years(issued_on, years) - dt.timedelta(days=1))
    eligible_predikat = list(settings.get(session, "certificate.predikat_eligible"))

    progress(0, len(ids), "Memeriksa data koperasi…")
    coops: dict[int, Cooperative] = {}
    for chunk in _chunks(ids, 900):
        for coop in session.scalars(select(Cooperative).where(Cooperative.id.in_(chunk))):
            coops[coop.id] = coop
    missing = [i for i in ids if i not in coops]
    if missing:
        raise NotFoundError(f"Koperasi dengan id {', '.join(map(str, missing[:10]))} tidak ditemukan.", ids=missing)
    ordered = [coops[i] for i in ids]
    names = _region_names(session, ordered)
    rats = _rat_years(session, ids)
    assessments = _latest_assessments(session, ids) if kind == "predikat" else {}

    errors: list[FieldError] = []
    facts_list: list[dict[str, Any]] = []
    for row, coop in enumerate(ordered, start=1):
        facts = _coop_facts(coop, kind, names, rats.get(coop.id, set()), assessments.get(coop.id), issued_on)
        for p in _problems(coop, kind, facts.get("g"), assessments.get(coop.id), eligible_predikat):
            errors.append(FieldError("cooperative", coop.name + (f" (NIK {coop.nik})" if coop.nik else ""), p, row=row))
        facts_list.append(facts)
    if errors:
        raise ValidationError(errors)

    key = signing.office_key()
    signing.trust_key(session, key.public, label=f"{actor.username} ({key.key_id})")
    first = take_numbers(session, f"certificate.{kind}", issued_on.year, len(ordered))
    code = SERIAL_CODES[kind]
    issued: list[Certificate] = []
    for i, (coop, facts) in enumerate(zip(ordered, facts_list)):
        check(cancelled)
        seq = first + i
        serial = f"{code}.{issued_on.year}.{seq:06d}"
        facts.update({"k": kind, "s": serial, "i": issued_on.isoformat(), "u": valid_until.isoformat()})
        payload, code_text = signing.sign_facts(facts, key)
        cert = Certificate(
            cooperative_id=coop.id, kind=kind, year=issued_on.year, seq=seq, serial=serial, issued_on=issued_on,
            valid_until=valid_until, grade_at_print=facts.get("g") or facts.get("p"),
            facts=json.dumps(facts, ensure_ascii=False, sort_keys=True), payload=payload, check_code=code_text,
            key_id=key.key_id, status="berlaku", issued_by=actor.username,
        )
        session.add(cert)
        issued.append(cert)
        if kind == "nik":
            coop.nik_status = "bersertifikat"
            coop.nik_certified_on = issued_on
            coop.certificate_valid_until = valid_until
        if i % 50 == 49:
            progress(i + 1, len(ordered), f"Menandatangani sertifikat {i + 1} dari {len(ordered)}…")
    session.flush()
    progress(len(ordered), len(ordered), "Sertifikat tersimpan.")
    return issued


def cooperative_ids_for_niks(session: Session, niks: list[str]) -> list[int]:
    """The cooperatives with these NIKs, in the same order.

    Raises:
        ValidationError: naming every NIK that is not in the registry.
    """
    from kopdesk.models.services.registry.cooperatives import normalize_nik

    wanted = [normalize_nik(n) or str(n).strip() for n in niks if str(n).strip()]
    found: dict[str, int] = {}
    for chunk in _chunks(list(dict.fromkeys(wanted)), 900):
        found.update(dict(session.execute(select(Cooperative.nik, Cooperative.id).where(Cooperative.nik.in_(chunk))).all()))  # type: ignore[arg-type]
    unknown = [n for n in wanted if n not in found]
    if unknown:
        raise ValidationError([FieldError("nik", "NIK Koperasi", f"{n} tidak ada di registri") for n in unknown])
    return [found[n] for n in wanted]


def eligible_cooperative_ids(session: Session, *, kind: str = "nik", region_code: str | None = None,
                             as_of: dt.date | None = None, skip_certified: bool = True) -> list[int]:
    """Cooperatives (in a region, by name) that may receive a certificate of this kind now.

    Args:
        skip_certified: leave out those that already hold a valid (unrevoked, unexpired) certificate of the kind.
    """
    from kopdesk.models.services.registry import regions

    as_of = as_of or dt.date.today()
    q = select(Cooperative).where(Cooperative.status == "aktif")
    if kind == "nik":
        q = q.where(Cooperative.nik.is_not(None), Cooperative.nik != "")
    if region_code:
        region = regions.require_region(session, region_code)
        q = q.where(getattr(Cooperative, regions.scope_column(region.code)) == region.code)
    coops = list(session.scalars(q.order_by(Cooperative.name, Cooperative.id)))
    ids = [c.id for c in coops]
    held: set[int] = set()
    if skip_certified and ids:
        for chunk in _chunks(ids, 900):
            held.update(session.scalars(select(Certificate.cooperative_id).where(
                Certificate.cooperative_id.in_(chunk), Certificate.kind == kind, Certificate.status == "berlaku",
                or_(Certificate.valid_until.is_(None), Certificate.valid_until >= as_of))))
    rats = _rat_years(session, ids) if kind == "nik" else {}
    assessments = _latest_assessments(session, ids) if kind == "predikat" else {}
    allowed = list(settings.get(session, "certificate.predikat_eligible"))
    out = []
    for coop in coops:
        if coop.id in held:
            continue
        grade = _grade(coop, rats.get(coop.id, set()), as_of) if kind == "nik" else None
        if not _problems(coop, kind, grade, assessments.get(coop.id), allowed):
            out.append(coop.id)
    return out


def get_certificate(session: Session, serial_or_id: str | int) -> Certificate:
    """A certificate by serial number (e.g. NIK.2026.000001) or by id."""
    cert: Certificate | None
    if isinstance(serial_or_id, int) or str(serial_or_id).isdigit():
        cert = session.get(Certificate, int(serial_or_id))
    else:
        cert = session.scalar(select(Certificate).where(Certificate.serial == str(serial_or_id).strip().upper()))
    if cert is None:
        raise NotFoundError(f"Sertifikat {serial_or_id} tidak ditemukan di register.", serial=str(serial_or_id))
    return cert


def revoke(session: Session, actor: Actor, serial_or_id: str | int, reason: str) -> Certificate:
    """Revoke a certificate with a reason (administrators). A revoked NIK certificate no longer counts."""
    require(actor, "certificates.revoke")
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise ValidationError([FieldError("reason", "Alasan pencabutan", "wajib diisi (minimal 5 karakter)")])
    if len(reason) > 300:
        raise ValidationError([FieldError("reason", "Alasan pencabutan", "terlalu panjang (maksimal 300 karakter)")])
    cert = get_certificate(session, serial_or_id)
    if cert.status == "dicabut":
        raise ValidationError([FieldError("status", f"Sertifikat {cert.serial}", "sudah dicabut sebelumnya")])
    cert.status = "dicabut"
    cert.revoked_at = utcnow()
    cert.revoked_reason = reason
    cert.revoked_by = actor.username
    if cert.kind == "nik":
        still_valid = session.scalar(select(func.count()).select_from(Certificate).where(
            Certificate.cooperative_id == cert.cooperative_id, Certificate.kind == "nik",
            Certificate.status == "berlaku", Certificate.id != cert.id))
        if not still_valid:
            coop = session.get(Cooperative, cert.cooperative_id)
            if coop is not None and coop.nik_status == "bersertifikat":
                coop.nik_status = "belum_bersertifikat"
                coop.certificate_valid_until = None
    session.flush()
    return cert


def record_reprint(session: Session, actor: Actor, certs: list[Certificate]) -> None:
    """Note in the audit trail that certificates were printed again (the print itself is identical)."""
    from kopdesk.models.services.administration.audit import write_entry

    require(actor, "documents.issue")
    for cert in certs:
        write_entry(session, action="reprint", entity="certificate", entity_id=cert.id,
                    cooperative_id=cert.cooperative_id, note=f"Cetak ulang {cert.serial}")


@dataclass(frozen=True)
class CertificateRow:
    """One line of the certificates register."""

    id: int
    serial: str
    kind: str
    cooperative_id: int
    cooperative_name: str
    nik: str
    issued_on: dt.date
    valid_until: dt.date | None
    status: str
    check_code: str
    revoked_reason: str | None
    issued_by: str | None


def list_certificates(session: Session, *, text: str = "", kind: str | None = None, status: str | None = None,
                      limit: int = 500, offset: int = 0) -> list[CertificateRow]:
    """The register, newest first; ``text`` matches serial, check code, NIK or cooperative name."""
    q = (select(Certificate.id, Certificate.serial, Certificate.kind, Certificate.cooperative_id, Cooperative.name,
                Cooperative.nik, Certificate.issued_on, Certificate.valid_until, Certificate.status,
                Certificate.check_code, Certificate.revoked_reason, Certificate.issued_by)
         .join(Cooperative, Cooperative.id == Certificate.cooperative_id))
    if kind:
        q = q.where(Certificate.kind == kind)
    if status:
        q = q.where(Certificate.status == status)
    t = (text or "").strip()
    if t:
        like = f"%{t.lower()}%"
        q = q.where(or_(func.lower(Certificate.serial).like(like), func.lower(Certificate.check_code).like(like),
                        Cooperative.nik.like(f"%{t}%"), func.lower(Cooperative.name).like(like)))
    q = q.order_by(Certificate.issued_on.desc(), Certificate.id.desc()).limit(limit).offset(offset)
    return [CertificateRow(*(r[0:6]), r[6], r[7], r[8], r[9], r[10], r[11]) for r in session.execute(q).all()]


def certificates_by_serials(session: Session, serials: list[str]) -> list[Certificate]:
    """The stored certificates with these serials, in the order given (for a reprint)."""
    return [get_certificate(session, s) for s in serials]


# --- verification --------------------------------------------------------------------------------------------------

VALID, INVALID, REVOKED, EXPIRED = "valid", "invalid", "revoked", "expired"
VERDICT_LABELS = {VALID: "SAH", INVALID: "TIDAK SAH", REVOKED: "DICABUT", EXPIRED: "KEDALUWARSA"}


@dataclass(frozen=True)
class FactRow:
    key: str
    label: str
    on_certificate: str
    current: str | None  # None: the registry has no such record (offline or another office)
    differs: bool


@dataclass
class Verification:
    """The answer to "is this certificate genuine?".

    Attributes:
        status: valid, invalid, revoked or expired.
        message: one Indonesian sentence for the clerk.
        notes: further remarks (a changed registry record, an unregistered serial, an unknown key).
        rows: the certificate's facts beside the registry's current record.
    """

    status: str
    message: str
    serial: str = ""
    check_code: str = ""
    kind: str = ""
    notes: list[str] = field(default_factory=list)
    rows: list[FactRow] = field(default_factory=list)
    certificate_rows: list[tuple[str, str]] = field(default_factory=list)
    revoked_reason: str | None = None

    @property
    def valid(self) -> bool:
        return self.status == VALID

    @property
    def verdict(self) -> str:
        return VERDICT_LABELS[self.status]

    def to_json(self) -> dict[str, Any]:
        return {
            "status": self.status, "verdict": self.verdict, "message": self.message, "serial": self.serial,
            "check_code": self.check_code, "kind": self.kind, "notes": self.notes,
            "revoked_reason": self.revoked_reason,
            "certificate": dict(self.certificate_rows),
            "facts": [{"field": r.label, "certificate": r.on_certificate, "registry": r.current, "differs": r.differs}
                      for r in self.rows],
        }


def _finish(session: Session | None, v: Verification, facts: dict[str, Any], cert: Certificate | None,
            today: dt.date) -> Verification:
    v.serial = str(facts.get("s", ""))
    v.kind = str(facts.get("k", ""))
    v.certificate_rows = [(CERT_LABELS[k], display_value(k, facts.get(k))) for k in CERT_LABELS if k in facts]
    current: dict[str, Any] | None = None
    coop = None
    if session is not None:
        coop = session.get(Cooperative, cert.cooperative_id) if cert is not None else None
        if coop is None and facts.get("n"):
            coop = session.scalar(select(Cooperative).where(Cooperative.nik == str(facts["n"])))
        if coop is not None:
            current = current_facts(session, coop, v.kind or "nik", today)
    changed = []
    for key in FACT_LABELS:
        if key not in facts and (current is None or key not in current):
            continue
        if key not in facts:
            continue
        mine = display_value(key, facts.get(key))
        now = display_value(key, current.get(key)) if current is not None else None
        differs = current is not None and key in COMPARED and str(facts.get(key, "")) != str(current.get(key, ""))
        if differs:
            changed.append(FACT_LABELS[key])
        v.rows.append(FactRow(key, FACT_LABELS[key], mine, now, differs))
    if changed:
        v.notes.append("Data registri saat ini berbeda dari sertifikat: " + ", ".join(changed) + ".")
        if v.status == VALID:
            v.message += " Perhatian: data koperasi di registri telah berubah sejak sertifikat terbit (lihat tabel)."
    if session is not None and coop is None:
        v.notes.append("Koperasi dengan NIK ini tidak ada di registri basis data ini.")
    return v


def verify(session: Session | None, text: str, *, extra_keys: list[Any] | None = None,
           today: dt.date | None = None) -> Verification:
    """Verify a scanned payload (what the QR holds) or a check code typed by a person.

    Without a session (offline) only the signature and the dates are checked, against this PC's key and
    ``extra_keys`` (public keys loaded from files).
    """
    today = today or dt.date.today()
    raw = (text or "").strip("\r\n\t\x00")
    if not raw.strip():
        return Verification(INVALID, "Tidak ada kode untuk diperiksa.")
    if not raw.upper().startswith(signing.PREFIX):
        code = signing.normalize_check_code(raw)
        if len(code) == 9 and session is not None:
            return verify_check_code(session, code, today=today)
    try:
        decoded = signing.decode(raw)
    except signing.PayloadError as exc:
        return Verification(INVALID, f"Kode tidak sah: {exc}.")
    keys = signing.trusted_keys(session, extra_keys)
    ok = signing.signature_ok(decoded, keys)
    facts = decoded.facts
    if ok is None:
        v = Verification(INVALID, f"Tanda tangan dibuat dengan kunci {decoded.key_id} yang tidak dipercaya "
                                  "(bukan kunci instansi ini). Impor kunci publiknya bila memang sah.",
                         check_code=decoded.check_code)
        return _finish(session, v, facts, None, today)
    if not ok:
        v = Verification(INVALID, "Tanda tangan digital tidak cocok: isi kode telah diubah atau rusak. "
                                  "Sertifikat ini TIDAK SAH.", check_code=decoded.check_code)
        return _finish(session, v, facts, None, today)
    cert = None
    v = Verification(VALID, "Tanda tangan digital sah.", check_code=decoded.check_code)
    if session is not None:
        cert = session.scalar(select(Certificate).where(Certificate.serial == str(facts.get("s", ""))))
        if cert is None:
            v.notes.append("Nomor seri tidak ada di register basis data ini; status pencabutan tidak dapat diperiksa.")
        elif cert.payload != raw and cert.check_code != decoded.check_code:
            v.status, v.message = INVALID, ("Tanda tangan sah, tetapi register mencatat sertifikat lain dengan nomor "
                                            "seri ini. Sertifikat ini TIDAK SAH.")
            cert = None
    return _judge(session, v, facts, cert, today)


def _judge(session: Session | None, v: Verification, facts: dict[str, Any], cert: Certificate | None,
           today: dt.date) -> Verification:
    if v.status == VALID and cert is not None and cert.status == "dicabut":
        v.status = REVOKED
        v.revoked_reason = cert.revoked_reason
        when = format_date(cert.revoked_at.date()) if cert.revoked_at else ""
        v.message = f"Sertifikat ini telah DICABUT {('pada ' + when) if when else ''}: {cert.revoked_reason}".replace("  ", " ")
    elif v.status == VALID:
        until = facts.get("u")
        try:
            until_date = dt.date.fromisoformat(str(until)) if until else None
        except ValueError:
            until_date = None
        if until_date is not None and until_date < today:
            v.status = EXPIRED
            v.message = f"Sertifikat asli, tetapi masa berlakunya telah habis pada {format_date(until_date)}."
        else:
            v.message = ("Ditandatangani secara digital oleh instansi"
                         + (" dan tercatat berlaku di register." if cert is not None else "."))
    return _finish(session, v, facts, cert, today)


def verify_check_code(session: Session, code: str, *, today: dt.date | None = None) -> Verification:
    """Verify by the check code printed under the QR (a person types it; needs the register)."""
    today = today or dt.date.today()
    norm = signing.normalize_check_code(code)
    cert = session.scalar(select(Certificate).where(Certificate.check_code == norm))
    if cert is None:
        return Verification(INVALID, f"Kode cek {norm} tidak terdaftar. Sertifikat dengan kode ini TIDAK SAH.",
                            check_code=norm)
    try:
        decoded = signing.decode(cert.payload)
    except signing.PayloadError:
        return Verification(INVALID, "Data sertifikat di register rusak.", check_code=norm)
    ok = signing.signature_ok(decoded, signing.trusted_keys(session))
    if not ok or decoded.check_code != norm:
        v = Verification(INVALID, "Tanda tangan sertifikat di register tidak dapat dibuktikan.", check_code=norm)
        return _finish(session, v, decoded.facts, cert, today)
    v = Verification(VALID, "", check_code=norm)
    v.notes.append("Diperiksa dengan kode cek: bandingkan data di bawah ini dengan yang tercetak pada sertifikat.")
    return _judge(session, v, decoded.facts, cert, today)


# --- reading codes from an image ---------------------------------------------------------------------------------

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".pdf")


def looks_like_image(text: str) -> bool:
    from pathlib import Path

    t = text.strip()
    return t.lower().endswith(IMAGE_SUFFIXES) and Path(t).expanduser().is_file()


def decode_image(path: str) -> list[tuple[str, str]]:
    """The barcodes in an image file (or the first page of a PDF, rendered at 150 dpi): [(format, text)].

    Raises:
        ValidationError: the file cannot be read as an image.
    """
    import subprocess
    import tempfile
    from pathlib import Path

    import zxingcpp
    from PIL import Image, UnidentifiedImageError

    p = Path(path).expanduser()
    try:
        if p.suffix.lower() == ".pdf":
            with tempfile.TemporaryDirectory() as tmp:
                stem = Path(tmp) / "page"
                subprocess.run(["pdftoppm", "-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile", str(p), str(stem)],
                               check=True, capture_output=True, timeout=60)
                with Image.open(stem.with_suffix(".png")) as img:
                    img.load()
                    results = zxingcpp.read_barcodes(img)
        else:
            with Image.open(p) as img:
                img.load()
                results = zxingcpp.read_barcodes(img)
    except (OSError, UnidentifiedImageError, subprocess.SubprocessError) as exc:
        raise ValidationError([FieldError("image", "Berkas gambar", f"{p.name} tidak dapat dibaca ({exc})")]) from None
    return [(str(r.format), r.text) for r in results]


def payload_from_image(path: str) -> str | None:
    """The certificate payload (the QR beginning with KD1:) in an image, or None when there is none."""
    for _fmt, text in decode_image(path):
        if text.upper().startswith(signing.PREFIX):
            return text
    return None
