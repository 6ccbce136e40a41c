"""Issue 1,000 certificates into one PDF, signing included, on SQLite and PostgreSQL (target: under 15 s).

    python3 dev.py bench bench_certificates [--count 1000] [--pg postgresql://postgres@127.0.0.1:5432/postgres]

Prints, per database: the time to issue (eligibility checks, gapless serials, Ed25519 signatures, inserts, audit)
and to render the PDF (QR from zxing-cpp's creator, Code128, framed layout), their sum, and the file size.
The cooperatives are created first and not timed.
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


def run_one(url: str, count: int, out_dir: Path) -> dict[str, float]:
    from kopdesk.models.db import Database
    from kopdesk.models.services.certificates import issuing as cs
    from kopdesk.models.services.certificates.printing import write_certificates
    from kopdesk.reports.pdf.certificate import render_certificates
    from tests.certificates.conftest import make_coops, setup_office
    from tests.conftest import make_user

    db = Database.open(url)
    try:
        admin = make_user(db, "admin", "admin")
        setup_office(db, admin)
        t = time.perf_counter()
        ids = make_coops(db, admin, count)
        setup_s = time.perf_counter() - t
        pdf = out_dir / f"certificates-{db.dialect}.pdf"
        t0 = time.perf_counter()
        c0 = time.process_time()
        with db.transaction(admin) as s:
            certs = cs.issue(s, admin, ids, issued_on=dt.date.today())
            t1 = time.perf_counter()
            write_certificates(s, certs, str(pdf), render_certificates)
            t2 = time.perf_counter()
        t3 = time.perf_counter()
        cpu = time.process_time() - c0
        return {"cpu": cpu, "setup": setup_s, "issue": t1 - t0, "render": t2 - t1, "commit": t3 - t2, "total": t3 - t0,
                "size_mb": pdf.stat().st_size / 1e6}
    finally:
        db.dispose()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=1000)
    ap.add_argument("--pg", default=os.environ.get("KOPDESK_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"),
                    help="admin URL of a PostgreSQL server ('' to skip)")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="kopdesk-bench-certs-"))
    os.environ.setdefault("KOPDESK_DATA_DIR", str(tmp / "userdata"))
    results = []
    results.append(("SQLite", run_one(str(tmp / "bench.sqlite"), args.count, tmp)))
    if args.pg:
        from tests.pg import create_database, drop_database

        try:
            url = create_database(args.pg, prefix="kopdesk_bench")
        except Exception as exc:
            print(f"PostgreSQL dilewati: {exc}")
        else:
            try:
                results.append(("PostgreSQL", run_one(url, args.count, tmp)))
            finally:
                drop_database(args.pg, url)
    print(f"\n{args.count} sertifikat ke satu PDF (tanda tangan Ed25519 termasuk); target < 15 s")
    print(f"{'basis data':<12}{'terbit+tanda tangan':>21}{'render PDF':>12}{'commit':>9}{'TOTAL':>9}{'hal/s':>8}{'PDF':>9}{'CPU':>9}"
          f"   (siapkan koperasi, tidak dihitung)")
    for name, r in results:
        print(f"{name:<12}{r['issue']:>19.2f} s{r['render']:>10.2f} s{r['commit']:>7.2f} s{r['total']:>7.2f} s"
              f"{args.count / r['total']:>8.0f}{r['size_mb']:>6.1f} MB{r['cpu']:>7.2f} s   ({r['setup']:.1f} s)")
    print("CPU = waktu prosesor proses ini (tanpa server PostgreSQL); mesin yang sibuk menaikkan TOTAL, bukan CPU.")
    print(f"PDF: {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
