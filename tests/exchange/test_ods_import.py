"""ODS import: tolerant headers, preview, matching, broken rows reported and nothing written, valid-only, cancel."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import func, select

from kopdesk.models.audit import AuditEntry
from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.progress import Cancelled
from kopdesk.models.services.exchange import ods_import
from kopdesk.models.services.exchange.ods_import import ImportFileError, ImportRejected
from tests.reports.conftest import TODAY

HEADER = ["No", "  nama KOPERASI ", "NIK", "Nomor Badan Hukum Pendirian", "Tgl. Badan Hukum", "Alamat", "Kabupaten",
          "Kecamatan", "Desa / Kelurahan", "Jenis", "Pola", "Status", "Anggota Pria", "Modal Sendiri"]


def good_row(i: int, **over):  # type: ignore[no-untyped-def]
    row = {"No": i, "  nama KOPERASI ": f"Koperasi Impor {i}", "NIK": f"65710100000{i:05d}",
           "Nomor Badan Hukum Pendirian": f"{i}/BH/IMP/2010", "Tgl. Badan Hukum": "14/07/2010",
           "Alamat": f"Jl. Impor {i}", "Kabupaten": "Kota Tarakan", "Kecamatan": "tarakan barat",
           "Desa / Kelurahan": "Karang Anyar", "Jenis": "Konsumen", "Pola": "Konvensional", "Status": "Aktif",
           "Anggota Pria": "1.250", "Modal Sendiri": "Rp 12.500.000,00"}
    row.update(over)
    return row


def write(path, rows, header=HEADER, *, before=None):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    for line in before or []:
        ws.append(line)
    ws.append(header)
    for r in rows:
        ws.append([r.get(h) for h in header])
    wb.save(path)
    return path


def coop_count(db) -> int:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(Cooperative))


def test_import_new_rows_with_tolerant_headers_and_indonesian_numbers(db, admin, tmp_path):
    rows = [good_row(1), good_row(2, **{"Tgl. Badan Hukum": dt.datetime(2011, 5, 6)}), good_row(3, Status="Tidak Aktif")]
    path = write(tmp_path / "ods.xlsx", rows, header=HEADER[::-1])  # any column order
    preview, result = ods_import.import_file(db, admin, path, today=TODAY)
    assert preview.counts() == {"baru": 3, "diperbarui": 0, "tidak berubah": 0, "tidak valid": 0}
    assert result.created == 3
    with db.read() as s:
        c = s.scalar(select(Cooperative).where(Cooperative.nik == "6571010000000002"))
        assert c.legal_date == dt.date(2011, 5, 6) and c.members_male == 1250 and c.own_capital == 12_500_000
        assert (c.kabkota_code, c.kecamatan_code, c.kelurahan_code) == ("6571", "657101", "6571011001")
        assert s.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.source == "import")) == 3
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "create",
                                                                            AuditEntry.entity == "cooperative")) == 3
    # The same file again: unchanged. A changed file: updates matched by NIK, legal number, then name + kelurahan.
    preview, _ = ods_import.import_file(db, admin, path, today=TODAY, dry_run=True)
    assert preview.counts()["tidak berubah"] == 3
    changed = [good_row(1, **{"Anggota Pria": 99}), good_row(2, NIK=None, **{"Modal Sendiri": 5, "Tgl. Badan Hukum": "6 Mei 2011"}),
               good_row(3, NIK=None, Status="Tidak Aktif", **{"Nomor Badan Hukum Pendirian": None, "Alamat": "Jl. Baru 3"})]
    preview, result = ods_import.import_file(db, admin, write(tmp_path / "b.xlsx", changed), today=TODAY)
    assert [r.matched_by for r in preview.rows] == ["NIK", "nomor badan hukum", "nama dan kelurahan"]
    assert [[(c.field, c.old, c.new) for c in r.changes] for r in preview.rows] == [
        [("members_male", 1250, 99)], [("own_capital", 12_500_000, 5)], [("address", "Jl. Impor 3", "Jl. Baru 3")]]
    assert result.updated == 3 and coop_count(db) == 3
    with db.read() as s:
        c = s.scalar(select(Cooperative).where(Cooperative.nik == "6571010000000001"))
        assert c.members_male == 99 and c.version == 2


BROKEN = [
    ("bad NIK", {"NIK": "65AB"}, "NIK", "angka"),
    ("unknown kecamatan", {"Kecamatan": "Tarakan Selatan Jauh"}, "Kecamatan", "tidak ada di Kota Tarakan"),
    ("future date", {"Tgl. Badan Hukum": "01/01/2099"}, "Tgl. Badan Hukum", "masa depan"),
    ("missing name", {"  nama KOPERASI ": None}, "  nama KOPERASI ", "wajib diisi"),
    ("bad number", {"Anggota Pria": "banyak"}, "Anggota Pria", "angka"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_row_is_reported_and_nothing_is_written(db, admin, tmp_path, case):
    _name, over, header, reason = case
    rows = [good_row(1), good_row(2, **over), good_row(3)]
    path = write(tmp_path / "broken.xlsx", rows)
    with pytest.raises(ImportRejected):
        ods_import.import_file(db, admin, path, today=TODAY)
    assert coop_count(db) == 0
    preview, _ = ods_import.import_file(db, admin, path, today=TODAY, dry_run=True)
    bad = [r for r in preview.rows if r.action == "tidak valid"]
    assert [r.row for r in bad] == [3]
    issue = bad[0].issues[0]
    assert issue.row == 3 and issue.column == HEADER.index(header) + 1 and reason in issue.reason
    # The invalid rows saved as a workbook with the faulty cell highlighted.
    out = tmp_path / "masalah.xlsx"
    assert ods_import.write_issues_workbook(preview, out) == 1
    ws = openpyxl.load_workbook(out)["Baris Tidak Valid"]
    assert ws.cell(2, 1).value == 3
    cell = ws.cell(2, HEADER.index(header) + 2)
    assert cell.fill.fgColor.rgb.endswith("FFC7CE") and reason in cell.comment.text
    # Valid rows only: the two good rows go in, the broken one is skipped.
    _p, result = ods_import.import_file(db, admin, path, today=TODAY, valid_only=True)
    assert (result.created, result.skipped_invalid) == (2, 1) and coop_count(db) == 2


def test_duplicate_nik_in_file(db, admin, tmp_path):
    path = write(tmp_path / "dup.xlsx", [good_row(1), good_row(2, NIK="6571010000000001")])
    preview, _ = ods_import.import_file(db, admin, path, today=TODAY, dry_run=True)
    issue = preview.rows[1].issues[0]
    assert "NIK ganda" in issue.reason and "baris 2" in issue.reason and issue.row == 3
    with pytest.raises(ImportRejected):
        ods_import.import_file(db, admin, path, today=TODAY)
    assert coop_count(db) == 0


def test_merged_header_cells_and_two_row_headers(db, admin, tmp_path):
    # "Nama Koperasi" merged over the NIK column: that column has no header of its own -> the file is refused.
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nama Koperasi", None, "Kab/Kota", "Jenis"])
    ws.append(["Koperasi A", "6571010000000009", "Kota Tarakan", "Jasa"])
    ws.merge_cells("A1:B1")
    wb.save(tmp_path / "merged.xlsx")
    with pytest.raises(ImportFileError, match="digabung"):
        ods_import.import_file(db, admin, tmp_path / "merged.xlsx", today=TODAY)
    assert coop_count(db) == 0
    # A legitimate two-row header: "Anggota" merged over "Pria" and "Wanita".
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Laporan ODS Kota Tarakan"])
    ws.append(["Nama Koperasi", "No. Badan Hukum", "Tanggal Badan Hukum", "Kab/Kota", "Jenis", "Anggota", None])
    ws.append([None, None, None, None, None, "Pria", "Wanita"])
    ws.merge_cells("F2:G2")
    ws.append(["Koperasi B", "9/BH/2001", dt.datetime(2001, 1, 2), "Tarakan", "jasa", 10, 12])
    wb.save(tmp_path / "two.xlsx")
    preview, result = ods_import.import_file(db, admin, tmp_path / "two.xlsx", today=TODAY)
    assert preview.rows[0].row == 4 and result.created == 1
    with db.read() as s:
        c = s.scalar(select(Cooperative))
        assert (c.members_male, c.members_female, c.kabkota_code) == (10, 12, "6571")


def test_not_a_workbook(db, admin, tmp_path):
    path = tmp_path / "bukan.xlsx"
    path.write_bytes(b"%PDF-1.4 bukan buku kerja")
    with pytest.raises(ImportFileError, match="bukan buku kerja"):
        ods_import.import_file(db, admin, path, today=TODAY)
    assert coop_count(db) == 0


def test_cancel_and_crash_leave_the_database_unchanged(db, admin, tmp_path):
    path = write(tmp_path / "many.xlsx", [good_row(i) for i in range(1, 40)])
    saving = {"seen": False}

    def note(done, total, text):  # type: ignore[no-untyped-def]
        saving["seen"] = saving["seen"] or text.startswith("Menyimpan")

    with pytest.raises(Cancelled):  # cancelled once the first rows are written, inside the transaction
        ods_import.import_file(db, admin, path, today=TODAY, progress=note, cancelled=lambda: saving["seen"])
    assert saving["seen"]
    assert coop_count(db) == 0

    def boom(done, total, text):  # type: ignore[no-untyped-def]
        if text.startswith("Menyimpan"):
            raise RuntimeError("listrik padam")

    with pytest.raises(RuntimeError):
        ods_import.import_file(db, admin, path, today=TODAY, progress=boom)
    assert coop_count(db) == 0
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(StatusChange)) == 0


def test_a_save_between_preview_and_import_is_a_conflict(db, admin, tmp_path):
    from kopdesk.models.errors import ConflictError
    from kopdesk.models.services.registry import cooperatives as registry

    ods_import.import_file(db, admin, write(tmp_path / "a.xlsx", [good_row(1), good_row(2)]), today=TODAY)
    path = write(tmp_path / "b.xlsx", [good_row(1, Alamat="Jl. Baru"), good_row(2, Alamat="Jl. Baru 2")])
    with db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY)
    with db.transaction(admin) as s:  # a clerk edits cooperative 2 after the preview
        coop = s.scalar(select(Cooperative).where(Cooperative.nik == "6571010000000002"))
        registry.update_cooperative(s, admin, coop.id, coop.version, {"phone": "0551-21000"}, today=TODAY)
    with pytest.raises(ConflictError), db.transaction(admin) as s:
        ods_import.apply_import(s, admin, preview, today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative).where(Cooperative.address == "Jl. Baru")) == 0


def test_large_sqlite_import_keeps_the_search_index(sqlite_db, tmp_path, monkeypatch):
    from kopdesk.models.queries import RegistryFilter, search_ids
    from tests.conftest import make_user

    monkeypatch.setattr(ods_import, "FTS_BULK_THRESHOLD", 2)
    admin = make_user(sqlite_db, "admin", "admin")
    path = write(tmp_path / "a.xlsx", [good_row(i, **{"  nama KOPERASI ": f"Koperasi Cendrawasih {i}"}) for i in (1, 2, 3)])
    with pytest.raises(Cancelled):  # cancelled with the trigger dropped: it must come back with the rollback
        ods_import.import_file(sqlite_db, admin, path, today=TODAY,
                               progress=lambda d, t, x: None, cancelled=_cancel_after_inserts())
    with sqlite_db.read() as s:
        assert s.connection().exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name='cooperative_fts_ai'").scalar() == 1
    ods_import.import_file(sqlite_db, admin, path, today=TODAY)
    with sqlite_db.read() as s:
        assert len(search_ids(s, RegistryFilter(text="cendrawasih"))) == 3
        trig = s.connection().exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type='trigger' AND name='cooperative_fts_ai'").scalar()
        assert trig == 1
    from kopdesk.models.services.registry import cooperatives as registry

    with sqlite_db.transaction(admin) as s:  # the trigger works again for ordinary saves
        registry.create_cooperative(s, admin, {"name": "Koperasi Cendrawasih Baru", "legal_number": "1/X",
                                               "legal_date": "2001-01-01", "address": "Jl. A", "jenis": "jasa",
                                               "kabkota_code": "6571"}, today=TODAY)
    with sqlite_db.read() as s:
        assert len(search_ids(s, RegistryFilter(text="cendrawasih"))) == 4


def _cancel_after_inserts():  # type: ignore[no-untyped-def]
    import inspect

    def cancelled() -> bool:
        return any(isinstance(f.frame.f_locals.get("self"), ods_import._Writer)
                   and f.frame.f_locals["self"].fts_trigger and f.frame.f_locals["self"].created_ids
                   for f in inspect.stack())

    return cancelled
