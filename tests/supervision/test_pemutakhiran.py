"""Pemutakhiran rounds on SQLite and PostgreSQL: scope, officers, visits, progress, preview and closing rules."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.errors import ConflictError, NotFoundError, PermissionDenied, ValidationError
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.supervision import RoundCooperative, Visit
from tests.conftest import make_user
from tests.supervision.conftest import TODAY, make_coop

D = "2026-10-05"


def new_round(db, actor, **kw):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        return pm.create_round(s, actor, kw.pop("name", "Pemutakhiran 2026"), started_on=dt.date(2026, 10, 1),
                               today=TODAY, **kw).id


def visit(db, actor, rid, cid, **data):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        return pm.record_visit(s, actor, rid, cid, {"visit_date": D, "officer_name": "Rahmat", **data}, today=TODAY).id


def test_scope_region_kecamatan_and_ids(db, admin):
    a = make_coop(db, admin, kecamatan="647101")
    b = make_coop(db, admin, kecamatan="647102")
    c = make_coop(db, admin, kecamatan="647102", status="proses_pembubaran")
    d = make_coop(db, admin, kecamatan="647103", status="proses_pembubaran")
    with db.transaction(admin) as s:
        registry.change_status(s, admin, d, "dibubarkan", reason="SK", effective_date=TODAY)
    r1 = new_round(db, admin, region_code="64.71")
    r2 = new_round(db, admin, kecamatan_codes=["64.71.02"], region_code="6471")
    r3 = new_round(db, admin, cooperative_ids=[a, d, 99999])
    with db.read() as s:
        def members(r):  # type: ignore[no-untyped-def]
            return set(s.scalars(select(RoundCooperative.cooperative_id).where(RoundCooperative.round_id == r)))
        assert members(r1) == {a, b, c} and members(r2) == {b, c} and members(r3) == {a}
    with pytest.raises(ValidationError, match="tidak ada koperasi"):
        new_round(db, admin, kecamatan_codes=["647105"], region_code="6471")
    with pytest.raises(ValidationError, match="Nama putaran"):
        new_round(db, admin, name=" ", region_code="6471")


def test_officers_per_kecamatan(db, admin):
    make_coop(db, admin)
    rid = new_round(db, admin, region_code="6471")
    with db.transaction(admin) as s:
        pm.assign_officer(s, admin, rid, "64.71.01", "Rahmat Hidayat", "19800101 200501 1 002")
        pm.assign_officer(s, admin, rid, "647101", "Siti Aminah")
        pm.assign_officer(s, admin, rid, "647106", "Budi")
    with db.read() as s:
        assert pm.officers(s, rid) == {"647101": ["Rahmat Hidayat", "Siti Aminah"], "647106": ["Budi"]}
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            pm.assign_officer(s, admin, rid, "6471", "", "123")
    assert {e.field for e in info.value.errors} == {"officer_name", "officer_nip", "kecamatan_code"}


def test_visit_validation_names_fields(db, admin, tmp_path):
    cid = make_coop(db, admin)
    rid = new_round(db, admin, region_code="6471")
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            pm.record_visit(s, admin, rid, cid, {"visit_date": "2026-12-01", "found_at_address": "mungkin",
                                                 "photo_path": str(tmp_path / "tidak-ada.jpg")}, today=TODAY)
    fields = {e.field: e.message for e in info.value.errors}
    assert "masa depan" in fields["visit_date"] and "Ya atau Tidak" in fields["found_at_address"]
    assert "tidak dapat dibaca" in fields["photo_path"]
    with pytest.raises(ValidationError, match="sebelum putaran dimulai"):
        visit(db, admin, rid, cid, visit_date="2026-09-30", found_at_address="ya")
    with pytest.raises(ValidationError, match="Ditemukan di alamat: wajib"):
        visit(db, admin, rid, cid)
    other = make_coop(db, admin, kecamatan="647102")
    r2 = new_round(db, admin, kecamatan_codes=["647101"], region_code="6471")
    with pytest.raises(NotFoundError):
        visit(db, admin, r2, other, found_at_address="ya")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Visit)) == 0


def test_visit_records_everything_and_photo(db, admin, tmp_path):
    cid = make_coop(db, admin)
    rid = new_round(db, admin, region_code="6471")
    photo = tmp_path / "papan.jpg"
    photo.write_bytes(b"\xff\xd8\xff fake jpeg")
    visit(db, admin, rid, cid, found_at_address="Tidak", new_address="Jl. Baru 7", business_active="ya",
          rat_held_last_year="ya", contact_person="Pak Ali", contact_phone="0812-555", notes="pindah 2025",
          photo_path=str(photo))
    visit(db, admin, rid, cid, found_at_address="Tidak", new_address="Jl. Baru 7", business_active="ya",
          rat_held_last_year="tidak", contact_person="Pak Ali")  # correction: same row updated
    with db.read() as s:
        v = s.scalar(select(Visit))
        assert (v.result, v.new_address, v.business_active, v.rat_held_last_year) == ("pindah_alamat", "Jl. Baru 7", True, False)
        assert v.photo == b"\xff\xd8\xff fake jpeg" and v.photo_name == "papan.jpg"
        assert s.scalar(select(func.count()).select_from(Visit)) == 1


@pytest.mark.parametrize(("found", "new", "active", "result"), [
    (False, None, None, "tidak_ditemukan"), (False, "Jl. X", None, "pindah_alamat"), (True, None, True, "aktif"),
    (True, None, False, "tidak_aktif"), (True, None, None, "ditemukan"),
])
def test_derive_result(found, new, active, result):
    assert pm.derive_result(found, new, active) == result


def test_progress_and_status_rules_on_close(db, admin):
    not_found = make_coop(db, admin, name="A Tidak Ditemukan")
    inactive = make_coop(db, admin, name="B Tidak Aktif")
    back = make_coop(db, admin, name="C Aktif Kembali", status="tidak_aktif")
    back2 = make_coop(db, admin, name="D Ditemukan Lagi", status="tidak_ditemukan")
    steady = make_coop(db, admin, name="E Tetap Aktif")
    moved = make_coop(db, admin, name="F Pindah")
    unknown = make_coop(db, admin, name="G Tidak Diketahui")
    dissolving = make_coop(db, admin, name="H Pembubaran", status="proses_pembubaran")
    already = make_coop(db, admin, name="I Sudah Tidak Aktif", status="tidak_aktif")
    unvisited = make_coop(db, admin, name="J Belum Dikunjungi")
    rid = new_round(db, admin, region_code="6471")
    visit(db, admin, rid, not_found, found_at_address="tidak")
    visit(db, admin, rid, inactive, found_at_address="ya", business_active="tidak")
    visit(db, admin, rid, back, found_at_address="ya", business_active="ya")
    visit(db, admin, rid, back2, found_at_address="ya", business_active="ya")
    visit(db, admin, rid, steady, found_at_address="ya", business_active="ya")
    vid_moved = visit(db, admin, rid, moved, found_at_address="tidak", new_address="Jl. Baru 9", business_active="ya")
    visit(db, admin, rid, unknown, found_at_address="ya")
    visit(db, admin, rid, dissolving, found_at_address="tidak")
    visit(db, admin, rid, already, found_at_address="ya", business_active="tidak")
    with db.read() as s:
        p = pm.progress(s, rid)
        assert (p.covered, p.visited, p.found, p.moved, p.not_found, p.active, p.inactive, p.remaining) == \
               (10, 9, 6, 1, 2, 4, 2, 1)
        prev = pm.close_preview(s, rid)
    planned = {c.cooperative_id: (c.from_status, c.to_status) for c in prev.changes}
    assert planned == {not_found: ("aktif", "tidak_ditemukan"), inactive: ("aktif", "tidak_aktif"),
                       back: ("tidak_aktif", "aktif"), back2: ("tidak_ditemukan", "aktif"), moved: ("aktif", None)}
    assert [c.cooperative_id for c in prev.skipped] == [dissolving]
    assert (prev.unchanged, prev.not_visited) == (3, 1)
    assert prev.count_by_target() == {"tidak_ditemukan": 1, "tidak_aktif": 1, "aktif": 2}
    with db.transaction(admin) as s:
        pm.close_round(s, admin, rid, prev, closed_on=dt.date(2026, 10, 31))
    with db.read() as s:
        status = dict(s.execute(select(Cooperative.id, Cooperative.status)).all())
        assert status[not_found] == "tidak_ditemukan" and status[inactive] == "tidak_aktif"
        assert status[back] == status[back2] == status[steady] == status[moved] == "aktif"
        assert status[dissolving] == "proses_pembubaran" and status[unvisited] == "aktif"
        assert s.get(Cooperative, moved).address == "Jl. Baru 9"
        ch = s.scalar(select(StatusChange).where(StatusChange.cooperative_id == not_found, StatusChange.source == "pemutakhiran"))
        v = s.scalar(select(Visit).where(Visit.cooperative_id == not_found))
        assert ch.source_ref == f"visit:{v.id}" and ch.effective_date == dt.date(2026, 10, 31)
        assert "Tidak ditemukan di alamat terdaftar" in ch.reason and ch.username == "admin"
        assert s.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.source == "pemutakhiran")) == 4
        info = pm.last_closed_round(s)
        assert info.id == rid and info.status == "ditutup" and info.closed_on == dt.date(2026, 10, 31)
    assert vid_moved
    with pytest.raises(pm.RoundClosed, match="sudah ditutup"):
        visit(db, admin, rid, unvisited, found_at_address="ya")


def test_close_refuses_a_stale_preview_and_writes_nothing(db, admin):
    a = make_coop(db, admin)
    b = make_coop(db, admin)
    rid = new_round(db, admin, region_code="6471")
    visit(db, admin, rid, a, found_at_address="tidak")
    with db.read() as s:
        prev = pm.close_preview(s, rid)
    visit(db, admin, rid, b, found_at_address="ya", business_active="tidak")  # another clerk, after the preview
    with pytest.raises(ConflictError):
        with db.transaction(admin) as s:
            pm.close_round(s, admin, rid, prev, closed_on=TODAY)
    with db.read() as s:
        assert set(s.scalars(select(Cooperative.status))) == {"aktif"}
        assert pm.list_rounds(s)[0].status == "berjalan"


def test_pimpinan_cannot_record_visits(db, admin):
    cid = make_coop(db, admin)
    rid = new_round(db, admin, region_code="6471")
    boss = make_user(db, "kadis", "pimpinan")
    with pytest.raises(PermissionDenied):
        visit(db, boss, rid, cid, found_at_address="ya")


def test_grid_rows_and_field_sheet_rows(db, admin):
    a = make_coop(db, admin, name="Koperasi Anggrek", officers=[{"role": "ketua", "name": "H. Sulaiman"},
                                                                {"role": "bendahara", "name": "Wati"},
                                                                {"role": "pengawas", "name": "Tono"}])
    make_coop(db, admin, name="Koperasi Bakung", kecamatan="647102")
    rid = new_round(db, admin, region_code="6471")
    visit(db, admin, rid, a, found_at_address="ya", business_active="ya")
    with db.read() as s:
        rows = pm.grid_rows(s, rid)
        assert [r.name for r in rows] == ["Koperasi Anggrek", "Koperasi Bakung"]
        assert rows[0].kecamatan == "Balikpapan Timur" and rows[0].result == "aktif" and rows[1].result is None
        sheet = pm.field_sheet_rows(s, rid, "64.71.01")
    assert [(r.name, r.board) for r in sheet] == [("Koperasi Anggrek", "Ketua: H. Sulaiman; Bendahara: Wati")]
