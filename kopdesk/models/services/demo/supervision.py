"""Demo supervision data for the Balikpapan cooperatives: RAT, a closed pemutakhiran round, health assessments.

Reproduces the figures of the field reports (brief §0):

- RAT: 70 of the active cooperatives (440 in the seed) held the RAT of the book year (default 2023, reported in 2024);
  records already present for that year count, and only the difference is added;
- pemutakhiran (Oct 2025): about 600 checked, 225 found at the registered address, 338 not found there, and 109 of
  the 225 running a business; about 70 % of those hold their RAT;
- health (2024): 26 assessed, 6 "sehat", the rest "cukup sehat".

The seed's own numbers disagree (225 + 338 = 563, not 600; and Balikpapan had 587 registered in 2024). The round
checks min(600, registered) cooperatives; the ones neither found nor "not found" are recorded as found at a new
address (pindah alamat) with the business state unknown, so they change neither count nor status. With 587
registered that gives 587 checked = 225 found + 338 not found + 24 moved.

Called by ``kopdesk.models.services.demo.data.generate`` after the cooperatives exist.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.region import undotted
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.registry.history import status_as_of
from kopdesk.models.services.supervision import health, pemutakhiran
from kopdesk.models.services.supervision import rat as rat_compliance
from kopdesk.models.vocab import REGISTERED_STATUSES

PPKL = ["Rahmat Hidayat", "Siti Nurhaliza", "Agus Salim", "Dewi Kartika", "Yohanes Baro", "Nur Aini"]
STREETS = ["Jl. MT Haryono", "Jl. Soekarno-Hatta", "Jl. Ruhui Rahayu", "Jl. Marsma Iswahyudi", "Jl. Pupuk Raya",
           "Jl. Letjen Suprapto", "Jl. Sepinggan Baru", "Jl. Mayjen Sutoyo"]


@dataclass(frozen=True)
class SupervisionSummary:
    round_id: int
    checked: int
    found: int
    not_found: int
    moved: int
    doing_business: int
    rat_book_year: int
    rat_held: int
    rat_obliged: int
    assessed: int
    sehat: int

    def __str__(self) -> str:
        return (f"pemutakhiran {self.checked} diperiksa, {self.found} ditemukan, {self.not_found} tidak ditemukan, "
                f"{self.moved} pindah, {self.doing_business} berusaha; RAT {self.rat_book_year}: {self.rat_held} dari "
                f"{self.rat_obliged}; kesehatan {self.assessed} dinilai, {self.sehat} sehat")


def add_supervision(session_or_db: Any, actor: Actor | None = None, *, region_code: str = "6471",
                    rat_book_year: int = 2023, rat_held: int = 70, round_start: dt.date = dt.date(2025, 10, 1),
                    round_close: dt.date = dt.date(2025, 10, 31), checked: int = 600, found: int = 225,
                    not_found: int = 338, doing_business: int = 109, assessed: int = 26, sehat: int = 6,
                    seed: int = 2024) -> SupervisionSummary:
    """Add the supervision figures of the field reports to the cooperatives of ``region_code``.

    Args:
        session_or_db: a Session inside a transaction, or a Database (one transaction is opened).
        actor: who acts (default: the system user "demo").
    """
    actor = actor or Actor.system("demo")
    if isinstance(session_or_db, Session):
        return _add(session_or_db, actor, **_kw(locals()))
    with session_or_db.transaction(actor) as s:
        return _add(s, actor, **_kw(locals()))


def _kw(loc: dict[str, Any]) -> dict[str, Any]:
    return {k: loc[k] for k in ("region_code", "rat_book_year", "rat_held", "round_start", "round_close", "checked",
                                "found", "not_found", "doing_business", "assessed", "sehat", "seed")}


def _add(s: Session, actor: Actor, *, region_code: str, rat_book_year: int, rat_held: int, round_start: dt.date,
         round_close: dt.date, checked: int, found: int, not_found: int, doing_business: int, assessed: int,
         sehat: int, seed: int) -> SupervisionSummary:
    rng = random.Random(seed)
    code = undotted(region_code)
    c = Cooperative
    coops = s.execute(select(c.id, c.status, c.kecamatan_code, c.form).where(
        c.kabkota_code == code, c.status.in_(REGISTERED_STATUSES)).order_by(c.id)).all()
    if not coops:
        raise ValueError(f"tidak ada koperasi terdaftar di wilayah {region_code}")

    # 1. RAT of the book year: among those active on the reference date (the ones obliged).
    ref = rat_compliance.reference_date(s, rat_book_year)
    active_then = [cid for cid, st, now, reg in s.execute(
        select(c.id, status_as_of(ref), c.status, c.registered_on).where(c.kabkota_code == code).order_by(c.id))
        if (st if st is not None else now) == "aktif" and (reg is None or reg <= ref)]
    # The demo data set may already carry the RAT history (demo.generate writes 70 for 2023): top it up only.
    from kopdesk.models.rat import RatRecord

    existing = set(s.scalars(select(RatRecord.cooperative_id).join(c, c.id == RatRecord.cooperative_id)
                             .where(c.kabkota_code == code, RatRecord.book_year == rat_book_year)))
    pool = [cid for cid in active_then if cid not in existing]
    new_ids = rng.sample(pool, max(0, min(rat_held - len(existing), len(pool))))
    rat_ids = sorted(existing | set(new_ids))
    primer_due = rat_compliance.deadline(s, rat_book_year, "primer")
    for i, cid in enumerate(new_ids):
        late = i % 6 == 5  # about one in six held late
        day = primer_due + dt.timedelta(days=rng.randint(3, 60)) if late else primer_due - dt.timedelta(days=rng.randint(0, 100))
        rat_compliance.record_rat(s, actor, cid, rat_book_year, {
            "rat_date": day, "report_received_date": day + dt.timedelta(days=rng.randint(1, 20)),
            "attendance": rng.randint(20, 180), "has_minutes": True, "has_financials": True, "has_lpj": i % 4 != 0,
        })
    latest_year = rat_compliance.latest_book_year(s)
    recent = set(s.scalars(select(RatRecord.cooperative_id).join(c, c.id == RatRecord.cooperative_id)
                           .where(c.kabkota_code == code, RatRecord.book_year == latest_year)))

    # 2. The pemutakhiran round: every registered cooperative of the region.
    rnd = pemutakhiran.create_round(s, actor, f"Pemutakhiran Data Koperasi {round_start.year}", region_code=code,
                                    started_on=round_start, today=round_close,
                                    notes="Verifikasi lapangan seluruh koperasi terdaftar (data contoh).")
    kecs = sorted({k for _, _, k, _ in coops if k})
    for i, kec in enumerate(kecs):
        pemutakhiran.assign_officer(s, actor, rnd.id, kec, PPKL[i % len(PPKL)])
    n_checked = min(checked, len(coops))
    # Found first among the active (RAT holders first), so the 109 businesses are cooperatives that were active.
    rat_set = set(rat_ids)
    active_now = [cid for cid, st, _, _ in coops if st == "aktif"]
    others = [cid for cid, st, _, _ in coops if st != "aktif"]
    rng.shuffle(active_now)
    rng.shuffle(others)
    # Those with the most recent RAT first, so the businesses found are the ones that still hold their RAT.
    active_now.sort(key=lambda cid: (cid not in recent, cid not in rat_set))
    order = active_now + others
    n_found = min(found, n_checked)
    n_not_found = min(not_found, n_checked - n_found)
    found_ids = order[:n_found]
    rest = order[n_found:]
    rng.shuffle(rest)
    not_found_ids = rest[:n_not_found]
    moved_ids = rest[n_not_found:n_checked - n_found]
    kec_of = {cid: k for cid, _, k, _ in coops}
    officer = {k: PPKL[i % len(PPKL)] for i, k in enumerate(kecs)}
    span = max((round_close - round_start).days - 2, 0)

    def when() -> dt.date:
        return round_start + dt.timedelta(days=rng.randint(0, span))

    business = set(found_ids[:doing_business])
    rat_seen_target = round(len(business) * 0.7)
    rat_seen = set(sorted(business, key=lambda cid: (cid not in recent, cid not in rat_set))[:rat_seen_target])
    for cid in found_ids:
        pemutakhiran.record_visit(s, actor, rnd.id, cid, {
            "visit_date": when(), "officer_name": officer.get(kec_of[cid]), "found_at_address": True,
            "business_active": cid in business, "rat_held_last_year": cid in rat_seen if cid in business else False,
            "sign_board": cid in business, "contact_person": "Ketua pengurus" if cid in business else None,
        }, today=round_close)
    for cid in not_found_ids:
        pemutakhiran.record_visit(s, actor, rnd.id, cid, {
            "visit_date": when(), "officer_name": officer.get(kec_of[cid]), "found_at_address": False,
            "notes": "Alamat kosong / sudah ditempati usaha lain",
        }, today=round_close)
    for cid in moved_ids:
        pemutakhiran.record_visit(s, actor, rnd.id, cid, {
            "visit_date": when(), "officer_name": officer.get(kec_of[cid]), "found_at_address": False,
            "new_address": f"{rng.choice(STREETS)} No. {rng.randint(1, 150)}",
            "notes": "Pindah alamat menurut warga sekitar; kegiatan usaha belum dapat dipastikan",
        }, today=round_close)
    preview = pemutakhiran.close_preview(s, rnd.id)
    pemutakhiran.close_round(s, actor, rnd.id, preview, closed_on=round_close)

    # 3. Health assessments of the RAT holders (eligibility: RAT held), period = the RAT book year.
    scheme_code = settings.get(s, "health.default_scheme")
    scheme = health.get_scheme(s, scheme_code)
    assessed_ids = rng.sample(rat_ids, min(assessed, len(rat_ids)))
    codes = [a["code"] for a in scheme["aspects"]]
    n_sehat = 0
    for i, cid in enumerate(assessed_ids):
        target = rng.uniform(83, 92) if i < sehat else rng.uniform(69, 76)
        scores = {k: round(min(100.0, max(0.0, target + rng.uniform(-3, 3))), 2) for k in codes}
        a = health.record_assessment(s, actor, cid, rat_book_year, scheme_code, scores, assessed_on=dt.date(rat_book_year + 1, 9, 1) + dt.timedelta(days=i),
                                     assessor="Tim Pengawas Dinas", ba_number=f"518/{i + 1}/BA-KES/{rat_book_year + 1}")
        n_sehat += a.predikat == "sehat"
    prog = pemutakhiran.progress(s, rnd.id)
    return SupervisionSummary(rnd.id, prog.visited, prog.found, prog.not_found, prog.moved, prog.active,
                              rat_book_year, len(rat_ids), len(active_then), len(assessed_ids), n_sehat)
