"""The base of the main window's pages: database reads off the UI thread, debounced refreshes, connections that end
with the page.

A page subclasses :class:`Page`, builds its widgets in ``__init__`` without touching the database, and puts its reads
in :meth:`Page.load`, which starts them with :meth:`Page.run_query`::

    class RatPage(Page):
        def __init__(self, ctx, parent=None):
            super().__init__(ctx, parent)
            ...                                   # widgets only
            self.refresh_on("rat_record", "cooperative")
            self.refresh()                        # the first load, in the background

        def load(self):
            self.run_query("summary", rat_summary, self.ctx.db, self.year.value(), on_done=self._show)

What it gives (Vorta's BaseTab.track_signal; Picard's run_task/to_main; Anki's QueryOp):

* :meth:`run_query` runs ``fn(*args)`` through the application's TaskRunner (so each call opens its own session on
  a pool thread) and hands the result to ``on_done`` on the UI thread. A newer load of the same kind makes older
  ones stale: their results are dropped, so a slow answer never overwrites a newer one. A result that arrives after
  the page was destroyed is dropped too.
* :meth:`refresh_later` (what a ``data_changed`` handler calls) coalesces a burst of changes into one
  :meth:`refresh` ``REFRESH_DELAY_MS`` after the last; a page that is not visible only notes that it is stale and
  refreshes when it is shown again.
* :meth:`track` connects a slot to an application-wide signal (``ctx.signals``) and disconnects it when the page
  is destroyed, so a closed page's lambdas never run against a deleted widget.
* While a load runs longer than ``BUSY_DELAY_MS`` a quiet "Memuat…" tag shows at the page's top right.

The house rule it serves: nothing that touches the database runs on the UI thread, except a by-id fetch of the
rows the clerk is looking at.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QMetaObject, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QWidget

from kopdesk.ui.context import AppContext

log = logging.getLogger(__name__)


class _Lifetime:
    """What the callbacks of a page may hold without holding the widget: whether it is alive, the newest load of
    each kind, and the connections to drop when it goes (plain Python, so it outlives the C++ object safely)."""

    def __init__(self) -> None:
        self.alive = True
        self.generations: dict[str, int] = {}
        self.connections: list[QMetaObject.Connection] = []

    def end(self, *_args: object) -> None:
        """The page is being destroyed: stop every callback and drop the tracked connections."""
        self.alive = False
        while self.connections:
            QObject.disconnect(self.connections.pop())  # False, quietly, when the sender went first


class Page(QWidget):
    """A page of the main window (see the module documentation).

    Signals:
        loaded(str): the newest load of this kind was delivered (its ``on_done`` or ``on_error`` has run).

    Attributes:
        ctx: the application's session (database, user, task runner, signals).
    """

    REFRESH_DELAY_MS = 200
    BUSY_DELAY_MS = 300

    loaded = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._lifetime = _Lifetime()
        self.destroyed.connect(self._lifetime.end)
        self._pending: set[str] = set()
        self._busy_kinds: set[str] = set()
        self._stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.timeout.connect(self.refresh)
        self._busy_label = QLabel("Memuat…", self)
        self._busy_label.setObjectName("page-busy")
        self._busy_label.setStyleSheet("QLabel#page-busy { color: #555; background: #eef1f5; border: 1px solid #d6dbe3;"
                                       " border-radius: 9px; padding: 2px 10px; }")
        self._busy_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._busy_label.hide()
        self._busy_timer = QTimer(self)
        self._busy_timer.setSingleShot(True)
        self._busy_timer.timeout.connect(self._show_busy)

    # -- loading ------------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Start the page's reads with :meth:`run_query` (subclasses); called by :meth:`refresh`."""

    def refresh(self) -> None:
        """Load now (the Muat ulang button, F5, the first load), cancelling a refresh that was waiting."""
        self._refresh_timer.stop()
        self._stale = False
        self.load()

    def refresh_later(self, *_args: object) -> None:
        """Refresh after the data changed: once, shortly after the last change; a hidden page when next shown."""
        if not self.isVisible():
            self._stale = True
            return
        self._refresh_timer.start(self.REFRESH_DELAY_MS)

    def refresh_on(self, *entities: str) -> None:
        """Refresh (later) when ``ctx.signals.data_changed`` names one of ``entities`` (any entity when none given)."""
        wanted = set(entities)
        self.track(self.ctx.signals.data_changed,
                   lambda entity, _ids: self.refresh_later() if not wanted or entity in wanted else None)

    def run_query(self, kind: str, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None],
                  on_error: Callable[[BaseException], None] | None = None, busy: bool = True, **kwargs: Any) -> None:
        """Run ``fn(*args, **kwargs)`` off the UI thread; ``on_done(result)`` runs on the UI thread unless a newer
        load of the same ``kind`` started meanwhile or the page was destroyed.

        ``fn`` is a plain function that opens its own session (``with db.read() as s``) and returns plain data, never
        ORM instances bound to that session. ``on_error`` defaults to telling the clerk (:meth:`show_load_error`).
        ``busy``: show the "Memuat…" tag while it runs longer than ``BUSY_DELAY_MS``.
        """
        lifetime = self._lifetime
        generation = lifetime.generations.get(kind, 0) + 1
        lifetime.generations[kind] = generation
        self._pending.add(kind)
        if busy:
            self._busy_kinds.add(kind)
            if not self._busy_timer.isActive() and not self._busy_label.isVisible():
                self._busy_timer.start(self.BUSY_DELAY_MS)
        else:
            self._busy_kinds.discard(kind)

        def current() -> bool:
            return lifetime.alive and lifetime.generations.get(kind) == generation

        def done(result: Any) -> None:
            if current():
                try:
                    on_done(result)
                finally:
                    self._finished(kind, generation)

        def failed(exc: BaseException) -> None:
            if current():
                try:
                    (on_error or self.show_load_error)(exc)
                finally:
                    self._finished(kind, generation)

        self.ctx.tasks.run(fn, *args, on_done=done, on_error=failed, **kwargs)

    def is_loading(self) -> bool:
        """A load is running, or a refresh is waiting for its delay (tests wait until this is False)."""
        return bool(self._pending) or self._refresh_timer.isActive()

    def show_load_error(self, exc: BaseException) -> None:
        """Tell the clerk a load failed (the task runner has already logged an unexpected error's traceback)."""
        from kopdesk.ui.widgets.messages import show_error

        show_error(self, exc)

    def _finished(self, kind: str, generation: int) -> None:
        if self._lifetime.generations.get(kind) == generation:  # else on_done started a newer load of this kind
            self._pending.discard(kind)
            self._busy_kinds.discard(kind)
        if not self._busy_kinds:
            self._busy_timer.stop()
            self._busy_label.hide()
        self.loaded.emit(kind)

    def _show_busy(self) -> None:
        if self._busy_kinds:
            self._place_busy()
            self._busy_label.show()
            self._busy_label.raise_()

    def _place_busy(self) -> None:
        self._busy_label.adjustSize()
        self._busy_label.move(max(0, self.width() - self._busy_label.width() - 16), 8)

    # -- connections and visibility -----------------------------------------------------------------------------
    def track(self, signal: Any, slot: Callable[..., Any]) -> Any:
        """Connect ``slot`` to an application-wide ``signal``; the connection is dropped when the page is destroyed."""
        connection = signal.connect(slot)
        self._lifetime.connections.append(connection)
        return connection

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self._busy_label.isVisible():
            self._place_busy()

