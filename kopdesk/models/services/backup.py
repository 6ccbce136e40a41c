"""Backups of a SQLite database with SQLite's online backup API, and restoring one (no Qt).

A backup copies the live database page by page while clerks keep working (``sqlite3.Connection.backup``), into
``kopdesk-YYYYMMDD-HHMMSS.sqlite`` in the backups folder; the newest :data:`KEEP` are kept. Restoring first checks
that the file is a KopDesk database (opening a copy of it, which also migrates it to the current schema), saves a
backup of the current database, then copies the checked file over it, again with the backup API.

PostgreSQL databases are backed up by the office's administrator with ``pg_dump`` (docs/registry.md).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from kopdesk.models.errors import DomainError
from kopdesk.models.services.auth import Actor, require

KEEP = 14
PREFIX = "kopdesk-"
Progress = Callable[..., None]


class BackupError(DomainError):
    code = "backup"


def _sqlite_path(db) -> Path:  # type: ignore[no-untyped-def]
    if not db.is_sqlite or not db.url.database or db.url.database == ":memory:":
        raise BackupError("Pencadangan dari aplikasi hanya untuk basis data SQLite. Untuk PostgreSQL, administrator "
                          "server mencadangkan dengan pg_dump (lihat dokumentasi).")
    return Path(db.url.database)


def _copy(src: Path, dst: Path, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
    source = sqlite3.connect(str(src), timeout=30)
    target = sqlite3.connect(str(dst))
    try:
        def step(status: int, remaining: int, total: int) -> None:
            if cancelled is not None and cancelled():
                raise KeyboardInterrupt
            if progress is not None:
                progress(total - remaining, total, "Menyalin basis data…")

        source.backup(target, pages=2048, progress=step)
    finally:
        target.close()
        source.close()


def backup_to(db, target: str | Path, *, actor: Actor | None = None, progress: Progress | None = None,  # type: ignore[no-untyped-def]
              cancelled: Callable[[], bool] | None = None) -> Path:
    """Copy the open SQLite database to ``target`` (a new file) while it stays in use."""
    if actor is not None:
        require(actor, "backup")
    src = _sqlite_path(db)
    target = Path(target).expanduser().resolve()
    if target == src.resolve():
        raise BackupError("Berkas cadangan tidak boleh sama dengan basis data yang sedang dipakai.")
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".sebagian")
    partial.unlink(missing_ok=True)
    try:
        _copy(src, partial, progress, cancelled)
    except KeyboardInterrupt:
        partial.unlink(missing_ok=True)
        from kopdesk.models.progress import Cancelled

        raise Cancelled() from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    partial.replace(target)
    return target


def backup_now(db, *, actor: Actor | None = None, folder: str | Path | None = None, keep: int = KEEP,  # type: ignore[no-untyped-def]
               now: dt.datetime | None = None, progress: Progress | None = None,
               cancelled: Callable[[], bool] | None = None) -> Path:
    """A timestamped backup in the backups folder; older ones beyond the newest ``keep`` are deleted."""
    from kopdesk.paths import backups_dir

    folder = Path(folder) if folder is not None else backups_dir()
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    path = backup_to(db, folder / f"{PREFIX}{stamp}.sqlite", actor=actor, progress=progress, cancelled=cancelled)
    prune(folder, keep)
    return path


def list_backups(folder: str | Path | None = None) -> list[Path]:
    """The backups in the folder, newest first."""
    from kopdesk.paths import backups_dir

    folder = Path(folder) if folder is not None else backups_dir()
    return sorted(folder.glob(f"{PREFIX}????????-??????.sqlite"), reverse=True)


def prune(folder: str | Path, keep: int = KEEP) -> list[Path]:
    removed = list_backups(folder)[keep:]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def daily_backup_due(folder: str | Path | None = None, today: dt.date | None = None) -> bool:
    """True when no backup was made today (the window then makes one in the background)."""
    stamp = (today or dt.date.today()).strftime("%Y%m%d")
    return not any(p.name.startswith(f"{PREFIX}{stamp}-") for p in list_backups(folder))


def restore(db, source: str | Path, *, actor: Actor | None = None, progress: Progress | None = None) -> Path:  # type: ignore[no-untyped-def]
    """Replace the open SQLite database with the backup ``source``, after checking and migrating a copy of it.

    The current database is backed up first; the returned path is that safety backup. The caller must close every
    connection of ``db`` afterwards (the window asks the clerk to restart).

    Raises:
        BackupError, DatabaseUnavailable: the file is missing, not SQLite, damaged or not a KopDesk database.
    """
    from kopdesk.models.db import Database
    from kopdesk.models.errors import DatabaseUnavailable

    if actor is not None:
        require(actor, "backup")
    current = _sqlite_path(db)
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"Berkas cadangan {source} tidak ditemukan.")
    with tempfile.TemporaryDirectory(prefix="kopdesk-restore-") as tmp:
        checked = Path(tmp) / "checked.sqlite"
        shutil.copyfile(source, checked)
        from kopdesk.models.migrate import KOPDESK_TABLES

        try:
            candidate = Database.open(str(checked), seed=False)
        except DatabaseUnavailable:
            raise
        try:
            from sqlalchemy import inspect

            with candidate.engine.connect() as conn:
                tables = set(inspect(conn).get_table_names())
            if not KOPDESK_TABLES <= tables:
                raise BackupError(f"Berkas {source} bukan cadangan basis data KopDesk.")
        finally:
            candidate.dispose()
        raw = sqlite3.connect(str(checked), isolation_level=None)  # fold the WAL into the file before copying it
        try:
            raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        safety = backup_now(db, actor=None, keep=KEEP + 1)
        db.dispose()
        _copy(checked, current, progress, None)
    return safety
