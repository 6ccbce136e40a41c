"""Schema migrations through Alembic's Python API, run whenever kopdesk opens a database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect

from kopdesk.models.errors import DatabaseUnavailable
from kopdesk.paths import migrations_dir

if TYPE_CHECKING:
    from alembic.config import Config

    from kopdesk.models.db import Database

KOPDESK_TABLES = {"cooperative", "region", "audit_entry"}


def alembic_config() -> Config:
    """The Alembic configuration, built in code so that it works in development and when frozen."""
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` in one transaction per step."""
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _head_from_files() -> str | None:
    """The head revision read from the migration files without importing Alembic (about 0.3 s at start-up).

    None when the files do not name exactly one head; Alembic then decides.
    """
    import re

    revisions: set[str] = set()
    parents: set[str] = set()
    try:
        files = list((migrations_dir() / "versions").glob("*.py"))
    except OSError:
        return None
    for path in files:
        text = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision\s*(?::[^=]*)?=\s*["\']([^"\']+)["\']', text, re.M)
        down = re.search(r'^down_revision\s*(?::[^=]*)?=\s*(.+)$', text, re.M)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        parents.update(re.findall(r'["\']([^"\']+)["\']', down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def stored_revision(engine: Engine) -> str | None:
    """The revision recorded in alembic_version, read with plain SQL (None when there is none)."""
    with engine.connect() as conn:
        if "alembic_version" not in inspect(conn).get_table_names():
            return None
        rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars().all()
    return rows[0] if len(rows) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """True when the database is known to be at the newest revision (cheap check first, then Alembic)."""
    stored = stored_revision(engine)
    fast = _head_from_files()
    if stored is not None and fast is not None and stored == fast:
        return True
    return current_revision(engine) == head_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op when it is already there."""
    if not is_at_head(engine):
        upgrade(engine, "head")


def check_integrity(db: Database, *, quick_check: bool = True) -> None:
    """Refuse a SQLite file that is not SQLite or is damaged (``PRAGMA quick_check``); nothing for PostgreSQL.

    Args:
        quick_check: also scan the file for damage (about 1 s per 300 MB); the header is always checked.

    Raises:
        DatabaseUnavailable: with an Indonesian message naming the file.
    """
    if db.is_sqlite and db.url.database and db.url.database != ":memory:":
        from pathlib import Path

        path = Path(db.url.database)
        if path.exists() and path.stat().st_size > 0:
            with open(path, "rb") as fh:
                header = fh.read(16)
            if header != b"SQLite format 3\x00":
                raise DatabaseUnavailable(
                    f"Berkas {path} bukan basis data KopDesk (bukan berkas SQLite). "
                    "Pilih berkas lain atau pulihkan dari cadangan.",
                    path=str(path), reason="not_sqlite",
                )
            if not quick_check:
                return
            try:
                with db.read_engine.connect() as conn:
                    result = conn.exec_driver_sql("PRAGMA quick_check").scalar()
            except Exception as exc:
                raise DatabaseUnavailable(
                    f"Berkas basis data {path} rusak dan tidak dapat dibaca. Pulihkan dari cadangan terbaru.",
                    path=str(path), reason="damaged",
                ) from exc
            if result != "ok":
                raise DatabaseUnavailable(
                    f"Berkas basis data {path} rusak ({result}). Pulihkan dari cadangan terbaru.",
                    path=str(path), reason="damaged",
                )


def check_is_kopdesk(db: Database, *, integrity: bool = True) -> None:
    """Refuse a database that holds other tables and is not kopdesk's, or a damaged SQLite file.

    Args:
        integrity: run SQLite's ``PRAGMA quick_check`` (about 1 s per 300 MB); the window defers it to a
            background thread when no migration is due (see :meth:`kopdesk.models.db.Database.open`).

    Raises:
        DatabaseUnavailable: with an Indonesian message naming the file.
    """
    check_integrity(db, quick_check=integrity)
    with db.read_engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if tables and "alembic_version" not in tables and not tables >= KOPDESK_TABLES:
        where = db.url.database or ""
        raise DatabaseUnavailable(
            f"Basis data {where} berisi tabel lain dan bukan basis data KopDesk. "
            "Pilih basis data kosong atau basis data KopDesk.",
            path=where, reason="foreign",
        )
