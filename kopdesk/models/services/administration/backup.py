"""Backups of the embedded SQLite database, and restoring one (Qt-free).

A backup is a consistent copy taken with SQLite's online backup API while the app runs, checked with
``PRAGMA quick_check`` and written atomically (kopdesk.models.fileio): a full disk never leaves a half backup under
a backup's name. Restoring keeps the file it replaces beside it (``*.rusak-<waktu>``), never deletes it.

On PostgreSQL backups are the server's job (pg_dump by the office's administrator); these functions refuse it with
a clear message.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kopdesk.models.db_errors import DbErrorKind, kind_of
from kopdesk.models.errors import DomainError
from kopdesk.models.fileio import atomic_path

KEEP = 14
NAME = re.compile(r"^kopdesk-(\d{8})-(\d{6})(?:-[a-z-]+)?\.sqlite$")


class BackupError(DomainError):
    code = "backup"


@dataclass(frozen=True)
class BackupInfo:
    """One backup file: its path, when it was taken (from its name) and its size in bytes."""

    path: Path
    taken: dt.datetime
    size: int

    def label(self) -> str:
        from kopdesk.models.formats import format_date

        return f"{format_date(self.taken.date())} pukul {self.taken:%H.%M} ({self.size / 1_048_576:.1f} MB)"


def _sqlite_path(db_or_path: object) -> Path:
    from kopdesk.models.db import Database

    if isinstance(db_or_path, Database):
        if not db_or_path.is_sqlite or not db_or_path.url.database or db_or_path.url.database == ":memory:":
            raise BackupError("Cadangan otomatis hanya untuk berkas SQLite. Untuk PostgreSQL, cadangkan di server "
                              "dengan pg_dump (hubungi pengelola server).")
        return Path(db_or_path.url.database)
    return Path(str(db_or_path))


def list_backups(directory: Path | None = None) -> list[BackupInfo]:
    """The backups in ``directory`` (default: the user's backups folder), newest first."""
    from kopdesk.paths import backups_dir

    directory = Path(directory) if directory is not None else backups_dir()
    found: list[BackupInfo] = []
    if not directory.is_dir():
        return found
    for path in directory.iterdir():
        m = NAME.match(path.name)
        if not m or not path.is_file():
            continue
        taken = dt.datetime.strptime(m.group(1) + m.group(2), "%Y%m%d%H%M%S")
        found.append(BackupInfo(path, taken, path.stat().st_size))
    found.sort(key=lambda b: (b.taken, b.path.name), reverse=True)
    return found


def newest_backup(directory: Path | None = None) -> BackupInfo | None:
    backups = list_backups(directory)
    return backups[0] if backups else None


def backup(db_or_path: object, directory: Path | None = None, *, keep: int | None = None, kind: str = "",
           now: dt.datetime | None = None, progress: Callable[[int, int, str], None] | None = None,
           cancelled: Callable[[], bool] | None = None, actor: object | None = None,
           target: Path | None = None) -> BackupInfo:
    """Copy the SQLite database into the backups folder and return the new backup.

    Args:
        keep: keep only this many newest backups afterwards (None keeps all).
        kind: a short tag in the file name, e.g. "harian" for the automatic daily backup.
        target: write to this file instead of a timestamped name in ``directory``.
        actor: when given, must hold the "backup" permission (the window passes the signed-in clerk).

    Raises:
        BackupError: not a SQLite database, or the copy is damaged.
        WriteFailed: the disk is full or not writable (no file is left under the backup's name).
    """
    from kopdesk.models.progress import Cancelled
    from kopdesk.paths import backups_dir

    if actor is not None:
        from kopdesk.models.services.administration.auth import require

        require(actor, "backup")  # type: ignore[arg-type]
    source = _sqlite_path(db_or_path)
    if not source.exists():
        raise BackupError(f"Berkas basis data {source} tidak ada.")
    directory = Path(directory) if directory is not None else backups_dir()
    now = now or dt.datetime.now()
    if target is not None:
        final = Path(target).expanduser().resolve()
        if final == source.resolve():
            raise BackupError("Berkas cadangan tidak boleh sama dengan basis data yang sedang dipakai.")
    else:
        final = directory / f"kopdesk-{now:%Y%m%d-%H%M%S}{'-' + kind if kind else ''}.sqlite"
    with atomic_path(final) as tmp:
        src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        dst = sqlite3.connect(tmp)
        try:
            def step(status: int, remaining: int, total: int) -> None:
                if cancelled is not None and cancelled():
                    raise Cancelled()
                if progress:
                    progress(total - remaining, total, "Mencadangkan basis data")

            src.backup(dst, pages=4096, progress=step)
            check = dst.execute("PRAGMA quick_check").fetchone()[0]
            dst.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError as exc:
            kind = kind_of(exc)
            if kind is DbErrorKind.DISK_FULL:
                raise OSError(errno.ENOSPC, "No space left on device") from exc
            if kind is DbErrorKind.IO:  # SQLITE_IOERR: a write the OS refused (a size limit, a failing disk)
                raise OSError(errno.EIO, "disk I/O error") from exc
            raise BackupError(f"Cadangan gagal dibuat: {exc}") from exc
        finally:
            dst.close()
            src.close()
        if check != "ok":
            raise BackupError(f"Salinan cadangan rusak ({check}); cadangan dibatalkan.")
    if keep is not None and keep > 0 and target is None:
        for old in list_backups(directory)[keep:]:
            old.path.unlink(missing_ok=True)
    return BackupInfo(final, now.replace(microsecond=0), final.stat().st_size)


def backup_due_today(directory: Path | None = None, today: dt.date | None = None) -> bool:
    """True when no backup was taken today (the automatic daily backup is then due)."""
    today = today or dt.date.today()
    return not any(b.taken.date() == today for b in list_backups(directory))


def check_backup(path: Path) -> None:
    """Refuse a file that is not a sound kopdesk SQLite database.

    Raises:
        BackupError: with the reason in Indonesian.
    """
    path = Path(path)
    try:
        with open(path, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise BackupError(f"{path.name} bukan berkas cadangan KopDesk (bukan berkas SQLite).")
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"Berkas cadangan {path.name} rusak.")
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        finally:
            conn.close()
    except (OSError, sqlite3.DatabaseError) as exc:
        raise BackupError(f"Berkas cadangan {path.name} tidak dapat dibaca: {exc}") from exc
    if not {"alembic_version", "cooperative"} <= tables:
        raise BackupError(f"{path.name} bukan basis data KopDesk.")


def restore(backup_path: Path, target: Path, *, now: dt.datetime | None = None, tag: str = "rusak") -> Path | None:
    """Put a backup in place of the database file ``target`` (the app must have closed it).

    The file it replaces (if any) is kept beside it as ``<name>.rusak-<waktu>``; stale ``-wal``/``-shm`` files of
    the old database are moved with it, so they cannot be replayed over the restored one.

    Returns:
        The path where the replaced file was kept, or None when there was none.
    """
    backup_path, target = Path(backup_path).expanduser(), Path(target)
    if not backup_path.is_file():
        raise BackupError(f"Berkas cadangan {backup_path} tidak ditemukan.")
    check_backup(backup_path)
    now = now or dt.datetime.now()
    kept: Path | None = None
    with atomic_path(target) as tmp:
        shutil.copyfile(backup_path, tmp)
        if target.exists():
            kept = target.with_name(f"{target.name}.{tag}-{now:%Y%m%d-%H%M%S}")
            os.replace(target, kept)
        for suffix in ("-wal", "-shm", "-journal"):
            side = target.with_name(target.name + suffix)
            if side.exists():
                os.replace(side, side.with_name(f"{side.name}.{tag}-{now:%Y%m%d-%H%M%S}"))
    return kept


def recovery_candidate(error: DomainError, directory: Path | None = None) -> BackupInfo | None:
    """The newest backup to offer when opening a SQLite file failed because it is damaged or not kopdesk's."""
    if error.params.get("reason") not in ("damaged", "not_sqlite") or not error.params.get("path"):
        return None
    return newest_backup(directory)


def backup_now(db: object, *, actor: object | None = None, folder: Path | None = None, keep: int = KEEP,
               now: dt.datetime | None = None, progress: Callable[[int, int, str], None] | None = None,
               cancelled: Callable[[], bool] | None = None) -> Path:
    """A timestamped backup in the backups folder, keeping the newest ``keep`` (the window's "Cadangkan sekarang")."""
    return backup(db, folder, keep=keep, now=now, progress=progress, cancelled=cancelled, actor=actor).path


def backup_to(db: object, target: Path, *, actor: object | None = None,
              progress: Callable[[int, int, str], None] | None = None,
              cancelled: Callable[[], bool] | None = None) -> Path:
    """A backup into a file the clerk chose (written whole or not at all)."""
    return backup(db, target=Path(target), progress=progress, cancelled=cancelled, actor=actor).path


daily_backup_due = backup_due_today


def restore_database(db: object, source: Path, *, actor: object | None = None,
                     progress: Callable[[int, int, str], None] | None = None) -> Path:
    """Replace the open SQLite database with the backup ``source``; returns the safety backup of the current data.

    The backup is checked first; the current database is backed up, its connections closed, and the file is
    replaced (the window then asks the clerk to open KopDesk again).
    """
    from kopdesk.models.db import Database

    if actor is not None:
        from kopdesk.models.services.administration.auth import require

        require(actor, "backup")  # type: ignore[arg-type]
    current = _sqlite_path(db)
    source = Path(source).expanduser()
    if not source.is_file():
        raise BackupError(f"Berkas cadangan {source} tidak ditemukan.")
    check_backup(source)
    safety = backup(db, keep=KEEP + 1, kind="sebelum-pulih", progress=progress).path
    if isinstance(db, Database):
        db.dispose()
    kept = restore(source, current, tag="sebelum-pulih")
    # The safety backup holds the same data; the moved-aside file and its journal are not needed twice.
    if kept is not None:
        for path in kept.parent.glob(f"{current.name}*.sebelum-pulih-*"):
            path.unlink(missing_ok=True)
    return safety


def open_or_recover(url: object, ask: Callable[[str], bool], directory: Path | None = None, **open_args: object):
    """Open a database; when it is a damaged or foreign SQLite file and a backup exists, offer to restore it.

    Args:
        ask: shown the Indonesian question; True restores the newest backup (the damaged file is kept beside it).

    Raises:
        DatabaseUnavailable: the file cannot be opened and no restore was made (no backup, or the clerk declined).
    """
    from kopdesk.models.db import Database
    from kopdesk.models.errors import DatabaseUnavailable

    try:
        return Database.open(url, **open_args)  # type: ignore[arg-type]
    except DatabaseUnavailable as exc:
        candidate = recovery_candidate(exc, directory)
        if candidate is None:
            raise
        question = (f"{exc}\n\nPulihkan dari cadangan terbaru ({candidate.label()})?\n"
                    f"Berkas yang rusak disimpan di sampingnya, tidak dihapus.")
        if not ask(question):
            raise
        restore(candidate.path, Path(str(exc.params["path"])))
        return Database.open(url, **open_args)  # type: ignore[arg-type]
