"""RAT compliance on SQLite and PostgreSQL: the deadline rule and its edges, summaries, bulk marking."""

from __future__ import annotations

import datetime as dt

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from kopdesk.models.errors import PermissionDenied, ValidationError
from kopdesk.models.rat import RatDeadline, RatRecord
from kopdesk.models.services.administration import settings
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.services.supervision import rat as rc
from tests.conftest import make_user
from tests.supervision.conftest import TODAY, make_coop


def test_default_deadline_by_form(db, admin):
    with db.read() as s:
        assert rc.deadline(s, 2024, "primer") == dt.date(2025, 4, 30)
        assert rc.deadline(s, 2024, "sekunder") == dt.date(2025, 6, 30)


def test_deadline_row_of_the_year_overrides_the_setting(db, admin):
    with db.transaction(admin) as s:
        s.add(RatDeadline(book_year=2023, form="primer", deadline=dt.date(2024, 3, 31), basis="SE Deputi"))
    with db.read() as s:
        assert rc.deadline(s, 2023, "primer") == dt.date(2024, 3, 31)
        assert rc.deadline(s, 2022, "primer") == dt.date(2023, 4, 30)


def test_leap_day_rule_falls_back_to_28_february_in_a_common_year(db, admin):
    with db.transaction(admin) as s:
        settings.put(s, admin, "rat.default_deadline", {"primer": "02-29", "sekunder": "06-30"})
    with db.read() as s:
        assert rc.deadline(s, 2023, "primer") == dt.date(2024, 2, 29)  # 2024 is a leap year
        assert rc.deadline(s, 2024, "primer") == dt.date(2025, 2, 28)
        assert rc.deadline(s, 1999, "primer") == dt.date(2000, 2, 29)  # 2000 is a leap year (div. by 400)
        assert rc.deadline(s, 2099, "primer") == dt.date(2100, 2, 28)  # 2100 is not


@pytest.mark.parametrize(("rat_date", "received", "state"), [
    (dt.date(2025, 4, 30), None, "tepat_waktu"),        # exactly on the deadline
    (dt.date(2025, 5, 1), None, "terlambat"),           # one day late
    (dt.date(2025, 1, 2), dt.date(2025, 9, 1), "tepat_waktu"),  # the meeting decides, not a late report
    (None, dt.date(2025, 4, 30), "tepat_waktu"),        # only the report known: its date decides
    (None, dt.date(2025, 5, 2), "terlambat"),
    (None, None, "belum"),                               # a record without a meeting
])
def test_judge_edges(rat_date, received, state):
    assert rc.judge(rat_date, received, dt.date(2025, 4, 30)) == state


def test_record_state_on_deadline_late_and_missing_per_form(db, admin):
    on_time = make_coop(db, admin)
    late_sek = make_coop(db, admin, form="sekunder")
    missing = make_coop(db, admin)
    no_meeting = make_coop(db, admin)
    with db.transaction(admin) as s:
        rc.record_rat(s, admin, on_time, 2024, {"rat_date": "30/04/2025", "attendance": "57"}, today=TODAY)
        rc.record_rat(s, admin, late_sek, 2024, {"rat_date": "2025-07-01"}, today=TODAY)
        rc.record_rat(s, admin, no_meeting, 2024, {"notes": "rapat belum dijadwalkan"}, today=TODAY)
    with db.read() as s:
        from kopdesk.models.cooperative import Cooperative
        states = {cid: rc.state_of(s, s.get(Cooperative, cid), 2024) for cid in (on_time, late_sek, missing, no_meeting)}
        rec = s.scalar(select(RatRecord).where(RatRecord.cooperative_id == on_time))
        assert rec.attendance == 57
    assert states == {on_time: "tepat_waktu", late_sek: "terlambat", missing: "belum", no_meeting: "belum"}


def test_record_rat_updates_only_given_fields(db, admin):
    cid = make_coop(db, admin)
    with db.transaction(admin) as s:
        rc.record_rat(s, admin, cid, 2024, {"rat_date": "2025-03-01", "has_minutes": True}, today=TODAY)
    with db.transaction(admin) as s:
        rc.record_rat(s, admin, cid, 2024, {"report_received_date": "2025-03-10"}, today=TODAY)
    with db.read() as s:
        rec = s.scalar(select(RatRecord).where(RatRecord.cooperative_id == cid))
        assert (rec.rat_date, rec.report_received_date, rec.has_minutes) == (dt.date(2025, 3, 1), dt.date(2025, 3, 10), True)
        assert s.scalar(select(func.count()).select_from(RatRecord)) == 1


@pytest.mark.parametrize(("data", "field", "message"), [
    ({"rat_date": "2024-12-31"}, "rat_date", "sesudah tahun buku 2024"),
    ({"rat_date": "2027-01-01"}, "rat_date", "masa depan"),
    ({"rat_date": "31/02/2025"}, "rat_date", "bukan tanggal"),
    ({"rat_date": "2025-03-10", "report_received_date": "2025-03-01"}, "report_received_date", "sebelum tanggal RAT"),
    ({"attendance": "-3"}, "attendance", "negatif"),
])
def test_record_rat_rejects_bad_input_and_writes_nothing(db, admin, data, field, message):
    cid = make_coop(db, admin)
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            rc.record_rat(s, admin, cid, 2024, data, today=TODAY)
    assert any(e.field == field and message in e.message for e in info.value.errors), info.value.errors
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(RatRecord)) == 0


def test_book_year_must_have_ended(db, admin):
    cid = make_coop(db, admin)
    with pytest.raises(ValidationError, match="Tahun buku"):
        with db.transaction(admin) as s:
            rc.record_rat(s, admin, cid, TODAY.year, {"rat_date": "2026-02-01"}, today=TODAY)


def test_pimpinan_may_not_record(db, admin):
    cid = make_coop(db, admin)
    boss = make_user(db, "kadis", "pimpinan")
    with pytest.raises(PermissionDenied):
        with db.transaction(boss) as s:
            rc.record_rat(s, boss, cid, 2024, {"rat_date": "2025-03-01"}, today=TODAY)


def test_summary_by_kecamatan_and_jenis_with_percentages(db, admin):
    a = make_coop(db, admin, kecamatan="647101", jenis="konsumen")
    b = make_coop(db, admin, kecamatan="647101", jenis="simpan_pinjam", pola="syariah")
    c = make_coop(db, admin, kecamatan="647106", jenis="konsumen")
    d = make_coop(db, admin, kecamatan="647106", jenis="jasa")
    make_coop(db, admin, kecamatan="647106", jenis="jasa", status="tidak_aktif")  # not obliged
    make_coop(db, admin, kecamatan="647106", registered_on="2025-08-01")  # registered after the deadline
    with db.transaction(admin) as s:
        rc.record_rat(s, admin, a, 2024, {"rat_date": "2025-04-30"}, today=TODAY)
        rc.record_rat(s, admin, b, 2024, {"rat_date": "2025-05-30"}, today=TODAY)
        rc.record_rat(s, admin, c, 2024, {"report_received_date": "2025-02-14"}, today=TODAY)
    with db.read() as s:
        sm = rc.summary(s, 2024, region_code="64.71", today=TODAY, keep_rows=True)
    t = sm.total
    assert (t.obliged, t.tepat_waktu, t.terlambat, t.belum, t.held) == (4, 2, 1, 1, 3)
    assert str(t.held_pct) == "75.00" and str(t.pct("belum")) == "25.00"
    kec = {code: (name, tl) for code, name, tl in sm.by_kecamatan}
    assert kec["647101"][0] == "Balikpapan Timur" and kec["647101"][1].held == 2
    assert (kec["647106"][1].obliged, kec["647106"][1].belum) == (2, 1)
    jen = dict(sm.by_jenis)
    assert jen["KSP Syariah"].terlambat == 1 and jen["Jasa"].belum == 1 and jen["Konsumen"].tepat_waktu == 2
    assert sm.reference_date == dt.date(2025, 6, 30)
    assert {r.cooperative_id for r in sm.rows if r.state == "belum"} == {d}


def test_obliged_uses_status_on_the_reference_date(db, admin):
    cid = make_coop(db, admin)
    with db.transaction(admin) as s:
        registry.change_status(s, admin, cid, "tidak_aktif", reason="tutup", effective_date=dt.date(2026, 1, 10))
    with db.read() as s:
        # Active on 30 June 2025, so still obliged for book year 2024 although inactive now.
        assert rc.summary(s, 2024, today=TODAY).total.obliged == 1
        assert rc.summary(s, 2025, today=TODAY).total.obliged == 0


def test_bulk_mark_all_or_nothing_with_row_report(db, admin):
    a = make_coop(db, admin, nik="6471000000000101")
    make_coop(db, admin, nik="6471000000000102")
    make_coop(db, admin, nik="6471000000000103", status="tidak_aktif")
    rows = rc.parse_nik_text("6471.0000.0000.0101\n\n6471000000000999\n6471000000000101\nABC\n6471000000000102;2024-05-01")
    with pytest.raises(rc.BulkMarkRejected) as info:
        with db.transaction(admin) as s:
            rc.bulk_mark(s, admin, 2024, rows, today=TODAY)
    report = {u.line: u.reason for u in info.value.unmatched}
    assert report == {3: "NIK tidak terdaftar", 4: "NIK sama dengan baris 1", 5: "NIK hanya boleh berisi angka",
                      6: "Tanggal RAT: harus sesudah tahun buku 2024 berakhir"}
    assert "tidak ada yang disimpan" in str(info.value)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(RatRecord)) == 0
    with db.transaction(admin) as s:
        rc.record_rat(s, admin, a, 2024, {"rat_date": "2025-03-03"}, today=TODAY)
    good = rc.parse_nik_text("6471000000000101, 6471000000000102, 6471000000000103")
    with db.transaction(admin) as s:
        res = rc.bulk_mark(s, admin, 2024, good, received_on=dt.date(2025, 4, 2), today=TODAY)
    assert (res.created, res.updated) == (2, 1)
    with db.read() as s:
        recs = {r.cooperative_id: r for r in s.scalars(select(RatRecord))}
        assert recs[a].rat_date == dt.date(2025, 3, 3) and recs[a].report_received_date == dt.date(2025, 4, 2)
        assert len(recs) == 3


def test_bulk_mark_refuses_dissolved(db, admin):
    cid = make_coop(db, admin, nik="6471000000000201", status="proses_pembubaran")
    with db.transaction(admin) as s:
        registry.change_status(s, admin, cid, "dibubarkan", reason="SK", effective_date=TODAY)
    with pytest.raises(rc.BulkMarkRejected, match="dibubarkan"):
        with db.transaction(admin) as s:
            rc.bulk_mark(s, admin, 2024, rc.parse_nik_text("6471000000000201"), today=TODAY)


def test_bulk_mark_from_excel(db, admin, tmp_path):
    make_coop(db, admin, nik="6471000000000301")
    make_coop(db, admin, nik="6471000000000302")
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "NIK Koperasi", "Tanggal RAT", "Jumlah Hadir"])
    ws.append([1, 6471000000000301, dt.datetime(2025, 3, 15), 40])
    ws.append([None, None, None, None])
    ws.append([2, "6471000000000302", "20/06/2025", None])
    path = tmp_path / "rat.xlsx"
    wb.save(path)
    rows = rc.read_mark_file(path)
    assert [(r.line, r.nik) for r in rows] == [(2, "6471000000000301"), (4, "6471000000000302")]
    with db.transaction(admin) as s:
        rc.bulk_mark(s, admin, 2024, rows, today=TODAY)
    with db.read() as s:
        sm = rc.summary(s, 2024, today=TODAY)
    assert (sm.total.tepat_waktu, sm.total.terlambat) == (1, 1)


def test_excel_without_nik_column_is_refused(tmp_path):
    wb = Workbook()
    wb.active.append(["Nama", "Tanggal"])
    path = tmp_path / "x.xlsx"
    wb.save(path)
    with pytest.raises(ValidationError, match="NIK"):
        rc.read_mark_file(path)
    bad = tmp_path / "bad.xlsx"
    bad.write_text("bukan excel")
    with pytest.raises(ValidationError, match="tidak dapat dibaca"):
        rc.read_mark_file(bad)
