"""Message boxes in Indonesian for domain errors, confirmations and results."""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QWidget

from kopdesk import APP_NAME, logsetup
from kopdesk.models.errors import DomainError, ValidationError

log = logging.getLogger(__name__)


def error_text(exc: BaseException) -> str:
    """What to tell the clerk about an error: the domain's Indonesian message, or a general one.

    An unexpected error's text names the log file, where :func:`show_error` (or the task runner) put its traceback.
    """
    if isinstance(exc, ValidationError):
        return "Data belum dapat disimpan:\n\n" + "\n".join(f"• {e.text()}" for e in exc.errors)
    if isinstance(exc, DomainError):
        return str(exc)
    from sqlalchemy.exc import DBAPIError, OperationalError

    if isinstance(exc, (OperationalError, DBAPIError)):
        return ("Basis data tidak dapat dihubungi. Perubahan belum disimpan; periksa jaringan atau server, "
                "lalu coba lagi.")
    if isinstance(exc, OSError):
        return f"Berkas tidak dapat dibaca atau ditulis: {exc.strerror or exc}"
    return (f"Terjadi kesalahan tak terduga: {logsetup.first_line(exc)}\n\nRinciannya dicatat di "
            f"{logsetup.log_file()}. Kirimkan berkas itu ke pengelola KopDesk.")


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
    """Tell the clerk about an error; anything but a domain error also goes into the log with its traceback."""
    where = type(parent).__name__ if parent is not None else APP_NAME
    logsetup.log_exception(exc, f"{where}: {title or 'galat ditampilkan'}", log)
    QMessageBox.warning(parent, title or APP_NAME, error_text(exc))


def confirm(parent: QWidget | None, text: str, title: str = "", *, yes: str = "Ya", no: str = "Batal") -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title or APP_NAME, text, parent=parent)
    yes_btn = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes_btn)
    box.exec()
    return box.clickedButton() is yes_btn


def info(parent: QWidget | None, text: str, title: str = "") -> None:
    QMessageBox.information(parent, title or APP_NAME, text)
