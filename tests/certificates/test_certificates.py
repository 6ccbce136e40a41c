"""Certificates end to end: issue, render, scan the QR and Code128 back, verify; tampering, revocation, changes."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from kopdesk.models.certificate import Certificate
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import PermissionDenied, ValidationError
from kopdesk.models.fileio import WriteFailed
from kopdesk.models.health import HealthAssessment
from kopdesk.models.services.certificates import issuing as cs
from kopdesk.models.services.certificates import printing, signing
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.reports.pdf.certificate import render_certificates
from tests.certificates.conftest import TODAY, make_coops, read_codes, render_png
from tests.conftest import make_user


def write_certificates(session, certs, target):  # type: ignore[no-untyped-def]
    return printing.write_certificates(session, certs, target, render_certificates)


def issue(db, actor, ids, **kw):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        certs = cs.issue(s, actor, ids, issued_on=kw.pop("issued_on", TODAY), **kw)
        return [(c.id, c.serial, c.payload, c.check_code) for c in certs]


def test_rendered_certificate_scans_back_and_verifies(db, office, tmp_path):
    ids = make_coops(db, office, 2)
    issued = issue(db, office, ids)
    pdf = tmp_path / "cert.pdf"
    with db.read() as s:
        certs = [s.get(Certificate, i) for i, *_ in issued]
        assert write_certificates(s, certs, str(pdf)) == 2
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 2
    w, h = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert float(w) > float(h) and round(float(w)) == 842  # A4 landscape
    text = reader.pages[1].extract_text()
    assert "SERTIFIKAT" in text.replace(" ", "") and "Koperasi Konsumen Karya Bersama 2" in text
    assert issued[1][1] in text and issued[1][3] in text and "Cetakan Dinas" in text
    # page 2 rendered at 150 dpi: the QR carries the signed payload, the Code128 the NIK
    codes = read_codes(render_png(pdf, tmp_path / "page", dpi=150, page=2))
    assert codes.get("QR Code") == issued[1][2]
    assert codes.get("Code 128") == "6471010000000002"
    with db.read() as s:
        v = cs.verify(s, codes["QR Code"], today=TODAY)
    assert v.status == "valid", v.message
    assert v.serial == issued[1][1] and not any(r.differs for r in v.rows)
    assert {r.label for r in v.rows} >= {"Nama koperasi", "NIK Koperasi", "Alamat", "Grade"}


def test_qr_decodes_from_a_coarse_100_dpi_scan(sqlite_db, tmp_path):
    admin = make_user(sqlite_db, "admin", "admin")
    ids = make_coops(sqlite_db, admin, 1)
    issued = issue(sqlite_db, admin, ids)
    pdf = tmp_path / "c.pdf"
    with sqlite_db.read() as s:
        write_certificates(s, [s.get(Certificate, issued[0][0])], str(pdf))
    codes = read_codes(render_png(pdf, tmp_path / "p100", dpi=100))
    assert codes.get("QR Code") == issued[0][2] and codes.get("Code 128") == "6471010000000001"


def test_tampered_payload_is_invalid(db, office):
    ids = make_coops(db, office, 1)
    _, _serial, payload, _ = issue(db, office, ids)[0]
    decoded = signing.decode(payload)
    # a forged certificate: the same signature over changed facts (another grade)
    forged_facts = {**decoded.facts, "g": "A" if decoded.facts["g"] != "A" else "B"}
    import zlib

    body = zlib.compress(json.dumps(forged_facts, separators=(",", ":"), sort_keys=True).encode(), 9)
    forged = signing.PREFIX + signing.b45encode(bytes((1,)) + bytes.fromhex(decoded.key_id) + decoded.signature + body)
    with db.read() as s:
        assert cs.verify(s, payload, today=TODAY).status == "valid"
        v = cs.verify(s, forged, today=TODAY)
        assert v.status == "invalid" and "diubah" in v.message
        # one changed character anywhere in the text
        for pos in (10, len(payload) // 2, len(payload) - 3):
            ch = payload[pos]
            other = "A" if ch != "A" else "B"
            assert cs.verify(s, payload[:pos] + other + payload[pos + 1:], today=TODAY).status == "invalid"
        assert cs.verify(s, "bukan kode", today=TODAY).status == "invalid"
        assert cs.verify(s, payload[:-10], today=TODAY).status == "invalid"


def test_a_key_the_office_does_not_trust_is_invalid(db, office, tmp_path):
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    ids = make_coops(db, office, 1)
    _, _serial, payload, _ = issue(db, office, ids)[0]
    rogue = signing.OfficeKey(private=Ed25519PrivateKey.generate(), path=tmp_path / "rogue.pem")
    facts = signing.decode(payload).facts
    fake, _ = signing.sign_facts(facts, rogue)
    with db.read() as s:
        v = cs.verify(s, fake, today=TODAY)
    assert v.status == "invalid" and "tidak dipercaya" in v.message


def test_revoked_certificate_fails_and_needs_the_right_and_a_reason(db, office):
    ids = make_coops(db, office, 1)
    _cert_id, serial, payload, code = issue(db, office, ids)[0]
    op = make_user(db, "operator1", "operator")
    with pytest.raises(PermissionDenied):
        with db.transaction(op) as s:
            cs.revoke(s, op, serial, "Badan hukum dibatalkan")
    with pytest.raises(ValidationError):
        with db.transaction(office) as s:
            cs.revoke(s, office, serial, "")
    with db.transaction(office) as s:
        cs.revoke(s, office, serial, "Badan hukum dibatalkan oleh Kemenkum")
    with db.read() as s:
        v = cs.verify(s, payload, today=TODAY)
        assert v.status == "revoked" and "Badan hukum dibatalkan" in v.message
        assert cs.verify(s, code.lower().replace("-", " "), today=TODAY).status == "revoked"
        coop = s.get(Cooperative, ids[0])
        assert coop.nik_status == "belum_bersertifikat"
        assert [r.status for r in cs.list_certificates(s, text=serial)] == ["dicabut"]


def test_later_change_of_registry_facts_shows_side_by_side(db, office):
    ids = make_coops(db, office, 1)
    _, _serial, payload, _ = issue(db, office, ids)[0]
    with db.read() as s:
        version = s.get(Cooperative, ids[0]).version
    with db.transaction(office) as s:
        registry.update_cooperative(s, office, ids[0], version, {"name": "Koperasi Karya Bersama Jaya",
                                                                  "address": "Jl. Baru No. 9"}, today=TODAY)
    with db.read() as s:
        v = cs.verify(s, payload, today=TODAY)
    assert v.status == "valid"
    changed = {r.label: (r.on_certificate, r.current) for r in v.rows if r.differs}
    assert changed["Nama koperasi"] == ("Koperasi Konsumen Karya Bersama 1", "Koperasi Karya Bersama Jaya")
    assert "Alamat" in changed and any("berbeda" in n for n in v.notes)


def test_expired_certificate_and_offline_check(db, office):
    ids = make_coops(db, office, 1)
    _, _, payload, _ = issue(db, office, ids)[0]
    with db.read() as s:
        assert cs.verify(s, payload, today=TODAY + dt.timedelta(days=400)).status == "expired"
    offline = cs.verify(None, payload, today=TODAY)
    assert offline.status == "valid" and all(r.current is None for r in offline.rows)


def test_issue_many_gapless_serials_and_refusals_write_nothing(db, office):
    ids = make_coops(db, office, 5)
    no_rat = make_coops(db, office, 1, start=50, rat_years=())
    with pytest.raises(ValidationError) as err:
        issue(db, office, ids + no_rat)
    assert "grade D" in str(err.value) and "Bersama 50" in str(err.value)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0
    first = issue(db, office, ids[:3])
    second = issue(db, office, ids[3:])
    serials = [x[1] for x in first + second]
    assert serials == [f"NIK.2026.{i:06d}" for i in range(1, 6)]
    assert len({x[3] for x in first + second}) == 5
    with db.read() as s:
        assert s.get(Cooperative, ids[0]).nik_status == "bersertifikat"
        assert s.get(Cooperative, ids[0]).certificate_valid_until == dt.date(2027, 11, 22)
        assert len(cs.list_certificates(s)) == 5
    pim = make_user(db, "pimpinan1", "pimpinan")
    with pytest.raises(PermissionDenied):
        issue(db, pim, ids[:1])


def test_reprint_is_identical(sqlite_db, tmp_path):
    admin = make_user(sqlite_db, "admin", "admin")
    ids = make_coops(sqlite_db, admin, 1)
    cert_id = issue(sqlite_db, admin, ids)[0][0]
    texts = []
    for name in ("a.pdf", "b.pdf"):
        with sqlite_db.transaction(admin) as s:
            cert = s.get(Certificate, cert_id)
            write_certificates(s, [cert], str(tmp_path / name))
            cs.record_reprint(s, admin, [cert])
        texts.append(PdfReader(str(tmp_path / name)).pages[0].extract_text())
    assert texts[0] == texts[1]


def test_reprint_lands_with_its_audit_entry_or_not_at_all(db, office, tmp_path):
    """The service draws through the renderer it is given, inside its transaction; the file appears after commit."""
    from kopdesk.models.audit import AuditEntry

    ids = make_coops(db, office, 2)
    serials = [x[1] for x in issue(db, office, ids)]

    def reprints() -> int:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "reprint"))

    def broken(target, pages, office_block, *, progress, cancelled):  # type: ignore[no-untyped-def]
        render_certificates(target, pages, office_block, progress=progress, cancelled=cancelled)
        raise OSError(28, "No space left on device")  # the disk fills after the drawing was written

    out = tmp_path / "out"  # apart from the SQLite file the fixture keeps in tmp_path
    target = out / "ulang.pdf"
    with pytest.raises(WriteFailed, match="Ruang disk tidak cukup"):
        printing.reprint_to_pdf(db, office, serials, str(target), broken)
    assert list(out.iterdir()) == [] and reprints() == 0

    assert printing.reprint_to_pdf(db, office, serials, str(target), render_certificates) == 2
    assert reprints() == 2 and [p.name for p in out.iterdir()] == ["ulang.pdf"]
    reader = PdfReader(str(target))
    assert [serials[i] in reader.pages[i].extract_text() for i in range(2)] == [True, True]


def test_predikat_certificate_from_health_assessment(db, office, tmp_path):
    ids = make_coops(db, office, 2)
    with pytest.raises(ValidationError) as err:
        issue(db, office, ids[:1], kind="predikat")
    assert "belum pernah dinilai" in str(err.value)
    with db.transaction(office) as s:
        s.add(HealthAssessment(cooperative_id=ids[0], period_year=2025, scheme="kkpkk_2021",
                               assessed_on=dt.date(2026, 5, 2), total_score=82.5, predikat="sehat", ba_number="BA/12/2026"))
        s.add(HealthAssessment(cooperative_id=ids[1], period_year=2025, scheme="kkpkk_2021",
                               assessed_on=dt.date(2026, 5, 2), total_score=55, predikat="dalam_pengawasan"))
    with pytest.raises(ValidationError) as err:
        issue(db, office, ids[1:], kind="predikat")
    assert "Dalam Pengawasan" in str(err.value)
    cert_id, serial, payload, _ = issue(db, office, ids[:1], kind="predikat")[0]
    assert serial == "PKK.2026.000001"
    pdf = tmp_path / "p.pdf"
    with db.read() as s:
        write_certificates(s, [s.get(Certificate, cert_id)], str(pdf))
        v = cs.verify(s, payload, today=TODAY)
    assert v.status == "valid" and ("Predikat kesehatan", "Sehat") in [(r.label, r.on_certificate) for r in v.rows]
    text = PdfReader(str(pdf)).pages[0].extract_text()
    assert "PREDIKAT" in text.replace(" ", "") and "SEHAT" in text.replace(" ", "")
    assert read_codes(render_png(pdf, tmp_path / "pp"))["QR Code"] == payload


def test_office_key_file_is_private_and_public_key_exports(tmp_path):
    key = signing.office_key(tmp_path / "keys")
    mode = stat.S_IMODE(os.stat(key.path).st_mode)
    assert mode == 0o600
    out = signing.export_public_key(tmp_path / "pub.pem", key)
    assert signing.key_id_of(signing.load_public_key(out)) == key.key_id
    assert b"PRIVATE" not in out.read_bytes()
    # the key is stable: the same file gives the same key
    signing._cache.clear()
    assert signing.office_key(tmp_path / "keys").key_id == key.key_id


def test_base45_round_trip():
    for data in (b"", b"\x00", b"\xff\xff", bytes(range(256)), b"kopdesk"):
        assert signing.b45decode(signing.b45encode(data)) == data
    assert signing.b45encode(b"AB") == "BB8"  # RFC 9285 example


def test_trusted_keys_in_the_shared_setting(db, office):
    ids = make_coops(db, office, 1)
    issue(db, office, ids)
    with db.read() as s:
        entries = signing.trusted_entries(s)
    assert [e["key_id"] for e in entries] == [signing.office_key().key_id]


# Characters in alphanumeric mode at error correction M, versions 1-20 (ISO/IEC 18004:2015, table 7).
ALPHANUMERIC_M = [20, 38, 61, 90, 122, 154, 178, 221, 262, 311, 366, 419, 483, 528, 600, 656, 734, 816, 909, 970]


def test_qr_is_level_m_alphanumeric_in_the_smallest_version():
    """What the QR encoder gives for payloads of every length a certificate has: it reads back whole, level M,
    in the smallest version that holds the text in alphanumeric mode (the size class the old encoder gave)."""
    import random

    import zxingcpp
    from PIL import Image, ImageOps

    from kopdesk.reports.pdf.certificate import qr_rows

    rnd = random.Random(7)
    for length in (5, 80, 250, 290, 330, 420, 600):  # a real payload is about 290 bytes
        text = "KD1:" + signing.b45encode(bytes(rnd.randrange(256) for _ in range(length)))
        rows = qr_rows(text)
        version = next(v for v, cap in enumerate(ALPHANUMERIC_M, 1) if cap >= len(text))
        assert len(rows) == 17 + 4 * version and all(len(r) == len(rows) for r in rows), (length, len(rows))
        assert set(b"".join(rows)) == {0, 255}
        img = Image.frombytes("L", (len(rows), len(rows)), b"".join(rows)).resize((len(rows) * 4,) * 2, Image.NEAREST)
        found = zxingcpp.read_barcode(ImageOps.expand(img, 16, 255))
        assert found is not None and found.text == text
        assert found.ec_level == "M" and found.extra["Version"] == str(version)


def test_another_pc_verifies_through_the_shared_setting(db, office, tmp_path, monkeypatch):
    ids = make_coops(db, office, 1)
    _, _, payload, _ = issue(db, office, ids)[0]
    # another PC: its own (empty) keys folder, the same database
    monkeypatch.setenv("KOPDESK_DATA_DIR", str(tmp_path / "other-pc"))
    assert not (signing.keys_folder() / signing.PRIVATE_FILE).exists()
    with db.read() as s:
        assert cs.verify(s, payload, today=TODAY).status == "valid"
    # without the setting and without the key file nothing vouches for it
    assert cs.verify(None, payload, today=TODAY).status == "invalid"


def test_logo_is_drawn_on_the_certificate(sqlite_db, tmp_path):
    import io

    from PIL import Image

    from kopdesk.models.office import OfficeProfile
    from tests.certificates.conftest import setup_office

    admin = make_user(sqlite_db, "admin", "admin")
    setup_office(sqlite_db, admin)
    buf = io.BytesIO()
    Image.new("RGB", (120, 120), (200, 30, 30)).save(buf, "PNG")
    with sqlite_db.transaction(admin) as s:
        s.get(OfficeProfile, 1).logo = buf.getvalue()
    ids = make_coops(sqlite_db, admin, 1)
    cert_id = issue(sqlite_db, admin, ids)[0][0]
    pdf = tmp_path / "logo.pdf"
    with sqlite_db.read() as s:
        write_certificates(s, [s.get(Certificate, cert_id)], str(pdf))
    png = render_png(pdf, tmp_path / "logo", dpi=50)
    img = Image.open(png).convert("RGB")
    w, h = img.size
    top_centre = [img.getpixel((x, y)) for x in range(w // 2 - 8, w // 2 + 8) for y in range(int(h * 0.07), int(h * 0.14))]
    assert any(r > 150 and g < 90 and b < 90 for r, g, b in top_centre)  # the red logo, top centre
    assert read_codes(render_png(pdf, tmp_path / "logo150"))["QR Code"]


def test_cancelled_batch_keeps_no_serial_no_file_and_fonts_are_embedded(db, office, tmp_path):
    import subprocess

    from kopdesk.models.progress import Cancelled

    make_coops(db, office, 4)
    niks = [f"6471010{i:09d}" for i in range(1, 5)]
    calls = {"n": 0}

    def cancel_late() -> bool:  # cancel while the PDF is being written, after the serials were taken
        calls["n"] += 1
        return calls["n"] > 6

    out = tmp_path / "out"  # apart from the SQLite file the fixture keeps in tmp_path
    out.mkdir()
    target = out / "batch.pdf"
    with pytest.raises(Cancelled):
        printing.issue_to_pdf(db, office, niks, str(target), render_certificates, issued_on=TODAY,
                              cancelled=cancel_late)
    assert list(out.iterdir()) == []  # no temporary file left either
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Certificate)) == 0
    serials = printing.issue_to_pdf(db, office, niks, str(target), render_certificates, issued_on=TODAY)
    assert serials == [f"NIK.2026.{i:06d}" for i in range(1, 5)]  # no gap left by the cancelled batch
    fonts = subprocess.run(["pdffonts", str(target)], capture_output=True, text=True, check=True).stdout
    rows = fonts.splitlines()[2:]
    assert rows and all(" yes yes " in r for r in rows) and "Helvetica" not in fonts


def test_caps_lock_scanner_and_hostile_payloads(sqlite_db):
    import zlib

    admin = make_user(sqlite_db, "admin", "admin")
    ids = make_coops(sqlite_db, admin, 1)
    _, _, payload, _ = issue(sqlite_db, admin, ids)[0]
    with sqlite_db.read() as s:
        assert cs.verify(s, payload.lower() + "\r\n", today=TODAY).status == "valid"
        assert cs.verify(s, "KD1:" + "A" * 100_000, today=TODAY).status == "invalid"
        bomb = zlib.compress(b"[" + b" " * 1_000_000 + b"]", 9)  # ~1 KB that inflates to 1 MB
        key = signing.office_key()
        text = signing.PREFIX + signing.b45encode(bytes((1,)) + bytes.fromhex(key.key_id) + b"\0" * 64 + bomb)
        v = cs.verify(s, text, today=TODAY)
        assert v.status == "invalid" and "terlalu besar" in v.message


def test_eligible_cooperatives(db, office):
    ids = make_coops(db, office, 3)
    no_rat = make_coops(db, office, 1, start=60, rat_years=())
    no_nik = make_coops(db, office, 1, start=70, nik=None)
    with db.read() as s:
        found = cs.eligible_cooperative_ids(s, region_code="64.71", as_of=TODAY)
    assert set(found) == set(ids) and no_rat[0] not in found and no_nik[0] not in found
    _cert_id, _serial, _, _ = issue(db, office, ids[:1])[0]
    with db.read() as s:
        assert set(cs.eligible_cooperative_ids(s, as_of=TODAY)) == set(ids[1:])
        # once the certificate has expired the cooperative is due again
        assert set(cs.eligible_cooperative_ids(s, as_of=TODAY + dt.timedelta(days=400))) >= {ids[0]}
