"""Health assessment (penilaian kesehatan): one scoring function over a scheme table, assessments, history, lists.

The schemes (aspects, weights, predikat thresholds) come from setting ``health.schemes`` only, so an office follows
a newer regulation by changing data, not code (brief §5). A nilai is entered per aspect (0–100); the aspect's score
is nilai × weight ÷ total weight; the total score is their sum (0–100); the predikat is the first threshold the
total reaches, thresholds taken from the highest down.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import FieldError, ValidationError
from kopdesk.models.formats import parse_date
from kopdesk.models.health import HealthAspectScore, HealthAssessment, HealthEvidence
from kopdesk.models.region import Region
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.registry.cooperatives import get_cooperative
from kopdesk.models.vocab import PREDIKAT

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class AspectResult:
    code: str
    name: str
    weight: Decimal
    nilai: Decimal
    score: Decimal


@dataclass(frozen=True)
class ScoreResult:
    """The computed score of an assessment."""

    total: Decimal
    predikat: str
    aspects: tuple[AspectResult, ...]

    @property
    def predikat_label(self) -> str:
        return PREDIKAT.get(self.predikat, self.predikat)


def _dec(value: Any) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, float):
        return Decimal(str(value))
    text = str(value).strip().replace(",", ".")
    return Decimal(text)


def score(scheme: Mapping[str, Any], aspect_scores: Mapping[str, Any], *, partial: bool = False) -> ScoreResult:
    """Score one assessment under a scheme (an entry of setting ``health.schemes``).

    Args:
        scheme: {"aspects": [{"code", "name", "weight"}...], "thresholds": [[min_score, predikat], ...]}.
        aspect_scores: nilai (0–100) per aspect code; numbers or text with a decimal comma.
        partial: score what is filled in (for the live display while the clerk types); missing aspects count 0.

    Raises:
        ValidationError: a missing, non-numeric or out-of-range nilai, or an unknown aspect, named per aspect.
    """
    aspects = list(scheme["aspects"])
    names = {a["code"]: a.get("name", a["code"]) for a in aspects}
    errors: list[FieldError] = []
    for code in aspect_scores:
        if code not in names:
            errors.append(FieldError(code, code, "aspek tidak dikenal dalam skema ini"))
    total_weight = sum((_dec(a["weight"]) for a in aspects), Decimal(0))
    if total_weight <= 0:
        raise ValidationError([FieldError("scheme", "Skema", "jumlah bobot harus lebih dari 0")])
    results: list[AspectResult] = []
    for a in aspects:
        raw = aspect_scores.get(a["code"])
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            if not partial:
                errors.append(FieldError(a["code"], names[a["code"]], "nilai wajib diisi"))
            nilai = Decimal(0)
        else:
            try:
                nilai = _dec(raw)
                if not nilai.is_finite():
                    raise InvalidOperation
            except (InvalidOperation, ValueError):
                errors.append(FieldError(a["code"], names[a["code"]], "harus berupa angka", raw))
                continue
            if not Decimal(0) <= nilai <= Decimal(100):
                errors.append(FieldError(a["code"], names[a["code"]], "harus antara 0 dan 100", raw))
                continue
        weight = _dec(a["weight"])
        results.append(AspectResult(a["code"], names[a["code"]], weight, nilai,
                                    (nilai * weight / total_weight).quantize(Decimal("0.0001"), ROUND_HALF_UP)))
    if errors:
        raise ValidationError(errors)
    total = sum((r.score for r in results), Decimal(0)).quantize(_CENT, ROUND_HALF_UP)
    return ScoreResult(total, predikat_for(scheme, total),
                       tuple(AspectResult(r.code, r.name, r.weight, r.nilai, r.score.quantize(_CENT, ROUND_HALF_UP))
                             for r in results))


def predikat_for(scheme: Mapping[str, Any], total: Decimal | float | int) -> str:
    """The predikat of a total score: the first threshold reached, from the highest down."""
    value = _dec(total)
    thresholds = sorted(((_dec(t), p) for t, p in scheme["thresholds"]), key=lambda tp: tp[0], reverse=True)
    for minimum, predikat in thresholds:
        if value >= minimum:
            return str(predikat)
    return str(thresholds[-1][1])


def schemes(session: Session) -> dict[str, dict[str, Any]]:
    """The schemes of setting ``health.schemes``."""
    return dict(settings.get(session, "health.schemes"))


def get_scheme(session: Session, code: str) -> dict[str, Any]:
    all_ = schemes(session)
    if code not in all_:
        raise ValidationError([FieldError("scheme", "Skema penilaian", f"harus salah satu dari: {', '.join(all_)}", code)])
    return all_[code]


# ------------------------------------------------------------------------------------------------- assessments

def record_assessment(session: Session, actor: Actor, coop_id: int, period_year: int, scheme_code: str,
                      aspect_scores: Mapping[str, Any], *, assessed_on: Any = None, assessor: str | None = None,
                      ba_number: str | None = None, notes: str | None = None,
                      evidence_paths: Iterable[str | Path] = (), today: dt.date | None = None) -> HealthAssessment:
    """Record an assessment of a cooperative for a period, with its score, predikat and evidence files.

    Raises:
        ValidationError: bad period, date, scheme, nilai or an unreadable evidence file; nothing is written.
    """
    require(actor, "supervision.write")
    today = today or dt.date.today()
    get_cooperative(session, coop_id)
    errors: list[FieldError] = []
    try:
        year = int(period_year)
    except (TypeError, ValueError):
        year = 0
    if not 1960 <= year <= today.year:
        errors.append(FieldError("period_year", "Periode (tahun buku)", f"harus antara 1960 dan {today.year}", period_year))
    try:
        when = parse_date(assessed_on) or today
        if when > today:
            errors.append(FieldError("assessed_on", "Tanggal penilaian", "tidak boleh di masa depan", assessed_on))
    except (ValueError, TypeError):
        when = today
        errors.append(FieldError("assessed_on", "Tanggal penilaian", "bukan tanggal yang benar", assessed_on))
    result: ScoreResult | None = None
    try:
        result = score(get_scheme(session, scheme_code), aspect_scores)
    except ValidationError as exc:
        errors.extend(exc.errors)
    files: list[tuple[str, bytes]] = []
    for p in evidence_paths:
        path = Path(p)
        try:
            if path.stat().st_size > MAX_EVIDENCE_BYTES:
                errors.append(FieldError("evidence", "Berkas bukti", "lebih besar dari 20 MB", str(path)))
                continue
            files.append((path.name, path.read_bytes()))
        except OSError:
            errors.append(FieldError("evidence", "Berkas bukti", "tidak dapat dibaca", str(path)))
    if errors or result is None:
        raise ValidationError(errors)
    a = HealthAssessment(cooperative_id=coop_id, period_year=year, scheme=scheme_code, assessed_on=when,
                         assessor=(assessor or "").strip() or None, total_score=result.total,
                         predikat=result.predikat, ba_number=(ba_number or "").strip() or None,
                         notes=(notes or "").strip() or None)
    a.aspects = [HealthAspectScore(aspect_code=r.code, weight=r.weight, nilai=r.nilai, score=r.score)
                 for r in result.aspects]
    session.add(a)
    session.flush()
    for name, content in files:
        session.add(HealthEvidence(assessment_id=a.id, file_name=name[:200], sha256=hashlib.sha256(content).hexdigest(),
                                   content=content))
    session.flush()
    return a


@dataclass(frozen=True)
class AssessmentRow:
    id: int
    cooperative_id: int
    name: str
    kecamatan: str
    period_year: int
    scheme: str
    assessed_on: dt.date
    total_score: Decimal
    predikat: str
    evidence: int


def history(session: Session, coop_id: int) -> list[AssessmentRow]:
    """The predikat history of a cooperative, newest period first."""
    return _rows(session, HealthAssessment.cooperative_id == coop_id)


def _rows(session: Session, *where: Any) -> list[AssessmentRow]:
    ev = (select(func.count()).select_from(HealthEvidence)
          .where(HealthEvidence.assessment_id == HealthAssessment.id).correlate(HealthAssessment).scalar_subquery())
    kec = Region.__table__.alias("kec")
    q = (select(HealthAssessment.id, HealthAssessment.cooperative_id, Cooperative.name, kec.c.name,
                HealthAssessment.period_year, HealthAssessment.scheme, HealthAssessment.assessed_on,
                HealthAssessment.total_score, HealthAssessment.predikat, ev)
         .join(Cooperative, Cooperative.id == HealthAssessment.cooperative_id)
         .outerjoin(kec, kec.c.code == Cooperative.kecamatan_code)
         .where(*where)
         .order_by(HealthAssessment.period_year.desc(), HealthAssessment.assessed_on.desc(), HealthAssessment.id.desc()))
    return [AssessmentRow(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6], Decimal(str(r[7])), r[8], int(r[9] or 0))
            for r in session.execute(q)]


def latest_per_cooperative(session: Session, *, period_year: int | None = None,
                           predikat: str | None = None) -> list[AssessmentRow]:
    """The latest assessment of each cooperative (of one period when given), optionally of one predikat."""
    rows = _rows(session, *([HealthAssessment.period_year == period_year] if period_year else []))
    seen: set[int] = set()
    out = []
    for r in rows:  # newest first, so the first row per cooperative is its latest
        if r.cooperative_id in seen:
            continue
        seen.add(r.cooperative_id)
        if predikat is None or r.predikat == predikat:
            out.append(r)
    return sorted(out, key=lambda r: (list(PREDIKAT).index(r.predikat) if r.predikat in PREDIKAT else 9, r.name))


def predikat_counts(session: Session, *, period_year: int | None = None) -> dict[str, int]:
    """How many cooperatives hold each predikat by their latest assessment (of one period when given)."""
    counts = dict.fromkeys(PREDIKAT, 0)
    for r in latest_per_cooperative(session, period_year=period_year):
        counts[r.predikat] = counts.get(r.predikat, 0) + 1
    return counts


def latest_period(session: Session) -> int | None:
    year = session.scalar(select(func.max(HealthAssessment.period_year)))
    return int(year) if year else None


def evidence(session: Session, assessment_id: int) -> list[tuple[str, bytes]]:
    return [(n, c) for n, c in session.execute(select(HealthEvidence.file_name, HealthEvidence.content)
                                               .where(HealthEvidence.assessment_id == assessment_id)
                                               .order_by(HealthEvidence.id))]
