"""Background work: run a plain function off the UI thread, with progress, cancel and a delayed dialog.

Worker functions are plain Qt-free functions from kopdesk.models.services or kopdesk.reports, called as
``fn(*args, progress=..., cancelled=...)`` when ``progress=True``; their result or exception comes back to the UI
thread through a queued signal (Picard util/thread.py, Anki progress.py).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from kopdesk import logsetup
from kopdesk.models.progress import Cancelled

log = logging.getLogger(__name__)


class _Bridge(QObject):
    """Signals:
    finished(object): the function's return value.
    failed(object): the exception it raised.
    progressed(int, int, str): done, total, text.
    """

    finished = Signal(object)
    failed = Signal(object)
    progressed = Signal(int, int, str)


class Task(QRunnable):
    """One call of a function on the thread pool.

    Attributes:
        cancel_event: set by :meth:`cancel`; the function sees it through its ``cancelled`` callable.
    """

    def __init__(self, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any], with_progress: bool) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.with_progress = with_progress
        self.cancel_event = threading.Event()
        self.bridge = _Bridge()
        self.done = False

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:  # runs on a pool thread
        kwargs = dict(self.kwargs)
        if self.with_progress:
            kwargs["progress"] = lambda d, t, text="": self.bridge.progressed.emit(int(d), int(t), str(text))
            kwargs["cancelled"] = self.cancel_event.is_set
        try:
            result = self.fn(*self.args, **kwargs)
        except BaseException as exc:  # handed to the UI thread, which logs it (TaskRunner.run) and reports it
            self.done = True
            self.bridge.failed.emit(exc)
            return
        self.done = True
        self.bridge.finished.emit(result)


class TaskRunner(QObject):
    """Runs tasks on a QThreadPool and keeps them alive until they report back.

    Signals:
        busy_changed(bool): some task is (no longer) running.
    """

    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 4) -> None:
        super().__init__(parent)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(max_threads)
        self._running: set[Task] = set()

    @property
    def busy(self) -> bool:
        return bool(self._running)

    def run(self, fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
            on_error: Callable[[BaseException], None] | None = None, progress: bool = False,
            parent: QWidget | None = None, title: str = "", label: str = "Memproses…",
            dialog_delay_ms: int = 500, **kwargs: Any) -> Task:
        """Run ``fn(*args, **kwargs)`` off the UI thread.

        Args:
            progress: pass ``progress`` and ``cancelled`` to ``fn`` and, after ``dialog_delay_ms``, show a progress
                dialog with a Batal button (only when ``parent`` is given).
        """
        task = Task(fn, args, kwargs, progress)
        dialog: QProgressDialog | None = None
        if progress and parent is not None:
            dialog = QProgressDialog(label, "Batal", 0, 0, parent)
            dialog.setWindowTitle(title or "KopDesk")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(dialog_delay_ms)
            dialog.setAutoClose(False)
            dialog.setAutoReset(False)
            dialog.canceled.connect(task.cancel)

            def on_progress(done: int, total: int, text: str) -> None:
                if dialog is None:
                    return
                dialog.setMaximum(max(total, 0))
                dialog.setValue(min(done, total) if total else 0)
                if text:
                    dialog.setLabelText(text)

            task.bridge.progressed.connect(on_progress)
            QTimer.singleShot(0, lambda: dialog.setValue(0) if dialog is not None else None)

        def finish() -> None:
            self._running.discard(task)
            if dialog is not None:
                dialog.reset()
                dialog.hide()
                dialog.deleteLater()
            if not self._running:
                self.busy_changed.emit(False)

        def done(result: Any) -> None:
            if not shiboken6.isValid(self):
                return  # the window that ran the task has closed: nobody is left to show the result
            finish()
            if on_done is not None:
                on_done(result)

        def failed(exc: BaseException) -> None:
            if not shiboken6.isValid(self):
                return
            finish()
            if isinstance(exc, Cancelled):
                return
            # The traceback (the worker's frames included) goes into the log before anyone turns it into a message.
            logsetup.log_exception(exc, f"tugas latar {getattr(fn, '__qualname__', fn)!s} gagal", log)
            if on_error is not None:
                on_error(exc)
            else:  # pragma: no cover - a task without an error handler is a programming error
                raise exc

        task.bridge.finished.connect(done, Qt.ConnectionType.QueuedConnection)
        task.bridge.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        was_idle = not self._running
        self._running.add(task)
        if was_idle:
            self.busy_changed.emit(True)
        self.pool.start(task)
        return task

    def wait(self, msecs: int = 30000) -> bool:
        """Wait for every task (tests and shutdown)."""
        return self.pool.waitForDone(msecs)
