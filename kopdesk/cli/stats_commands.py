"""``stats REGION``: a region's figures as a table or as JSON."""

from __future__ import annotations

import argparse
import json

from kopdesk.cli import CommandError, open_database
from kopdesk.models.formats import format_count, format_percent, parse_date
from kopdesk.models.vocab import STATUS


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("stats", help="angka satu wilayah: terdaftar, status, jenis, wilayah di bawahnya, RAT, NIK")
    p.add_argument("region", metavar="WILAYAH", help="kode wilayah Kemendagri, mis. 64.71 atau 65")
    p.add_argument("--book-year", type=int, metavar="TAHUN", help="tahun buku RAT (bawaan: tahun lalu)")
    p.add_argument("--as-of", metavar="TANGGAL", help="posisi per tanggal (YYYY-MM-DD); bawaan: hari ini")
    p.add_argument("--json", action="store_true", help="keluaran JSON")
    p.set_defaults(handler=_stats)


def _stats(args: argparse.Namespace) -> int:
    from kopdesk.models.services.reporting.stats import region_stats

    try:
        as_of = parse_date(args.as_of) if args.as_of else None
    except ValueError:
        raise CommandError(f"tanggal --as-of tidak valid: {args.as_of!r} (contoh: 2024-07-14)") from None
    db = open_database(args)
    with db.read() as s:
        st = region_stats(s, args.region, book_year=args.book_year, as_of=as_of)
    if args.json:
        print(json.dumps(st.to_json(), ensure_ascii=False, indent=2))
        return 0
    t = st.total
    when = f"per {st.as_of.isoformat()}" if st.as_of else "saat ini"
    print(f"{st.name} ({'.'.join(a for a in (st.code[0:2], st.code[2:4], st.code[4:6], st.code[6:]) if a)}), {when}")
    print(f"  Terdaftar            : {format_count(t.registered)}")
    for key, label in STATUS.items():
        if t.by_status.get(key):
            print(f"  {label:<21}: {format_count(t.by_status[key])}")
    print(f"  RAT tahun buku {st.book_year}  : {format_count(t.rat_held)} ({format_percent(t.rat_pct)} % dari aktif)")
    print(f"  Bersertifikat NIK    : {format_count(t.certified)} ({format_percent(t.certified_pct)} % dari aktif)")
    print("\n  Menurut jenis          Total   Aktif")
    for label, v in st.by_jenis.items():
        print(f"  {label:<20} {v['total']:>7} {v['aktif']:>7}")
    print("\n  Menurut pola           Total   Aktif")
    for label, v in st.by_pola.items():
        print(f"  {label:<20} {v['total']:>7} {v['aktif']:>7}")
    if st.children:
        print(f"\n  {'Wilayah':<28}{'Terdaftar':>10}{'Aktif':>8}{'Tdk Aktif':>10}{'NIK':>6}{'RAT':>6}{'%NIK':>8}")
        rows = list(st.children)
        if st.without_child is not None and st.without_child.registered:
            rows.append(("", "(tanpa wilayah)", st.without_child))
        for _code, name, f in rows:
            print(f"  {name[:27]:<28}{f.registered:>10}{f.aktif:>8}{f.tidak_aktif:>10}{f.certified:>6}{f.rat_held:>6}"
                  f"{format_percent(f.certified_pct):>8}")
    return 0
