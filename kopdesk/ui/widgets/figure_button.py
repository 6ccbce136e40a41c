"""A big clickable figure (number over a label) for the home page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QSizePolicy, QWidget


class FigureButton(QPushButton):
    """A number with its label; clicking it opens what the number counts.

    Attributes:
        value_text: the number as shown.
    """

    def __init__(self, label: str, parent: QWidget | None = None, *, accent: str = "#1f5fa8") -> None:
        super().__init__(parent)
        self.label = label
        self.value_text = "–"
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(150, 84)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QPushButton { text-align: left; padding: 8px 12px; border: 1px solid #d0d7e2; border-radius: 6px;"
            f" background: #ffffff; border-left: 5px solid {accent}; font-size: 13px; }}"
            "QPushButton:hover { background: #eef4fb; } QPushButton:focus { border: 2px solid #1f5fa8; }"
        )
        self.set_value("–")

    def set_value(self, value: str, note: str = "") -> None:
        self.value_text = value
        self.setText(f"{value}\n{self.label}" + (f"\n{note}" if note else ""))
        font = self.font()
        font.setPointSize(12)
        self.setFont(font)
