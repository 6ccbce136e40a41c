"""The field sheet and the berita acara, read back with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.reports.pdf.berita_acara_round import RoundNotClosed, write_berita_acara
from kopdesk.reports.pdf.field_sheet import write_field_sheet
from tests.conftest import make_user
from tests.supervision.conftest import TODAY, make_coop


def text_of(path) -> str:  # type: ignore[no-untyped-def]
    return " ".join(" ".join(p.extract_text() for p in PdfReader(str(path)).pages).split())


def fonts_of(path) -> set[str]:  # type: ignore[no-untyped-def]
    out: set[str] = set()
    for page in PdfReader(str(path)).pages:
        for f in (page.get("/Resources") or {}).get("/Font", {}).values():
            out.add(str(f.get_object().get("/BaseFont")))
    return out


@pytest.fixture
def closed_round(sqlite_db):  # type: ignore[no-untyped-def]
    db = sqlite_db
    admin = make_user(db, "admin", "admin")
    with db.transaction(admin) as s:
        p = s.get(OfficeProfile, 1)
        p.government, p.name, p.city = "Pemerintah Kota Balikpapan", "Dinas Koperasi, UMKM dan Perindustrian", "Balikpapan"
        p.signatory_name, p.signatory_title, p.signatory_nip = "Drs. H. Ahmad Fauzi", "Kepala Dinas", "197001011995031001"
    ids = [make_coop(db, admin, name=f"Koperasi Lapangan {i:02d}", kecamatan="647101",
                     officers=[{"role": "ketua", "name": f"Ketua {i}"}]) for i in range(40)]
    other = make_coop(db, admin, name="Koperasi Kecamatan Lain", kecamatan="647102")
    with db.transaction(admin) as s:
        rid = pm.create_round(s, admin, "Pemutakhiran Oktober 2026", region_code="6471", started_on=dt.date(2026, 10, 1),
                              today=TODAY).id
        pm.assign_officer(s, admin, rid, "647101", "Rahmat Hidayat")
    return db, admin, rid, ids, other


def test_field_sheet_lists_the_kecamatan_with_address_and_board(closed_round, tmp_path):
    db, _admin, rid, _ids, _other = closed_round
    path = write_field_sheet(db, rid, "64.71.01", tmp_path / "lembar.pdf")
    reader = PdfReader(str(path))
    assert len(reader.pages) >= 2  # 40 rows do not fit one landscape page
    text = text_of(path)
    assert "LEMBAR KERJA PEMUTAKHIRAN DATA KOPERASI" in text and "PEMERINTAH KOTA BALIKPAPAN" in text
    assert "Kecamatan Balikpapan Timur" in text and "Rahmat Hidayat" in text
    assert "Koperasi Lapangan 00" in text and "Koperasi Lapangan 39" in text and "Ketua: Ketua 7" in text
    assert "Koperasi Kecamatan Lain" not in text
    assert "Ditemukan" in text and "Paraf" in text
    assert all("Liberation" in f for f in fonts_of(path)), fonts_of(path)


def test_berita_acara_of_a_closed_round(closed_round, tmp_path):
    db, admin, rid, ids, _other = closed_round
    with pytest.raises(RoundNotClosed):
        write_berita_acara(db, rid, tmp_path / "x.pdf")
    with db.transaction(admin) as s:
        for i, cid in enumerate(ids[:10]):
            data = {"visit_date": "2026-10-05", "found_at_address": i >= 4, "business_active": i >= 7 if i >= 4 else None}
            pm.record_visit(s, admin, rid, cid, data, today=TODAY)
    with db.transaction(admin) as s:
        pm.close_round(s, admin, rid, pm.close_preview(s, rid), closed_on=dt.date(2026, 10, 30))
    path = write_berita_acara(db, rid, tmp_path / "ba.pdf")
    text = text_of(path)
    assert "BERITA ACARA HASIL PEMUTAKHIRAN DATA KOPERASI" in text
    assert "Jumat, tanggal 30 Oktober 2026" in text
    for label, n in (("Koperasi dalam cakupan", 41), ("Koperasi yang diperiksa (dikunjungi)", 10),
                     ("Ditemukan di alamat terdaftar", 6), ("Tidak ditemukan di alamat terdaftar", 4),
                     ("Menjalankan kegiatan usaha", 3), ("Belum dikunjungi", 31)):
        assert f"{label} {n}" in text, label
    assert "4 koperasi menjadi Tidak Ditemukan di Alamat" in text and "3 koperasi menjadi Tidak Aktif" in text
    assert "Drs. H. Ahmad Fauzi" in text and "NIP. 19700101 199503 1 001" in text and "Balikpapan, 30 Oktober 2026" in text
    assert all("Liberation" in f for f in fonts_of(path)), fonts_of(path)
