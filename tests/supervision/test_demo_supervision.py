"""The demo supervision step reproduces the field reports' figures on a Balikpapan-like data set."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.demo.supervision import add_supervision
from kopdesk.models.services.supervision import health, pemutakhiran
from kopdesk.models.services.supervision import rat as rat_compliance
from kopdesk.models.supervision import VerificationRound, Visit

# Active per kecamatan as the seed gives them (sums to 439; one active cooperative has no kecamatan).
ACTIVE = {"647102": 36, "647104": 62, "647106": 143, "647105": 82, "647103": 76, "647101": 40}


def balikpapan(db, total: int = 587) -> None:  # type: ignore[no-untyped-def]
    """587 registered, 440 active (brief §0), inserted directly with their first status in the history."""
    actor = Actor.system("uji")
    reg = dt.date(2015, 3, 1)
    rows = []
    for kec, n in ACTIVE.items():
        rows += [(kec, "aktif")] * n
    rows.append((None, "aktif"))
    kecs = list(ACTIVE)
    rows += [(kecs[i % 6], "tidak_aktif") for i in range(total - len(rows))]
    with db.transaction(actor) as s:
        coops = [Cooperative(name=f"Koperasi Demo {i:03d}", nik=f"6471{i:012d}", address=f"Jl. Demo {i}",
                             province_code="64", kabkota_code="6471", kecamatan_code=kec, jenis="konsumen",
                             status=st, registered_on=reg, status_date=reg, legal_date=dt.date(2010, 1, 1))
                 for i, (kec, st) in enumerate(rows, start=1)]
        s.add_all(coops)
        s.flush()
        s.add_all([StatusChange(cooperative_id=c.id, from_status=None, to_status=c.status, effective_date=reg,
                                source="demo", username="uji") for c in coops])


def test_add_supervision_reproduces_the_seed_figures(sqlite_db):
    db = sqlite_db
    balikpapan(db)
    summary = add_supervision(db, seed=7)
    assert (summary.checked, summary.found, summary.not_found, summary.moved, summary.doing_business) == (587, 225, 338, 24, 109)
    assert (summary.rat_held, summary.rat_obliged, summary.assessed, summary.sehat) == (70, 440, 26, 6)
    with db.read() as s:
        rnd = s.get(VerificationRound, summary.round_id)
        assert rnd.status == "ditutup" and rnd.closed_on == dt.date(2025, 10, 31)
        sm = rat_compliance.summary(s, 2023)
        assert (sm.total.obliged, sm.total.held) == (440, 70) and str(sm.total.held_pct) == "15.91"
        counts = health.predikat_counts(s, period_year=2023)
        assert counts["sehat"] == 6 and counts["cukup_sehat"] == 20
        statuses = dict(s.execute(select(Cooperative.status, func.count()).group_by(Cooperative.status)).all())
        assert statuses["tidak_ditemukan"] == 338
        assert s.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.source == "pemutakhiran")) > 338
        last = pemutakhiran.last_closed_round(s)
        assert last.progress.active == 109


def test_with_more_than_600_registered_600_are_checked(pg_db):
    balikpapan(pg_db, total=640)
    summary = add_supervision(pg_db, seed=1)
    assert (summary.checked, summary.found, summary.not_found, summary.moved, summary.doing_business) == (600, 225, 338, 37, 109)


def test_existing_rat_history_is_kept_and_topped_up_only(sqlite_db):
    from kopdesk.models.rat import RatRecord

    db = sqlite_db
    balikpapan(db)
    with db.transaction(Actor.system("uji")) as s:
        active = list(s.scalars(select(Cooperative.id).where(Cooperative.status == "aktif").order_by(Cooperative.id)))
        s.add_all([RatRecord(cooperative_id=cid, book_year=2023, rat_date=dt.date(2024, 3, 1), has_minutes=True,
                             has_financials=True, has_lpj=True) for cid in active[:70]])
        s.add_all([RatRecord(cooperative_id=cid, book_year=2025, rat_date=dt.date(2026, 3, 1), has_minutes=True,
                             has_financials=True, has_lpj=True) for cid in active[100:181]])
    summary = add_supervision(db, seed=3)
    assert (summary.rat_held, summary.rat_obliged, summary.assessed, summary.sehat) == (70, 440, 26, 6)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(RatRecord).where(RatRecord.book_year == 2023)) == 70
        found_business = set(s.scalars(select(Visit.cooperative_id).where(Visit.business_active.is_(True))))
    # The 109 doing business are taken first from the 81 with the latest RAT.
    assert set(active[100:181]) <= found_business
