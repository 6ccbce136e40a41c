"""Bantuan → Tentang KopDesk: version, the database and log folder in use, and the licences of what it ships."""

from __future__ import annotations

import html
import platform
from pathlib import Path

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import Qt, QUrl, qVersion
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kopdesk import APP_NAME, __version__
from kopdesk.credits import Credit, font_credits, package_credits
from kopdesk.logsetup import log_dir
from kopdesk.models.db import Database
from kopdesk.paths import resource


def app_icon() -> QIcon:
    """The KopDesk emblem (SVG with the PNG as fallback)."""
    icon = QIcon()
    for name in ("kopdesk.svg", "kopdesk.png"):
        path = resource("icons", name)
        if path.exists():
            icon.addFile(str(path))
    return icon


class AboutDialog(QDialog):
    """What KopDesk is, which version, which database, and who made the parts it ships.

    Attributes:
        credits_view: the list of fonts and libraries; a licence link shows the full text in ``licence_view``.
        licence_view: the full text of the licence last clicked.
    """

    def __init__(self, db: Database | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Tentang {APP_NAME}")
        self.setWindowIcon(app_icon())
        self.resize(760, 620)
        self._texts: dict[str, Path] = {}

        emblem = QLabel()
        emblem.setPixmap(app_icon().pixmap(72, 72))
        emblem.setAlignment(Qt.AlignmentFlag.AlignTop)
        where = db.describe() if db is not None else "tidak ada basis data terbuka"
        self.log_folder = log_dir()  # where the clerk finds the log to send (also Bantuan → Buka folder log)
        self.summary = QLabel(
            f"<h2>{APP_NAME} {html.escape(__version__)}</h2>"
            "<p>Aplikasi registri dan pembinaan koperasi untuk Dinas Koperasi.</p>"
            f"<p><b>Basis data:</b> {html.escape(where)}</p>"
            f"<p><b>Folder log:</b> <a href=\"{html.escape(QUrl.fromLocalFile(str(self.log_folder)).toString())}\">"
            f"{html.escape(str(self.log_folder))}</a></p>"
            f"<p><small>Python {platform.python_version()} · Qt {qVersion()} · PySide6 {pyside_version}</small></p>"
        )
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                             | Qt.TextInteractionFlag.LinksAccessibleByMouse)
        self.summary.setOpenExternalLinks(True)  # the log folder's link opens it in the file manager
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(emblem)
        top.addWidget(self.summary, 1)

        self.credits_view = QTextBrowser()
        self.credits_view.setOpenLinks(False)
        self.credits_view.anchorClicked.connect(self._show_licence)
        self.credits_view.setHtml(self._credits_html(font_credits(), package_credits()))
        self.licence_view = QPlainTextEdit()
        self.licence_view.setReadOnly(True)
        self.licence_view.setPlaceholderText("Klik nama berkas lisensi di atas untuk membaca teks lengkapnya.")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.credits_view)
        split.addWidget(self.licence_view)
        split.setSizes([380, 160])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText("Tutup")
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def _link(self, path: Path) -> str:
        key = f"licence-{len(self._texts)}"
        self._texts[key] = path
        return f'<a href="{key}">{html.escape(path.name)}</a>'

    def _rows(self, credits: list[Credit]) -> str:
        rows = []
        for c in credits:
            links = ", ".join(self._link(p) for p in c.texts) or "—"
            rows.append(f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(c.version)}</td>"
                        f"<td>{html.escape(c.licence)}</td><td>{links}</td></tr>")
        return "".join(rows)

    def _credits_html(self, fonts: list[Credit], packages: list[Credit]) -> str:
        head = "<tr><th align=left>{}</th><th align=left>Versi</th><th align=left>Lisensi</th>" \
               "<th align=left>Teks lisensi</th></tr>"
        return (
            "<h3>Huruf (font) yang disertakan</h3>"
            f"<table cellspacing=0 cellpadding=3>{head.format('Huruf')}{self._rows(fonts)}</table>"
            "<h3>Pustaka perangkat lunak yang disertakan</h3>"
            f"<table cellspacing=0 cellpadding=3>{head.format('Pustaka')}{self._rows(packages)}</table>"
            "<p><small>Qt dan PySide6 dipakai di bawah LGPL-3.0; pustaka tersebut dapat diganti dengan versi lain "
            "yang kompatibel di folder instalasi.</small></p>"
        )

    def _show_licence(self, url: QUrl) -> None:
        path = self._texts.get(url.toString())
        if path is None:
            return
        try:
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError as exc:
            text = f"Berkas lisensi {path} tidak dapat dibaca: {exc.strerror or exc}"
        self.licence_view.setPlainText(text)


def show_about(parent: QWidget | None, db: Database | None) -> None:
    """Show the About dialog modally (Bantuan → Tentang KopDesk)."""
    AboutDialog(db, parent).exec()
