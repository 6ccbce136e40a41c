"""Editors for the fields of a form, each with its inline error message below it.

Every editor shows a stored value the Indonesian way (``14 Juli 2024``, ``1.250.000``) and hands back what the clerk
typed, for the service to validate (kopdesk.models.services.registry.cooperatives.validate).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_count, format_date, format_rupiah, parse_date, parse_int

ERROR_STYLE = "color: #b3261e; font-size: 9pt;"
INVALID_STYLE = "border: 1px solid #b3261e; border-radius: 3px;"


class FieldEditor(QWidget):
    """One field: the editor and, below it, its error message (hidden while there is none).

    Signals:
        edited(): the clerk changed the value.
    """

    edited = Signal()

    def __init__(self, name: str, kind: str, *, choices: list[tuple[Any, str]] | None = None,
                 placeholder: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name, self.kind = name, kind
        self._original: Any = None
        self.editor: QWidget
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        if kind in ("choice", "fk"):
            box = QComboBox()
            for value, text in choices or []:
                box.addItem(text, value)
            box.currentIndexChanged.connect(lambda _i: self.edited.emit())
            self.editor = box
        elif kind == "bool":
            check = QCheckBox()
            check.toggled.connect(lambda _b: self.edited.emit())
            self.editor = check
        elif kind == "longtext":
            text = QPlainTextEdit()
            text.setFixedHeight(70)
            text.textChanged.connect(self.edited.emit)
            self.editor = text
        else:
            line = QLineEdit()
            line.setPlaceholderText(placeholder or {
                "date": "contoh: 14/07/2024", "past_date": "contoh: 14/07/2024",
                "money": "0", "signed_money": "0", "count": "0",
            }.get(kind, ""))
            line.textEdited.connect(lambda _t: self.edited.emit())
            line.editingFinished.connect(self._tidy)
            if kind in ("money", "signed_money", "count"):
                from PySide6.QtCore import Qt

                line.setAlignment(Qt.AlignmentFlag.AlignRight)
            self.editor = line
        if kind in ("money", "signed_money"):
            prefix = QLabel("Rp")
            row.addWidget(prefix)
        self.editor.setObjectName(name)
        row.addWidget(self.editor, 1)
        self.error = QLabel("")
        self.error.setObjectName(f"{name}_error")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.error)

    # -- value --------------------------------------------------------------------------------------------------
    def display(self, value: Any) -> str:
        if value is None:
            return ""
        if self.kind in ("date", "past_date") and isinstance(value, dt.date):
            return format_date(value)
        if self.kind in ("money", "signed_money"):
            return format_rupiah(value, prefix=False)
        if self.kind == "count":
            return format_count(value)
        if self.kind == "float":
            return f"{value:.6f}".rstrip("0").rstrip(".").replace(".", ",")
        return str(value)

    def set_value(self, value: Any, *, original: bool = True) -> None:
        if original:
            self._original = value
        e = self.editor
        if isinstance(e, QComboBox):
            i = e.findData(value)
            e.setCurrentIndex(i if i >= 0 else 0)
        elif isinstance(e, QCheckBox):
            e.setChecked(bool(value))
        elif isinstance(e, QPlainTextEdit):
            e.setPlainText(value or "")
        elif isinstance(e, QLineEdit):
            e.setText(self.display(value))
            e.setCursorPosition(0)

    def raw(self) -> Any:
        """What the clerk entered: a key for pickers, a bool, or the text as typed."""
        e = self.editor
        if isinstance(e, QComboBox):
            return e.currentData()
        if isinstance(e, QCheckBox):
            return e.isChecked()
        if isinstance(e, QPlainTextEdit):
            return e.toPlainText()
        assert isinstance(e, QLineEdit)
        return e.text()

    def comparable(self) -> Any:
        """The entered value parsed like the stored one where possible, to tell whether the field changed."""
        raw = self.raw()
        if not isinstance(raw, str):
            return raw
        text = raw.strip()
        if text == "":
            return 0 if self.kind in ("money", "signed_money", "count") else None
        try:
            if self.kind in ("date", "past_date"):
                return parse_date(text)
            if self.kind in ("money", "signed_money", "count", "year"):
                return parse_int(text)
            if self.kind == "float":
                return float(text.replace(",", "."))
            if self.kind == "nik":
                import re

                return re.sub(r"[\s.\-]", "", text)
        except ValueError:
            return text
        return text

    def changed(self) -> bool:
        original = self._original
        if (isinstance(original, str) and original == "") or original is None:
            original = 0 if self.kind in ("money", "signed_money", "count") else None
        if self.kind == "bool":
            original = bool(original)
        return self.comparable() != original

    def _tidy(self) -> None:
        """Reformat what was typed the Indonesian way once the clerk leaves the field (when it parses)."""
        value = self.comparable()
        if isinstance(value, str) or value is None:
            return
        if self.kind in ("date", "past_date", "money", "signed_money", "count"):
            e = self.editor
            assert isinstance(e, QLineEdit)
            e.setText(self.display(value))

    # -- state --------------------------------------------------------------------------------------------------
    def set_error(self, message: str | None) -> None:
        self.error.setText(message or "")
        self.error.setVisible(bool(message))
        self.editor.setStyleSheet(INVALID_STYLE if message else "")

    def set_read_only(self, read_only: bool) -> None:
        e = self.editor
        if isinstance(e, (QLineEdit, QPlainTextEdit)):
            e.setReadOnly(read_only)
            e.style().unpolish(e)  # re-evaluate [readOnly="true"] style rules
            e.style().polish(e)
        else:
            e.setEnabled(not read_only)
