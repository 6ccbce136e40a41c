"""``report``, ``import``, ``export``, ``reconcile`` and ``consolidate``: the reports and Excel exchange of issue 7."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from kopdesk.cli import CommandError, open_database
from kopdesk.models.formats import format_count

REPORT_ALIASES = {"recap": "province-recap", "rekap": "province-recap", "jenis": "by-jenis",
                  "kecamatan": "by-region", "wilayah": "by-region"}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from kopdesk.models.services.reporting.report_data import REPORTS

    names = "\n".join(f"  {k:<16}{v[0]}" for k, v in REPORTS.items())
    p = sub.add_parser("report", help="buat laporan (PDF, XLSX atau JSON)",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Laporan yang tersedia:\n" + names + "\n  (recap = province-recap)",
                       epilog="Contoh: python main.py report province-recap --region 65 --period 2019-06 -o rekap.pdf")
    p.add_argument("name", metavar="LAPORAN", choices=[*REPORTS, *REPORT_ALIASES], help="nama laporan (lihat di atas)")
    p.add_argument("--region", required=True, metavar="KODE", help="kode wilayah, mis. 65 atau 64.71")
    p.add_argument("--as-of", metavar="TANGGAL", help="posisi per tanggal (YYYY-MM-DD)")
    p.add_argument("--period", metavar="PERIODE", help="periode: YYYY-MM, YYYY, atau AWAL:AKHIR (YYYY-MM-DD:YYYY-MM-DD)")
    p.add_argument("--book-year", type=int, metavar="TAHUN", help="tahun buku (RAT) atau tahun penilaian (predikat)")
    p.add_argument("--format", choices=["pdf", "xlsx", "json"], help="bawaan: dari akhiran berkas -o")
    p.add_argument("-o", "--output", metavar="BERKAS", help="berkas keluaran (tanpa -o: JSON ke layar)")
    p.set_defaults(handler=_report)

    p = sub.add_parser("import", help="impor buku kerja ODS/registri (.xlsx, .xls, .ods)")
    p.add_argument("args", nargs="+", metavar="BERKAS", help="berkas yang diimpor (boleh didahului kata 'ods')")
    p.add_argument("--dry-run", action="store_true",
                   help="periksa dan tampilkan pratinjau saja, tanpa menyimpan (kelompok/sektor baru hanya dilaporkan)")
    p.add_argument("--sheet", metavar="LEMBAR", help="lembar yang dibaca (bawaan: lembar yang judul kolomnya dikenali)")
    p.add_argument("--valid-only", action="store_true", help="simpan baris yang valid saja, lewati yang tidak valid")
    p.add_argument("--issues", metavar="BERKAS.xlsx", help="simpan baris tidak valid (sel bermasalah ditandai)")
    p.set_defaults(handler=_import)

    p = sub.add_parser("export", help="ekspor registri ke Excel (tata letak ODS)")
    p.add_argument("args", nargs="*", metavar="BERKAS", help="berkas keluaran (boleh didahului kata 'registry')")
    p.add_argument("-o", "--output", metavar="BERKAS")
    p.add_argument("--region", metavar="KODE", help="hanya wilayah ini")
    p.add_argument("--status", action="append", default=[], help="hanya status ini (boleh berulang)")
    p.add_argument("--text", default="", help="kata pencarian")
    p.add_argument("--office-workbook", action="store_true",
                   help="buku kerja konsolidasi kab/kota (metadata, rekap, registri) untuk dikirim ke provinsi")
    p.add_argument("--template", action="store_true",
                   help="buku kerja isian kosong (daftar pilihan dan validasi) untuk dikirim ke koperasi")
    p.set_defaults(handler=_export)

    p = sub.add_parser("reconcile", help="bandingkan buku kerja ODS dengan registri")
    p.add_argument("file", metavar="BERKAS")
    p.add_argument("--sheet", metavar="LEMBAR", help="lembar yang dibaca (bawaan: lembar yang judul kolomnya dikenali)")
    p.add_argument("-o", "--output", metavar="BERKAS.xlsx", help="simpan laporan rekonsiliasi")
    p.set_defaults(handler=_reconcile)

    p = sub.add_parser("consolidate", help="rekap provinsi dari buku kerja kab/kota")
    p.add_argument("files", nargs="+", metavar="BERKAS")
    p.add_argument("-o", "--output", required=True, metavar="BERKAS.xlsx|.pdf")
    p.add_argument("--region", metavar="KODE", help="kode provinsi (bawaan: dari buku kerja)")
    p.set_defaults(handler=_consolidate)


def _date(text: str | None, what: str) -> dt.date | None:
    from kopdesk.models.formats import parse_date

    if not text:
        return None
    try:
        return parse_date(text)
    except ValueError:
        raise CommandError(f"tanggal {what} tidak valid: {text!r} (contoh: 2024-07-14)") from None


def parse_period(text: str | None) -> tuple[dt.date, dt.date] | None:
    from kopdesk.models.services.reporting.report_data import parse_period as parse

    try:
        return parse(text)
    except ValueError as exc:
        raise CommandError(str(exc)) from None


def _progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        print(f"\r  {text} {done}/{total}   ", end="", file=sys.stderr, flush=True)


def write_report(rep, output: str | None, fmt: str | None) -> None:  # type: ignore[no-untyped-def]
    fmt = fmt or (Path(output).suffix.lower().lstrip(".") if output else "json")
    if fmt not in ("pdf", "xlsx", "json"):
        raise CommandError(f"format keluaran tidak dikenal: {fmt!r} (pdf, xlsx atau json)")
    if fmt == "json":
        text = json.dumps(rep.to_json(), ensure_ascii=False, indent=2)
        if output:
            Path(output).write_text(text, encoding="utf-8")
        else:
            print(text)
        return
    if not output:
        raise CommandError(f"format {fmt} memerlukan -o BERKAS")
    if fmt == "pdf":
        from kopdesk.reports.pdf.recap import write_pdf

        write_pdf(rep, output)
    else:
        from kopdesk.reports.excel.recap import write_xlsx

        write_xlsx(rep, output)


def _report(args: argparse.Namespace) -> int:
    from kopdesk.models.services.reporting import report_data

    name = REPORT_ALIASES.get(args.name, args.name)
    db = open_database(args)
    with db.read() as s:
        rep = report_data.build(s, name, args.region, as_of=_date(args.as_of, "--as-of"),
                                period=parse_period(args.period), book_year=args.book_year)
    write_report(rep, args.output, args.format)
    if args.output:
        print(f"{rep.title} ({rep.period_text}) disimpan ke {args.output}")
        for line in rep.table():
            print("  " + " | ".join(line))
    return 0


def _import(args: argparse.Namespace) -> int:
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.exchange import ods_import

    files = args.args[1:] if len(args.args) == 2 and args.args[0].lower() == "ods" else args.args
    if len(files) != 1:
        raise CommandError("sebutkan satu berkas: python main.py import BERKAS.xlsx")
    db = open_database(args)
    actor = Actor.system()
    try:
        preview, result = ods_import.import_file(db, actor, files[0], sheet=args.sheet, valid_only=args.valid_only,
                                                 dry_run=args.dry_run, progress=_progress, keep_rows=False)
    except ods_import.ImportRejected as exc:
        if exc.preview is not None:  # the report of the same pass: the file is not read twice
            _print_preview(exc.preview, args.issues)
        print(f"Galat: {exc}", file=sys.stderr)
        return 1
    _print_preview(preview, args.issues)
    if result is None:
        print("Uji coba (--dry-run): tidak ada yang disimpan; kelompok dan sektor baru hanya dilaporkan.")
        return 1 if preview.counts()[ods_import.INVALID] else 0
    print(f"Disimpan: {format_count(result.created)} baru, {format_count(result.updated)} diperbarui, "
          f"{format_count(result.unchanged)} tidak berubah"
          + (f", {format_count(result.skipped_invalid)} baris tidak valid dilewati" if result.skipped_invalid else "")
          + ".")
    for new in result.new_lookups:
        print(f"  {ods_import.LOOKUP_LABELS[new.field]} baru ditambahkan ke daftar: {new.name}")
    return 0


def _print_preview(preview, issues_path: str | None) -> None:  # type: ignore[no-untyped-def]
    from kopdesk.models.services.exchange import ods_import

    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(f"{Path(preview.path).name}: {preview.summary()}")
    for note in preview.notes():
        print("  " + note)
    issues = preview.issues
    for issue in issues[:50]:
        print("  " + issue.text())
    if len(issues) > 50:
        print(f"  … dan {format_count(len(issues) - 50)} masalah lain")
    if issues_path and preview.issues:
        n = ods_import.write_issues_workbook(preview, issues_path)
        print(f"  {n} baris tidak valid disimpan ke {issues_path}")


def _export(args: argparse.Namespace) -> int:
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.services.exchange import ods_export

    rest = args.args[1:] if args.args and args.args[0].lower() in ("registry", "registri") else args.args
    output = args.output or (rest[0] if rest else None)
    if not output:
        raise CommandError("sebutkan berkas keluaran: python main.py export registry -o BERKAS.xlsx")
    db = open_database(args)
    with db.read() as s:
        if args.template:
            from kopdesk.reports.excel.registry import write_input_template

            ods_export.write_input_template(s, output, args.region, write=write_input_template)
            print(f"Buku kerja isian disimpan ke {output}")
            return 0
        if args.office_workbook:
            from kopdesk.models.services.exchange.consolidation import export_office_workbook
            from kopdesk.reports.excel.registry import write_office_workbook

            if not args.region:
                raise CommandError("--office-workbook memerlukan --region KODE kab/kota")
            export_office_workbook(s, args.region, output, write=write_office_workbook, progress=_progress)
            print(f"Buku kerja konsolidasi {args.region} disimpan ke {output}")
            return 0
        from kopdesk.reports.excel.registry import write_registry_export

        f = RegistryFilter(text=args.text, region_code=args.region, statuses=tuple(args.status))
        n = ods_export.export_registry(s, f, output, write=write_registry_export, progress=_progress)
    print(f"{n} koperasi diekspor ke {output}")
    return 0


def _reconcile(args: argparse.Namespace) -> int:
    from kopdesk.models.services.exchange import consolidation

    db = open_database(args)
    with db.read() as s:
        rec = consolidation.reconcile(s, args.file, sheet=args.sheet, progress=_progress)
    print(rec.summary())
    for row, name in rec.only_in_ods[:20]:
        print(f"  Hanya di ODS (baris {row}): {name}")
    for ident, name, nik in rec.only_in_registry[:20]:
        print(f"  Hanya di registri (id {ident}): {name} {nik}")
    for row, _ident, name, changes in rec.differing[:20]:
        print(f"  Berbeda (baris {row}) {name}: " + "; ".join(c.text() for c in changes))
    for row, name, reasons in rec.invalid[:20]:
        print(f"  Tidak valid (baris {row}) {name}: {reasons}")
    if args.output:
        consolidation.write_reconciliation(rec, args.output)
        print(f"Laporan rekonsiliasi disimpan ke {args.output}")
    return 0


def _consolidate(args: argparse.Namespace) -> int:
    from kopdesk.models.services.exchange import consolidation

    db = open_database(args)
    with db.read() as s:
        rep = consolidation.consolidate(s, args.files, province_code=args.region)
    write_report(rep, args.output, None)
    print(f"{rep.title} dari {len(args.files)} buku kerja disimpan ke {args.output}")
    for line in rep.table():
        print("  " + " | ".join(line))
    return 0
