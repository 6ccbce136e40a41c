"""Qt's own buttons speak Bahasa Indonesia (Qt ships no Indonesian qtbase translation)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox


def test_standard_buttons_are_indonesian(qapp):
    from kopdesk.ui import i18n

    i18n.install_qt_translations(qapp)
    try:
        box = QMessageBox(QMessageBox.Icon.Question, "KopDesk", "Pulihkan?",
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        assert sorted(b.text().replace("&", "") for b in box.buttons()) == ["Tidak", "Ya"]
        bb = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                              | QDialogButtonBox.StandardButton.Save)
        assert sorted(b.text() for b in bb.buttons()) == ["Batal", "OK", "Simpan"]
    finally:
        qapp.removeTranslator(i18n._installed)
        i18n._installed = None
