"""Small modal forms and the one way a page saves what a clerk entered in them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QWidget

T = TypeVar("T")


def ask_form(parent: QWidget, title: str, rows: Sequence[tuple[str, QWidget] | QWidget],
             read: Callable[[], T]) -> T | None:
    """Show ``rows`` (label and field, or a widget spanning the row) with OK/Batal.

    Returns what ``read()`` takes from the fields when the clerk confirmed (read while the fields still exist: they
    belong to the dialog), or None when the clerk cancelled.
    """
    dlg = QDialog(parent)
    dlg.setWindowTitle(title)
    form = QFormLayout(dlg)
    for row in rows:
        if isinstance(row, tuple):
            form.addRow(*row)
        else:
            form.addRow(row)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dlg.accept)
    buttons.rejected.connect(dlg.reject)
    form.addRow(buttons)
    try:
        return read() if dlg.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dlg.deleteLater()


def save_action(page: Any, action: Callable[[Any], object], entity: str, ids: list[int]) -> bool:
    """Run ``action(session)`` in one transaction as the signed-in clerk; on error show why, else tell the pages.

    ``page`` has ``ctx`` (AppContext). Returns True when it was saved.
    """
    from kopdesk.ui.widgets.messages import show_error

    try:
        with page.ctx.db.transaction(page.ctx.actor) as s:
            action(s)
    except Exception as exc:
        show_error(page, exc)
        return False
    page.ctx.signals.data_changed.emit(entity, ids)
    return True
