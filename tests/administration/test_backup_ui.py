"""Backups and restore of a SQLite database (service and command line); results read back from the files."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.db import Database
from kopdesk.models.errors import PermissionDenied
from kopdesk.models.services.administration import backup
from tests.conftest import make_user
from tests.support import registry_sample


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM cooperative").fetchone()[0]
    finally:
        conn.close()


def test_backup_now_keeps_the_newest_and_restore_brings_data_back(sqlite_db, tmp_path):
    registry_sample.fill(sqlite_db, 120, "6471", officers_for=0)
    folder = tmp_path / "cadangan"
    start = dt.datetime(2026, 1, 1, 8, 0, 0)
    paths = [backup.backup_now(sqlite_db, folder=folder, keep=3, now=start + dt.timedelta(days=i)) for i in range(5)]
    kept = [b.path for b in backup.list_backups(folder)]
    assert kept == sorted(paths[-3:], reverse=True)
    assert all(_count(p) == 120 for p in kept)
    assert not backup.daily_backup_due(folder, dt.date(2026, 1, 5)) and backup.daily_backup_due(folder, dt.date(2026, 1, 6))
    # more data after the backup, then restore the backup: the extra rows are gone, a safety copy has them
    registry_sample.fill(sqlite_db, 30, "6471", officers_for=0)
    path = Path(sqlite_db.url.database)
    assert _count(path) == 150
    safety = backup.restore_database(sqlite_db, kept[0])
    assert _count(path) == 120 and _count(safety) == 150
    reopened = Database.open(str(path))
    with reopened.read() as s:
        assert s.query(Cooperative).count() == 120
    reopened.dispose()


def test_restore_refuses_what_is_not_a_kopdesk_database(sqlite_db, tmp_path):
    registry_sample.fill(sqlite_db, 10, "6471", officers_for=0)
    path = Path(sqlite_db.url.database)
    text = tmp_path / "catatan.sqlite"
    text.write_text("bukan basis data")
    with pytest.raises(backup.BackupError, match="bukan berkas cadangan"):
        backup.restore_database(sqlite_db, text)
    other = tmp_path / "lain.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE pelanggan (id INTEGER PRIMARY KEY, nama TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(backup.BackupError, match="bukan basis data KopDesk"):
        backup.restore_database(sqlite_db, other)
    with pytest.raises(backup.BackupError, match="tidak ditemukan"):
        backup.restore_database(sqlite_db, tmp_path / "tidak-ada.sqlite")
    assert _count(path) == 10


def test_only_admins_back_up_and_postgres_is_refused(db, tmp_path):
    operator = make_user(db, "admin", "admin") and make_user(db, "op", "operator")
    with pytest.raises(PermissionDenied):
        backup.backup_now(db, actor=operator, folder=tmp_path)
    if not db.is_sqlite:
        with pytest.raises(backup.BackupError, match="pg_dump"):
            backup.backup_now(db, folder=tmp_path)


def test_command_line_backup_and_restore(sqlite_db, tmp_path, capsys):
    from kopdesk.cli import main

    registry_sample.fill(sqlite_db, 25, "6471", officers_for=0)
    path = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    target = tmp_path / "hari-ini.sqlite"
    assert main(["--db", str(path), "backup", "create", str(target)]) == 0
    assert "Cadangan dibuat" in capsys.readouterr().out and _count(target) == 25
    conn = sqlite3.connect(path)
    conn.execute("DELETE FROM cooperative WHERE id > 5")
    conn.commit()
    conn.close()
    assert main(["--db", str(path), "backup", "restore", str(target)]) == 0
    assert "dipulihkan" in capsys.readouterr().out
    assert _count(path) == 25
    assert main(["--db", str(path), "backup", "restore", str(tmp_path / "hilang.sqlite")]) == 2
    assert "tidak ditemukan" in capsys.readouterr().err
