"""Benchmark: issue 1,000 surat teguran into one PDF, numbering and register included, on SQLite and PostgreSQL.

Usage: python bench/bench_letters.py [--count 1000] [--pg URL] [--split]
Prints the wall time of the whole issue (queue check, numbers, drawing every letter twice -- the combined PDF and
each letter's own PDF for its SHA-256 -- and the register insert) and the pages per second.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("KOPDESK_DATA_DIR", tempfile.mkdtemp(prefix="kopdesk-bench-"))

TODAY = dt.date(2026, 11, 23)


def seed(db, n: int) -> list[int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert, select

    from kopdesk.models.cooperative import Cooperative, Officer
    from kopdesk.models.services.administration.auth import Actor
    from tests.letters.conftest import fill_office

    fill_office(db)
    rows = [{
        "name": f"Koperasi Konsumen Sejahtera Bersama {i:04d}", "nik": f"64710{i:011d}", "legal_number": f"{i}/BH/XVI.5/2012",
        "legal_date": dt.date(2012, 5, 1), "address": f"Jl. Jenderal Sudirman No. {i % 300 + 1}", "province_code": "64",
        "kabkota_code": "6471", "kecamatan_code": "647101", "kelurahan_code": "6471011001", "jenis": "konsumen",
        "status": "aktif", "form": "primer", "membership_scope": "kabkota", "pola": "konvensional",
    } for i in range(n)]
    with db.transaction(Actor.system()) as s:
        s.execute(insert(Cooperative), rows)
        ids = list(s.scalars(select(Cooperative.id).order_by(Cooperative.id)))
        s.execute(insert(Officer), [{"cooperative_id": i, "role": "ketua", "name": f"Ketua {i}"} for i in ids])
    return ids


def run(url: str, n: int, split: bool) -> None:
    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.letters import teguran
    from kopdesk.reports.pdf import teguran as letter_pdf

    db = Database.open(url)
    ids = seed(db, n)
    out = Path(tempfile.mkdtemp(prefix="kopdesk-letters-"))
    t0 = time.perf_counter()
    with db.read() as s:
        queue = teguran.compute_queue(s, today=TODAY)
    import resource

    t1 = time.perf_counter()
    c_self, c_kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    r = teguran.issue_batch(db, Actor.system(), [(i.cooperative_id, i.level) for i in queue], renderer=letter_pdf,
                            out_path=str(out / "letters.pdf"), split_dir=str(out / "split") if split else None,
                            today=TODAY)
    t2 = time.perf_counter()
    e_self, e_kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_main = e_self.ru_utime + e_self.ru_stime - c_self.ru_utime - c_self.ru_stime
    cpu_kids = e_kids.ru_utime + e_kids.ru_stime - c_kids.ru_utime - c_kids.ru_stime
    load = os.getloadavg()[0]
    from pypdf import PdfReader

    pages = len(PdfReader(out / "letters.pdf").pages)
    size = (out / "letters.pdf").stat().st_size
    print(f"{db.dialect:<10} queue {len(queue)} in {t1 - t0:.2f} s; issue {len(r.letters)} letters "
          f"({pages} pages, {size / 1e6:.1f} MB{', + split files' if split else ''}) in {t2 - t1:.2f} s "
          f"= {pages / (t2 - t1):.0f} pages/s; numbers {r.letters[0]['number']} .. {r.letters[-1]['number']}")
    print(f"{'':<10} CPU: this process {cpu_main:.2f} s, PDF worker processes {cpu_kids:.2f} s; "
          f"load average {load:.1f} on {os.cpu_count()} cores (other work on the machine stretches wall time)")
    db.dispose()
    assert len(ids) == n


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--pg", default=os.environ.get("KOPDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--split", action="store_true")
    ap.add_argument("--only", choices=["sqlite", "postgresql"])
    args = ap.parse_args()
    if args.only != "postgresql":
        run(str(Path(tempfile.mkdtemp()) / "bench.sqlite"), args.count, args.split)
    if args.only != "sqlite":
        from sqlalchemy import create_engine, text

        name = f"kopdesk_bench_letters_{os.getpid()}"
        admin = create_engine(args.pg, isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as c:
                c.execute(text(f'CREATE DATABASE "{name}"'))
        except Exception as exc:
            print(f"PostgreSQL tidak tersedia ({exc.__class__.__name__}); dilewati")
            return
        try:
            url = admin.url.set(database=name).render_as_string(hide_password=False)
            run(url, args.count, args.split)
        finally:
            with admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
