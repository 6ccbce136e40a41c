"""One logging set-up for the window and the command line (Qt-free): a rotating log file, faulthandler and hooks.

:func:`setup` runs first thing at start (kopdesk.launcher): every unexpected error then leaves its traceback in a
file the clerk can send, as qutebrowser's CrashHandler does (misc/crashsignal.py). The window adds a message box
and routes Qt's own messages here (kopdesk.ui.crash).

The log folder is :func:`kopdesk.paths.logs_dir` (the user's log folder; ``KOPDESK_DATA_DIR/logs`` under tests).
It holds ``kopdesk.log`` (rotated at :data:`MAX_BYTES`, :data:`BACKUP_COUNT` old files kept) and
``kopdesk-crash.log``, where faulthandler writes the Python stacks of a hard crash (a segfault in Qt or a driver)
that no Python hook sees.
"""

from __future__ import annotations

import faulthandler
import io
import logging
import logging.handlers
import os
import platform
import re
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from kopdesk import APP_NAME, __version__

LOG_FILE_NAME = "kopdesk.log"
CRASH_FILE_NAME = "kopdesk-crash.log"
MAX_BYTES = 2 * 1024 * 1024
BACKUP_COUNT = 5
CRASH_FILE_MAX_BYTES = 1024 * 1024
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d]: %(message)s"
LEVEL_ENV = "KOPDESK_LOG_LEVEL"  # e.g. DEBUG, for a maintainer chasing a problem on a clerk's PC

log = logging.getLogger("kopdesk")

_LOGGED = "_kopdesk_logged"  # set on an exception once its traceback is in the log, so it is written once
_HOOK = "_kopdesk_hook"  # marks our hooks, so a second set-up does not wrap them again

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


class _State:
    """What :func:`setup` installed: the folder, the file handler and the open crash file."""

    def __init__(self, folder: Path, handler: logging.Handler, crash_file: IO[str] | None) -> None:
        self.folder = folder
        self.handler = handler
        self.crash_file = crash_file

    @property
    def log_file(self) -> Path:
        return self.folder / LOG_FILE_NAME


_state: _State | None = None
_lock = threading.Lock()
_previous_excepthook: ExceptHook = sys.__excepthook__
_previous_threading_hook: Callable[[threading.ExceptHookArgs], Any] = threading.__excepthook__
_replaced_streams: set[str] = set()


# -- the set-up ---------------------------------------------------------------------------------------------------
def setup() -> Path:
    """Start logging to the rotating log file, send faulthandler to the crash file and install the hooks.

    Safe to call more than once (the window, a command and tests all pass through it): a second call in the same
    folder changes nothing; a call after ``KOPDESK_DATA_DIR`` changed moves the log to the new folder.

    Returns:
        The log file.
    """
    global _state
    with _lock:
        folder = _log_folder()
        if _state is None or _state.folder != folder:
            handler = _RotatingLog(folder / LOG_FILE_NAME, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT,
                                   encoding="utf-8")
            handler.setFormatter(logging.Formatter(LOG_FORMAT))
            root = logging.getLogger()
            old = _state
            root.addHandler(handler)
            crash_file = _enable_faulthandler(folder, old.crash_file if old is not None else None)
            if old is not None:
                root.removeHandler(old.handler)
                old.handler.close()
            _state = _State(folder, handler, crash_file)
        # Third-party INFO (SQLAlchemy would log every statement) stays out; kopdesk's own INFO goes in.
        log.setLevel(_level_from_environment())
        _replace_missing_streams()
        _install_hooks()
        return _state.log_file


def _level_from_environment() -> int:
    name = os.environ.get(LEVEL_ENV, "").strip().upper()
    level = logging.getLevelName(name) if name else logging.INFO
    return level if isinstance(level, int) else logging.INFO


def _log_folder() -> Path:
    """The user's log folder, or a temporary one when that cannot be created (a locked-down profile)."""
    from kopdesk.paths import logs_dir

    try:
        return logs_dir()
    except OSError:
        fallback = Path(tempfile.gettempdir()) / "kopdesk-logs"
        fallback.mkdir(parents=True, exist_ok=True)
        return fallback


def log_dir() -> Path:
    """The folder the log is written to (where it will be, before :func:`setup`)."""
    return _state.folder if _state is not None else _log_folder()


def log_file() -> Path:
    """The log file the clerk is asked to send (where it will be, before :func:`setup`)."""
    return log_dir() / LOG_FILE_NAME


def crash_file() -> Path:
    """The file faulthandler writes a hard crash's stacks to."""
    return log_dir() / CRASH_FILE_NAME


def log_start(argv: Sequence[str]) -> None:
    """The first lines of a run: version, platform and the command line, a database password masked."""
    frozen = " (terpasang)" if getattr(sys, "frozen", False) else ""
    log.info("%s %s%s mulai; Python %s, %s, pid %d", APP_NAME, __version__, frozen, platform.python_version(),
             platform.platform(), os.getpid())
    log.info("perintah: %s", " ".join(mask_url(a) for a in argv) or "(jendela)")
    url = os.environ.get("KOPDESK_DATABASE_URL")
    if url:
        log.info("KOPDESK_DATABASE_URL: %s", mask_url(url))


_URL_PASSWORD = re.compile(r"(://[^/:@\s]*:)[^@/\s]*@")
_QUERY_PASSWORD = re.compile(r"((?:^|[?&\s])password=)[^&\s]*", re.IGNORECASE)


def mask_url(text: str) -> str:
    """``postgresql://user:secret@host/db`` → ``postgresql://user:***@host/db`` (also ``?password=``)."""
    return _QUERY_PASSWORD.sub(r"\1***", _URL_PASSWORD.sub(r"\1***@", text))


# -- logging an exception -----------------------------------------------------------------------------------------
def is_expected(exc: BaseException) -> bool:
    """A domain rule refusing an action, or the clerk cancelling: shown to the clerk, not an error of the program."""
    try:
        from kopdesk.models.errors import DomainError
        from kopdesk.models.progress import Cancelled
    except Exception:  # the domain itself does not import: whatever this is, it is not expected
        return False
    return isinstance(exc, (DomainError, Cancelled))


def log_exception(exc: BaseException, context: str = "", logger: logging.Logger | None = None) -> bool:
    """Put an exception in the log once: an expected one at INFO as one line, any other at ERROR with its traceback.

    Args:
        context: what was being done, e.g. ``"tugas latar export_registry gagal"``.
        logger: the caller's logger (bawaan: ``kopdesk``).

    Returns:
        True when the exception was unexpected (the clerk should be told where the log is).
    """
    unexpected = not is_expected(exc)
    if getattr(exc, _LOGGED, False):
        return unexpected
    try:
        setattr(exc, _LOGGED, True)
    except (AttributeError, TypeError):  # an exception type with __slots__
        pass
    target = logger or log
    what = context or "kesalahan"
    if unexpected:
        target.error("%s: %s: %s", what, type(exc).__name__, exc, exc_info=exc)
    else:
        target.info("%s: %s", what, exc)
    return unexpected


def first_line(exc: BaseException) -> str:
    """``Type: message`` on one line (database errors carry the SQL on the next lines)."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0]}" if text and text[0] else type(exc).__name__


# -- hooks --------------------------------------------------------------------------------------------------------
def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """An exception nobody caught (also one raised in a Qt slot: PySide6 hands those to sys.excepthook)."""
    if getattr(exc, _LOGGED, False):  # e.g. a task's exception re-raised: its traceback is in the log already
        log.critical("kesalahan tak tertangani: %s (rinciannya di atas)", first_line(exc))
    elif not issubclass(exc_type, KeyboardInterrupt):
        log.critical("kesalahan tak tertangani: %s", first_line(exc), exc_info=(exc_type, exc, tb))
        try:
            setattr(exc, _LOGGED, True)
        except (AttributeError, TypeError):
            pass
    # A developer's console still shows the traceback; a windowed build's missing stderr would only log it twice.
    if "stderr" not in _replaced_streams or issubclass(exc_type, KeyboardInterrupt):
        _previous_excepthook(exc_type, exc, tb)


def _threading_excepthook(args: threading.ExceptHookArgs) -> None:
    if args.exc_type is not SystemExit:
        name = args.thread.name if args.thread is not None else "?"
        log.critical("kesalahan tak tertangani di utas %s: %s", name, args.exc_type.__name__,
                     exc_info=args.exc_value)
    if "stderr" not in _replaced_streams:
        _previous_threading_hook(args)


setattr(_excepthook, _HOOK, True)
setattr(_threading_excepthook, _HOOK, True)


def _install_hooks() -> None:
    global _previous_excepthook, _previous_threading_hook
    if not getattr(sys.excepthook, _HOOK, False):
        _previous_excepthook = sys.excepthook
        sys.excepthook = _excepthook
    if not getattr(threading.excepthook, _HOOK, False):
        _previous_threading_hook = threading.excepthook
        threading.excepthook = _threading_excepthook


def replaced_streams() -> frozenset[str]:
    """``"stdout"``/``"stderr"`` when that stream was missing and now writes into the log."""
    return frozenset(_replaced_streams)


def mark_as_hook(fn: Callable[..., Any]) -> None:
    """Mark an excepthook that chains to ours (the window's), so a later :func:`setup` keeps it."""
    setattr(fn, _HOOK, True)


# -- faulthandler ---------------------------------------------------------------------------------------------------
def _enable_faulthandler(folder: Path, current: IO[str] | None) -> IO[str] | None:
    """Send faulthandler to the crash file, kept open for the life of the process (it writes from a signal handler).

    Left alone when someone else enabled it first (``python -X faulthandler``, PYTHONFAULTHANDLER, pytest): that
    choice of stream is deliberate. The file is opened for appending, as a command and the window may run at once.
    """
    if faulthandler.is_enabled() and current is None:
        log.debug("faulthandler sudah aktif; tidak dialihkan ke %s", folder / CRASH_FILE_NAME)
        return None
    path = folder / CRASH_FILE_NAME
    try:
        if path.exists() and path.stat().st_size > CRASH_FILE_MAX_BYTES:
            os.replace(path, path.with_name(CRASH_FILE_NAME + ".1"))
    except OSError:  # another KopDesk keeps it open (Windows): append to it a while longer
        pass
    try:
        handle = open(path, "a", encoding="utf-8")  # noqa: SIM115 - open for the process's life
    except OSError:
        log.warning("berkas crash %s tidak dapat dibuka; faulthandler tidak aktif", path, exc_info=True)
        return current
    faulthandler.enable(file=handle, all_threads=True)
    if current is not None:
        current.close()
    return handle


# -- missing console streams ------------------------------------------------------------------------------------------
class _LogWriter(io.TextIOBase):
    """Stands in for a missing ``sys.stdout``/``sys.stderr``: each written line becomes a log record.

    A windowed build on Windows (PyInstaller ``console=False``, pythonw) has ``sys.stderr is None``: a library
    writing a warning, or Python's own unraisable-exception report, would raise or vanish.
    """

    def __init__(self, logger: logging.Logger, level: int) -> None:
        super().__init__()
        self._logger = logger
        self._level = level
        self._pending = ""
        self._busy = threading.local()
        self._lines_lock = threading.Lock()

    @property
    def encoding(self) -> str:  # type: ignore[override]
        return "utf-8"

    def writable(self) -> bool:
        return True

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if getattr(self._busy, "on", False):  # logging reporting its own failure to stderr: drop, do not loop
            return len(text)
        self._busy.on = True
        try:
            with self._lines_lock:
                lines = (self._pending + text).split("\n")
                self._pending = lines.pop()
            for line in lines:
                if line.strip():
                    self._logger.log(self._level, "%s", line.rstrip())
        finally:
            self._busy.on = False
        return len(text)

    def flush(self) -> None:
        with self._lines_lock:
            pending, self._pending = self._pending, ""
        if pending.strip():
            self.write(pending + "\n")


def _replace_missing_streams() -> None:
    for name, level in (("stdout", logging.INFO), ("stderr", logging.WARNING)):
        if getattr(sys, name) is None:
            logger = logging.getLogger(f"kopdesk.{name}")
            setattr(sys, name, _LogWriter(logger, level))
            _replaced_streams.add(name)


# -- the file handler -------------------------------------------------------------------------------------------------
class _RotatingLog(logging.handlers.RotatingFileHandler):
    """A rotating file handler that keeps writing when the rotation is refused.

    On Windows a file open in another process cannot be renamed: with the window and a command running at once,
    the rotation fails. The records then go on into the current file and the next start rotates it.
    """

    def doRollover(self) -> None:
        try:
            super().doRollover()
        except OSError:
            self.maxBytes = 0  # no further attempts in this process
            if self.stream is None:
                self.stream = self._open()
