"""``python main.py letters ...``: queue as JSON, batch issue into PDFs, the register; clear errors."""

from __future__ import annotations

import json

from pypdf import PdfReader

from kopdesk.models.db import Database
from kopdesk.models.services.administration.auth import Actor
from tests.cli.test_cli import run
from tests.letters.conftest import add_visit, fill_office, make_coop


def test_letters_due_issue_register(tmp_path):
    path = str(tmp_path / "cli.sqlite")
    db = Database.open(path)
    fill_office(db)
    actor = Actor.system()
    make_coop(db, actor, name="Koperasi Karya Bersama", nik="6471010000000501")
    b = make_coop(db, actor, name="Koperasi Tirta Makmur", nik="6471010000000502", rat_years=(2023, 2024, 2025))
    add_visit(db, actor, b, found=False)
    make_coop(db, actor, name="Koperasi Patuh", nik="6471010000000503", rat_years=(2023, 2024, 2025))
    db.dispose()

    due = run("--db", path, "letters", "due", "--json", "--date", "2026-11-23")
    assert due.returncode == 0, due.stderr
    items = json.loads(due.stdout)
    assert {i["nik"]: i["level"] for i in items} == {"6471010000000501": 1, "6471010000000502": 1}
    assert next(i for i in items if i["nik"] == "6471010000000501")["facts"]["missing_years"] == [2023, 2024, 2025]

    bad = run("--db", path, "letters", "issue", "--nik", "6471010000000503", "-o", str(tmp_path / "x.pdf"))
    assert bad.returncode == 2 and "6471010000000503" in bad.stderr and "tidak ada dalam antrean" in bad.stderr

    out = tmp_path / "teguran.pdf"
    iss = run("--db", path, "letters", "issue", "--all-due", "-o", str(out), "--split", str(tmp_path / "per"),
              "--date", "2026-11-23")
    assert iss.returncode == 0, iss.stderr
    assert "518/1/DKUMKMP/XI/2026" in iss.stdout and "518/2/DKUMKMP/XI/2026" in iss.stdout
    assert len(PdfReader(out).pages) == 2 and len(list((tmp_path / "per").glob("*.pdf"))) == 2

    again = run("--db", path, "letters", "issue", "--all-due", "-o", str(tmp_path / "again.pdf"), "--date", "2026-11-23")
    assert again.returncode == 0 and "Tidak ada surat" in again.stdout  # nothing twice

    reg = run("--db", path, "letters", "register", "--year", "2026", "--json")
    assert reg.returncode == 0, reg.stderr
    rows = json.loads(reg.stdout)
    assert [r["number"] for r in rows] == ["518/1/DKUMKMP/XI/2026", "518/2/DKUMKMP/XI/2026"]
    assert all(len(r["pdf_sha256"]) == 64 for r in rows)
    text = run("--db", path, "letters", "register", "--year", "2026")
    assert "Koperasi Karya Bersama" in text.stdout and "2 surat" in text.stdout
