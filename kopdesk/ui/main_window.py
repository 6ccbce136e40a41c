"""The main window: navigation to the pages, status bar with database, user and office."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QMainWindow

from kopdesk import APP_NAME, __version__
from kopdesk.models.db import Database


class MainWindow(QMainWindow):
    """The application window.

    Attributes:
        db: the open database.
    """

    def __init__(self, db: Database) -> None:
        super().__init__()
        self.db = db
        self.setWindowTitle(f"{APP_NAME} {__version__}")
        self.resize(1280, 800)
        self.setCentralWidget(QLabel("KopDesk"))
        self.statusBar().showMessage(db.describe())
