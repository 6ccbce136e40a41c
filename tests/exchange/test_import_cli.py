"""The command line's import, reconcile and consolidate read workbooks by the same rules as the window."""

from __future__ import annotations

import openpyxl
from sqlalchemy import func, select

from kopdesk.models.lookup import Kelompok
from tests.cli.test_cli import run
from tests.exchange.test_office_workbooks import good_rows, write_office_workbook


def test_import_dry_run_reports_the_layout_and_new_values_then_imports(sqlite_db, tmp_path):
    from tests.conftest import make_user

    make_user(sqlite_db, "admin", "admin")
    rows = good_rows(sqlite_db, 12)
    path = write_office_workbook(tmp_path / "kantor.xlsx", rows, extra_sheet="Tambahan")
    sqlite_db.dispose()
    db = str(sqlite_db.engine.url.database)
    with sqlite_db.read() as s:
        kelompok = s.scalar(select(func.count()).select_from(Kelompok))

    out = run("--db", db, "import", "--dry-run", str(path))
    assert out.returncode == 0, out.stdout + out.stderr
    for text in ("kantor.xlsx: 12 baris: 12 baru", "Lembar «Data Koperasi» dipakai (judul kolom di baris 4).",
                 "lembar lain yang juga berjudul kolom dikenal: «Tambahan»", "blok judul (baris 1–2)",
                 "baris nomor kolom (baris 5)", "Kelompok baru (ditambahkan ke daftar saat diimpor): Koperasi Nelayan "
                 "Pesisir", "Uji coba (--dry-run): tidak ada yang disimpan; kelompok dan sektor baru hanya dilaporkan."):
        assert text.lower() in out.stdout.lower(), (text, out.stdout)
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Kelompok)) == kelompok

    out = run("--db", db, "import", str(path))
    assert out.returncode == 0 and "Disimpan: 12 baru, 0 diperbarui" in out.stdout, out.stdout + out.stderr
    assert "Kelompok baru ditambahkan ke daftar: Koperasi Nelayan Pesisir" in out.stdout

    out = run("--db", db, "import", "--sheet", "Tambahan", "--issues", str(tmp_path / "masalah.xlsx"), str(path))
    assert out.returncode == 1 and "Lembar «Tambahan» dipakai" in out.stdout
    assert "Baris 2, kolom B «No. Badan Hukum»" not in out.stdout and "wajib diisi untuk koperasi baru" in out.stdout
    assert openpyxl.load_workbook(tmp_path / "masalah.xlsx")["Baris Tidak Valid"].cell(2, 1).value == 2

    out = run("--db", db, "reconcile", str(path))
    assert out.returncode == 0 and "Hanya di ODS: 0" in out.stdout and "berbeda: 0" in out.stdout, out.stdout
    out = run("--db", db, "import", "--sheet", "Tidak Ada", str(path))
    assert out.returncode != 0 and "Lembar «Tidak Ada» tidak ada" in out.stdout + out.stderr
