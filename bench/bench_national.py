"""National-scale benchmark on SQLite: generation, search, recaps and the "no RAT" list, beside the floor.

    python3 dev.py bench bench_national                 # 300,000 cooperatives in a temporary file
    python3 dev.py bench bench_national --count 50000   # smaller
    python3 dev.py bench bench_national --db x.sqlite --reuse   # measure queries on an existing national file

It calls the same code as the application (kopdesk.models.queries and kopdesk.models.services.reporting.stats) and prints
each figure beside the floor of the shared performance notes (performance.md: what SQLite and Python reach on their
own on this kind of machine, 250k koperasi and 2.5M RAT rows). Figures are medians of 7 runs after one warm-up.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from kopdesk.models import queries
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.db import Database
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.demo import data as demo
from kopdesk.models.services.reporting import stats

RUNS = 7


def timed(fn, runs: int = RUNS) -> tuple[float, float, float, object]:  # type: ignore[no-untyped-def]
    """(median, min, max) in milliseconds after one warm-up, and the last result."""
    result = fn()
    samples = []
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1000)
    return statistics.median(samples), min(samples), max(samples), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--count", type=int, default=300_000)
    ap.add_argument("--db", help="SQLite file (default: a temporary file, removed afterwards)")
    ap.add_argument("--reuse", action="store_true", help="do not generate; the file already holds a national set")
    ap.add_argument("--seed", type=int, default=2024)
    args = ap.parse_args()

    tmp = None
    if args.db:
        path = Path(args.db)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="kopdesk-bench-")
        path = Path(tmp.name) / "national.sqlite"
    rows: list[tuple[str, str, str, str]] = []

    db = Database.open(str(path))
    if not args.reuse:
        t = time.perf_counter()
        summary = demo.generate_national(db, count=args.count, seed=args.seed,
                                         progress=lambda d, n, s: print(f"\r  {s} {d}/{n}   ", end="", file=sys.stderr))
        gen = time.perf_counter() - t
        print(file=sys.stderr)
        print(f"Generated: {summary}")
        rows.append(("generate_national (cooperatives + status history + RAT + FTS rebuild + ANALYZE)",
                     f"{gen:.1f} s", "< 120 s", "≈ 12–13 s (raw sqlite3: 250k + 2.5M RAT + indexes + FTS)"))
    with db.read() as s:
        n_coop = s.scalar(select(func.count()).select_from(Cooperative))
        n_rat = s.scalar(select(func.count()).select_from(RatRecord))
        sample_nik = s.scalar(select(Cooperative.nik).where(Cooperative.nik.is_not(None)).order_by(Cooperative.id)
                              .offset(n_coop // 2).limit(1))
        province = s.scalar(select(Cooperative.province_code).group_by(Cooperative.province_code)
                            .order_by(func.count().desc()).limit(1))
        small = s.scalar(select(Cooperative.province_code).group_by(Cooperative.province_code)
                         .order_by(func.count()).limit(1))
        year = s.scalar(select(func.max(RatRecord.book_year)))
    print(f"Database: {path} ({path.stat().st_size / 1e6:.0f} MB), {n_coop} cooperatives, {n_rat} RAT records")

    def q(label: str, fn, target: str, floor: str) -> object:  # type: ignore[no-untyped-def]
        def run():  # type: ignore[no-untyped-def]
            with db.read() as s:
                return fn(s)
        med, lo, hi, result = timed(run)
        rows.append((label, f"{med:.1f} ms ({lo:.1f}–{hi:.1f})", target, floor))
        return result

    def first_page(f: queries.RegistryFilter):  # type: ignore[no-untyped-def]
        return lambda s: queries.rows_for_ids(s, queries.search_ids(s, f, limit=100))

    fts_floor = "FTS5 MATCH first 200: 0.6–1.4 ms; ORDER BY nama LIMIT 200: 2.2–9.9 ms"
    import sqlite3

    raw = sqlite3.connect(str(path))

    def raw_floor(label: str, sql: str, params: tuple = ()) -> None:  # type: ignore[type-arg]
        """The same question asked of sqlite3 directly, in this run (the floor on today's load)."""
        med, lo, hi, _ = timed(lambda: raw.execute(sql, params).fetchall())
        rows.append((f"  raw sqlite3: {label}", f"{med:.1f} ms ({lo:.1f}–{hi:.1f})", "", "(same machine, same load)"))

    for term in ("makmur", "Sejahtera Bersama", "Kahayan", "zqx"):
        f = queries.RegistryFilter(text=term)
        fts = " AND ".join('"' + w + '"' for w in term.split())
        raw_floor(f"FTS5 MATCH {fts} first 100 (no sort)",
                  "SELECT rowid FROM cooperative_fts WHERE cooperative_fts MATCH ? LIMIT 100", (fts,))
        page = q(f"name search {term!r}: first 100 by name, ids + rows", first_page(f), "< 20 ms", fts_floor)
        n = q(f"  count of matches for {term!r}", lambda s, f=f: queries.count(s, f), "", "FTS5 count: 0.02–2.2 ms")
        rows[-2] = (rows[-2][0] + f" [{len(page)} shown]", *rows[-2][1:])  # type: ignore[arg-type]
        rows[-1] = (rows[-1][0] + f" = {n}", *rows[-1][1:])
    for term in (sample_nik, sample_nik[:6]):
        f = queries.RegistryFilter(text=term)
        page = q(f"NIK search {term!r}: first 100, ids + rows", first_page(f), "< 20 ms", fts_floor)
        rows[-1] = (rows[-1][0] + f" [{len(page)} shown]", *rows[-1][1:])  # type: ignore[arg-type]

    recap = q(f"province recap {province} by kab/kota (stats.recap; RAT {year})",
              lambda s: stats.recap(s, province, book_year=year), "< 100 ms",
              "14.8 ms (Jawa Timur, 15 rows)")
    rows[-1] = (rows[-1][0] + f" [{len(recap)} rows]", *rows[-1][1:])  # type: ignore[arg-type]
    q(f"province recap {small} by kab/kota (stats.recap)", lambda s: stats.recap(s, small, book_year=year),
      "< 100 ms", "19.2 ms (small province)")
    q(f"province figures {province} (stats.region_stats, as `stats` prints)",
      lambda s: stats.region_stats(s, province, book_year=year), "< 100 ms", "14.8–19.2 ms (recap query)")
    national = q("national recap by kab/kota (stats.recap, one pass)",
                 lambda s: stats.recap(s, None, book_year=year, group_by="kabkota_code"), "< 1 s",
                 "541 ms LEFT JOIN / 861 ms EXISTS (605 rows)")
    rows[-1] = (rows[-1][0] + f" [{len(national)} rows]", *rows[-1][1:])  # type: ignore[arg-type]
    q("national recap by province (stats.recap)", lambda s: stats.recap(s, None, book_year=year), "< 1 s",
      "541 ms (by kab/kota)")
    missing = queries.RegistryFilter(statuses=("aktif",), rat_book_year=year, rat_state="missing")
    q(f"aktif without RAT {year}: first 100 by name, ids + rows", first_page(missing), "< 20 ms",
      "0.94 ms (first 200 by id)")
    q(f"aktif without RAT {year}: first 100 by id", lambda s: queries.search_ids(s, missing, order="id", limit=100),
      "< 20 ms", "0.94 ms (first 200 by id)")
    n_missing = q(f"  count aktif without RAT {year} (national)", lambda s: queries.count(s, missing), "",
                  "184 ms")
    rows[-1] = (rows[-1][0] + f" = {n_missing}", *rows[-1][1:])

    raw.close()
    import os

    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measurement':<{width}}  {'kopdesk (median, min–max)':<26} {'target':<9} floor (performance.md)")
    for label, ours, target, floor in rows:
        print(f"{label:<{width}}  {ours:<26} {target:<9} {floor}")
    if load:
        print(f"\nLoad average at the end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (the machine has "
              f"{os.cpu_count()} cores)")
    db.dispose()
    if tmp is not None:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
