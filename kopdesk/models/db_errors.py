"""What kind of database error an exception is, read from the driver's codes: the SQLSTATE on PostgreSQL (psycopg's
``sqlstate``), the extended result code on SQLite (``sqlite_errorcode``), never the message text, which changes
with the server's version and language (lc_messages).

Used by :class:`kopdesk.models.db.Database` to turn a lost race into a ConflictError and a lost connection into
DatabaseUnavailable, and by the services that tell one constraint from another.
"""

from __future__ import annotations

import enum
import sqlite3

from sqlalchemy.exc import DBAPIError


class DbErrorKind(enum.Enum):
    """The kinds of database error kopdesk tells apart."""

    UNIQUE = "unique_violation"  # a unique key or primary key already taken
    FOREIGN_KEY = "foreign_key_violation"
    CONSTRAINT = "constraint_violation"  # another integrity rule: not null, check
    SERIALIZATION = "serialization_failure"  # a concurrent transaction won; retrying may succeed
    DEADLOCK = "deadlock"
    BUSY = "busy"  # a lock was not granted in time (SQLite's database is locked, PostgreSQL lock_not_available)
    UNAVAILABLE = "unavailable"  # cannot connect, or the connection was lost or ended by the server
    PERMISSION = "insufficient_privilege"  # the server's grants refused it, or the file is read-only
    DISK_FULL = "disk_full"
    RESOURCES = "insufficient_resources"  # out of memory, too many connections, ...
    CANCELED = "query_canceled"  # a statement timeout or a cancel request
    DAMAGED = "damaged"  # a damaged file or index, or a file that is not a database
    IO = "io_error"
    OTHER = "other"


# PostgreSQL: SQLSTATE (https://www.postgresql.org/docs/current/errcodes-appendix.html), exact codes first, then
# classes (the first two characters).
_PG_CODES = {
    "23505": DbErrorKind.UNIQUE, "23503": DbErrorKind.FOREIGN_KEY,
    "40001": DbErrorKind.SERIALIZATION, "40P01": DbErrorKind.DEADLOCK, "55P03": DbErrorKind.BUSY,
    "57P01": DbErrorKind.UNAVAILABLE,  # admin_shutdown: pg_terminate_backend, a server restart
    "57P02": DbErrorKind.UNAVAILABLE,  # crash_shutdown
    "57P03": DbErrorKind.UNAVAILABLE,  # cannot_connect_now: the server is starting or stopping
    "57P05": DbErrorKind.UNAVAILABLE,  # idle_session_timeout ended the session
    "25P03": DbErrorKind.UNAVAILABLE,  # idle_in_transaction_session_timeout ended the session
    "57014": DbErrorKind.CANCELED, "42501": DbErrorKind.PERMISSION, "53100": DbErrorKind.DISK_FULL,
    "58030": DbErrorKind.IO, "XX001": DbErrorKind.DAMAGED, "XX002": DbErrorKind.DAMAGED,
}
_PG_CLASSES = {
    "08": DbErrorKind.UNAVAILABLE,  # connection exception
    "23": DbErrorKind.CONSTRAINT,  # integrity constraint violation
    "28": DbErrorKind.PERMISSION,  # invalid authorization specification
    "53": DbErrorKind.RESOURCES,  # insufficient resources
}

# SQLite: extended result codes first (https://www.sqlite.org/rescode.html), then primary codes (the low byte).
_SQLITE_EXTENDED = {
    sqlite3.SQLITE_CONSTRAINT_UNIQUE: DbErrorKind.UNIQUE, sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY: DbErrorKind.UNIQUE,
    sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY: DbErrorKind.FOREIGN_KEY,
}
_SQLITE_PRIMARY = {
    sqlite3.SQLITE_CONSTRAINT: DbErrorKind.CONSTRAINT, sqlite3.SQLITE_BUSY: DbErrorKind.BUSY,
    sqlite3.SQLITE_LOCKED: DbErrorKind.BUSY, sqlite3.SQLITE_CANTOPEN: DbErrorKind.UNAVAILABLE,
    sqlite3.SQLITE_READONLY: DbErrorKind.PERMISSION, sqlite3.SQLITE_PERM: DbErrorKind.PERMISSION,
    sqlite3.SQLITE_AUTH: DbErrorKind.PERMISSION, sqlite3.SQLITE_FULL: DbErrorKind.DISK_FULL,
    sqlite3.SQLITE_NOMEM: DbErrorKind.RESOURCES, sqlite3.SQLITE_INTERRUPT: DbErrorKind.CANCELED,
    sqlite3.SQLITE_CORRUPT: DbErrorKind.DAMAGED, sqlite3.SQLITE_NOTADB: DbErrorKind.DAMAGED,
    sqlite3.SQLITE_IOERR: DbErrorKind.IO,
}


def driver_error(exc: BaseException) -> BaseException:
    """The driver's own exception behind a SQLAlchemy one (``exc.orig``), or ``exc`` itself."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    return orig if isinstance(orig, BaseException) else exc


def kind_of(exc: BaseException) -> DbErrorKind:
    """The kind of a database error, from SQLAlchemy's wrapper or the driver's exception (psycopg or sqlite3)."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return DbErrorKind.UNAVAILABLE  # SQLAlchemy's dialect saw the connection die and dropped it from the pool
    err = driver_error(exc)
    if isinstance(err, sqlite3.Error):
        code = getattr(err, "sqlite_errorcode", None)
        if code is None:
            return DbErrorKind.OTHER  # raised by the sqlite3 module itself (a closed connection, a misuse)
        return _SQLITE_EXTENDED.get(code) or _SQLITE_PRIMARY.get(code & 0xFF, DbErrorKind.OTHER)
    try:
        import psycopg
    except ImportError:  # pragma: no cover - psycopg is a runtime requirement
        return DbErrorKind.OTHER
    if isinstance(err, psycopg.Error):
        state = err.sqlstate
        if state is None:
            # No SQLSTATE: psycopg raised it on the client side, about the connection itself (refused, closed,
            # broken) rather than about a statement the server ran.
            if isinstance(err, psycopg.OperationalError | psycopg.InterfaceError):
                return DbErrorKind.UNAVAILABLE
            return DbErrorKind.OTHER
        return _PG_CODES.get(state) or _PG_CLASSES.get(state[:2], DbErrorKind.OTHER)
    return DbErrorKind.OTHER


def table_of(exc: BaseException) -> str | None:
    """The table a constraint violation is about, when the driver says (PostgreSQL's diagnostics; SQLite: see
    :func:`unique_key`)."""
    err = driver_error(exc)
    diag = getattr(err, "diag", None)
    table = getattr(diag, "table_name", None)
    if table:
        return str(table)
    key = unique_key(exc)
    return key[0] if key else None


def unique_key(exc: BaseException) -> tuple[str, tuple[str, ...]] | None:
    """The table and columns of the unique key a UNIQUE violation hit, or None (another kind, or unknown).

    PostgreSQL names the constraint (``diag.constraint_name``), which kopdesk's naming convention makes unique
    across the schema; its columns are read from the schema. SQLite reports the columns only in its result text
    ("UNIQUE constraint failed: cooperative.nik"), a format fixed by sqlite3.c, so that is where they are read.
    """
    if kind_of(exc) is not DbErrorKind.UNIQUE:
        return None
    err = driver_error(exc)
    if isinstance(err, sqlite3.Error):
        _, sep, cols = str(err).partition(":")
        names = [c.strip() for c in cols.split(",")] if sep else []
        if not names or not all("." in n for n in names):
            return None
        return names[0].split(".", 1)[0], tuple(n.split(".", 1)[1] for n in names)
    constraint = getattr(getattr(err, "diag", None), "constraint_name", None)
    return _columns_of_constraint(str(constraint)) if constraint else None


def _columns_of_constraint(name: str) -> tuple[str, tuple[str, ...]] | None:
    from kopdesk.models.base import Base

    for table in Base.metadata.tables.values():
        for item in (*table.constraints, *table.indexes):
            if item.name == name:
                return table.name, tuple(c.name for c in item.columns)
    return None
