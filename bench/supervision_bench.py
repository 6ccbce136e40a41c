"""Benchmark of the supervision services on SQLite: RAT summaries, bulk marking, a round of visits and its closing.

Run: .venv/bin/python bench/supervision_bench.py [--count N]   (default 100,000 spread over Kalimantan Timur)
Prints each figure; data is synthetic (Core inserts), with a status history and three book years of RAT.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(label: str, fn):  # type: ignore[no-untyped-def]
    t0 = time.perf_counter()
    out = fn()
    print(f"{label:<62} {time.perf_counter() - t0:8.2f} s")
    return out


def main(n: int) -> None:
    from sqlalchemy import insert, select

    from kopdesk.models.cooperative import Cooperative, StatusChange
    from kopdesk.models.db import Database
    from kopdesk.models.rat import RatRecord
    from kopdesk.models.region import Region
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.supervision import pemutakhiran as pm
    from kopdesk.models.services.supervision import rat as rc

    rng = random.Random(1)
    actor = Actor.system("bench")
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(str(Path(tmp) / "bench.sqlite"))
        with db.read() as s:
            kecs = list(s.execute(select(Region.code, Region.parent_code).where(Region.level == 3,
                                                                                Region.code.like("64%"))))
        reg = dt.date(2015, 1, 1)

        def load() -> None:
            with db.engine.begin() as conn:
                rows = []
                for i in range(1, n + 1):
                    kec, kab = kecs[i % len(kecs)]
                    rows.append({"id": i, "name": f"Koperasi {i}", "nik": f"64{i:014d}", "address": f"Jl. {i}",
                                 "province_code": "64", "kabkota_code": kab, "kecamatan_code": kec, "jenis": "konsumen",
                                 "pola": "konvensional", "form": "primer", "membership_scope": "kabkota",
                                 "status": "aktif" if i % 8 else "tidak_aktif", "registered_on": reg,
                                 "nik_status": "tidak_ada", "is_merah_putih": False, "grade_override": False,
                                 "members_male": 0, "members_female": 0, "employees": 0, "managers": 0, "own_capital": 0,
                                 "external_capital": 0, "assets": 0, "business_volume": 0, "shu": 0, "version": 1})
                conn.execute(insert(Cooperative), rows)
                conn.execute(insert(StatusChange), [{"cooperative_id": r["id"], "to_status": r["status"],
                                                     "effective_date": reg, "source": "demo", "changed_at": dt.datetime.now(dt.UTC)}
                                                    for r in rows])
                rat = [{"cooperative_id": i, "book_year": y, "rat_date": dt.date(y + 1, rng.randint(1, 7), 10),
                        "has_minutes": True, "has_financials": True, "has_lpj": False}
                       for y in (2022, 2023) for i in range(1, n + 1) if rng.random() < 0.6]
                conn.execute(insert(RatRecord), rat)

        timed(f"load {n:,} cooperatives + history + 2 book years of RAT", load)
        kab = kecs[0][1]
        with db.read() as s:
            timed(f"rat summary 2023, one kab/kota ({kab})", lambda: rc.summary(s, 2023, region_code=kab))
            timed("rat summary 2023, province 64", lambda: rc.summary(s, 2023, region_code="64"))
            timed("rat summary 2023, everything", lambda: rc.summary(s, 2023))
        niks = [rc.MarkRow(i, f"64{i:014d}") for i in range(1, min(n, 5000) + 1)]

        def mark() -> None:
            with db.transaction(actor) as s:
                rc.bulk_mark(s, actor, 2024, niks, received_on=dt.date(2025, 3, 1))

        timed(f"bulk mark {len(niks):,} NIKs for book year 2024 (one transaction)", mark)

        def make_round() -> int:
            with db.transaction(actor) as s:
                return pm.create_round(s, actor, "Bench", region_code=kab, started_on=dt.date(2026, 1, 5)).id

        rid = timed(f"create a round over kab/kota {kab}", make_round)
        with db.read() as s:
            members = [g.cooperative_id for g in pm.grid_rows(s, rid)]
        print(f"  round covers {len(members):,} cooperatives")

        def visits() -> None:
            with db.transaction(actor) as s:
                for j, cid in enumerate(members):
                    pm.record_visit(s, actor, rid, cid, {"visit_date": dt.date(2026, 1, 10), "found_at_address": j % 3 != 0,
                                                         "business_active": (j % 2 == 0) if j % 3 else None})

        timed(f"record {len(members):,} visits (one transaction)", visits)
        with db.read() as s:
            prev = timed("close preview", lambda: pm.close_preview(s, rid))
            timed("progress figures", lambda: pm.progress(s, rid))
        print(f"  preview: {len(prev.changes):,} changes")

        def close() -> None:
            with db.transaction(actor) as s:
                pm.close_round(s, actor, rid, prev, closed_on=dt.date(2026, 1, 31))

        timed("close the round (status changes + history + audit)", close)
        db.dispose()


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=100_000, help="cooperatives to generate (default 100,000)")
    main(ap.parse_args().count)
