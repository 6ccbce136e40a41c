"""Bantuan → Tentang KopDesk: version, database, and the licences of the fonts and libraries."""

from __future__ import annotations

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QApplication

from kopdesk import __version__
from kopdesk.ui.administration.about import AboutDialog, app_icon, show_about


def test_about_shows_version_database_and_licences(qtbot, sqlite_db):
    dialog = AboutDialog(sqlite_db)
    qtbot.addWidget(dialog)
    dialog.show()
    summary = dialog.summary.text()
    assert f"KopDesk {__version__}" in summary
    assert sqlite_db.describe() in summary
    listing = dialog.credits_view.toPlainText()
    assert "SIL Open Font License 1.1" in listing and "LiberationSans-Regular" in listing
    assert "PySide6_Essentials" in listing and "LGPL-3.0-only" in listing
    assert "SQLAlchemy" in listing
    # The first licence link is the font's: clicking it shows the full text below.
    dialog.credits_view.anchorClicked.emit(QUrl("licence-0"))
    assert "SIL OPEN FONT LICENSE" in dialog.licence_view.toPlainText().upper()


def test_show_about_runs_modally_and_closes(qtbot, sqlite_db):
    closed = []

    def close_it() -> None:
        widget = QApplication.activeModalWidget()
        closed.append(type(widget).__name__)
        for top in QApplication.topLevelWidgets():  # never leave exec() hanging, whatever opened
            if isinstance(top, AboutDialog) and top.isVisible():
                top.reject()

    QTimer.singleShot(200, close_it)
    show_about(None, sqlite_db)
    assert closed == ["AboutDialog"]


def test_app_icon_loads(qapp):
    icon = app_icon()
    assert not icon.isNull()
    assert not icon.pixmap(32, 32).isNull()
