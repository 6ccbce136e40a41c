"""The letter PDF read back: text (pypdf), fonts (pdffonts), layout regions (pdftoppm), reprint hash, split files."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from sqlalchemy import select

from kopdesk.models.services.letters import compose, teguran
from kopdesk.models.teguran import Letter
from kopdesk.reports.pdf import teguran as pdf
from tests.letters.conftest import TODAY, add_visit, make_coop

REF = Path(__file__).parent / "reference"
MM = 72 / 25.4
needs_poppler = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) tidak terpasang")


@pytest.fixture
def issued(office, admin, tmp_path):  # type: ignore[no-untyped-def]
    db = office
    a = make_coop(db, admin, name="Koperasi Konsumen Karya Bersama", rat_years=(2023,), chair="H. Sulaiman",
                  nik="6471010000000042")
    b = make_coop(db, admin, name="KSP Mitra Sukses Lestari", rat_years=(2023, 2024, 2025), chair="Hj. Aminah",
                  nik="6471010000000043")
    add_visit(db, admin, b, found=False, on=dt.date(2025, 10, 6), officer="Sri Wahyuni")
    r = teguran.issue_batch(db, admin, [a, b], renderer=pdf, out_path=str(tmp_path / "all.pdf"),
                            split_dir=str(tmp_path / "split"), today=TODAY)
    return db, r, tmp_path, a, b


def test_pdf_text_has_number_name_nik_level_years_and_signatory(issued):
    _db, r, tmp, a, _b = issued
    reader = PdfReader(tmp / "all.pdf")
    assert len(reader.pages) == 2  # one page per letter
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    by_coop = {x["cooperative_id"]: x for x in r.letters}
    ta = next(t for t in texts if "Karya Bersama" in t)
    tb = next(t for t in texts if "Mitra Sukses" in t)
    assert by_coop[a]["number"] in ta and "518/" in by_coop[a]["number"] and "/DKUMKMP/XI/2026" in by_coop[a]["number"]
    assert "6471010000000042" in ta and "Teguran Pertama" in ta
    assert "2024 dan 2025" in ta  # the missing book years
    assert "Yth. Ketua Pengurus Koperasi Konsumen Karya Bersama" in ta and "H. Sulaiman" in ta
    assert "23 Desember 2026" in ta  # deadline = 30 days
    assert "Balikpapan, 23 November 2026" in ta
    for t in (ta, tb):
        assert "Drs. H. Muhammad Rizal Effendi, M.Si." in t
        assert "NIP. 19680712 199403 1 005" in t and "Pembina Utama Muda (IV/c)" in t
        assert "Tembusan" in t and "PEMERINTAH KOTA BALIKPAPAN" in t
    assert "6 Oktober 2025" in tb and "Sri Wahyuni" in tb and "Tidak ditemukan di alamat" in tb


def test_register_hash_matches_split_files_and_reprint_is_identical(issued):
    db, _r, tmp, _a, _b = issued
    files = sorted((tmp / "split").glob("*.pdf"))
    assert len(files) == 2
    with db.read() as s:
        rows = s.scalars(select(Letter).order_by(Letter.seq)).all()
        hashes = {x.pdf_sha256 for x in rows}
        assert {hashlib.sha256(f.read_bytes()).hexdigest() for f in files} == hashes
        for row in rows:
            data, same = teguran.reprint(s, row.id, pdf)
            assert same and hashlib.sha256(data).hexdigest() == row.pdf_sha256
        assert PdfReader(files[0]).pages[0].extract_text().count("518/") >= 1


def test_cancelled_letter_reprints_marked_and_not_identical(issued, admin):
    db, r, tmp, _a, _b = issued
    lid = r.letters[0]["id"]
    with db.transaction(admin) as s:
        teguran.cancel(s, admin, lid, "Alamat salah")
    with db.read() as s:
        data, same = teguran.reprint(s, lid, pdf)
    assert not same
    out = tmp / "cancel.pdf"
    out.write_bytes(data)
    assert "DIBATALKAN" in PdfReader(out).pages[0].extract_text()


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts tidak terpasang")
def test_all_fonts_embedded_no_helvetica(issued):
    _db, _r, tmp, _a, _b = issued
    out = subprocess.run(["pdffonts", str(tmp / "all.pdf")], capture_output=True, text=True, check=True).stdout
    lines = out.splitlines()[2:]
    assert lines and all(" yes " in ln for ln in lines), out
    assert "Helvetica" not in out and "Liberation" in out


def _render(path: Path, tmp: Path, dpi: int = 60) -> Image.Image:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", "1", "-l", "1", "-png", "-singlefile", str(path),
                    str(tmp / "page")], check=True)
    return Image.open(tmp / "page.png").convert("RGB")


def _box(im: Image.Image, x0: float, y0: float, x1: float, y1: float, dpi: int = 60) -> Image.Image:
    k = dpi / 25.4
    return im.crop((round(x0 * k), round(y0 * k), round(x1 * k), round(y1 * k)))


def _signature_top_mm(path: Path) -> float:
    """Where the signature block starts (its jabatan line), from the text positions."""
    found: list[float] = []
    page = PdfReader(path).pages[0]
    h = float(page.mediabox.height)

    def visit(text, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if text.startswith("KEPALA DINAS"):
            found.append((h - tm[5]) / MM)
            assert tm[4] / MM > 105, "the signature block stands in the right half"

    page.extract_text(visitor_text=visit)
    assert found
    return found[0]


@needs_poppler
def test_layout_regions_match_the_reference(issued):
    """Letterhead band and signature block rendered at 60 dpi, compared with reference crops (tests/letters/reference).

    Regenerate the references after an intended layout change with KOPDESK_UPDATE_REFERENCE=1.
    """
    import os

    _db, r, tmp, a, _b = issued
    letter = tmp / "split" / teguran.split_file_name(next(x for x in r.letters if x["cooperative_id"] == a))
    im = _render(letter, tmp)
    assert abs(im.size[0] - 496) <= 1 and abs(im.size[1] - 702) <= 1  # A4 at 60 dpi
    # Letterhead: the logo (blue shield) top left, the thick double rule across the text width.
    logo = _box(im, 20, 12, 44, 36)
    rgb = ImageStat.Stat(logo).mean
    assert rgb[2] > rgb[0] + 20, f"logo area should be bluish: {rgb}"
    rule_rows = [y for y in range(int(34 * 60 / 25.4), int(46 * 60 / 25.4))
                 if sum(1 for x in range(int(22 * 60 / 25.4), int(188 * 60 / 25.4)) if sum(im.getpixel((x, y))) < 300)
                 > 0.95 * (166 * 60 / 25.4)]
    assert rule_rows, "the double rule under the letterhead"
    # Nothing in the margins.
    assert ImageStat.Stat(_box(im, 0, 0, 200, 10).convert("L")).extrema[0][0] > 200
    assert ImageStat.Stat(_box(im, 194, 0, 210, 297).convert("L")).extrema[0][0] > 200
    sig_top = _signature_top_mm(letter)
    assert 150 < sig_top < 255
    regions = {
        "letterhead": _box(im, 15, 8, 195, 43),
        "signature": _box(im, 110, sig_top - 5, 195, sig_top + 45),
    }
    REF.mkdir(exist_ok=True)
    for name, crop in regions.items():
        ref_path = REF / f"{name}.png"
        if os.environ.get("KOPDESK_UPDATE_REFERENCE") == "1" or not ref_path.exists():
            crop.save(ref_path)
        ref = Image.open(ref_path).convert("RGB")
        assert ref.size == crop.size, name
        diff = ImageStat.Stat(ImageChops.difference(ref, crop).convert("L")).mean[0]
        assert diff < 4.0, f"{name} differs from the reference by {diff:.1f}"
    # the signature region really holds the block: ink in the name line area
    assert ImageStat.Stat(regions["signature"].convert("L")).extrema[0][0] < 80


def test_template_check_and_override(office, admin):
    db = office
    assert compose.check_template(compose.default_template(1)) == []
    bad = "Hal: X\n\n{nama_koperasi} {tidak_ada}"
    assert "tidak_ada" in compose.check_template(bad)[0]
    assert compose.check_template("tanpa hal {nik}")
    from kopdesk.models.errors import ValidationError

    with db.transaction(admin) as s, pytest.raises(ValidationError):
        compose.save_template(s, admin, 1, bad)
    with db.transaction(admin) as s:
        compose.save_template(s, admin, 1, "Hal: Peringatan Khusus {nama_koperasi}\n\nKoperasi {nama_koperasi} NIK {nik} "
                                        "belum RAT tahun buku {tahun_buku}; batas {batas_waktu} ({jangka_waktu} hari). "
                                        "Hubungi {kontak}.\n\n{alasan}")
        from kopdesk.models.services.administration import settings

        settings.put(s, admin, "teguran.contact", "Bidang Kelembagaan, telepon 0812-5555-0101")
    cid = make_coop(db, admin, name="Koperasi Uji Templat", nik="6471010000000099")
    with db.transaction(admin) as s:
        r = teguran.issue(s, admin, [cid], renderer=pdf, today=TODAY)
    assert r.combined_pdf is not None
    p = Path(__file__).parent / "_tmp_tpl.pdf"
    try:
        p.write_bytes(r.single_pdfs[0])
        text = " ".join(PdfReader(p).pages[0].extract_text().split())
    finally:
        p.unlink(missing_ok=True)
    assert "Peringatan Khusus Koperasi Uji Templat" in text and "6471010000000099" in text
    assert "2023–2025" in text and "23 Desember 2026 (30 hari)" in text
    assert "Hubungi Bidang Kelembagaan, telepon 0812-5555-0101." in text
    with db.transaction(admin) as s:  # empty text restores the shipped default
        compose.save_template(s, admin, 1, "")
        assert compose.load_template(s, 1) == compose.default_template(1)
