"""The pages' base class on a real SQLite database: stale results dropped, refreshes debounced, connections that end
with the page, results that never reach a deleted page."""

from __future__ import annotations

import threading
import warnings
from typing import Any

import pytest
from PySide6.QtCore import SIGNAL, QCoreApplication, QEvent
from sqlalchemy import text

from kopdesk.ui.context import AppContext
from kopdesk.ui.tasks import TaskRunner
from kopdesk.ui.widgets.page import Page
from tests.conftest import make_user

DATA_CHANGED = SIGNAL("data_changed(QString,PyObject)")


@pytest.fixture
def ctx(sqlite_db, qapp):  # type: ignore[no-untyped-def]
    c = AppContext(db=sqlite_db, actor=make_user(sqlite_db, "admin", "admin"), tasks=TaskRunner())
    yield c
    c.tasks.wait()


def read_value(db: Any, value: str, gate: threading.Event | None = None) -> str:
    """A real read of the database that answers ``value``; waits for ``gate`` first when given (a worker)."""
    if gate is not None:
        assert gate.wait(10)
    with db.read() as s:
        return str(s.execute(text("SELECT :v || '' FROM region LIMIT 1"), {"v": value}).scalar_one())


class CountingPage(Page):
    """A page whose load reads one value; it counts its loads and what it was given."""

    REFRESH_DELAY_MS = 50

    def __init__(self, ctx: AppContext) -> None:
        super().__init__(ctx)
        self.loads = 0
        self.shown: list[str] = []
        self.refresh_on("cooperative")

    def load(self) -> None:
        self.loads += 1
        self.run_query("value", read_value, self.ctx.db, f"load {self.loads}", on_done=self.shown.append)


def delete_now(widget: Page) -> None:
    widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


def test_a_newer_load_of_the_same_kind_wins_over_a_late_older_one(ctx, qtbot):
    page = CountingPage(ctx)
    qtbot.addWidget(page)
    got: list[str] = []
    slow = threading.Event()
    page.run_query("value", read_value, ctx.db, "old", slow, on_done=got.append)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.run_query("value", read_value, ctx.db, "new", on_done=got.append)
    assert got == ["new"] and not page.is_loading()
    slow.set()  # the older read now answers, last
    assert ctx.tasks.wait(10000)
    qtbot.wait(50)  # its queued result reaches the UI thread, and is dropped there
    assert got == ["new"]
    # another kind is independent: both answer
    other: list[str] = []
    page.run_query("a", read_value, ctx.db, "a", on_done=other.append)
    page.run_query("b", read_value, ctx.db, "b", on_done=other.append)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10000)
    assert sorted(other) == ["a", "b"]


def test_a_burst_of_data_changes_makes_one_load_and_a_hidden_page_waits_until_shown(ctx, qtbot):
    page = CountingPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    for i in range(10):
        ctx.signals.data_changed.emit("cooperative", [i])
    ctx.signals.data_changed.emit("letter", None)  # not an entity this page shows
    assert page.is_loading() and page.loads == 0  # waiting for the burst to end
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10000)
    assert page.loads == 1 and page.shown == ["load 1"]

    page.hide()
    for i in range(5):
        ctx.signals.data_changed.emit("cooperative", [i])
    qtbot.wait(3 * page.REFRESH_DELAY_MS)
    assert page.loads == 1 and not page.is_loading()  # a hidden page reads nothing
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.show()
    assert page.loads == 2 and page.shown == ["load 1", "load 2"]
    page.refresh()  # Muat ulang: at once
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10000)
    assert page.loads == 3


def test_connections_to_app_signals_end_with_the_page(ctx, qtbot, qtlog):
    before = ctx.signals.receivers(DATA_CHANGED)
    page = CountingPage(ctx)  # refresh_on: one tracked connection
    ran: list[object] = []
    page.track(ctx.signals.data_changed, lambda entity, _ids: ran.append((entity, page.isVisible())))
    untracked: list[object] = []
    ctx.signals.data_changed.connect(lambda entity, _ids: untracked.append(entity))  # the control: a bare connect
    assert ctx.signals.receivers(DATA_CHANGED) == before + 3
    ctx.signals.data_changed.emit("cooperative", None)
    assert ran == [("cooperative", False)]

    delete_now(page)
    assert ctx.signals.receivers(DATA_CHANGED) == before + 1  # only the control is left
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ctx.signals.data_changed.emit("cooperative", None)
        qtbot.wait(3 * CountingPage.REFRESH_DELAY_MS)
    assert ran == [("cooperative", False)]  # the tracked slot did not run against the deleted page
    assert untracked == ["cooperative", "cooperative"]  # while a bare connection would have
    assert [r.message for r in qtlog.records] == []


def test_a_result_that_arrives_after_the_page_is_gone_is_dropped(ctx, qtbot, qtlog):
    page = CountingPage(ctx)
    got: list[str] = []
    gate = threading.Event()
    page.run_query("value", read_value, ctx.db, "late", gate, on_done=lambda v: got.append(page.objectName() + v))
    delete_now(page)
    gate.set()
    assert ctx.tasks.wait(10000)
    qtbot.wait(50)
    assert got == []  # on_done would have raised on the deleted widget
    assert [r.message for r in qtlog.records] == []


def test_a_long_load_shows_a_quiet_busy_tag(ctx, qtbot):
    page = CountingPage(ctx)
    qtbot.addWidget(page)
    page.resize(600, 300)
    page.show()
    gate = threading.Event()
    page.run_query("value", read_value, ctx.db, "slow", gate, on_done=lambda _v: None)
    busy = page.findChild(type(page._busy_label), "page-busy")
    assert busy is not None and not busy.isVisible()
    qtbot.waitUntil(busy.isVisible, timeout=5000)
    assert busy.text() == "Memuat…" and busy.geometry().right() < page.width()
    gate.set()
    qtbot.waitUntil(lambda: not busy.isVisible(), timeout=10000)
    page.run_query("value", read_value, ctx.db, "quick", on_done=lambda _v: None)
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=10000)
    assert not busy.isVisible()  # a quick load never shows it


def test_a_failed_load_is_shown_and_logged(ctx, qtbot, monkeypatch, caplog):
    from kopdesk.models.errors import DomainError

    shown: list[BaseException] = []
    monkeypatch.setattr("kopdesk.ui.widgets.messages.show_error", lambda parent, exc, title="": shown.append(exc))
    page = CountingPage(ctx)
    qtbot.addWidget(page)

    def broken(db: Any) -> None:
        with db.read() as s:
            s.execute(text("SELECT no_such_column FROM region"))

    def refused(db: Any) -> None:
        raise DomainError("Kode wilayah tidak dikenal.")

    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.run_query("x", broken, ctx.db, on_done=lambda _r: None)
    with qtbot.waitSignal(page.loaded, timeout=10000):
        page.run_query("y", refused, ctx.db, on_done=lambda _r: None)
    assert [type(e).__name__ for e in shown] == ["OperationalError", "DomainError"]
    errors = [r for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 1 and errors[0].exc_info and "no_such_column" in str(errors[0].exc_info[1])  # a domain error is shown, not logged
