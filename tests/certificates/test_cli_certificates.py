"""``python main.py certificates ...``: batch issue, verify by text, check code or image (exit status), revoke."""

from __future__ import annotations

import json

from kopdesk.models.db import Database
from tests.certificates.conftest import make_coops, render_png, setup_office
from tests.cli.test_cli import run
from tests.conftest import make_user


def test_issue_verify_revoke_reprint_on_the_command_line(tmp_path):
    path = str(tmp_path / "cli.sqlite")
    db = Database.open(path)
    admin = make_user(db, "admin", "admin")
    setup_office(db, admin)
    make_coops(db, admin, 3)
    db.dispose()
    pdf = tmp_path / "batch.pdf"
    nik_file = tmp_path / "niks.txt"
    nik_file.write_text("6471010000000002\n6471010000000003\n")
    out = run("--db", path, "certificates", "issue", "--nik", "6471010000000001", "--nik-file", str(nik_file),
              "-o", str(pdf))
    assert out.returncode == 0, out.stderr
    assert "3 sertifikat diterbitkan" in out.stdout and pdf.exists()

    listing = json.loads(run("--db", path, "certificates", "list", "--json").stdout)
    year = listing[0]["issued_on"][:4]
    assert sorted(r["serial"] for r in listing) == [f"NIK.{year}.00000{i}" for i in (1, 2, 3)]
    first = next(r for r in listing if r["nik"] == "6471010000000001")

    # verify straight from the PDF (first page) and from a PNG scan of it
    ok = run("--db", path, "certificates", "verify", str(pdf))
    assert ok.returncode == 0 and ok.stdout.startswith("SAH"), ok.stdout + ok.stderr
    png = render_png(pdf, tmp_path / "scan", dpi=150)
    as_json = run("--db", path, "certificates", "verify", str(png), "--json")
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and data["status"] == "valid" and data["serial"] == first["serial"]
    payload = None
    import zxingcpp
    from PIL import Image

    for r in zxingcpp.read_barcodes(Image.open(png)):
        if r.text.startswith("KD1:"):
            payload = r.text
    assert payload

    # tampered text → 1; check code → 0; offline with the exported public key → 0
    bad = payload[:-6] + ("A" if payload[-6] != "A" else "B") + payload[-5:]
    tampered = run("--db", path, "certificates", "verify", bad)
    assert tampered.returncode == 1 and tampered.stdout.startswith("TIDAK SAH")
    assert run("--db", path, "certificates", "verify", first["check_code"]).returncode == 0
    assert run("--db", path, "certificates", "verify", "ZZZZ-ZZZZ").returncode == 1
    key = tmp_path / "office.pub.pem"
    assert run("certificates", "export-key", "-o", str(key)).returncode == 0
    assert b"PUBLIC KEY" in key.read_bytes()
    offline = run("certificates", "verify", payload, "--offline", "--public-key", str(key))
    assert offline.returncode == 0, offline.stdout + offline.stderr

    # revoke → verify exits 3 and says why; a revoke without a reason is refused
    assert run("--db", path, "certificates", "revoke", first["serial"], "--reason", "").returncode == 2
    rev = run("--db", path, "certificates", "revoke", first["serial"], "--reason", "NIK ganda, diganti")
    assert rev.returncode == 0, rev.stderr
    revoked = run("--db", path, "certificates", "verify", payload)
    assert revoked.returncode == 3 and "DICABUT" in revoked.stdout and "NIK ganda" in revoked.stdout

    # reprint: the same payload again; unknown NIK on issue: exit 2 with an Indonesian message
    again = tmp_path / "again.pdf"
    assert run("--db", path, "certificates", "reprint", first["serial"], "-o", str(again)).returncode == 0
    assert run("--db", path, "certificates", "verify", str(again)).returncode == 3
    unknown = run("--db", path, "certificates", "issue", "--nik", "999", "-o", str(tmp_path / "x.pdf"))
    assert unknown.returncode == 2 and "tidak ada di registri" in unknown.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_issue_all_eligible_in_a_region(tmp_path):
    path = str(tmp_path / "elig.sqlite")
    db = Database.open(path)
    admin = make_user(db, "admin", "admin")
    setup_office(db, admin)
    make_coops(db, admin, 3)
    make_coops(db, admin, 1, start=40, rat_years=())  # grade D: not eligible
    db.dispose()
    first = run("--db", path, "certificates", "issue", "--all-eligible", "--region", "64.71", "-o", str(tmp_path / "a.pdf"))
    assert first.returncode == 0 and "3 sertifikat diterbitkan" in first.stdout, first.stdout + first.stderr
    again = run("--db", path, "certificates", "issue", "--all-eligible", "-o", str(tmp_path / "b.pdf"))
    assert again.returncode == 0 and "Tidak ada koperasi" in again.stdout and not (tmp_path / "b.pdf").exists()
    elsewhere = run("--db", path, "certificates", "issue", "--all-eligible", "--region", "65", "-o", str(tmp_path / "c.pdf"))
    assert elsewhere.returncode == 0 and "Tidak ada koperasi" in elsewhere.stdout
