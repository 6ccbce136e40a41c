"""The supervision commands: rat mark (NIKs and Excel, all or nothing), rat summary, rounds list."""

from __future__ import annotations

import json

from openpyxl import Workbook

from kopdesk.models.db import Database
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.supervision import pemutakhiran as pm
from tests.cli.test_cli import run
from tests.supervision.conftest import TODAY, make_coop


def test_rat_mark_summary_and_rounds_list(tmp_path):
    path = str(tmp_path / "cli.sqlite")
    db = Database.open(path)
    admin = Actor.system()
    make_coop(db, admin, nik="6471000000000501", kecamatan="647101")
    make_coop(db, admin, nik="6471000000000502", kecamatan="647106", jenis="jasa")
    make_coop(db, admin, nik="6471000000000503", kecamatan="647106")
    with db.transaction(admin) as s:
        pm.create_round(s, admin, "Verifikasi Oktober", region_code="6471", today=TODAY)
    db.dispose()

    bad = run("--db", path, "rat", "mark", "--book-year", "2024", "--nik", "6471000000000501", "6471999999999999")
    assert bad.returncode == 2 and "Baris 2: 6471999999999999: NIK tidak terdaftar" in bad.stderr
    assert "tidak ada yang disimpan" in bad.stderr
    ok = run("--db", path, "rat", "mark", "--book-year", "2024", "--nik", "6471000000000501", "--received", "2025-04-30")
    assert ok.returncode == 0 and "1 koperasi (1 baru, 0 diperbarui)" in ok.stdout, ok.stderr

    wb = Workbook()
    wb.active.append(["NIK", "Tanggal RAT"])
    wb.active.append(["6471000000000502", "2025-05-15"])
    xlsx = tmp_path / "rat.xlsx"
    wb.save(xlsx)
    ok2 = run("--db", path, "rat", "mark", "--book-year", "2024", "--file", str(xlsx))
    assert ok2.returncode == 0, ok2.stderr

    summ = run("--db", path, "rat", "summary", "--book-year", "2024", "--json")
    assert summ.returncode == 0, summ.stderr
    data = json.loads(summ.stdout)
    assert data["total"] == {"wajib": 3, "tepat_waktu": 1, "terlambat": 1, "belum": 1, "persen_rat": 66.67}
    assert {k["nama"]: k["belum"] for k in data["per_kecamatan"]} == {"Balikpapan Timur": 0, "Balikpapan Kota": 1}
    text = run("--db", path, "rat", "summary", "--book-year", "2024")
    assert "Balikpapan Kota" in text.stdout and "66,67" in text.stdout

    rounds = run("--db", path, "rounds", "list")
    assert rounds.returncode == 0 and "Verifikasi Oktober" in rounds.stdout and "berjalan" in rounds.stdout
    rj = json.loads(run("--db", path, "rounds", "list", "--json").stdout)
    assert rj[0]["cakupan"] == 3 and rj[0]["dikunjungi"] == 0
