"""A big clickable figure (number over a label) for the home page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget


class FigureButton(QPushButton):
    """A number with its label; clicking it (or Space/Enter when focused) opens what the number counts.

    Attributes:
        value_text: the number as shown.
    """

    def __init__(self, label: str, parent: QWidget | None = None, *, accent: str = "#1f5fa8") -> None:
        super().__init__(parent)
        self.label = label
        self.value_text = "–"
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setMinimumSize(150, 86)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setStyleSheet(
            "QPushButton { border: 1px solid #d0d7e2; border-radius: 6px; background: #ffffff;"
            f" border-left: 6px solid {accent}; }}"
            "QPushButton:hover { background: #eef4fb; } QPushButton:focus { border: 2px solid #1f5fa8;"
            f" border-left: 6px solid {accent}; }}"
        )
        self.value_label = QLabel("–")
        self.value_label.setStyleSheet(f"font-size: 26px; font-weight: 700; color: {accent}; background: transparent;")
        self.caption = QLabel(label)
        self.caption.setStyleSheet("font-size: 13px; color: #222; background: transparent;")
        self.note = QLabel("")
        self.note.setStyleSheet("font-size: 11px; color: #555; background: transparent;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 10, 6)
        layout.setSpacing(0)
        for w in (self.value_label, self.caption, self.note):
            w.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
            layout.addWidget(w)
        self.setAccessibleName(label)

    def set_value(self, value: str, note: str = "") -> None:
        self.value_text = value
        self.value_label.setText(value)
        self.note.setText(note)
        self.note.setVisible(bool(note))
        self.setToolTip(f"{label_or(self.label)}: {value}. Klik untuk membuka daftarnya.")


def label_or(text: str) -> str:
    return text or ""
