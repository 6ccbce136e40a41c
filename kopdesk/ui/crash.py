"""The window's share of crash handling: tell the clerk where the log is, and route Qt's own messages into it.

kopdesk.logsetup already logs every uncaught exception; PySide6 hands an exception raised in a slot or a virtual
method to ``sys.excepthook`` and goes on. :func:`install` wraps that hook so the clerk also sees a short message
naming the log file, as qutebrowser's CrashHandler shows its crash dialog (misc/crashsignal.py), and installs a Qt
message handler so that Qt's warnings reach the log of a windowed build, which has no console.
"""

from __future__ import annotations

import logging
import sys
from types import TracebackType
from typing import Any

from PySide6.QtCore import QMessageLogContext, QThread, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

from kopdesk import APP_NAME, logsetup

log = logging.getLogger(__name__)
qt_log = logging.getLogger("qt")

QT_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}

_previous_hook: Any = None
_previous_qt_handler: Any = None
_qt_handler_installed = False
_showing = False


def install() -> None:
    """Install the window's excepthook and the Qt message handler (the real start path; tests call it explicitly)."""
    install_excepthook()
    install_qt_message_handler()
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    log.info("jendela: Qt %s, PySide6 %s, platform %s", qVersion(), pyside_version, QApplication.platformName())


def unexpected_text() -> str:
    """What the clerk reads after an unexpected error: where its details are and what to do with them."""
    return (f"Terjadi kesalahan tak terduga. Rinciannya dicatat di {logsetup.log_file()}. "
            "Kirimkan berkas itu ke pengelola KopDesk.")


# -- sys.excepthook -------------------------------------------------------------------------------------------------
def install_excepthook() -> None:
    global _previous_hook
    if sys.excepthook is _excepthook:
        return
    _previous_hook = sys.excepthook
    sys.excepthook = _excepthook


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """Log the exception (through the hook before this one), then tell the clerk, once at a time."""
    global _showing
    previous = _previous_hook or sys.__excepthook__
    previous(exc_type, exc, tb)  # kopdesk.logsetup's hook: the traceback into the log
    if not issubclass(exc_type, Exception):  # KeyboardInterrupt, SystemExit: nothing to tell the clerk
        return
    logsetup.log_exception(exc, "kesalahan tak tertangani")  # when the hook before was not ours; else a no-op
    if _showing:  # an error while the box is open (its event loop runs other slots): logged, no second box
        return
    _showing = True
    try:
        _show_box(exc)
    except Exception:  # the box itself failed (no display, a dying app): the log must do
        log.exception("kotak pesan kesalahan tidak dapat ditampilkan")
    finally:
        _showing = False


logsetup.mark_as_hook(_excepthook)


def _show_box(exc: BaseException) -> None:
    app = QApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():  # a widget outside the GUI thread would crash
        return
    from kopdesk.ui.widgets.messages import error_text

    text = unexpected_text() if not logsetup.is_expected(exc) else error_text(exc)
    parent = QApplication.activeModalWidget() or QApplication.activeWindow()
    QMessageBox.critical(parent, APP_NAME, text)


# -- Qt's messages ----------------------------------------------------------------------------------------------------
def install_qt_message_handler() -> None:
    """Send qWarning and friends to the log (logger ``qt``), and on to the handler installed before (pytest-qt's)."""
    global _previous_qt_handler, _qt_handler_installed
    if _qt_handler_installed:
        return
    _previous_qt_handler = qInstallMessageHandler(qt_message_handler)
    _qt_handler_installed = True


def uninstall_qt_message_handler() -> None:
    global _previous_qt_handler, _qt_handler_installed
    if _qt_handler_installed:
        qInstallMessageHandler(_previous_qt_handler)
        _previous_qt_handler, _qt_handler_installed = None, False


def qt_message_handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
    category = context.category if context.category and context.category != "default" else ""
    text = f"{category}: {message}" if category else message
    where = f" ({context.file}:{context.line})" if context.file else ""
    qt_log.log(QT_LEVELS.get(mode, logging.WARNING), "%s%s", text, where)
    if _previous_qt_handler is not None:
        _previous_qt_handler(mode, context, message)
    elif sys.__stderr__ is not None and "stderr" not in logsetup.replaced_streams():
        # What Qt's own handler would have printed on a developer's console.
        try:
            sys.__stderr__.write(text + "\n")
            sys.__stderr__.flush()
        except (OSError, ValueError):
            pass
