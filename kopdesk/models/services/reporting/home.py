"""The home page's figures for the office's region: registry, RAT, last closed round, predikat, rounds under way."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region, level_of, undotted
from kopdesk.models.services.supervision import health, pemutakhiran
from kopdesk.models.services.supervision import rat as rat_compliance
from kopdesk.models.supervision import VerificationRound, Visit
from kopdesk.models.vocab import REGISTERED_STATUSES


@dataclass(frozen=True)
class HomeFigures:
    """Plain figures (safe across threads); the *_ids tuples let each figure open the registry filtered to it."""

    region_code: str | None
    region_name: str
    registered: int
    by_status: dict[str, int]
    rat_book_year: int
    rat_obliged: int
    rat_held: int
    rat_pct: Decimal | None
    round_name: str | None
    round_closed_on: object
    round_checked: int
    round_found: int
    round_not_found: int
    round_moved: int
    round_active: int
    round_ids: dict[str, tuple[int, ...]]
    rounds_open: int
    predikat_period: int | None
    predikat: dict[str, int]
    predikat_ids: dict[str, tuple[int, ...]]


def office_region(session: Session) -> str | None:
    return session.scalar(select(OfficeProfile.region_code).where(OfficeProfile.id == 1))


def figures(session: Session, region_code: str | None = None) -> HomeFigures:
    region_code = undotted(region_code) if region_code else office_region(session)
    c = Cooperative
    q = select(c.status, func.count()).where(c.status.in_(REGISTERED_STATUSES))
    name = "Semua wilayah"
    if region_code:
        col = {1: c.province_code, 2: c.kabkota_code, 3: c.kecamatan_code, 4: c.kelurahan_code}[level_of(region_code)]
        q = q.where(col == region_code)
        name = session.scalar(select(Region.name).where(Region.code == region_code)) or region_code
    by_status = {k: int(v) for k, v in session.execute(q.group_by(c.status)).all()}
    year = rat_compliance.latest_book_year(session)
    rat = rat_compliance.summary(session, year, region_code=region_code).total
    last = pemutakhiran.last_closed_round(session)
    round_ids: dict[str, tuple[int, ...]] = {}
    if last is not None:
        for key, cond in (("checked", Visit.id.is_not(None)), ("found", Visit.result.in_(("aktif", "tidak_aktif", "ditemukan"))),
                          ("not_found", Visit.result == "tidak_ditemukan"), ("moved", Visit.result == "pindah_alamat"),
                          ("active", Visit.business_active.is_(True))):
            round_ids[key] = tuple(session.scalars(select(Visit.cooperative_id).where(and_(Visit.round_id == last.id, cond))))
    rounds_open = session.scalar(select(func.count()).select_from(VerificationRound)
                                 .where(VerificationRound.status != "ditutup")) or 0
    period = health.latest_period(session)
    latest = health.latest_per_cooperative(session, period_year=period) if period else []
    pred: dict[str, list[int]] = {}
    for r in latest:
        pred.setdefault(r.predikat, []).append(r.cooperative_id)
    return HomeFigures(
        region_code=region_code, region_name=name, registered=sum(by_status.values()), by_status=by_status,
        rat_book_year=year, rat_obliged=rat.obliged, rat_held=rat.held, rat_pct=rat.held_pct,
        round_name=last.name if last else None, round_closed_on=last.closed_on if last else None,
        round_checked=last.progress.visited if last else 0, round_found=last.progress.found if last else 0,
        round_not_found=last.progress.not_found if last else 0, round_moved=last.progress.moved if last else 0,
        round_active=last.progress.active if last else 0, round_ids=round_ids, rounds_open=int(rounds_open),
        predikat_period=period, predikat={k: len(v) for k, v in pred.items()},
        predikat_ids={k: tuple(v) for k, v in pred.items()},
    )
