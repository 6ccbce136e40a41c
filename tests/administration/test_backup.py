"""Backups and restore of the SQLite database, and files that appear whole or not at all."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import DatabaseUnavailable
from kopdesk.models.fileio import atomic_path, write_bytes
from kopdesk.models.services.administration import backup
from kopdesk.models.services.registry import cooperatives as registry

ROOT = Path(__file__).resolve().parents[2]


def _add(db, actor, nik: str, name: str) -> None:  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        registry.create_cooperative(s, actor, {
            "name": name, "nik": nik, "legal_number": f"{nik[-3:]}/BH/2001", "legal_date": "2001-01-01",
            "address": "Jl. Cadangan 1", "kabkota_code": "6471", "jenis": "konsumen"})


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM cooperative").fetchone()[0]
    finally:
        conn.close()


def test_backup_is_a_consistent_checked_copy_and_old_ones_are_pruned(sqlite_db, tmp_path):
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    _add(sqlite_db, admin, "6471010000000101", "Koperasi Cadangan Satu")
    first = backup.backup(sqlite_db, tmp_path, now=dt.datetime(2026, 1, 1, 8, 0, 0))
    assert _count(first.path) == 1
    _add(sqlite_db, admin, "6471010000000102", "Koperasi Cadangan Dua")
    second = backup.backup(sqlite_db, tmp_path, now=dt.datetime(2026, 1, 2, 8, 0, 0))
    third = backup.backup(sqlite_db, tmp_path, keep=2, now=dt.datetime(2026, 1, 3, 8, 0, 0), kind="harian")
    assert _count(third.path) == 2
    assert not first.path.exists(), "keep=2 removes the oldest"
    assert [b.path for b in backup.list_backups(tmp_path)] == [third.path, second.path]
    assert backup.newest_backup(tmp_path).path == third.path
    assert not backup.backup_due_today(tmp_path, dt.date(2026, 1, 3))
    assert backup.backup_due_today(tmp_path, dt.date(2026, 1, 4))
    assert not list(tmp_path.glob(".*part*")), "no temporary file is left behind"


def test_postgresql_backup_is_refused_with_a_clear_message(pg_db, tmp_path):
    with pytest.raises(backup.BackupError, match="pg_dump"):
        backup.backup(pg_db, tmp_path)


def test_damaged_database_is_refused_and_the_newest_backup_restores_it(sqlite_db, tmp_path):
    from kopdesk.models.db import Database
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    _add(sqlite_db, admin, "6471010000000103", "Koperasi Sebelum Rusak")
    backups = tmp_path / "backups"
    backup.backup(sqlite_db, backups, now=dt.datetime(2026, 3, 1, 9, 30))
    path = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    # Damage the file: overwrite pages in the middle with garbage, keeping the header.
    with open(path, "r+b") as fh:
        fh.seek(4096 * 3)
        fh.write(os.urandom(4096 * 20))
    with pytest.raises(DatabaseUnavailable) as info:
        Database.open(str(path)).dispose()
    assert "rusak" in str(info.value) and str(path) in str(info.value)
    offer = backup.recovery_candidate(info.value, backups)
    assert offer is not None and offer.taken == dt.datetime(2026, 3, 1, 9, 30)
    assert "1 Maret 2026 pukul 09.30" in offer.label()

    kept = backup.restore(offer.path, path)
    assert kept is not None and kept.exists(), "the damaged file is kept, never deleted"
    db = Database.open(str(path))
    try:
        with db.read() as s:
            assert s.scalar(select(func.count()).select_from(Cooperative)) == 1
    finally:
        db.dispose()


def test_a_file_that_is_not_a_kopdesk_backup_is_refused(tmp_path):
    bogus = tmp_path / "kopdesk-20260101-080000.sqlite"
    bogus.write_bytes(b"PK\x03\x04 this is a zip, not a database")
    target = tmp_path / "db.sqlite"
    target.write_bytes(b"keep me")
    with pytest.raises(backup.BackupError, match="bukan berkas cadangan"):
        backup.restore(bogus, target)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE x (a)").connection.close()
    with pytest.raises(backup.BackupError, match="bukan basis data KopDesk"):
        backup.restore(other, target)
    assert target.read_bytes() == b"keep me"


def test_atomic_write_leaves_the_old_file_when_writing_fails(tmp_path):
    final = tmp_path / "laporan.xlsx"
    final.write_bytes(b"versi lama")
    with pytest.raises(RuntimeError):
        with atomic_path(final) as tmp:
            tmp.write_bytes(b"setengah")
            raise RuntimeError("terputus")
    assert final.read_bytes() == b"versi lama"
    assert list(tmp_path.iterdir()) == [final]
    write_bytes(final, b"versi baru")
    assert final.read_bytes() == b"versi baru"


DISK_FULL_CHILD = textwrap.dedent("""
    import resource, signal, sys, datetime as dt
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    limit = int(sys.argv[3])

    def apply_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    from kopdesk.models.fileio import WriteFailed
    from kopdesk.models.services.administration import backup
    kind = sys.argv[4]
    try:
        if kind == "backup":
            apply_limit()
            backup.backup(sys.argv[1], Path(sys.argv[2]), now=dt.datetime(2026, 5, 5, 5, 5, 5))
        elif kind == "bytes":
            from kopdesk.models.fileio import write_bytes
            apply_limit()
            write_bytes(Path(sys.argv[2]) / "ekspor.xlsx", b"x" * (limit * 4))
        else:
            from kopdesk.models.db import Database
            from kopdesk.models.queries import RegistryFilter
            db = Database("sqlite:///" + sys.argv[1])
            with db.read() as s:
                s.connection()  # the database's own files exist before the limit applies
                apply_limit()
                if kind == "registry-xlsx":
                    from kopdesk.models.services.exchange import ods_export
                    from kopdesk.reports.excel.registry import write_registry_export
                    ods_export.export_registry(s, RegistryFilter(), Path(sys.argv[2]) / "ekspor.xlsx",
                                               write=write_registry_export)
                else:
                    from kopdesk.models.services.reporting import report_data
                    from kopdesk.reports.pdf.recap import write_pdf
                    write_pdf(report_data.build(s, "province-recap", "64"), Path(sys.argv[2]) / "rekap.pdf")
    except WriteFailed as exc:
        print("WRITEFAILED:" + str(exc))
        sys.exit(3)
    print("WROTE")
""")


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
@pytest.mark.parametrize("kind", ["backup", "bytes", "registry-xlsx", "recap-pdf"])
def test_disk_full_leaves_no_half_written_file_under_the_final_name(sqlite_db, tmp_path, kind):
    """A file-size limit makes every write beyond it fail with EFBIG, as a full disk fails with ENOSPC."""
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    for i in range(30):
        _add(sqlite_db, admin, f"64710100000002{i:02d}", f"Koperasi Disk Penuh {i} " + "Sejahtera " * 12)
    source = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    out = tmp_path / "out"
    out.mkdir()
    older = out / "kopdesk-20260101-000000.sqlite"
    older.write_bytes(source.read_bytes()[:100])
    limit = 64 * 1024 if kind in ("backup", "bytes") else 6 * 1024
    assert source.stat().st_size > limit
    r = subprocess.run([sys.executable, "-c", DISK_FULL_CHILD, str(source), str(out), str(limit), kind],
                       cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stdout + r.stderr
    assert "Berkas tidak dibuat" in r.stdout and ("Ruang disk tidak cukup" in r.stdout or "ruang disk penuh" in r.stdout)
    names = sorted(p.name for p in out.iterdir())
    assert names == ["kopdesk-20260101-000000.sqlite"], names
    assert older.stat().st_size == 100


def test_backup_cli_creates_lists_and_restores(tmp_path):
    db_path = tmp_path / "kantor.sqlite"
    bdir = tmp_path / "cadangan"

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "KOPDESK_DATA_DIR": str(tmp_path / "data")}
        return subprocess.run([sys.executable, "main.py", "--db", str(db_path), *args], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=300)

    r = run("backup", "create", "--dir", str(bdir))
    assert r.returncode == 0, r.stderr
    assert "Cadangan dibuat" in r.stdout
    r = run("backup", "list", "--dir", str(bdir))
    assert r.returncode == 0 and "kopdesk-" in r.stdout
    db_path.write_bytes(b"rusak total")
    r = run("db", "info")
    assert r.returncode != 0 and "bukan basis data KopDesk" in r.stderr
    r = run("backup", "restore", "--dir", str(bdir))
    assert r.returncode == 0, r.stderr
    assert "dipulihkan" in r.stdout
    assert run("db", "info").returncode == 0


@pytest.mark.parametrize("integrity_check", [True, False])
def test_opening_a_damaged_file_offers_the_newest_backup_and_restores_it(sqlite_db, tmp_path, integrity_check):
    """What the window does at start (kopdesk.ui.app.start_gui asks the clerk through a message box)."""
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    _add(sqlite_db, admin, "6471010000000301", "Koperasi Dipulihkan")
    backups = tmp_path / "b"
    backup.backup(sqlite_db, backups, now=dt.datetime(2026, 4, 2, 7, 15))
    path = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    path.write_bytes(b"SQLite format 3\x00" + os.urandom(8192))
    questions: list[str] = []

    with pytest.raises(DatabaseUnavailable):
        backup.open_or_recover(str(path), lambda q: questions.append(q) or False, backups,
                               integrity_check=integrity_check)
    assert questions and "2 April 2026 pukul 07.15" in questions[0]
    db = backup.open_or_recover(str(path), lambda q: True, backups, integrity_check=integrity_check)
    try:
        with db.read() as s:
            assert s.scalar(select(Cooperative.name)) == "Koperasi Dipulihkan"
    finally:
        db.dispose()
    assert list(tmp_path.glob("**/*.rusak-*")), "the damaged file is kept beside the restored one"
    with pytest.raises(DatabaseUnavailable):  # no backups at all: the error stands, nothing is asked
        bad = tmp_path / "lain.sqlite"
        bad.write_bytes(b"bukan sqlite")
        backup.open_or_recover(str(bad), lambda q: pytest.fail("nothing to offer"), tmp_path / "kosong")
