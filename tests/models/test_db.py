"""The database layer: URL resolution, SQLite pragmas, the default location, lost connections."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from kopdesk.models.db import resolve_url


def test_plain_path_and_postgresql_urls_resolve(tmp_path, monkeypatch):
    monkeypatch.delenv("KOPDESK_DATABASE_URL", raising=False)
    assert resolve_url(str(tmp_path / "a.sqlite")).drivername == "sqlite"
    assert resolve_url("postgresql://u:p@h/db").drivername == "postgresql+psycopg"
    monkeypatch.setenv("KOPDESK_DATABASE_URL", "postgresql://u@h/kop")
    assert resolve_url(None).database == "kop"


def test_default_database_lives_in_the_user_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("KOPDESK_DATABASE_URL", raising=False)
    monkeypatch.setenv("KOPDESK_DATA_DIR", str(tmp_path / "data"))
    url = resolve_url(None)
    assert url.database == str(tmp_path / "data" / "kopdesk.sqlite")


def test_sqlite_runs_in_wal_mode_with_foreign_keys(sqlite_db):
    with sqlite_db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError, match="FOREIGN KEY constraint failed"):
        with sqlite_db.engine.begin() as conn:
            conn.execute(text("INSERT INTO officer(cooperative_id, role, name) VALUES (999999, 'ketua', 'X')"))


def test_terminated_postgresql_connection_gives_a_clear_message_then_reconnects(pg_db):
    from kopdesk.models.errors import DatabaseUnavailable

    with pytest.raises(DatabaseUnavailable) as info:
        with pg_db.transaction() as s:
            s.execute(text("SELECT pg_terminate_backend(pg_backend_pid())"))
            s.execute(text("SELECT 1"))
    assert "terputus" in str(info.value)
    with pg_db.read() as s:  # the pool replaces the dead connection
        assert s.execute(text("SELECT 1")).scalar() == 1


def test_application_role_cannot_change_schema_or_audit_trail(pg_db):
    """The suite runs as the least-privilege role; prove it really is one."""
    from sqlalchemy.exc import ProgrammingError

    for statement in ("CREATE TABLE sembarang(id int)", "DROP TABLE cooperative", "TRUNCATE audit_entry",
                      "DELETE FROM audit_entry", "ALTER TABLE cooperative ADD COLUMN x int",
                      "UPDATE alembic_version SET version_num = 'x'"):
        with pytest.raises(ProgrammingError):
            with pg_db.engine.begin() as conn:
                conn.execute(text(statement))
    with pg_db.read() as s:
        assert s.execute(text("SELECT current_user")).scalar() == "kopdesk_app_test"
