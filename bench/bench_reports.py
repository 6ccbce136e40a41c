"""Reports and Excel benchmark: python3 dev.py bench bench_reports [--rows 100000] [--db URL]

Prints: writing a ROWS-row ODS workbook (setup), previewing it (read + validation + matching), importing it
(preview + bulk writes, one transaction), importing it again (all unchanged), exporting the registry to Excel, and
the recap times (province recap, by jenis, by kecamatan, RAT) on that registry.
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

JENIS = ["Konsumen", "Produsen", "Pemasaran", "Jasa", "Simpan Pinjam"]
STATUS = ["Aktif"] * 6 + ["Tidak Aktif"] * 4
HEADERS = ["No", "NIK", "Nama Koperasi", "No. Badan Hukum", "Tanggal Badan Hukum", "Alamat", "Kab/Kota", "Kecamatan",
           "Desa/Kelurahan", "Jenis Koperasi", "Pola Pengelolaan", "Status Aktif", "Status NIK", "Anggota Pria",
           "Anggota Wanita", "Karyawan", "Modal Sendiri", "Modal Luar", "Aset", "Volume Usaha"]


def timed(label: str, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    t, c = time.perf_counter(), time.process_time()
    result = fn(*args, **kwargs)
    print(f"{label:<58}{time.perf_counter() - t:8.2f} s wall {time.process_time() - c:8.2f} s cpu", flush=True)
    return result


def write_workbook(path: Path, rows: int, places: list[tuple[str, str, str]], seed: int = 7) -> None:
    import datetime as dt

    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("ODS")
    date_fmt = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws.write_row(0, 0, HEADERS)
    for i in range(1, rows + 1):
        kab, kec, kel = places[rnd.randrange(len(places))]
        nik = f"{6400000000000000 + i:016d}" if rnd.random() < 0.5 else ""
        ws.write_row(i, 0, [i, nik, f"Koperasi {rnd.choice(['Makmur', 'Sejahtera', 'Mandiri', 'Bersama'])} {i}",
                            f"{i}/BH/XVI/{1990 + i % 30}"])
        if i % 2:
            ws.write_datetime(i, 4, dt.datetime(1990 + i % 30, 1 + i % 12, 1 + i % 28), date_fmt)
        else:
            ws.write_string(i, 4, f"{1 + i % 28:02d}/{1 + i % 12:02d}/{1990 + i % 30}")
        ws.write_row(i, 5, [f"Jl. Koperasi No. {i}", kab, kec, kel, rnd.choice(JENIS),
                            "Syariah" if rnd.random() < 0.1 else "Konvensional", rnd.choice(STATUS),
                            "Bersertifikat NIK" if nik else "Belum Ada NIK", rnd.randrange(20, 900),
                            f"{rnd.randrange(0, 900):,}".replace(",", "."), rnd.randrange(0, 20),
                            f"Rp {rnd.randrange(1, 10**6) * 1000:,}".replace(",", "."),
                            rnd.randrange(0, 10**9), rnd.randrange(0, 10**10), rnd.randrange(0, 10**10)])
    wb.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--db", help="database URL (default: a new SQLite file in a temporary folder)")
    ap.add_argument("--national", action="store_true",
                    help="instead: the national demo set (demo.generate_national, 300k) with recap and export times")
    args = ap.parse_args()
    if args.national:
        return national(args)

    from sqlalchemy import select

    from kopdesk.models.db import Database
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.region import Region
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
        kab = Region.__table__.alias("kab")
        kec = Region.__table__.alias("kec")
        kel = Region.__table__.alias("kel")
        places = [tuple(r) for r in s.execute(
            select(kab.c.name, kec.c.name, kel.c.name).join(kec, kec.c.parent_code == kab.c.code)
            .join(kel, kel.c.parent_code == kec.c.code).where(kab.c.parent_code.in_(["64", "65"])))]
    path = tmp / "ods.xlsx"
    timed(f"write the {args.rows:,}-row ODS workbook (xlsxwriter, setup)", write_workbook, path, args.rows, places)
    print(f"  file: {path.stat().st_size / 1e6:.1f} MB, {len(places)} kelurahan in Kaltim + Kaltara")
    actor = Actor.system("bench")
    with db.read() as s:
        p = timed("preview (read calamine + validate + match), empty registry", ods_import.preview_import, s, path)
    print("  " + p.summary())
    _p, r = timed("IMPORT (preview + bulk insert, one transaction)", ods_import.import_file, db, actor, path)
    print(f"  created {r.created:,}")
    p, r = timed("import the same file again (all matched, unchanged)", ods_import.import_file, db, actor, path)
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
