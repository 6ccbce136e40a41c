"""Schema migrations through Alembic's Python API, run whenever kopdesk opens a database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from kopdesk.models.errors import DatabaseUnavailable
from kopdesk.paths import migrations_dir

if TYPE_CHECKING:
    from kopdesk.models.db import Database

KOPDESK_TABLES = {"cooperative", "region", "audit_entry"}


def alembic_config() -> Config:
    """The Alembic configuration, built in code so that it works in development and when frozen."""
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(alembic_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database to ``revision`` in one transaction per step."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def upgrade_to_head(engine: Engine) -> None:
    """Bring the database to the newest schema; a no-op when it is already there."""
    if current_revision(engine) != head_revision():
        upgrade(engine, "head")


def check_is_kopdesk(db: Database) -> None:
    """Refuse a database that holds other tables and is not kopdesk's, or a damaged SQLite file.

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
    with db.read_engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    if tables and "alembic_version" not in tables and not KOPDESK_TABLES <= tables:
        where = db.url.database or ""
        raise DatabaseUnavailable(
            f"Basis data {where} berisi tabel lain dan bukan basis data KopDesk. "
            "Pilih basis data kosong atau basis data KopDesk.",
            path=where, reason="foreign",
        )
