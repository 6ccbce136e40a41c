"""The field sheet and the berita acara, read back with pypdf."""

from __future__ import annotations

import datetime as dt

import pytest
from pypdf import PdfReader

from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.supervision import documents
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.services.supervision.pemutakhiran import RoundNotClosed
from kopdesk.reports.pdf import berita_acara_round, field_sheet
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
    path = documents.write_field_sheet(db, rid, "64.71.01", tmp_path / "lembar.pdf",
                                       render=field_sheet.write_field_sheet)
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
        documents.write_berita_acara(db, rid, tmp_path / "x.pdf", render=berita_acara_round.write_berita_acara)
    assert not (tmp_path / "x.pdf").exists()
    with db.transaction(admin) as s:
        for i, cid in enumerate(ids[:10]):
            data = {"visit_date": "2026-10-05", "found_at_address": i >= 4, "business_active": i >= 7 if i >= 4 else None}
            pm.record_visit(s, admin, rid, cid, data, today=TODAY)
    with db.transaction(admin) as s:
        pm.close_round(s, admin, rid, pm.close_preview(s, rid), closed_on=dt.date(2026, 10, 30))
    path = documents.write_berita_acara(db, rid, tmp_path / "ba.pdf", render=berita_acara_round.write_berita_acara)
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


def test_the_berita_acara_data_counts_per_kecamatan(closed_round):
    """What the service hands the renderer: plain figures, per kecamatan and per status applied."""
    db, admin, rid, ids, other = closed_round
    with db.transaction(admin) as s:
        pm.assign_officer(s, admin, rid, "647102", "Ani Lestari")
        for i, cid in enumerate(ids[:5]):
            pm.record_visit(s, admin, rid, cid, {"visit_date": "2026-10-05", "found_at_address": i > 0,
                                                 "business_active": i > 2 if i else None}, today=TODAY)
        pm.record_visit(s, admin, rid, other, {"visit_date": "2026-10-06", "found_at_address": False,
                                               "new_address": "Jl. Baru 1"}, today=TODAY)
        pm.close_round(s, admin, rid, pm.close_preview(s, rid), closed_on=dt.date(2026, 10, 30))
    with db.read() as s:
        doc = documents.berita_acara(s, rid)
    assert doc.round_name == "Pemutakhiran Oktober 2026" and doc.closed_on == dt.date(2026, 10, 30)
    assert doc.closed_by == "admin" and doc.city == "Balikpapan" and doc.signatory.name == "Drs. H. Ahmad Fauzi"
    assert [(k.kecamatan, k.visited, k.found, k.moved, k.not_found, k.active) for k in doc.per_kecamatan] == [
        ("Balikpapan Barat", 1, 0, 1, 0, 0), ("Balikpapan Timur", 5, 4, 0, 1, 2)]
    assert doc.status_changes == (("Tidak Aktif", 2), ("Tidak Ditemukan di Alamat", 1))
    assert doc.officers == ("Ani Lestari", "Rahmat Hidayat")
    assert (doc.progress.covered, doc.progress.visited, doc.progress.remaining) == (41, 6, 35)


def test_the_renderers_draw_plain_data_without_a_database(tmp_path):
    """The renderers take the documents only: built by hand here, with the office profile's fallbacks."""
    from kopdesk.models.documents.letterhead import Letterhead, Signatory
    from kopdesk.models.documents.supervision import BeritaAcara, FieldSheet, KecamatanResults, RoundProgress, SheetRow

    head = Letterhead("PEMERINTAH KABUPATEN CONTOH", "DINAS KOPERASI CONTOH", "Jl. Contoh 1")
    sheet = FieldSheet("Putaran Uji", dt.date(2026, 3, 2), "64.71.05", "Kecamatan Uji", (),
                       (SheetRow(1, "Koperasi Tangan", None, "Jl. Tangan 2", "Kelurahan Uji", ""),), head)
    text = text_of(field_sheet.write_field_sheet(sheet, tmp_path / "lembar.pdf"))
    assert "Putaran Uji — Kecamatan Kecamatan Uji (64.71.05)" in text and "Koperasi Tangan NIK -" in text
    assert "Mulai: 2 Maret 2026" in text and "Jumlah koperasi: 1" in text and "DINAS KOPERASI CONTOH" in text
    ba = BeritaAcara("Putaran Uji", dt.date(2026, 3, 2), dt.date(2026, 3, 31), None,
                     RoundProgress(10, 3, 1, 1, 1, 1, 0), (KecamatanResults("Uji", 3, 1, 1, 1, 1),), (), (), head,
                     Signatory("Kepala Dinas", "Nama Pejabat"), "")
    text = text_of(berita_acara_round.write_berita_acara(ba, tmp_path / "ba.pdf"))
    assert "Selasa, tanggal 31 Maret 2026" in text and "tidak ada perubahan status" in text
    assert "Ditutup oleh: -" in text and "Belum dikunjungi 7" in text and "(PPKL)" not in text
