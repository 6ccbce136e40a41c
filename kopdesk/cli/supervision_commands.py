"""``rat mark``, ``rat summary`` and ``rounds list``: RAT compliance and pemutakhiran from the command line."""

from __future__ import annotations

import argparse
import json

from kopdesk.cli import CommandError, open_database
from kopdesk.models.formats import format_count, format_date, format_percent, parse_date


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    rat = sub.add_parser("rat", help="kepatuhan RAT: tandai RAT sekaligus, ringkasan per tahun buku")
    rsub = rat.add_subparsers(dest="rat_command", metavar="PERINTAH", required=True)
    mark = rsub.add_parser("mark", help="tandai RAT tahun buku untuk daftar NIK (semua atau tidak sama sekali)")
    mark.add_argument("--book-year", type=int, required=True, metavar="TAHUN", help="tahun buku RAT")
    src = mark.add_mutually_exclusive_group(required=True)
    src.add_argument("--nik", nargs="+", metavar="NIK", help="satu atau lebih NIK Koperasi")
    src.add_argument("--file", metavar="BERKAS.xlsx", help="lembar Excel dengan kolom NIK (dan Tanggal RAT, "
                                                            "Tanggal Laporan Diterima, Jumlah Hadir)")
    mark.add_argument("--received", metavar="TANGGAL", help="tanggal laporan diterima bila baris tidak memuat tanggal "
                                                            "(bawaan: hari ini)")
    mark.set_defaults(handler=_rat_mark)
    summ = rsub.add_parser("summary", help="tepat waktu, terlambat dan belum RAT per kecamatan dan jenis")
    summ.add_argument("--book-year", type=int, required=True, metavar="TAHUN")
    summ.add_argument("--region", metavar="WILAYAH", help="kode wilayah (bawaan: semua)")
    summ.add_argument("--json", action="store_true", help="keluaran JSON")
    summ.set_defaults(handler=_rat_summary)

    rounds = sub.add_parser("rounds", help="putaran pemutakhiran (verifikasi lapangan)")
    osub = rounds.add_subparsers(dest="rounds_command", metavar="PERINTAH", required=True)
    lst = osub.add_parser("list", help="daftar putaran dengan angka kunjungannya")
    lst.add_argument("--json", action="store_true", help="keluaran JSON")
    lst.set_defaults(handler=_rounds_list)


def _rat_mark(args: argparse.Namespace) -> int:
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.supervision import rat as rc

    try:
        received = parse_date(args.received) if args.received else None
    except ValueError:
        raise CommandError(f"tanggal --received tidak valid: {args.received!r} (contoh: 2025-04-02)") from None
    if args.file:
        rows = rc.read_mark_file(args.file)
    else:
        rows = [rc.MarkRow(i, nik) for i, nik in enumerate(args.nik, start=1)]
    db = open_database(args)
    actor = Actor.system()
    with db.transaction(actor) as s:
        result = rc.bulk_mark(s, actor, args.book_year, rows, received_on=received)
    print(f"RAT tahun buku {args.book_year} ditandai untuk {format_count(len(result.cooperative_ids))} koperasi "
          f"({format_count(result.created)} baru, {format_count(result.updated)} diperbarui).")
    return 0


def _rat_summary(args: argparse.Namespace) -> int:
    from kopdesk.models.services.supervision import rat as rc

    db = open_database(args)
    with db.read() as s:
        sm = rc.summary(s, args.book_year, region_code=args.region)

    def fig(t: rc.Tally) -> dict[str, object]:
        return {"wajib": t.obliged, "tepat_waktu": t.tepat_waktu, "terlambat": t.terlambat, "belum": t.belum,
                "persen_rat": float(t.held_pct) if t.held_pct is not None else None}

    if args.json:
        print(json.dumps({"tahun_buku": sm.book_year, "posisi": sm.reference_date.isoformat(), "total": fig(sm.total),
                          "per_kecamatan": [{"kode": c, "nama": n, **fig(t)} for c, n, t in sm.by_kecamatan],
                          "per_jenis": [{"jenis": j, **fig(t)} for j, t in sm.by_jenis]}, ensure_ascii=False, indent=2))
        return 0
    print(f"Kepatuhan RAT tahun buku {sm.book_year} (wajib RAT: aktif per {format_date(sm.reference_date)})")
    head = f"  {'':<26}{'Wajib':>7}{'Tepat':>7}{'Telat':>7}{'Belum':>7}{'% RAT':>9}"

    def line(label: str, t: rc.Tally) -> str:
        return (f"  {label[:25]:<26}{t.obliged:>7}{t.tepat_waktu:>7}{t.terlambat:>7}{t.belum:>7}"
                f"{format_percent(t.held_pct):>9}")

    print(head)
    print(line("Jumlah", sm.total))
    print("\n  Menurut kecamatan")
    for _code, name, t in sm.by_kecamatan:
        print(line(name, t))
    print("\n  Menurut jenis")
    for name, t in sm.by_jenis:
        print(line(name, t))
    return 0


def _rounds_list(args: argparse.Namespace) -> int:
    from kopdesk.models.services.supervision import pemutakhiran as pm

    db = open_database(args)
    with db.read() as s:
        rounds = pm.list_rounds(s)
    if args.json:
        print(json.dumps([{"id": r.id, "nama": r.name, "status": r.status, "mulai": r.started_on.isoformat() if r.started_on else None,
                           "ditutup": r.closed_on.isoformat() if r.closed_on else None,
                           "cakupan": r.progress.covered, "dikunjungi": r.progress.visited, "ditemukan": r.progress.found,
                           "pindah": r.progress.moved, "tidak_ditemukan": r.progress.not_found,
                           "usaha_aktif": r.progress.active} for r in rounds], ensure_ascii=False, indent=2))
        return 0
    if not rounds:
        print("Belum ada putaran pemutakhiran.")
        return 0
    print(f"  {'No':>4}  {'Nama':<30}{'Status':<10}{'Cakupan':>8}{'Dikunj.':>8}{'Ditemu.':>8}{'Pindah':>7}{'Tdk ada':>8}{'Aktif':>7}")
    for r in rounds:
        p = r.progress
        print(f"  {r.id:>4}  {r.name[:29]:<30}{r.status:<10}{p.covered:>8}{p.visited:>8}{p.found:>8}{p.moved:>7}"
              f"{p.not_found:>8}{p.active:>7}")
    return 0
