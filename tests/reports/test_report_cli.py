"""The command line of the reports and the Excel exchange, on a SQLite file."""

from __future__ import annotations

import json

import openpyxl
from pypdf import PdfReader

from tests.cli.test_cli import run
from tests.exchange.test_ods_import import HEADER, good_row, write
from tests.reports.conftest import build_dataset


def test_cli_report_import_export_reconcile_consolidate(sqlite_db, tmp_path):
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    build_dataset(sqlite_db, admin)
    sqlite_db.dispose()
    db_path = str(sqlite_db.engine.url.database)

    help_ = run("report", "--help")
    assert help_.returncode == 0 and "province-recap" in help_.stdout and "pemutakhiran" in help_.stdout
    out = run("--db", db_path, "report", "province-recap", "--region", "65", "--period", "2026-06", "--format", "json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["rows"][-1]["label"] == "Kalimantan Utara/Total" and data["rows"][-1]["values"][:5] == [7, 4, 11, 5, 2]
    pdf = tmp_path / "rekap.pdf"
    assert run("--db", db_path, "report", "recap", "--region", "65", "--period", "2026-06", "-o", str(pdf)).returncode == 0
    assert "71,43" in PdfReader(pdf).pages[0].extract_text()
    bad = run("--db", db_path, "report", "rat", "--region", "65", "--period", "juni")
    assert bad.returncode == 2 and "periode tidak valid" in bad.stderr

    xlsx = tmp_path / "registri.xlsx"
    out = run("--db", db_path, "export", "registry", "--region", "6501", "-o", str(xlsx))
    assert out.returncode == 0 and "6 koperasi" in out.stdout, out.stderr
    assert openpyxl.load_workbook(xlsx)["Registri"].max_row == 7
    rec = run("--db", db_path, "reconcile", str(xlsx))
    assert rec.returncode == 0 and "Hanya di ODS: 0; hanya di registri: 0; berbeda: 0" in rec.stdout, rec.stdout

    broken = write(tmp_path / "ods.xlsx", [good_row(1), good_row(2, NIK="12X")], HEADER)
    out = run("--db", db_path, "import", "ods", str(broken), "--issues", str(tmp_path / "masalah.xlsx"))
    assert out.returncode == 1 and "Baris 3, kolom C" in out.stdout and (tmp_path / "masalah.xlsx").exists()
    out = run("--db", db_path, "import", str(broken), "--valid-only")
    assert out.returncode == 0 and "1 baru" in out.stdout, out.stdout + out.stderr

    wb1, wb2 = tmp_path / "bulungan.xlsx", tmp_path / "tarakan.xlsx"
    assert run("--db", db_path, "export", "--office-workbook", "--region", "65.01", "-o", str(wb1)).returncode == 0
    assert run("--db", db_path, "export", "--office-workbook", "--region", "65.71", "-o", str(wb2)).returncode == 0
    out = run("--db", db_path, "consolidate", str(wb1), str(wb2), "-o", str(tmp_path / "prov.xlsx"))
    assert out.returncode == 0, out.stderr
    ws = openpyxl.load_workbook(tmp_path / "prov.xlsx")["Rekap"]
    assert ws.cell(10, 2).value == "Kalimantan Utara/Total" and ws.cell(10, 5).value == 6 + 4 + 1  # Bulungan, Tarakan and the imported one
