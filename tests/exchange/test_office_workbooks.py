"""Workbooks as offices keep them, imported on SQLite and PostgreSQL (issue 13).

The workbook is built here with openpyxl the way an office keeps its own: an instructions sheet first, a title block
of merged cells, a row of column numbers under the header, values in every spelling the brief lists, a totals row
and the signature lines under it, three provinces. Every good row goes in, the recap of an imported province equals
the counts this test computes from its own rows, every bad row is named by row, column and reason, and nothing is
written when one row is bad.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select, update

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region
from kopdesk.models.services.exchange import ods_import
from kopdesk.models.services.exchange.ods_import import ImportFileError, ImportRejected
from kopdesk.models.services.reporting import report_data
from tests.reports.conftest import TODAY

HEADERS = ["No", "NIK", "Nama Koperasi", "No. Badan Hukum", "Tgl. Badan Hukum", "Alamat", "Provinsi", "Kab/Kota",
           "Kecamatan", "Desa/Kelurahan", "Bentuk Koperasi", "Jenis Koperasi", "Pola", "Kelompok Koperasi",
           "Sektor Usaha", "Status", "Status NIK", "Anggota Pria", "Anggota Wanita", "Modal Sendiri"]
COL = {h: get_column_letter(i + 1) for i, h in enumerate(HEADERS)}
TITLE_ROWS, HEADER_ROW, NUMBERING_ROW, FIRST = 2, 4, 5, 6


@dataclass(frozen=True)
class Place:
    province: str
    province_name: str
    kab: str
    kab_name: str
    kab_unique: bool  # no other kab/kota of the province has the same bare name
    kec_name: str
    kel: str
    kel_name: str
    kel_kind: str


def places(db) -> list[Place]:  # type: ignore[no-untyped-def]
    """Two kab/kota of Kalimantan Timur, Kalimantan Utara and Jawa Barat, plus Kota Bekasi (whose bare name is also a
    kabupaten), two desa/kelurahan in one kecamatan of each."""
    out = []
    with db.read() as s:
        regions = {r.code: r for r in s.scalars(select(Region).where(Region.level <= 2))}
        for prov in ("64", "65", "32"):
            kabs = sorted(c for c, r in regions.items() if r.parent_code == prov)
            bare = Counter(re.sub(r"^(Kabupaten|Kota) ", "", regions[c].name) for c in kabs)
            for kab in kabs[:2] + (["3275"] if prov == "32" else []):
                kec = s.scalars(select(Region).where(Region.parent_code == kab).order_by(Region.code)).first()
                kels = s.scalars(select(Region).where(Region.parent_code == kec.code).order_by(Region.code)).all()
                names = Counter(k.name.lower() for k in kels)
                for kel in [k for k in kels if names[k.name.lower()] == 1][:2]:
                    out.append(Place(prov, regions[prov].name, kab, regions[kab].name,
                                     bare[re.sub(r"^(Kabupaten|Kota) ", "", regions[kab].name)] == 1, kec.name,
                                     kel.code, kel.name, kel.kind))
    return out


def spell_kab(p: Place, i: int) -> str:
    kind, _, bare = p.kab_name.partition(" ")
    forms = [p.kab_name, p.kab_name.upper()]
    forms += [f"Kab. {bare}", f"KAB. {bare.upper()}", f"kab {bare.lower()}"] if kind == "Kabupaten" else [f"kota {bare}"]
    if p.kab_unique:
        forms.append(bare)
    return forms[i % len(forms)]


def spell_province(p: Place, i: int) -> str:
    short = {"64": "KALTIM", "65": "Kaltara", "32": "Jabar"}[p.province]
    return [p.province_name, f"Prov. {p.province_name}", p.province_name.upper(), short][i % 4]


FORMS = [("Primer Kab/Kota", "primer", "kabkota"), ("PRIMER PROVINSI", "primer", "provinsi"),
         ("Primer", "primer", "kabkota"), ("sekunder kabupaten/kota", "sekunder", "kabkota")]
JENIS = [("Koperasi Konsumen", "konsumen"), ("KONSUMEN", "konsumen"), ("Kop. Jasa", "jasa"), ("KSP", "simpan_pinjam"),
         ("simpan pinjam", "simpan_pinjam"), ("Produsen", "produsen"), ("pemasaran", "pemasaran")]
KELOMPOK = [("KUD", "Koperasi Unit Desa (KUD)"), ("Kopwan", "Koperasi Wanita (Kopwan)"),
            ("KOPERASI WANITA (KOPWAN)", "Koperasi Wanita (Kopwan)"), ("kopkar", "Koperasi Karyawan (Kopkar)"),
            ("KPRI", "Koperasi Pegawai Republik Indonesia (KPRI)"), ("Koperasi  Nelayan Pesisir", "Koperasi Nelayan Pesisir"),
            ("Kop. Serba Usaha", "Koperasi Serba Usaha (KSU)")]
SECTORS = [("Jasa Keuangan", "Jasa Keuangan"), ("PERDAGANGAN BESAR DAN ECERAN", "Perdagangan Besar dan Eceran"),
           ("Pariwisata Bahari", "Pariwisata Bahari")]
STATUS = [("AKTIF", "aktif"), ("Aktif", "aktif"), ("aktif ", "aktif"), ("Tidak Aktif", "tidak_aktif"),
          ("non aktif", "tidak_aktif"), ("Tidak Ditemukan di Alamat", "tidak_ditemukan")]


def good_rows(db, n: int = 42) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """``n`` rows over the places, each with its cells as written and what they must become."""
    rows = []
    ps = places(db)
    for i in range(n):
        p = ps[i % len(ps)]
        legal_date = dt.date(1995 + i % 20, 1 + i % 12, 1 + i % 28)
        date_cell: Any = [legal_date, legal_date.strftime("%d-%m-%Y"), legal_date.strftime("%d/%m/%Y"),
                          legal_date.isoformat(),
                          f"{legal_date.day} {('Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember')[legal_date.month - 1]} {legal_date.year}"][i % 5]
        nik = f"{p.province}{i:014d}" if i % 3 else None
        certified = bool(nik) and i % 2 == 0
        form = FORMS[i % len(FORMS)]
        status = STATUS[i % len(STATUS)]
        kelompok = KELOMPOK[i % len(KELOMPOK)]
        sector = SECTORS[i % len(SECTORS)]
        jenis = JENIS[i % len(JENIS)]
        members = 20 + i * 37
        cells = {
            "No": i + 1, "NIK": (f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}.{nik[6:]}" if i % 4 == 1 else nik) if nik else None,
            "Nama Koperasi": f"  Koperasi   Uji Impor {i} ", "No. Badan Hukum": f"{i}/BH/{p.province}/2001",
            "Tgl. Badan Hukum": date_cell, "Alamat": f"Jl. Uji No. {i}", "Provinsi": spell_province(p, i),
            "Kab/Kota": spell_kab(p, i), "Kecamatan": [p.kec_name, f"Kec. {p.kec_name}", p.kec_name.upper()][i % 3],
            "Desa/Kelurahan": [p.kel_name, ("Kel. " if p.kel_kind == "kelurahan" else "Desa ") + p.kel_name,
                               p.kel_name.lower()][i % 3],
            "Bentuk Koperasi": form[0], "Jenis Koperasi": jenis[0], "Pola": ["Konvensional", "SYARIAH"][i % 2],
            "Kelompok Koperasi": kelompok[0], "Sektor Usaha": sector[0], "Status": status[0],
            "Status NIK": (["Bersertifikat NIK", "sudah"][i % 2] if certified else ["BELUM BERSERTIFIKAT NIK", "belum"][i % 2])
            if nik else "Belum Ada NIK",
            "Anggota Pria": [members, f"{members:,}".replace(",", "."), f" {members} "][i % 3], "Anggota Wanita": i,
            "Modal Sendiri": [f"Rp {i * 1_250_000:,}".replace(",", ".") + ",00", i * 1_250_000][i % 2],
        }
        want = {"nik": nik, "name": f"Koperasi Uji Impor {i}", "legal_date": legal_date, "form": form[1],
                "membership_scope": form[2], "jenis": jenis[1], "status": status[1], "kelompok": kelompok[1],
                "sector": sector[1], "members_male": members, "own_capital": i * 1_250_000,
                "nik_status": ("bersertifikat" if certified else "belum_bersertifikat") if nik else "tidak_ada",
                "kabkota_code": p.kab, "kelurahan_code": p.kel, "province": p.province}
        rows.append({"cells": cells, "want": want})
    return rows


def write_office_workbook(path: Path, rows: list[dict[str, Any]], *, extra_sheet: str | None = None) -> Path:
    """Instructions first, then the data sheet laid out as offices keep it."""
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Petunjuk"
    for line in ("PETUNJUK PENGISIAN", "Kolom Nama Koperasi wajib diisi.", "Tulis NIK sebagai teks."):
        info.append([line])
    ws = wb.create_sheet("Data Koperasi")
    last = get_column_letter(len(HEADERS))
    ws["A1"] = "DAFTAR KOPERASI PROVINSI KALIMANTAN TIMUR, KALIMANTAN UTARA DAN JAWA BARAT"
    ws["A2"] = "Keadaan 30 Juni 2026"
    ws.merge_cells(f"A1:{last}1")
    ws.merge_cells(f"A2:{last}2")
    for j, h in enumerate(HEADERS, start=1):
        ws.cell(HEADER_ROW, j, h)
        ws.cell(NUMBERING_ROW, j, f"({j})")
    r = FIRST
    for row in rows:
        for j, h in enumerate(HEADERS, start=1):
            v = row["cells"].get(h)
            if v is not None:
                ws.cell(r, j, v)
        r += 1
    ws.cell(r + 1, 1, "JUMLAH")
    ws.cell(r + 1, HEADERS.index("Anggota Wanita") + 1, sum(x["cells"]["Anggota Wanita"] or 0 for x in rows))
    ws.cell(r + 3, HEADERS.index("Alamat") + 1, "Balikpapan, 30 Juni 2026")
    ws.cell(r + 4, HEADERS.index("Alamat") + 1, "Kepala Dinas")
    ws.cell(r + 7, HEADERS.index("Alamat") + 1, "NIP. 19700101 199503 1 001")
    if extra_sheet:
        other = wb.create_sheet(extra_sheet)
        other.append(["Nama Koperasi", "Kab/Kota", "Jenis"])
        other.append(["Koperasi Lembar Kedua", "Kota Balikpapan", "Jasa"])
    wb.save(path)
    return path


def counts(db) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return (s.scalar(select(func.count()).select_from(Cooperative)),
                s.scalar(select(func.count()).select_from(Kelompok)), s.scalar(select(func.count()).select_from(Sector)))


def expected_recap(rows: list[dict[str, Any]], province: str) -> dict[str, list[int]]:
    """Aktif, Tidak Aktif, Total, Bersertifikat NIK per kab/kota, counted from the rows themselves."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for row in rows:
        w = row["want"]
        if w["province"] != province:
            continue
        c = out[w["kabkota_code"]]
        c[0 if w["status"] == "aktif" else 1] += 1
        c[2] += 1
        c[3] += w["nik_status"] == "bersertifikat"
    return dict(out)


def test_an_office_workbook_imports_whole_on_both_backends(db, admin, tmp_path):
    rows = good_rows(db)
    path = write_office_workbook(tmp_path / "kantor.xlsx", rows)
    coops, kelompok, sectors = counts(db)
    preview, _ = ods_import.import_file(db, admin, path, today=TODAY, dry_run=True)
    # What the preview says about the file: the data sheet, what it skipped, the new lookup values.
    assert preview.sheet == "Data Koperasi" and preview.header_row == HEADER_ROW
    skipped = {s.what: s for s in preview.skipped}
    last = FIRST + len(rows) - 1
    assert skipped["judul"].rows == [1, 2] and skipped["nomor kolom"].rows == [NUMBERING_ROW]
    assert skipped["jumlah"].rows == [last + 2] and skipped["penutup"].rows == [last + 4, last + 5, last + 8]
    assert {(n.field, n.name) for n in preview.new_lookups} == {
        ("kelompok_id", "Koperasi Nelayan Pesisir"), ("sector_id", "Pariwisata Bahari")}
    notes = "\n".join(preview.notes())
    assert "Lembar «Data Koperasi» dipakai (judul kolom di baris 4)" in notes
    assert "blok judul (baris 1–2)" in notes and "Kelompok baru" in notes and "Pariwisata Bahari" in notes
    assert preview.counts() == {"baru": len(rows), "diperbarui": 0, "tidak berubah": 0, "tidak valid": 0}, [
        i.text() for i in preview.issues]
    assert counts(db) == (coops, kelompok, sectors)  # a dry run adds no lookup value

    preview, result = ods_import.import_file(db, admin, path, today=TODAY)
    assert result is not None and result.created == len(rows)
    assert {n.name for n in result.new_lookups} == {"Koperasi Nelayan Pesisir", "Pariwisata Bahari"}
    assert counts(db) == (coops + len(rows), kelompok + 1, sectors + 1)
    with db.read() as s:
        names = dict(s.execute(select(Kelompok.id, Kelompok.name)).all())
        sector_names = dict(s.execute(select(Sector.id, Sector.name)).all())
        stored = {c.legal_number: c for c in s.scalars(select(Cooperative))}
        for row in rows:
            w = row["want"]
            c = stored[row["cells"]["No. Badan Hukum"]]
            got = {"nik": c.nik, "name": c.name, "legal_date": c.legal_date, "form": c.form,
                   "membership_scope": c.membership_scope, "jenis": c.jenis, "status": c.status,
                   "kelompok": names[c.kelompok_id], "sector": sector_names[c.sector_id],
                   "members_male": c.members_male, "own_capital": c.own_capital, "nik_status": c.nik_status,
                   "kabkota_code": c.kabkota_code, "kelurahan_code": c.kelurahan_code, "province": c.province_code}
            assert got == w, row["cells"]
        # The recap of each imported province equals the counts computed above from the rows.
        for province in ("64", "65", "32"):
            rep = report_data.province_recap(s, province)
            got_recap = {r.code: [int(c.value or 0) for c in r.cells[:4]] for r in rep.rows if r.code and any(
                c.value for c in r.cells[:3])}
            assert got_recap == expected_recap(rows, province), province
    # The same file again: every row matched and unchanged.
    preview, _ = ods_import.import_file(db, admin, path, today=TODAY, dry_run=True)
    assert preview.counts()["tidak berubah"] == len(rows)


BAD = [  # header, value, reason fragment
    ("NIK", 6401010000000061, "format kolom NIK sebagai Teks"),
    ("NIK", "6,40101E+15", "notasi ilmiah"),
    ("Anggota Pria", "=10+20", "rumus =10+20 tanpa nilai tersimpan"),
    ("Kab/Kota", "Kota Tarakan", "tidak berada di Provinsi Kalimantan Timur"),
    ("Desa/Kelurahan", "Manggar", "tidak ada di Kecamatan"),
    ("Bentuk Koperasi", "Tersier", "harus Primer atau Sekunder"),
    ("Kelompok Koperasi", 12, "angka, bukan nama"),
    ("Kelompok Koperasi", "(14)", "bukan nama"),
    ("Tgl. Badan Hukum", 36389, "tanggal tertulis sebagai angka (36.389)"),
    ("Tgl. Badan Hukum", "01/01/2031", "tanggal 01/01/2031 tidak boleh di masa depan"),
    ("Anggota Pria", "12,5", "bukan bilangan bulat"),
    ("Jenis Koperasi", "Serba Usaha", "kelompok koperasi, bukan jenis"),
]


def test_every_bad_row_is_named_and_nothing_is_written(db, admin, tmp_path):
    rows = good_rows(db, 14)
    kaltim = next(r for r in rows if r["want"]["province"] == "64")
    bad_rows = []
    for k, (header, value, _reason) in enumerate(BAD):
        cells = {**kaltim["cells"], "No. Badan Hukum": f"BURUK/{k}", "NIK": f"640199{k:010d}", header: value}
        if header == "Kab/Kota":
            cells["Provinsi"], cells["Kecamatan"], cells["Desa/Kelurahan"] = "Kalimantan Timur", None, None
        bad_rows.append({"cells": cells, "want": None})
    # A bare name that is both a kabupaten and a kota of the province: both choices named.
    bekasi = next(r for r in rows if r["want"]["kabkota_code"] == "3275")
    bad_rows.append({"cells": {**bekasi["cells"], "Kab/Kota": "Bekasi", "NIK": None, "No. Badan Hukum": "BURUK/B",
                               "Kecamatan": None, "Desa/Kelurahan": None}, "want": None})
    mixed = rows[:7] + bad_rows + rows[7:]
    path = write_office_workbook(tmp_path / "buruk.xlsx", mixed)
    before = counts(db)
    with pytest.raises(ImportRejected) as err:
        ods_import.import_file(db, admin, path, today=TODAY)
    assert counts(db) == before  # nothing written, not even the new kelompok and sektor
    preview = err.value.preview
    assert preview is not None and preview.counts()["tidak valid"] == len(bad_rows)
    assert preview.counts()["baru"] == len(rows)
    issues: dict[int, Any] = {}
    for i in preview.issues:
        issues.setdefault(i.row, i)
    assert all(len(r.issues) == 1 for r in preview.rows if r.action == ods_import.INVALID), [
        [i.text() for i in r.issues] for r in preview.rows if len(r.issues) > 1]
    for k, (header, _value, reason) in enumerate(BAD):
        issue = issues[FIRST + 7 + k]
        assert (issue.column, issue.header) == (HEADERS.index(header) + 1, header), (header, issue.text())
        assert reason in issue.reason, issue.text()
        assert issue.text().startswith(f"Baris {FIRST + 7 + k}, kolom {COL[header]} «{header}»")
    bekasi_issue = issues[FIRST + 7 + len(BAD)]
    assert "Kabupaten Bekasi" in bekasi_issue.reason and "Kota Bekasi" in bekasi_issue.reason
    for issue in preview.issues:  # values as a clerk writes them, never a Python repr
        assert not re.search(r"datetime|Decimal\(|'|\bNone\b|Formula", issue.text()), issue.text()
    # The workbook of invalid rows: the faulty cell highlighted, the reason beside it.
    out = tmp_path / "masalah.xlsx"
    assert ods_import.write_issues_workbook(preview, out) == len(bad_rows)
    ws = openpyxl.load_workbook(out)["Baris Tidak Valid"]
    first_bad = HEADERS.index("NIK") + 2
    assert ws.cell(2, 1).value == FIRST + 7 and ws.cell(2, first_bad).fill.fgColor.rgb.endswith("FFC7CE")
    assert "Teks" in ws.cell(2, first_bad).comment.text
    # Valid rows only (the clerk's choice): the good rows go in, the bad ones are reported as skipped.
    _p, result = ods_import.import_file(db, admin, path, today=TODAY, valid_only=True)
    assert (result.created, result.skipped_invalid) == (len(rows), len(bad_rows))


def test_rows_outside_the_region_the_office_governs_are_refused(db, admin, tmp_path):
    rows = good_rows(db, 12)
    with db.transaction(admin) as s:
        s.execute(update(OfficeProfile).where(OfficeProfile.id == 1).values(region_code="64"))
    path = write_office_workbook(tmp_path / "kantor.xlsx", rows)
    with db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY)
    outside = [r for r in rows if r["want"]["province"] != "64"]
    invalid = [r for r in preview.rows if r.action == ods_import.INVALID]
    assert len(invalid) == len(outside) and all(
        "di luar wilayah kantor ini (Kalimantan Timur)" in r.issues[0].reason for r in invalid)
    assert preview.counts()["baru"] == len(rows) - len(outside)


def test_the_clerk_chooses_among_sheets_that_qualify(db, admin, tmp_path):
    rows = good_rows(db, 6)
    path = write_office_workbook(tmp_path / "dua.xlsx", rows, extra_sheet="Tambahan")
    with db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY)
        assert preview.sheet == "Data Koperasi" and [c.name for c in preview.sheets] == ["Data Koperasi", "Tambahan"]
        assert any("«Tambahan»" in n for n in preview.notes())
        other = ods_import.preview_import(s, path, sheet="Tambahan", today=TODAY, keep_values=True)
        assert other.counts()["tidak valid"] == 1 and "wajib diisi" in other.issues[0].reason
        with pytest.raises(ImportFileError, match="Lembar «Petunjuk» tidak memuat baris judul"):
            ods_import.preview_import(s, path, sheet="Petunjuk", today=TODAY)
        with pytest.raises(ImportFileError, match="Lembar «Tidak Ada» tidak ada"):
            ods_import.preview_import(s, path, sheet="Tidak Ada", today=TODAY)


def test_a_workbook_with_no_data_sheet_names_the_sheets_it_looked_at(db, admin, tmp_path):
    wb = openpyxl.Workbook()
    wb.active.title = "Petunjuk"
    wb.active.append(["Isi data di lembar berikut"])
    wb.create_sheet("Catatan").append(["Nomor", "Keterangan"])
    wb.save(tmp_path / "kosong.xlsx")
    with pytest.raises(ImportFileError, match="Lembar yang diperiksa: «Petunjuk», «Catatan»"):
        ods_import.import_file(db, admin, tmp_path / "kosong.xlsx", today=TODAY)


# ---------------------------------------------------------------------------------------------------------------
# Property: layouts and spellings do not change what is stored


@st.composite
def layouts(draw):  # type: ignore[no-untyped-def]
    return {
        "title_rows": draw(st.integers(0, 3)), "numbering": draw(st.booleans()), "totals": draw(st.booleans()),
        "instructions": draw(st.booleans()), "order": draw(st.permutations(range(7))),
        "header_case": draw(st.sampled_from([str.upper, str.lower, str.title, lambda x: x])),
        "kab": draw(st.sampled_from(["Kota Balikpapan", "KOTA BALIKPAPAN", "Balikpapan", "kota  balikpapan",
                                     "Kotamadya Balikpapan"])),
        "kec": draw(st.sampled_from(["Balikpapan Barat", "Kec. Balikpapan Barat", "KECAMATAN BALIKPAPAN BARAT"])),
        "jenis": draw(st.sampled_from(["Konsumen", "KOPERASI KONSUMEN", "Kop. Konsumen", " konsumen "])),
        "form": draw(st.sampled_from(["Primer Kab/Kota", "PRIMER KAB/KOTA", "primer kabupaten/kota", "Primer Kota"])),
        "kelompok": draw(st.sampled_from(["Kopwan", "KOPWAN", "Koperasi Wanita", "Koperasi Wanita (Kopwan)",
                                          "kop. wanita"])),
        "members": draw(st.sampled_from([1234, "1.234", " 1234 ", "1.234,00"])),
        "date": draw(st.sampled_from([dt.date(2001, 8, 17), "17-08-2001", "17/08/2001", "2001-08-17",
                                      "17 Agustus 2001", "17 AGT 2001"])),
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(layout=layouts())
def test_any_layout_and_spelling_stores_the_same_values(sqlite_db, tmp_path_factory, layout):
    headers = ["Nama Koperasi", "No. Badan Hukum", "Tanggal Badan Hukum", "Kab/Kota", "Kecamatan", "Jenis Koperasi",
               "Bentuk Koperasi"]
    extra = ["Kelompok Koperasi", "Anggota Pria"]
    values = ["Koperasi Tetap Sama", "1/BH/TETAP/2001", layout["date"], layout["kab"], layout["kec"], layout["jenis"],
              layout["form"]]
    order = list(layout["order"])
    wb = openpyxl.Workbook()
    ws = wb.active
    if layout["instructions"]:
        ws.title = "Petunjuk"
        ws.append(["Petunjuk"])
        ws = wb.create_sheet("Data")
    for t in range(layout["title_rows"]):
        ws.append([f"JUDUL {t}"])
    ws.append([layout["header_case"](headers[j]) for j in order] + extra)
    if layout["numbering"]:
        ws.append([f"({j + 1})" for j in range(len(headers) + len(extra))])
    ws.append([values[j] for j in order] + [layout["kelompok"], layout["members"]])
    if layout["totals"]:
        ws.append(["Jumlah", None, None, None, None, None, None, None, 1234])
    path = tmp_path_factory.mktemp("layout") / "tata-letak.xlsx"
    wb.save(path)
    with sqlite_db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY, keep_values=True)
        kopwan = s.scalar(select(Kelompok.id).where(Kelompok.name == "Koperasi Wanita (Kopwan)"))
    assert preview.counts()["baru"] == 1, [i.text() for i in preview.issues]
    clean = preview.rows[0].clean
    assert {k: clean[k] for k in ("name", "legal_date", "kabkota_code", "kecamatan_code", "jenis", "form",
                                  "membership_scope", "kelompok_id", "members_male")} == {
        "name": "Koperasi Tetap Sama", "legal_date": dt.date(2001, 8, 17), "kabkota_code": "6471",
        "kecamatan_code": "647102", "jenis": "konsumen", "form": "primer", "membership_scope": "kabkota",
        "kelompok_id": kopwan, "members_male": 1234}
