"""Migrations: from an empty database and from the first revision to head, on SQLite and PostgreSQL; no drift."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from kopdesk.models import Base
from kopdesk.models.db import Database
from kopdesk.models.errors import DatabaseUnavailable
from kopdesk.models.migrate import current_revision, head_revision, upgrade


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    from tests.pg import create_database, drop_database

    admin = request.getfixturevalue("pg_admin_url")
    url = create_database(admin, "kopdesk_mig")
    yield url
    drop_database(admin, url)


def _drift(engine) -> list:  # type: ignore[no-untyped-def]
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        diffs = compare_metadata(ctx, Base.metadata)
    # FTS shadow tables and the trigram index are created by hand in 0002 and unknown to the metadata.
    return [d for d in diffs if not (d[0] in ("remove_table", "remove_index") and
                                     ("fts" in str(d[1]) or "trgm" in str(d[1])))]


def test_empty_database_to_head_matches_models(empty_url):
    db = Database(empty_url)
    try:
        assert current_revision(db.engine) is None
        upgrade(db.engine, "head")
        assert current_revision(db.engine) == head_revision()
        assert _drift(db.engine) == []
    finally:
        db.dispose()


def test_first_revision_to_head_keeps_data(empty_url):
    db = Database(empty_url)
    try:
        upgrade(db.engine, "0001")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO region(code, name, level, kind) VALUES ('64', 'Kalimantan Timur', 1, 'provinsi'),"
                              " ('6471', 'Kota Balikpapan', 2, 'kota')"))
            conn.execute(text(
                "INSERT INTO cooperative(name, address, province_code, kabkota_code, form, membership_scope, jenis, pola,"
                " is_merah_putih, members_male, members_female, employees, managers, own_capital, external_capital,"
                " assets, business_volume, shu, status, nik_status, grade_override, version)"
                " VALUES ('Koperasi Lama Makmur', 'Jl. Lama', '64', '6471', 'primer', 'kabkota', 'jasa', 'konvensional',"
                " false, 1, 1, 0, 0, 0, 0, 0, 0, 0, 'aktif', 'tidak_ada', false, 1)"))
        upgrade(db.engine, "head")
        from kopdesk.models.queries import RegistryFilter, search_ids

        with db.read() as s:
            assert len(search_ids(s, RegistryFilter(text="lama mak"))) == 1
        assert _drift(db.engine) == []
    finally:
        db.dispose()


def test_open_refuses_a_foreign_sqlite_database(tmp_path):
    path = tmp_path / "other.sqlite"
    eng = create_engine(f"sqlite:///{path}")
    with eng.begin() as conn:
        conn.execute(text("CREATE TABLE pelanggan(id integer primary key, nama text)"))
    eng.dispose()
    with pytest.raises(DatabaseUnavailable) as info:
        Database.open(str(path))
    assert "bukan basis data KopDesk" in str(info.value)
    assert inspect(create_engine(f"sqlite:///{path}")).get_table_names() == ["pelanggan"]


def test_open_refuses_a_file_that_is_not_sqlite(tmp_path):
    path = tmp_path / "rusak.sqlite"
    path.write_bytes(b"ini bukan basis data sama sekali" * 100)
    with pytest.raises(DatabaseUnavailable) as info:
        Database.open(str(path))
    assert "bukan basis data KopDesk" in str(info.value)
    assert path.read_bytes().startswith(b"ini bukan")


def test_open_refuses_a_damaged_kopdesk_file(tmp_path, sqlite_template):
    path = tmp_path / "rusak.sqlite"
    data = bytearray(sqlite_template.read_bytes())
    for i in range(4096 * 3, min(len(data), 4096 * 60)):
        data[i] = 0xA5
    path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable) as info:
        Database.open(str(path))
    assert "rusak" in str(info.value)


def test_kelompok_aliases_come_with_the_upgrade_for_the_seeded_names_only(empty_url):
    """0004: a database whose kelompok list holds kopdesk's seeded names gets their aliases; a renamed entry none."""
    db = Database(empty_url)
    try:
        upgrade(db.engine, "0003_demo_perf")
        with db.engine.begin() as conn:
            conn.execute(text("INSERT INTO kelompok(name, sort_order, active) VALUES ('Koperasi Wanita (Kopwan)', 1, true),"
                              " ('KUD Kami Sendiri', 2, true)"))
        upgrade(db.engine, "head")
        with db.engine.connect() as conn:
            rows = conn.execute(text("SELECT k.name, a.alias FROM kelompok_alias a JOIN kelompok k ON k.id = a.kelompok_id"
                                     " ORDER BY a.alias")).all()
        assert [tuple(r) for r in rows] == [("Koperasi Wanita (Kopwan)", "Koperasi Wanita"),
                                            ("Koperasi Wanita (Kopwan)", "Kopwan")]
        assert _drift(db.engine) == []
    finally:
        db.dispose()
