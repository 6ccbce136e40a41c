"""``demo``: fill the database with the demo data set of the field reports, or a national-scale one."""

from __future__ import annotations

import argparse
import sys
import time


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("demo", help="isi basis data dengan data contoh dari laporan lapangan")
    p.add_argument("--national", action="store_true",
                   help="data skala nasional: 300.000 koperasi dengan RAT sepuluh tahun buku")
    p.add_argument("--count", type=int, default=300_000, help=argparse.SUPPRESS)
    p.add_argument("--seed", type=int, default=2024, help="benih acak (hasil sama untuk benih sama)")
    p.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.services.demo import data as demo
    from kopdesk.reports.pdf import teguran as letter_pdf

    db = open_database(args)
    started = time.perf_counter()

    def progress(done: int, total: int, text: str) -> None:
        print(f"\r  {text} {done}/{total}   ", end="", file=sys.stderr, flush=True)

    if args.national:
        summary = demo.generate_national(db, count=args.count, seed=args.seed, progress=progress)
    else:
        summary = demo.generate(db, seed=args.seed, progress=progress, letter_renderer=letter_pdf)
    print(file=sys.stderr)
    print(f"Data contoh selesai dalam {time.perf_counter() - started:.1f} detik: {summary}")
    return 0
