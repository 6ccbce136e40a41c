"""An error in the window leaves its traceback in the log file, and the clerk's message names that file.

The log set-up is the real one (kopdesk.logsetup.setup, the rotating file in KOPDESK_DATA_DIR/logs); the message
boxes are intercepted so that no test waits for a click.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Signal, Slot, qWarning
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

import kopdesk
from kopdesk import logsetup
from kopdesk.models.errors import DomainError
from kopdesk.ui import crash
from kopdesk.ui.tasks import TaskRunner
from kopdesk.ui.widgets.messages import show_error

ROOT = Path(kopdesk.__file__).resolve().parent.parent


@pytest.fixture
def log_file(monkeypatch: pytest.MonkeyPatch) -> Path:
    """The real set-up, as at start; the hooks it replaces come back after the test."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    path = logsetup.setup()
    crash.install_excepthook()
    return path


@pytest.fixture
def boxes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """Every warning or critical box as (kind, text), answered at once."""
    shown: list[tuple[str, str]] = []

    def fake(kind: str):  # type: ignore[no-untyped-def]
        def box(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
            shown.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return box

    monkeypatch.setattr(QMessageBox, "warning", fake("warning"))
    monkeypatch.setattr(QMessageBox, "critical", fake("critical"))
    return shown


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _explode_in_a_slot() -> None:
    raise RuntimeError("kopdesk-uji: slot meledak")


def _explode_in_a_task(n: int) -> int:
    raise ZeroDivisionError(f"kopdesk-uji: tugas meledak {n}")


def _refuse_in_a_task() -> None:
    raise DomainError("Koperasi ini sudah dibubarkan (uji).")


@pytest.mark.qt_no_exception_capture  # the exception must reach sys.excepthook, not pytest-qt's capture
def test_an_exception_in_a_slot_is_logged_and_the_box_names_the_log(qtbot, log_file, boxes):
    button = QPushButton("Uji")
    qtbot.addWidget(button)
    button.clicked.connect(_explode_in_a_slot)
    before = len(_read(log_file))
    button.click()  # PySide6 hands the slot's exception to sys.excepthook and goes on

    written = _read(log_file)[before:]
    assert "Traceback (most recent call last)" in written
    assert "in _explode_in_a_slot" in written and "RuntimeError: kopdesk-uji: slot meledak" in written
    assert " CRITICAL kopdesk " in written
    assert len(boxes) == 1
    kind, text = boxes[0]
    assert kind == "critical" and str(log_file) in text and "kesalahan tak terduga" in text.lower()
    assert "Kirimkan berkas itu" in text


@pytest.mark.qt_no_exception_capture
def test_an_error_while_the_box_is_open_is_logged_without_a_second_box(qtbot, log_file, monkeypatch):
    """The box's own event loop may run another failing slot: no box on top of the box, no endless recursion."""
    button = QPushButton("Uji")
    qtbot.addWidget(button)
    button.clicked.connect(_explode_in_a_slot)
    opened: list[str] = []

    def box_that_fails(parent, title, text, *args, **kwargs):  # type: ignore[no-untyped-def]
        opened.append(text)
        button.click()  # a second error arrives while the first box is up
        raise RuntimeError("kopdesk-uji: kotak pesan gagal")

    monkeypatch.setattr(QMessageBox, "critical", box_that_fails)
    before = len(_read(log_file))
    button.click()
    written = _read(log_file)[before:]
    assert len(opened) == 1
    assert written.count("in _explode_in_a_slot") == 2  # both errors are in the log
    assert "kotak pesan kesalahan tidak dapat ditampilkan" in written and "kotak pesan gagal" in written


class _Emitter(QObject):
    fired = Signal()


@pytest.mark.qt_no_exception_capture
def test_a_slot_failing_outside_the_gui_thread_is_logged_without_a_box(qtbot, log_file, boxes):
    """A box built on a worker thread would bring the program down; the log still gets the traceback."""
    emitter = _Emitter()
    emitter.fired.connect(_explode_in_a_slot, Qt.ConnectionType.DirectConnection)
    before = len(_read(log_file))
    worker = threading.Thread(target=emitter.fired.emit)
    worker.start()
    worker.join()
    written = _read(log_file)[before:]
    assert "in _explode_in_a_slot" in written and "Traceback (most recent call last)" in written
    assert boxes == []


def test_a_background_task_error_is_logged_before_on_error_shows_it(qtbot, log_file, boxes):
    runner = TaskRunner()
    page = QWidget()
    qtbot.addWidget(page)
    errors: list[BaseException] = []

    def on_error(exc: BaseException) -> None:
        errors.append(exc)
        assert "in _explode_in_a_task" in _read(log_file), "logged before on_error runs"
        show_error(page, exc)

    before = len(_read(log_file))
    runner.run(_explode_in_a_task, 7, on_done=lambda _r: None, on_error=on_error)
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    runner.wait()

    written = _read(log_file)[before:]
    assert "tugas latar _explode_in_a_task gagal" in written
    assert "Traceback (most recent call last)" in written
    assert "in _explode_in_a_task" in written and "ZeroDivisionError: kopdesk-uji: tugas meledak 7" in written
    assert written.count("Traceback (most recent call last)") == 1, "show_error does not log it a second time"
    assert len(boxes) == 1
    kind, text = boxes[0]
    assert kind == "warning" and str(log_file) in text and "ZeroDivisionError" in text


def test_show_error_logs_what_a_handler_caught(qtbot, log_file, boxes):
    """The pages' ``except Exception: show_error(self, exc)`` keeps the traceback that used to be dropped."""
    page = QWidget()
    qtbot.addWidget(page)
    before = len(_read(log_file))
    try:
        _explode_in_a_slot()
    except RuntimeError as exc:
        show_error(page, exc, "Ekspor")
    written = _read(log_file)[before:]
    assert "ERROR kopdesk.ui.widgets.messages" in written and "QWidget: Ekspor" in written
    assert "in _explode_in_a_slot" in written
    assert boxes and str(log_file) in boxes[0][1] and "RuntimeError: kopdesk-uji: slot meledak" in boxes[0][1]


def test_a_domain_error_is_shown_but_not_logged_as_an_error(qtbot, log_file, boxes):
    runner = TaskRunner()
    page = QWidget()
    qtbot.addWidget(page)
    errors: list[BaseException] = []
    before = len(_read(log_file))
    runner.run(_refuse_in_a_task, on_error=lambda exc: (errors.append(exc), show_error(page, exc)))
    qtbot.waitUntil(lambda: bool(errors), timeout=10000)
    runner.wait()

    written = _read(log_file)[before:]
    assert "sudah dibubarkan (uji)" in written and " INFO " in written
    assert " ERROR " not in written and "Traceback" not in written
    assert boxes == [("warning", "Koperasi ini sudah dibubarkan (uji).")]


def test_qt_messages_reach_the_log_and_pytest_qt_still_sees_them(qtbot, qtlog, log_file):
    crash.install_qt_message_handler()
    try:
        qWarning("kopdesk-uji: peringatan Qt")
    finally:
        crash.uninstall_qt_message_handler()
    assert "WARNING qt [" in _read(log_file) and "kopdesk-uji: peringatan Qt" in _read(log_file)
    assert any("kopdesk-uji: peringatan Qt" in r.message for r in qtlog.records)  # chained, not swallowed


class _FileUrls(QObject):
    """Stands where the desktop's file manager would be (QDesktopServices.setUrlHandler, Qt's own extension point)."""

    def __init__(self) -> None:
        super().__init__()
        self.opened: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.opened.append(url)


def test_help_menu_opens_the_log_folder_and_about_names_it(qtbot, sqlite_db, open_window, log_file):
    from kopdesk.ui.administration.about import AboutDialog

    w = open_window(sqlite_db, None)
    help_menu = next(a.menu() for a in w.menuBar().actions() if a.text() == "B&antuan")
    assert "Buka folder &log" in [a.text() for a in help_menu.actions()]
    handler = _FileUrls()
    QDesktopServices.setUrlHandler("file", handler, "open")
    try:
        w.log_folder_action.trigger()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [Path(u.toLocalFile()) for u in handler.opened] == [log_file.parent]

    about = AboutDialog(sqlite_db)
    qtbot.addWidget(about)
    assert str(log_file.parent) in about.summary.text()


def test_starting_the_window_creates_the_log(tmp_path):
    """The real start path (main.py, no command): the window opens on an empty database and closes by itself."""
    env = {**os.environ, "KOPDESK_DATA_DIR": str(tmp_path / "data"), "KOPDESK_SMOKE_TEST": "200",
           "QT_QPA_PLATFORM": "offscreen"}
    db = tmp_path / "jendela.sqlite"
    out = subprocess.run([sys.executable, "main.py", "--db", str(db)], cwd=ROOT, env=env, capture_output=True,
                         text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    log = _read(tmp_path / "data" / "logs" / "kopdesk.log")
    assert f"KopDesk {kopdesk.__version__} mulai" in log
    assert f"basis data: sqlite:///{db}" in log
    assert "jendela: Qt " in log and "platform offscreen" in log  # the window's part of the set-up ran
