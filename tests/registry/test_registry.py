"""Registry services on SQLite and PostgreSQL: validation, audit trail, optimistic locking, status history."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from kopdesk.models.audit import AuditEntry
from kopdesk.models.cooperative import Cooperative, Officer, StatusChange
from kopdesk.models.errors import ConflictError, InvalidTransition, PermissionDenied, ValidationError
from kopdesk.models.services.registry import cooperatives as registry
from tests.conftest import make_user

TODAY = dt.date(2026, 11, 23)


def base_data(**over):  # type: ignore[no-untyped-def]
    data = {
        "name": "Koperasi Konsumen Karya Bersama", "nik": "6471010000000001", "legal_number": "503/BH/XVI.5/1998",
        "legal_date": "1998-03-14", "address": "Jl. Mulawarman No. 12", "kelurahan_code": "64.71.01.1001",
        "jenis": "konsumen", "members_male": "120", "members_female": 80, "own_capital": "Rp 150.000.000",
    }
    data.update(over)
    return data


def create(db, actor, **over):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        coop, _ = registry.create_cooperative(s, actor, base_data(**over), today=TODAY,
                                              officers=[{"role": "ketua", "name": "H. Sulaiman", "sex": "L"}])
        return coop.id, coop.version


def test_create_fills_region_chain_and_parses_indonesian_numbers(db, admin):
    coop_id, version = create(db, admin)
    with db.read() as s:
        c = s.get(Cooperative, coop_id)
        assert (c.province_code, c.kabkota_code, c.kecamatan_code, c.kelurahan_code) == ("64", "6471", "647101", "6471011001")
        assert c.own_capital == 150_000_000 and c.members_total == 200
        assert c.legal_date == dt.date(1998, 3, 14) and version == 1
        changes = s.scalars(select(StatusChange).where(StatusChange.cooperative_id == coop_id)).all()
        assert [(x.from_status, x.to_status) for x in changes] == [(None, "aktif")]


def test_create_writes_audit_entries_with_the_actor(db, operator):
    coop_id, _ = create(db, operator)
    with db.read() as s:
        rows = s.execute(select(AuditEntry.entity, AuditEntry.action, AuditEntry.username, AuditEntry.entity_id)
                         .where(AuditEntry.cooperative_id == coop_id).order_by(AuditEntry.id)).all()
    assert ("cooperative", "create", "operator1", str(coop_id)) in rows
    assert any(r[0] == "officer" and r[1] == "create" for r in rows)


def test_update_audits_each_changed_field_old_and_new(db, admin):
    coop_id, version = create(db, admin)
    with db.transaction(admin) as s:
        registry.update_cooperative(s, admin, coop_id, version, {"name": "Koperasi Karya Bersama Jaya", "assets": "2.500.000"},
                                    today=TODAY)
    with db.read() as s:
        rows = s.execute(select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                         .where(AuditEntry.cooperative_id == coop_id, AuditEntry.action == "update")).all()
    assert set(rows) == {("name", "Koperasi Konsumen Karya Bersama", "Koperasi Karya Bersama Jaya"), ("assets", "0", "2500000")}


@pytest.mark.parametrize(("field", "value", "message"), [
    ("nik", "64AB01", "hanya boleh berisi angka"),
    ("legal_date", "2030-01-01", "tidak boleh di masa depan"),
    ("legal_date", "31/02/2020", "bukan tanggal"),
    ("own_capital", "-5", "tidak boleh negatif"),
    ("members_male", "banyak", "angka bulat"),
    ("name", "", "wajib diisi"),
    ("jenis", "serba usaha", "harus salah satu"),
    ("kecamatan_code", "650101", "tidak termasuk"),
    ("email", "bukan-surel", "surel tidak valid"),
])
def test_validation_names_the_field_and_why_and_writes_nothing(db, admin, field, value, message):
    with db.transaction(admin) as s:
        before = s.scalar(select(func.count()).select_from(Cooperative))
    with pytest.raises(ValidationError) as info:
        create(db, admin, **{field: value})
    errors = info.value.errors
    assert any(message in e.message for e in errors), errors
    assert all(e.label for e in errors)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == before
        assert s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.entity == "cooperative")) == 0


def test_nik_must_be_unique(db, admin):
    create(db, admin)
    with pytest.raises(ValidationError) as info:
        create(db, admin, name="Koperasi Lain", nik="6471.0100.0000.0001")
    assert "sudah dipakai" in str(info.value) and info.value.errors[0].field == "nik"


def test_unusual_nik_length_is_a_warning_not_a_rejection(db, admin):
    with db.transaction(admin) as s:
        _, warnings = registry.create_cooperative(s, admin, base_data(nik="12345"), today=TODAY)
    assert warnings and warnings[0].field == "nik"


def test_shu_may_be_negative_but_assets_may_not(db, admin):
    coop_id, version = create(db, admin)
    with db.transaction(admin) as s:
        registry.update_cooperative(s, admin, coop_id, version, {"shu": "-1.500.000"}, today=TODAY)
    with db.read() as s:
        assert s.get(Cooperative, coop_id).shu == -1_500_000


def test_concurrent_edit_conflict_names_what_changed_and_keeps_first_save(db, admin):
    coop_id, version = create(db, admin)
    clerk_b = make_user(db, "budi", "operator")
    # Both clerks loaded version 1. A saves first.
    with db.transaction(admin) as s:
        registry.update_cooperative(s, admin, coop_id, version, {"address": "Jl. Jenderal Sudirman No. 5"}, today=TODAY)
    with pytest.raises(ConflictError) as info:
        with db.transaction(clerk_b) as s:
            registry.update_cooperative(s, clerk_b, coop_id, version, {"address": "Jl. Ahmad Yani No. 9"}, today=TODAY)
    err = info.value
    assert [(c.field, c.new, c.by) for c in err.changes] == [("address", "Jl. Jenderal Sudirman No. 5", "admin")]
    assert "admin" in str(err) and "Alamat" in str(err)
    with db.read() as s:
        c = s.get(Cooperative, coop_id)
        assert c.address == "Jl. Jenderal Sudirman No. 5" and c.version == 2


def test_conflict_between_two_real_open_sessions_on_postgresql(pg_db):
    """Two PostgreSQL sessions hold the row at the same time; the second UPDATE matches no row (version check).

    (SQLite allows one writer at a time, so there the form's expected_version check above is the protection.)
    """
    db = pg_db
    admin = make_user(db, "admin", "admin")
    coop_id, _ = create(db, admin)
    s1 = db._write()
    s2 = db._write()
    s1.info["actor"] = s2.info["actor"] = admin
    try:
        c1 = s1.get(Cooperative, coop_id)
        c2 = s2.get(Cooperative, coop_id)
        c1.name = "Nama Dari Sesi Satu"
        s1.commit()
        c2.name = "Nama Dari Sesi Dua"
        with pytest.raises(StaleDataError, match="expected to update 1 row"):
            s2.commit()
    finally:
        s1.close()
        s2.rollback()
        s2.close()
    with db.read() as s:
        assert s.get(Cooperative, coop_id).name == "Nama Dari Sesi Satu"


def test_board_edit_bumps_version_so_concurrent_board_edits_conflict(db, admin):
    coop_id, version = create(db, admin)
    with db.transaction(admin) as s:
        coop = s.get(Cooperative, coop_id)
        rows = [{"id": o.id, "role": o.role, "name": o.name} for o in coop.officers] + [
            {"role": "bendahara", "name": "Siti Aminah", "sex": "P", "citizen_nik": "6471015507850002"}]
        registry.update_cooperative(s, admin, coop_id, version, {}, officers=rows, today=TODAY)
    with pytest.raises(ConflictError) as info:
        with db.transaction(admin) as s:
            registry.update_cooperative(s, admin, coop_id, version, {"phone": "0542-123456"}, today=TODAY)
    assert any(c.label == "Pengurus/Pengawas" for c in info.value.changes)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Officer).where(Officer.cooperative_id == coop_id)) == 2


def test_officer_validation(db, admin):
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            registry.create_cooperative(s, admin, base_data(), today=TODAY,
                                        officers=[{"role": "raja", "name": ""}, {"role": "ketua", "name": "A", "citizen_nik": "123"}])
    text = str(info.value)
    assert "nama wajib diisi" in text and "jabatan harus" in text and "16 angka" in text


def test_status_change_keeps_history_and_enforces_lifecycle(db, admin):
    coop_id, _ = create(db, admin)
    with db.transaction(admin) as s:
        registry.change_status(s, admin, coop_id, "tidak_ditemukan", reason="Tidak ditemukan saat kunjungan",
                               effective_date=dt.date(2025, 10, 20), source="pemutakhiran", source_ref="visit:1")
    with db.transaction(admin) as s:
        registry.change_status(s, admin, coop_id, "proses_pembubaran", reason="Usulan pembubaran")
    with db.transaction(admin) as s:
        registry.change_status(s, admin, coop_id, "dibubarkan", reason="SK pembubaran")
    with pytest.raises(InvalidTransition):
        with db.transaction(admin) as s:
            registry.change_status(s, admin, coop_id, "aktif", reason="salah")
    other_id, _ = create(db, admin, nik="6471010000000002", name="Koperasi Kedua")
    with pytest.raises(ValidationError):
        with db.transaction(admin) as s:
            registry.change_status(s, admin, other_id, "tidak_aktif", reason="  ")
    with db.read() as s:
        hist = s.execute(select(StatusChange.from_status, StatusChange.to_status, StatusChange.source, StatusChange.source_ref)
                         .where(StatusChange.cooperative_id == coop_id).order_by(StatusChange.id)).all()
    assert hist == [(None, "aktif", "awal", None), ("aktif", "tidak_ditemukan", "pemutakhiran", "visit:1"),
                    ("tidak_ditemukan", "proses_pembubaran", "manual", None),
                    ("proses_pembubaran", "dibubarkan", "manual", None)]


def test_every_write_requires_a_role_that_may_edit(db, admin):
    pimpinan = make_user(db, "kadis", "pimpinan")
    with pytest.raises(PermissionDenied) as info:
        create(db, pimpinan)
    assert "Pimpinan" in str(info.value)
    coop_id, version = create(db, admin)
    with pytest.raises(PermissionDenied):
        with db.transaction(pimpinan) as s:
            registry.update_cooperative(s, pimpinan, coop_id, version, {"name": "X"})
    with pytest.raises(PermissionDenied):
        with db.transaction(pimpinan) as s:
            registry.change_status(s, pimpinan, coop_id, "tidak_aktif", reason="x")


def test_change_without_actor_is_refused(db):
    with pytest.raises(PermissionDenied):
        with db.transaction(None) as s:
            s.add(Cooperative(name="Tanpa Pelaku", address="-", province_code="64", kabkota_code="6471", jenis="jasa"))
            s.flush()
