"""Reports and Excel benchmark: python3 dev.py bench bench_reports [--rows 100000] [--db URL]

Prints: writing a ROWS-row workbook laid out as offices keep them (setup: an instructions sheet first, a title block,
a row of column numbers, values in every spelling the import rules accept, a totals row), previewing it (read +
rules + matching), importing it (one pass, one transaction), importing it again (all unchanged), exporting the
registry to Excel, and the recap times (province recap, by jenis, by kecamatan, RAT) on that registry.

    python3 dev.py bench bench_reports --import-memory [--sizes 25000,50000,100000]

imports the same kind of workbook at each size into a new SQLite database, each in a fresh process, and prints the
file's size beside the import's time and the process's peak memory (ru_maxrss), before and during the import.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

JENIS = ["Konsumen", "Koperasi Konsumen", "KONSUMEN", "Produsen", "Pemasaran", "Jasa", "Simpan Pinjam", "KSP",
         "simpan pinjam"]
STATUS = ["Aktif", "AKTIF", "aktif", "Aktif", "Aktif", "Aktif", "Tidak Aktif", "Non Aktif", "tidak aktif", "TIDAK AKTIF"]
FORMS = ["Primer Kab/Kota", "PRIMER KAB/KOTA", "Primer", "Primer Provinsi", "Sekunder Kab/Kota", "primer kabupaten/kota"]
KELOMPOK = ["KUD", "Kopwan", "Koperasi Karyawan (Kopkar)", "KPRI", "Koperasi Serba Usaha", "Kopontren", "Pertanian",
            "Koperasi Nelayan Pesisir", "Koppas", "koperasi wanita"]
SECTORS = ["Jasa Keuangan", "Perdagangan Besar dan Eceran", "PERTANIAN, KEHUTANAN DAN PERIKANAN", "Jasa Lainnya",
           "Industri Kreatif Lokal"]
HEADERS = ["No", "NIK", "Nama Koperasi", "No. Badan Hukum", "Tanggal Badan Hukum", "Alamat", "Kab/Kota", "Kecamatan",
           "Desa/Kelurahan", "Bentuk Koperasi", "Jenis Koperasi", "Pola Pengelolaan", "Kelompok Koperasi",
           "Sektor Usaha", "Status Aktif", "Status NIK", "Anggota Pria", "Anggota Wanita", "Karyawan",
           "Modal Sendiri", "Modal Luar", "Aset", "Volume Usaha"]


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    print(f"{label:<58}{time.perf_counter() - t:8.2f} s wall {time.process_time() - c:8.2f} s cpu", flush=True)
    return result


def _kab(name: str, i: int) -> str:
    kind, _, bare = name.partition(" ")
    if kind == "Kabupaten":
        return (name, f"Kab. {bare}", f"KAB. {bare.upper()}", f"kabupaten {bare.lower()}")[i % 4]
    return (name, name.upper(), f"Kota {bare}")[i % 3]


def write_workbook(path: Path, rows: int, places: list[tuple[str, str, str]], seed: int = 7) -> None:
    """A workbook as an office keeps it: instructions first, then the data sheet with a title block, the header, a
    row of column numbers, ROWS rows in every accepted spelling, and a totals row. Strings are shared, as Excel
    writes them."""
    import datetime as dt

    import xlsxwriter
    import xlsxwriter.utility

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path))
    info = wb.add_worksheet("Petunjuk")
    info.write_column(0, 0, ["Petunjuk pengisian", "Isi satu baris per koperasi.", "NIK ditulis sebagai teks."])
    ws = wb.add_worksheet("Data Koperasi")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    title = wb.add_format({"bold": True, "align": "center"})
    ws.merge_range(0, 0, 0, len(HEADERS) - 1, "DAFTAR KOPERASI KALIMANTAN TIMUR DAN KALIMANTAN UTARA", title)
    ws.merge_range(1, 0, 1, len(HEADERS) - 1, "Keadaan 31 Desember 2025", title)
    ws.write_row(3, 0, HEADERS)
    ws.write_row(4, 0, [f"({j})" for j in range(1, len(HEADERS) + 1)])
    first = 5
    for i in range(1, rows + 1):
        r = first + i - 1
        kab, kec, kel = places[rnd.randrange(len(places))]
        nik = f"{6400000000000000 + i:016d}" if rnd.random() < 0.5 else ""
        if nik and i % 3 == 0:
            nik = f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}.{nik[6:]}"
        ws.write_row(r, 0, [i, nik, f"Koperasi {rnd.choice(['Makmur', 'Sejahtera', 'Mandiri', 'Bersama'])} {i}",
                            f"{i}/BH/XVI/{1990 + i % 30}"])
        if i % 3 == 0:
            ws.write_datetime(r, 4, dt.datetime(1990 + i % 30, 1 + i % 12, 1 + i % 28), date_fmt)
        elif i % 3 == 1:
            ws.write_string(r, 4, f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1990 + i % 30}")
        else:
            ws.write_string(r, 4, f"{1 + i % 28} {MONTHS[i % 12]} {1990 + i % 30}")
        ws.write_row(r, 5, [f"Jl. Koperasi No. {i}", _kab(kab, i), f"Kec. {kec}" if i % 2 else kec.upper(), kel,
                            rnd.choice(FORMS), rnd.choice(JENIS), "Syariah" if rnd.random() < 0.1 else "Konvensional",
                            rnd.choice(KELOMPOK), rnd.choice(SECTORS), rnd.choice(STATUS),
                            "Bersertifikat NIK" if nik else "Belum Ada NIK", rnd.randrange(20, 900),
                            f"{rnd.randrange(0, 2000):,}".replace(",", "."), rnd.randrange(0, 20),
                            f"Rp {rnd.randrange(1, 10**6) * 1000:,}".replace(",", ".") + ",00",
                            rnd.randrange(0, 10**9), rnd.randrange(0, 10**10), rnd.randrange(0, 10**10)])
    last = first + rows
    ws.write_string(last, 0, "JUMLAH")
    for j in range(HEADERS.index("Anggota Pria"), len(HEADERS)):
        col = xlsxwriter.utility.xl_col_to_name(j)
        ws.write_formula(last, j, f"=SUM({col}{first + 1}:{col}{last})")
    wb.close()


MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember"]


def places_of(s) -> list[tuple[str, str, str]]:  # type: ignore[no-untyped-def]
    """(kab/kota, kecamatan, kelurahan) names of Kalimantan Timur and Kalimantan Utara whose kelurahan name is
    unique in its kecamatan (a duplicated name is refused by the import, rightly)."""
    from collections import Counter

    from sqlalchemy import select

    from kopdesk.models.region import Region

    kab = Region.__table__.alias("kab")
    kec = Region.__table__.alias("kec")
    kel = Region.__table__.alias("kel")
    rows = [tuple(r) for r in s.execute(
        select(kab.c.name, kec.c.name, kel.c.name).join(kec, kec.c.parent_code == kab.c.code)
        .join(kel, kel.c.parent_code == kec.c.code).where(kab.c.parent_code.in_(["64", "65"])))]
    twice = Counter((a, b, c.lower()) for a, b, c in rows)
    kec_twice = Counter((a, b.lower()) for a, b in {(a, b) for a, b, _c in rows})
    return [r for r in rows if twice[(r[0], r[1], r[2].lower())] == 1 and kec_twice[(r[0], r[1].lower())] == 1]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--national", action="store_true",
                    help="instead: the national demo set (demo.generate_national, 300k) with recap and export times")
    ap.add_argument("--import-memory", action="store_true",
                    help="instead: import workbooks of --sizes rows, each in a fresh process; print size, time, memory")
    ap.add_argument("--sizes", default="25000,50000,100000")
    ap.add_argument("--child", nargs=3, metavar=("DB", "WORKBOOK", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return import_child(*args.child)
    if args.import_memory:
        return import_memory(args)
    if args.national:
        return national(args)

    from kopdesk.models.db import Database
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.exchange import ods_import
    from kopdesk.models.services.exchange.ods_export import export_registry
    from kopdesk.models.services.reporting import report_data
    from kopdesk.reports.excel.recap import write_xlsx
    from kopdesk.reports.excel.registry import write_registry_export
    from kopdesk.reports.pdf.recap import write_pdf

    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores (wall times include waiting for "
          "the CPU on a shared machine; cpu is this process's own time, database work in the same process included)")
    tmp = Path(tempfile.mkdtemp(prefix="kopdesk-bench-"))
    db = timed("open + migrate + seed the database", Database.open, args.db or str(tmp / "bench.sqlite"))
    print(f"database: {db.describe()}, rows: {args.rows:,}")
    with db.read() as s:
        places = places_of(s)
    path = tmp / "ods.xlsx"
    timed(f"write the {args.rows:,}-row office workbook (xlsxwriter, setup)", write_workbook, path, args.rows, places)
    print(f"  file: {path.stat().st_size / 1e6:.1f} MB, {len(places)} kelurahan in Kaltim + Kaltara")
    actor = Actor.system("bench")
    with db.read() as s:
        p = timed("preview (stream + rules + match), empty registry", ods_import.preview_import, s, path,
                  keep_rows=False)
    print("  " + p.summary())
    for line in p.notes():
        print("  " + line)
    _p, r = timed("IMPORT (one pass: rules + match + bulk insert, one transaction)", ods_import.import_file, db,
                  actor, path, keep_rows=False)
    print(f"  created {r.created:,}")
    p, r = timed("import the same file again (all matched, unchanged)", ods_import.import_file, db, actor, path,
                 keep_rows=False)
    print("  " + p.summary())
    with db.read() as s:
        n = timed("export the registry to Excel (ODS layout)", export_registry, s, RegistryFilter(), tmp / "export.xlsx",
                  write=write_registry_export)
        print(f"  rows: {n:,}, {(tmp / 'export.xlsx').stat().st_size / 1e6:.1f} MB")
        rep = timed("province recap, Kalimantan Timur (64)", report_data.province_recap, s, "64")
        timed("province recap, Kalimantan Utara (65)", report_data.province_recap, s, "65")
        timed("recap by jenis, Kalimantan Timur", report_data.recap_by_jenis, s, "64")
        timed("recap by kecamatan, Kota Balikpapan (64.71)", report_data.recap_by_region, s, "6471")
        timed("RAT compliance, Kalimantan Timur", report_data.rat_compliance, s, "64", book_year=2025)
        timed("province recap as of a date (status history), Kaltim", report_data.province_recap, s, "64",
              as_of=__import__("datetime").date.today())
        timed("recap PDF", write_pdf, rep, tmp / "rekap.pdf")
        timed("recap XLSX", write_xlsx, rep, tmp / "rekap.xlsx")
    print(f"files in {tmp}")
    db.dispose()
    return 0


def import_child(db_path: str, workbook: str, mode: str) -> int:
    """One measured import in this fresh process: prints a JSON line with times and peak memory (mode "rss"), or
    with the peak of the Python heap (mode "heap": tracemalloc, which slows the import, so no times)."""
    import json
    import resource

    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.exchange import ods_import

    def status(field: str) -> int:  # kB, from the kernel's view of this process
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

    db = Database.open(db_path)
    import gc

    gc.collect()
    try:  # start the peak (VmHWM) afresh, so that it is the import's own
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    before = status("VmRSS")
    if mode == "heap":
        import tracemalloc

        tracemalloc.start()
    t, c = time.perf_counter(), time.process_time()
    preview, result = ods_import.import_file(db, Actor.system("bench"), workbook, keep_rows=False)
    wall, cpu = time.perf_counter() - t, time.process_time() - c
    peak = status("VmHWM")
    heap = tracemalloc.get_traced_memory()[1] if mode == "heap" else 0
    print(json.dumps({"wall": wall, "cpu": cpu, "rss_before_kb": before, "rss_peak_kb": peak, "heap_peak": heap,
                      "created": result.created if result else 0, "summary": preview.summary(),
                      "notes": preview.notes()}))
    db.dispose()
    return 0


def import_memory(args: argparse.Namespace) -> int:
    """Import workbooks of several sizes, each into a copy of one seeded database, each in a fresh process."""
    import json
    import shutil
    import subprocess
    import zipfile

    from kopdesk.models.db import Database

    sizes = [int(x) for x in args.sizes.split(",")]
    tmp = Path(tempfile.mkdtemp(prefix="kopdesk-bench-import-"))
    template = tmp / "template.sqlite"
    db = Database.open(str(template))
    with db.read() as s:
        places = places_of(s)
    db.dispose()
    print(f"load average before: {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    print(f"{'rows':>8} {'file MB':>8} {'unzipped MB':>12} {'import s':>9} {'cpu s':>7} {'RSS before MB':>14} "
          f"{'RSS peak MB':>12} {'peak - before':>14} {'Python heap peak MB':>20}")

    def child(target: Path, path: Path, mode: str) -> dict:  # type: ignore[type-arg]
        shutil.copyfile(template, target)
        out = subprocess.run([sys.executable, __file__, "--child", str(target), str(path), mode], capture_output=True,
                             text=True, check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).parent.parent)})
        m = json.loads(out.stdout.strip().splitlines()[-1])
        assert m["created"] == n, m
        return m  # type: ignore[no-any-return]

    for n in sizes:
        path = tmp / f"kantor-{n}.xlsx"
        write_workbook(path, n, places)
        unzipped = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
        m = child(tmp / f"import-{n}.sqlite", path, "rss")
        heap = child(tmp / f"import-{n}-heap.sqlite", path, "heap")["heap_peak"]
        print(f"{n:>8,} {path.stat().st_size / 2**20:>8.1f} {unzipped / 2**20:>12.1f} {m['wall']:>9.2f} "
              f"{m['cpu']:>7.2f} {m['rss_before_kb'] / 1024:>14.0f} {m['rss_peak_kb'] / 1024:>12.0f} "
              f"{(m['rss_peak_kb'] - m['rss_before_kb']) / 1024:>14.0f} {heap / 2**20:>20.1f}", flush=True)
    print("RSS includes SQLite's page cache, which grows with the database file up to its cap "
          "(PRAGMA cache_size=-65536: 64 MB, kopdesk/models/db.py); the Python heap is the import's own.")
    print(f"last import: {m['summary']}")
    for line in m["notes"]:
        print("  " + line)
    print(f"files in {tmp}")
    return 0


def national(args: argparse.Namespace) -> int:
    import datetime as dt

    from sqlalchemy import func, select

    from kopdesk.models.cooperative import Cooperative
    from kopdesk.models.db import Database
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.services.demo import data as demo
    from kopdesk.models.services.exchange.ods_export import export_registry
    from kopdesk.models.services.reporting import report_data
    from kopdesk.reports.excel.registry import write_registry_export

    tmp = Path(tempfile.mkdtemp(prefix="kopdesk-bench-"))
    db = Database.open(args.db or str(tmp / "national.sqlite"))
    print(f"load average before: {os.getloadavg()[0]:.2f}; database: {db.describe()}")
    timed("demo --national (generate, setup)", demo.generate_national, db)
    with db.read() as s:
        n = s.scalar(select(func.count()).select_from(Cooperative))
        big = s.execute(select(Cooperative.province_code, func.count()).group_by(Cooperative.province_code)
                        .order_by(func.count().desc())).first()
        print(f"cooperatives: {n:,}; largest province {big[0]} ({big[1]:,})")
        timed(f"province recap, province {big[0]}", report_data.province_recap, s, big[0])
        timed(f"province recap as of today, province {big[0]}", report_data.province_recap, s, big[0],
              as_of=dt.date.today())
        timed(f"recap by jenis, province {big[0]}", report_data.recap_by_jenis, s, big[0])
        timed(f"RAT compliance, province {big[0]}", report_data.rat_compliance, s, big[0], book_year=2024)
        rows = timed("export the national registry to Excel", export_registry, s, RegistryFilter(), tmp / "nat.xlsx",
                     write=write_registry_export)
        print(f"  rows: {rows:,}, {(tmp / 'nat.xlsx').stat().st_size / 1e6:.1f} MB")
    db.dispose()
    print(f"files in {tmp}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
