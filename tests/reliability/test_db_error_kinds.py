"""Database errors are told apart by the driver's codes (SQLSTATE on PostgreSQL, the extended result code on
SQLite), provoked for real on both engines; and what a save turns each into."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, select, text
from sqlalchemy.exc import DBAPIError

from kopdesk.models.cooperative import Cooperative, Officer
from kopdesk.models.db import Database
from kopdesk.models.db_errors import DbErrorKind, kind_of, table_of, unique_key
from kopdesk.models.errors import ConflictError, DatabaseUnavailable, ValidationError
from kopdesk.models.services.registry import cooperatives as registry
from tests.conftest import make_user

COOP = {"name": "Koperasi Kode Galat", "nik": "6471010000000042", "legal_number": "42/BH/2001",
        "legal_date": "2001-01-01", "address": "Jl. Galat", "kabkota_code": "6471", "kecamatan_code": "647101",
        "jenis": "konsumen"}


def raised(fn: Callable[[], Any]) -> BaseException:
    try:
        fn()
    except BaseException as exc:  # the test inspects whatever the database raised
        return exc
    raise AssertionError("no error was raised")


def run_sql(engine: Engine, *statements: str) -> None:
    with engine.begin() as conn:
        for s in statements:
            conn.execute(text(s))


def _coop(db: Database) -> tuple[Any, int]:
    """A cooperative with a ketua, and a second one with another NIK; returns the admin and the first's id."""
    admin = make_user(db, "admin", "admin")
    with db.transaction(admin) as s:
        coop, _ = registry.create_cooperative(s, admin, dict(COOP), officers=[{"role": "ketua", "name": "Ketua"}])
        registry.create_cooperative(s, admin, dict(COOP, name="Koperasi Lain", nik="6471010000000043"))
        return admin, coop.id


TAKE_THE_NIK = f"UPDATE cooperative SET nik = '{COOP['nik']}' WHERE nik = '6471010000000043'"


def _same_nik(db: Database, admin: Any) -> None:
    """What a clerk's save that lost the race to the same NIK sends (the service's own check passed before)."""
    with db.transaction(admin) as s:
        s.add(Cooperative(name="Koperasi Kembar", nik=COOP["nik"], province_code="64", kabkota_code="6471",
                          jenis="konsumen"))


# --------------------------------------------------------------------------------------------------------- SQLite

def test_sqlite_constraint_codes(sqlite_db):
    admin, coop_id = _coop(sqlite_db)
    eng = sqlite_db.engine
    exc = raised(lambda: run_sql(eng, TAKE_THE_NIK))
    assert isinstance(exc, DBAPIError) and exc.orig.sqlite_errorname == "SQLITE_CONSTRAINT_UNIQUE"
    assert kind_of(exc) is kind_of(exc.orig) is DbErrorKind.UNIQUE
    assert unique_key(exc) == ("cooperative", ("nik",)) and table_of(exc) == "cooperative"
    exc = raised(lambda: run_sql(eng, f"INSERT INTO officer SELECT * FROM officer WHERE cooperative_id = {coop_id}"))
    assert exc.orig.sqlite_errorname == "SQLITE_CONSTRAINT_PRIMARYKEY"
    assert kind_of(exc) is DbErrorKind.UNIQUE and unique_key(exc) == ("officer", ("id",))
    exc = raised(lambda: run_sql(eng, "INSERT INTO officer (cooperative_id, role, name) VALUES (999999, 'ketua', 'X')"))
    assert kind_of(exc) is DbErrorKind.FOREIGN_KEY and unique_key(exc) is None
    exc = raised(lambda: run_sql(eng, f"UPDATE cooperative SET name = NULL WHERE id = {coop_id}"))
    assert exc.orig.sqlite_errorname == "SQLITE_CONSTRAINT_NOTNULL" and kind_of(exc) is DbErrorKind.CONSTRAINT
    # Through a save: a unique key lost to a concurrent insert is a conflict, nothing is written.
    with pytest.raises(ConflictError) as info:
        _same_nik(sqlite_db, admin)
    assert info.value.entity == "cooperative"


def test_sqlite_busy_readonly_damaged_and_missing(sqlite_db, tmp_path):
    path = Path(sqlite_db.url.database)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    impatient = create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    try:
        exc = raised(lambda: run_sql(impatient, "DELETE FROM kelompok WHERE id = -1"))
        assert exc.orig.sqlite_errorname == "SQLITE_BUSY" and kind_of(exc) is DbErrorKind.BUSY
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        impatient.dispose()
    read_only = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        exc = raised(lambda: read_only.execute("DELETE FROM kelompok"))
        assert kind_of(exc) is DbErrorKind.PERMISSION  # SQLITE_READONLY
    finally:
        read_only.close()
    junk = tmp_path / "bukan.sqlite"
    junk.write_bytes(b"ini bukan basis data " * 500)
    exc = raised(lambda: run_sql(create_engine(f"sqlite:///{junk}"), "SELECT * FROM sqlite_master"))
    assert exc.orig.sqlite_errorname == "SQLITE_NOTADB" and kind_of(exc) is DbErrorKind.DAMAGED
    damaged = tmp_path / "rusak.sqlite"
    damaged.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 32)  # the header passes; what follows is not
    with pytest.raises(DatabaseUnavailable) as info:
        Database.open(str(damaged), integrity_check=False)  # the first query meets the damage, not the quick check
    assert info.value.params["reason"] == "damaged" and "rusak" in str(info.value)
    assert kind_of(info.value.__cause__) is DbErrorKind.DAMAGED
    missing = create_engine(f"sqlite:///{tmp_path / 'tidak-ada' / 'x.sqlite'}")
    exc = raised(lambda: run_sql(missing, "SELECT 1"))
    assert exc.orig.sqlite_errorname == "SQLITE_CANTOPEN" and kind_of(exc) is DbErrorKind.UNAVAILABLE


def test_errors_that_are_not_from_the_database_are_other():
    assert kind_of(ValueError("duplicate key value violates unique constraint")) is DbErrorKind.OTHER
    assert kind_of(sqlite3.ProgrammingError("Cannot operate on a closed database.")) is DbErrorKind.OTHER


# ----------------------------------------------------------------------------------------------------- PostgreSQL

@pytest.fixture
def owner(pg_owner_url: str) -> Iterator[Engine]:
    eng = create_engine(pg_owner_url)
    yield eng
    eng.dispose()


def _terminate(owner: Engine, pid: int) -> None:
    with owner.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        conn.commit()


def test_postgresql_constraint_and_privilege_codes(pg_db):
    admin, coop_id = _coop(pg_db)
    eng = pg_db.engine
    exc = raised(lambda: run_sql(eng, TAKE_THE_NIK))
    assert exc.orig.sqlstate == "23505" and kind_of(exc) is DbErrorKind.UNIQUE
    assert unique_key(exc) == ("cooperative", ("nik",)) and table_of(exc) == "cooperative"
    exc = raised(lambda: run_sql(eng, f"INSERT INTO officer SELECT * FROM officer WHERE cooperative_id = {coop_id}"))
    assert exc.orig.sqlstate == "23505" and unique_key(exc) == ("officer", ("id",))  # the primary key
    exc = raised(lambda: run_sql(eng, "INSERT INTO officer (cooperative_id, role, name) VALUES (999999, 'ketua', 'X')"))
    assert exc.orig.sqlstate == "23503" and kind_of(exc) is DbErrorKind.FOREIGN_KEY and table_of(exc) == "officer"
    exc = raised(lambda: run_sql(eng, f"UPDATE cooperative SET name = NULL WHERE id = {coop_id}"))
    assert exc.orig.sqlstate == "23502" and kind_of(exc) is DbErrorKind.CONSTRAINT
    exc = raised(lambda: run_sql(eng, "DELETE FROM audit_entry"))  # the application role may not
    assert exc.orig.sqlstate == "42501" and kind_of(exc) is DbErrorKind.PERMISSION
    exc = raised(lambda: run_sql(eng, "SET LOCAL statement_timeout = 50", "SELECT pg_sleep(2)"))
    assert exc.orig.sqlstate == "57014" and kind_of(exc) is DbErrorKind.CANCELED
    with pytest.raises(ConflictError) as info:
        _same_nik(pg_db, admin)
    assert info.value.entity == "cooperative"


def test_postgresql_terminated_and_refused_connections(pg_db, owner):
    raw = create_engine(pg_db.url, pool_pre_ping=False)  # no ping: the dead connection is used as it is
    try:
        with raw.connect() as conn:
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
        _terminate(owner, pid)  # ended while idle in the pool, as a server restart does
        time.sleep(0.2)
        exc = raised(lambda: run_sql(raw, "SELECT 1"))
        assert kind_of(exc) is DbErrorKind.UNAVAILABLE
        assert exc.orig.sqlstate in ("57P01", None)  # the server's goodbye, or only the closed socket
    finally:
        raw.dispose()

    def in_transaction() -> None:
        with pg_db.transaction() as s:
            _terminate(owner, s.execute(text("SELECT pg_backend_pid()")).scalar())
            s.execute(text("SELECT 1"))

    exc = raised(in_transaction)
    assert isinstance(exc, DatabaseUnavailable) and "terputus" in str(exc)
    assert kind_of(exc.__cause__) is DbErrorKind.UNAVAILABLE
    refused = create_engine(pg_db.url.set(host="127.0.0.1", port=1), connect_args={"connect_timeout": 3})
    exc = raised(lambda: run_sql(refused, "SELECT 1"))
    assert exc.orig.sqlstate is None and kind_of(exc) is DbErrorKind.UNAVAILABLE


def test_postgresql_serialization_failure_is_a_conflict(pg_db, owner):
    admin, coop_id = _coop(pg_db)

    def save_after_someone_else() -> None:
        with pg_db.transaction(admin) as s:
            s.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            s.execute(text("SELECT notes FROM cooperative WHERE id = :i"), {"i": coop_id})
            run_sql(owner, f"UPDATE cooperative SET notes = 'lebih dulu' WHERE id = {coop_id}")
            s.execute(text("UPDATE cooperative SET notes = 'menimpa' WHERE id = :i"), {"i": coop_id})

    exc = raised(save_after_someone_else)
    assert isinstance(exc, ConflictError)
    assert exc.__cause__.orig.sqlstate == "40001" and kind_of(exc.__cause__) is DbErrorKind.SERIALIZATION
    with pg_db.read() as s:
        assert s.get(Cooperative, coop_id).notes == "lebih dulu"


def test_postgresql_deadlock(pg_db):
    _admin, coop_id = _coop(pg_db)
    with pg_db.read() as s:
        officer_id = s.scalar(select(Officer.id).where(Officer.cooperative_id == coop_id))
    first, second = pg_db.engine.connect(), pg_db.engine.connect()
    errors: list[BaseException] = []
    a_locked, b_locked = threading.Event(), threading.Event()

    def clerk(conn: Any, mine: str, theirs: str, locked: threading.Event, other: threading.Event) -> None:
        try:
            conn.execute(text(mine))
            locked.set()
            other.wait(10)
            conn.execute(text(theirs))
        except DBAPIError as exc:
            errors.append(exc)
        finally:
            conn.rollback()

    coop_sql = f"UPDATE cooperative SET notes = 'x' WHERE id = {coop_id}"
    officer_sql = f"UPDATE officer SET name = 'y' WHERE id = {officer_id}"
    threads = [threading.Thread(target=clerk, args=(first, coop_sql, officer_sql, a_locked, b_locked)),
               threading.Thread(target=clerk, args=(second, officer_sql, coop_sql, b_locked, a_locked))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    first.close()
    second.close()
    assert len(errors) == 1, errors  # PostgreSQL ends one of the two; the other then proceeds
    assert errors[0].orig.sqlstate == "40P01" and kind_of(errors[0]) is DbErrorKind.DEADLOCK


def test_a_nik_taken_by_a_concurrent_save_is_named_on_the_field(pg_db, owner):
    """Two clerks register the same NIK at once: both pass the service's check, the database's unique key stops the
    second, and the clerk is told about the NIK field (not a crash, not another column)."""
    admin = make_user(pg_db, "admin", "admin")
    outcome: list[BaseException | int] = []
    first_flushed = threading.Event()

    def second_clerk() -> None:
        first_flushed.wait(10)
        try:
            with pg_db.transaction(admin) as s:
                coop, _ = registry.create_cooperative(s, admin, dict(COOP, name="Koperasi Kedua"))
                outcome.append(coop.id)
        except BaseException as exc:  # reported to the main thread
            outcome.append(exc)

    worker = threading.Thread(target=second_clerk)
    worker.start()
    with pg_db.transaction(admin) as s:
        registry.create_cooperative(s, admin, dict(COOP, name="Koperasi Pertama"))
        first_flushed.set()
        # Commit only once the second clerk's insert waits on the unique index for this transaction.
        deadline = time.monotonic() + 30
        while not _someone_waits_for_a_lock(owner, pg_db.url.database) and time.monotonic() < deadline:
            time.sleep(0.05)
    worker.join(30)
    assert len(outcome) == 1 and isinstance(outcome[0], ValidationError), outcome
    # The database's key said so (the service's own check would name the other cooperative instead).
    assert outcome[0].errors[0].field == "nik" and "sudah dipakai koperasi lain" in str(outcome[0])


def _someone_waits_for_a_lock(owner: Engine, database: str) -> bool:
    with owner.connect() as conn:
        return bool(conn.execute(text("SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                                      "AND wait_event_type = 'Lock'"), {"d": database}).scalar())
