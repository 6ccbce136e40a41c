"""Engines, sessions and transactions for SQLite and PostgreSQL, in one place.

Every user action runs in ``Database.transaction(actor)``: one transaction that commits all of the action's
changes together with their audit entries, or nothing.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from kopdesk.models.db_errors import DbErrorKind, kind_of, table_of
from kopdesk.models.errors import ConflictError, DatabaseUnavailable
from kopdesk.models.services.administration import audit as _audit  # noqa: F401 - installs the audit listener

ENV_URL = "KOPDESK_DATABASE_URL"


def resolve_url(value: str | None = None) -> URL:
    """Turn ``--db``, KOPDESK_DATABASE_URL or the default into a SQLAlchemy URL.

    A plain path names a SQLite file. ``postgresql://`` is read as PostgreSQL through psycopg 3.
    """
    raw = value or os.environ.get(ENV_URL)
    if not raw:
        from kopdesk.paths import default_database_path

        return make_url(f"sqlite:///{default_database_path()}")
    if "://" not in raw:
        return make_url(f"sqlite:///{Path(raw).expanduser().resolve()}")
    url = make_url(raw)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def describe_url(url: URL) -> str:
    """A short description of a database for the status bar, without the password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite: {url.database}"
    return f"PostgreSQL: {url.username or ''}@{url.host or 'localhost'}:{url.port or 5432}/{url.database}"


def _sqlite_engine(url: URL, immediate: bool) -> Engine:
    if url.database and url.database != ":memory:":
        Path(url.database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # pysqlite would only send BEGIN before the first write; we send our own (toolchain.md §2).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA cache_size=-65536")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: object) -> None:
        # Writers take the write lock at BEGIN, so a read-then-write (a counter) cannot interleave.
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")  # type: ignore[attr-defined]

    return engine


def make_engine(url: URL | str, *, immediate: bool = True, pool_size: int = 5) -> Engine:
    """An engine for SQLite (WAL, foreign keys on) or PostgreSQL (psycopg 3, reconnecting pool)."""
    url = make_url(url) if isinstance(url, str) else url
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(url, immediate)
    return create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=10, pool_recycle=1800)


class Database:
    """One kopdesk database: a write engine, a read engine and their sessions.

    On SQLite the write engine begins with BEGIN IMMEDIATE, while reads use a plain BEGIN so that a long import
    never blocks the registry view. On PostgreSQL both are the same engine.

    Attributes:
        url: the SQLAlchemy URL.
        engine: the engine used for writes (and migrations).
    """

    def __init__(self, url: URL | str, *, pool_size: int = 5) -> None:
        self.url = make_url(url) if isinstance(url, str) else url
        self.engine = make_engine(self.url, immediate=True, pool_size=pool_size)
        self.read_engine = make_engine(self.url, immediate=False) if self.is_sqlite else self.engine
        self._write = sessionmaker(self.engine, expire_on_commit=False)
        self._read = sessionmaker(self.read_engine, expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @property
    def dialect(self) -> str:
        return self.url.get_backend_name()

    def describe(self) -> str:
        return describe_url(self.url)

    @classmethod
    def open(cls, url: URL | str | None = None, *, migrate: bool = True, seed: bool = True,
             integrity_check: bool = True) -> Database:
        """Open a database, refuse one that is not kopdesk's, migrate it to head and seed the regions.

        Args:
            integrity_check: check a SQLite file for damage first. With False the check still runs before any
                migration; otherwise the caller runs :func:`kopdesk.models.migrate.check_integrity` later (the
                window does, off the UI thread, so that a large registry opens in under a second).
        """
        from kopdesk.models.migrate import check_integrity, check_is_kopdesk, is_at_head, upgrade_to_head
        from kopdesk.models.services.administration.bootstrap import ensure_seeded

        resolved = url if isinstance(url, URL) else resolve_url(url)
        db = cls(resolved)
        try:
            check_is_kopdesk(db, integrity=integrity_check)
            if migrate:
                if not integrity_check and not is_at_head(db.engine):
                    check_integrity(db)
                upgrade_to_head(db.engine)
            if seed:
                ensure_seeded(db)
        except (OperationalError, DBAPIError) as exc:
            db.dispose()
            if db.is_sqlite and kind_of(exc) is DbErrorKind.DAMAGED:  # SQLITE_CORRUPT ("malformed") or SQLITE_NOTADB
                raise DatabaseUnavailable(
                    f"Berkas basis data {resolved.database} rusak dan tidak dapat dibaca. Pulihkan dari cadangan "
                    "terbaru.", path=str(resolved.database), reason="damaged", url=str(resolved)
                ) from exc
            raise DatabaseUnavailable(
                f"Basis data tidak dapat dibuka ({describe_url(resolved)}): {_short(exc)}", url=str(resolved)
            ) from exc
        except Exception:
            db.dispose()
            raise
        return db

    @contextmanager
    def transaction(self, actor: object | None = None) -> Iterator[Session]:
        """A session in one transaction; commits on success, rolls back on any error.

        Args:
            actor: the signed-in user (kopdesk.models.services.administration.auth.Actor); every audited change needs one.
        """
        session = self._write()
        session.info["actor"] = actor
        try:
            with session.begin():
                yield session
        except StaleDataError as exc:
            # Another clerk changed a versioned record (e.g. a cooperative) between our read and our write.
            raise ConflictError(_entity_of(exc), 0) from exc
        except DBAPIError as exc:
            kind = kind_of(exc)
            if kind in RACES:
                # Two clerks created the same record at the same moment (the second loses the unique key race; the
                # services check uniqueness before writing, so a violation here is a concurrent save, not bad
                # input), or PostgreSQL chose this transaction as the loser of a serialization conflict or deadlock.
                raise ConflictError(table_of(exc) or "data", 0) from exc
            if kind is DbErrorKind.UNAVAILABLE:
                raise DatabaseUnavailable(
                    "Koneksi ke basis data terputus. Perubahan belum disimpan; coba simpan lagi.",
                ) from exc
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only."""
        session = self._read()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
        if self.read_engine is not self.engine:
            self.read_engine.dispose()

    def ping(self) -> bool:
        """True when the database answers."""
        try:
            with self.read_engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except Exception:
            return False


def _short(exc: BaseException) -> str:
    text_ = str(getattr(exc, "orig", exc) or exc).strip().splitlines()
    return text_[0] if text_ else exc.__class__.__name__


# The errors that mean "another clerk's transaction won": the save is refused as a conflict, to be tried again.
RACES = frozenset({DbErrorKind.UNIQUE, DbErrorKind.SERIALIZATION, DbErrorKind.DEADLOCK})


def _entity_of(exc: StaleDataError) -> str:
    import re

    # SQLAlchemy names the mapped table in its own message ("UPDATE statement on table 'cooperative' expected ...").
    m = re.search(r"table '(\w+)'", str(exc))
    return m.group(1) if m else "data"
