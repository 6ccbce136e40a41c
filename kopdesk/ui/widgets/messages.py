"""Message boxes in Indonesian for domain errors, confirmations and results."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from kopdesk import APP_NAME
from kopdesk.models.errors import DomainError, ValidationError


def error_text(exc: BaseException) -> str:
    """What to tell the clerk about an error: the domain's Indonesian message, or a general one."""
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
    return f"Terjadi kesalahan tak terduga: {exc.__class__.__name__}: {exc}"


def show_error(parent: QWidget | None, exc: BaseException, title: str = "") -> None:
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
