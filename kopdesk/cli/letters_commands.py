"""``letters``: the surat teguran queue, batch issue into PDFs, and the register, for offices that run it as a job."""

from __future__ import annotations

import argparse
import json
import sys
import time


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("letters", help="surat teguran: antrean, terbitkan (PDF), buku agenda surat")
    lsub = p.add_subparsers(dest="letters_command", metavar="SUBPERINTAH", required=True)

    due = lsub.add_parser("due", help="koperasi yang jatuh tempo teguran: tingkat, alasan dan fakta")
    due.add_argument("--date", metavar="TANGGAL", help="posisi per tanggal (YYYY-MM-DD); bawaan: hari ini")
    due.add_argument("--json", action="store_true", help="keluaran JSON")
    due.set_defaults(handler=_due)

    iss = lsub.add_parser("issue", help="terbitkan surat teguran, tulis PDF gabungan (dan per koperasi)")
    who = iss.add_mutually_exclusive_group(required=True)
    who.add_argument("--all-due", action="store_true", help="semua yang jatuh tempo (kecuali yang dikecualikan)")
    who.add_argument("--nik", nargs="+", metavar="NIK", help="NIK Koperasi yang diterbitkan")
    iss.add_argument("--level", type=int, choices=[1, 2, 3, 4], help="hanya tingkat ini")
    iss.add_argument("-o", "--output", required=True, metavar="BERKAS.pdf", help="PDF gabungan siap cetak")
    iss.add_argument("--split", metavar="FOLDER", help="juga satu PDF per koperasi di folder ini")
    iss.add_argument("--date", metavar="TANGGAL", help="tanggal surat (YYYY-MM-DD); bawaan: hari ini")
    iss.add_argument("--user", default="sistem", help="nama pelaksana di jejak audit (bawaan: sistem)")
    iss.set_defaults(handler=_issue)

    reg = lsub.add_parser("register", help="buku agenda surat keluar (teguran) satu tahun")
    reg.add_argument("--year", type=int, required=True, metavar="TAHUN")
    reg.add_argument("--json", action="store_true", help="keluaran JSON")
    reg.set_defaults(handler=_register)


def _date(value: str | None, flag: str):  # type: ignore[no-untyped-def]
    import datetime as dt

    from kopdesk.cli import CommandError
    from kopdesk.models.formats import parse_date

    if not value:
        return dt.date.today()
    try:
        d = parse_date(value)
    except ValueError:
        d = None
    if d is None:
        raise CommandError(f"tanggal {flag} tidak valid: {value!r} (contoh: 2024-07-14)")
    return d


def _due(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.services.letters import teguran

    today = _date(args.date, "--date")
    db = open_database(args)
    with db.read() as s:
        items = teguran.compute_queue(s, today=today)
    if args.json:
        print(json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2, default=str))
        return 0
    if not items:
        print("Tidak ada koperasi yang jatuh tempo teguran.")
        return 0
    print(f"{'NIK':<18}{'Tingkat':<20}Koperasi / alasan")
    for i in items:
        flag = f"  [dikecualikan s.d. {i.exempt['until']}: {i.exempt['reason']}]" if i.exempt else ""
        print(f"{(i.nik or '-'):<18}{i.level_label:<20}{i.name}{flag}")
        for reason in i.reasons:
            print(f"{'':<38}- {reason}")
    issuable = sum(1 for i in items if not i.exempt)
    print(f"\n{len(items)} koperasi dalam antrean, {issuable} dapat diterbitkan.")
    return 0


def _issue(args: argparse.Namespace) -> int:
    from kopdesk.cli import CommandError, open_database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.letters import teguran
    from kopdesk.reports.pdf import teguran as letter_pdf

    letter_date = _date(args.date, "--date")
    db = open_database(args)
    with db.read() as s:
        items = teguran.compute_queue(s, today=letter_date)
    if args.nik:
        wanted = {n.strip() for n in args.nik}
        known = {i.nik for i in items}
        missing = sorted(wanted - known)
        if missing:
            raise CommandError("NIK berikut tidak ada dalam antrean teguran (tidak dikenal, tidak jatuh tempo, "
                               f"atau sudah diterbitkan): {', '.join(missing)}")
        items = [i for i in items if i.nik in wanted]
    if args.level:
        items = [i for i in items if i.level == args.level]
    exempt = [i for i in items if i.exempt]
    items = [i for i in items if not i.exempt]
    for i in exempt:
        print(f"Dilewati (dikecualikan s.d. {i.exempt['until']}): {i.name}", file=sys.stderr)
    if not items:
        print("Tidak ada surat yang diterbitkan: antrean kosong untuk pilihan ini.")
        return 0
    started = time.perf_counter()

    def progress(done: int, total: int, text: str) -> None:
        print(f"\r  {text}   ", end="", file=sys.stderr, flush=True)

    actor = Actor.system(args.user)
    try:
        r = teguran.issue_batch(db, actor, [(i.cooperative_id, i.level) for i in items], renderer=letter_pdf,
                                out_path=args.output, split_dir=args.split, letter_date=letter_date,
                                today=letter_date, progress=progress)
    finally:
        print(file=sys.stderr)
    for x in r.letters:
        print(f"{x['number']}\t{x['nik'] or '-'}\t{x['cooperative']}\tTeguran {x['level']}" if x["level"] < 4 else
              f"{x['number']}\t{x['nik'] or '-'}\t{x['cooperative']}\tUsulan pembubaran")
    for cid, why in r.skipped:
        print(f"Dilewati koperasi id {cid}: {why}", file=sys.stderr)
    print(f"{len(r.letters)} surat diterbitkan dalam {time.perf_counter() - started:.1f} detik -> {args.output}"
          + (f" (+ per koperasi di {args.split})" if args.split else ""), file=sys.stderr)
    return 0


def _register(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.formats import format_date
    from kopdesk.models.services.letters import teguran
    from kopdesk.models.vocab import LETTER_LEVELS

    db = open_database(args)
    with db.read() as s:
        rows = teguran.register(s, year=args.year)
    if args.json:
        print(json.dumps([r.__dict__ for r in rows], ensure_ascii=False, indent=2, default=str))
        return 0
    if not rows:
        print(f"Buku agenda tahun {args.year} masih kosong.")
        return 0
    for r in rows:
        status = "DIBATALKAN" if r.status == "dibatalkan" else r.delivery_status
        print(f"{r.number:<28}{format_date(r.letter_date):<20}{LETTER_LEVELS.get(r.level, r.level):<20}"
              f"{(r.nik or '-'):<18}{r.cooperative[:40]:<42}{status}")
    print(f"\n{len(rows)} surat.")
    return 0
