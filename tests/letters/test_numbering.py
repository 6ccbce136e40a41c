"""Gapless, unique letter numbers under concurrent writers: threads on PostgreSQL, processes on SQLite."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import threading

from sqlalchemy import select

from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.letters import teguran
from kopdesk.models.services.letters.numbering import format_number, take_numbers
from kopdesk.models.teguran import Letter
from tests.letters.conftest import TODAY, make_coop


def _take(db, name: str, per_txn: int, rounds: int, out: list[int], errors: list[BaseException]) -> None:  # type: ignore[no-untyped-def]
    try:
        for _ in range(rounds):
            with db.transaction(Actor.system()) as s:
                out.extend(take_numbers(s, name, 2026, per_txn))
    except BaseException as exc:
        errors.append(exc)


def _threads(db, n_threads: int, per_txn: int, rounds: int) -> list[int]:  # type: ignore[no-untyped-def]
    got: list[int] = []
    errors: list[BaseException] = []
    ts = [threading.Thread(target=_take, args=(db, "uji", per_txn, rounds, got, errors)) for _ in range(n_threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    return got


def test_threads_take_gapless_unique_numbers_postgresql(pg_db):
    got = _threads(pg_db, 8, 3, 25)
    assert sorted(got) == list(range(1, 8 * 3 * 25 + 1))


def test_threads_take_gapless_unique_numbers_sqlite(sqlite_db):
    got = _threads(sqlite_db, 6, 2, 20)
    assert sorted(got) == list(range(1, 6 * 2 * 20 + 1))


def _proc_worker(url: str, rounds: int, q) -> None:  # type: ignore[no-untyped-def]
    from kopdesk.models.db import Database

    db = Database(url)
    got: list[int] = []
    for _ in range(rounds):
        with db.transaction(Actor.system()) as s:
            got.extend(take_numbers(s, "uji", 2026, 2))
    db.dispose()
    q.put(got)


def _processes(url: str, n: int, rounds: int) -> list[int]:
    ctx = multiprocessing.get_context("spawn")
    q = ctx.Queue()
    ps = [ctx.Process(target=_proc_worker, args=(url, rounds, q)) for _ in range(n)]
    for p in ps:
        p.start()
    got: list[int] = []
    for _ in ps:
        got.extend(q.get(timeout=120))
    for p in ps:
        p.join(timeout=60)
        assert p.exitcode == 0
    return got


def test_processes_take_gapless_unique_numbers_sqlite(sqlite_db):
    url = sqlite_db.url.render_as_string(hide_password=False)
    got = _processes(url, 4, 25)
    assert sorted(got) == list(range(1, 4 * 25 * 2 + 1))


def test_processes_take_gapless_unique_numbers_postgresql(pg_db):
    url = pg_db.url.render_as_string(hide_password=False)
    got = _processes(url, 3, 20)
    assert sorted(got) == list(range(1, 3 * 20 * 2 + 1))


def test_rolled_back_batch_returns_its_numbers(db):
    with db.transaction(Actor.system()) as s:
        assert take_numbers(s, "uji", 2026, 3) == [1, 2, 3]
    try:
        with db.transaction(Actor.system()) as s:
            take_numbers(s, "uji", 2026, 5)
            raise RuntimeError("batal")
    except RuntimeError:
        pass
    with db.transaction(Actor.system()) as s:
        assert take_numbers(s, "uji", 2026, 1) == [4]
        assert take_numbers(s, "uji", 2027, 1) == [1]  # per year


def test_office_format():
    assert format_number("518/{nomor}/DKUMKMP/{bulan_romawi}/{tahun}", nomor=123, date=dt.date(2024, 7, 14)) == \
        "518/123/DKUMKMP/VII/2024"
    assert format_number("{kode}/{nomor:03d}/{unit}", nomor=7, date=TODAY, kode="500.3", unit="DK") == "500.3/007/DK"


def _issue_worker(db, actor, ids, out, errors):  # type: ignore[no-untyped-def]
    try:
        with db.transaction(actor) as s:
            r = teguran.issue(s, actor, [(i, 1) for i in ids], renderer=None, today=TODAY)
        out.append(r)
    except BaseException as exc:
        errors.append(exc)


def test_concurrent_clerks_issuing_overlapping_selections(office, admin):
    """Three clerks select overlapping cooperatives at the same moment: each gets its letter once, numbers 1..n."""
    db = office
    ids = [make_coop(db, admin, name=f"Koperasi {i:02d}") for i in range(12)]
    out: list = []
    errors: list = []
    sels = [ids[0:8], ids[4:12], ids[::2]]
    ts = [threading.Thread(target=_issue_worker, args=(db, admin, sel, out, errors)) for sel in sels]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert errors == []
    with db.read() as s:
        rows = s.execute(select(Letter.cooperative_id, Letter.seq, Letter.level)).all()
    assert sorted(r.cooperative_id for r in rows) == sorted(ids)  # each cooperative exactly once
    assert sorted(r.seq for r in rows) == list(range(1, len(ids) + 1))
    assert sum(len(r.letters) for r in out) == len(ids)
