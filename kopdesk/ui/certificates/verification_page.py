"""Verifikasi Sertifikat: scan (a USB scanner types into the field), type the check code, or open an image."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.services.certificates import issuing as cs
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.messages import show_error
from kopdesk.ui.widgets.page import Page

# Verdict colours: background, text.
COLOURS = {
    cs.VALID: ("#1B7F3B", "#FFFFFF"),
    cs.INVALID: ("#B3261E", "#FFFFFF"),
    cs.REVOKED: ("#5C0A0A", "#FFFFFF"),
    cs.EXPIRED: ("#C26A00", "#FFFFFF"),
}
IDLE = ("#E7ECEA", "#33403B")


def verify_text(db: Any, text: str) -> cs.Verification:
    """The verdict on a scanned or typed code (a worker thread)."""
    with db.read() as s:
        return cs.verify(s, text)


class VerificationPage(Page):
    """Answers valid / invalid / revoked (and expired) in big colours, facts beside the registry's record.

    Signals:
        verified(object): a verdict is shown (the Verification).
    """

    verified = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.result: cs.Verification | None = None
        layout = QVBoxLayout(self)
        head = QLabel("<h2>Verifikasi Sertifikat</h2>Pindai kode QR sertifikat dengan pemindai USB (kursor di kotak "
                      "di bawah), ketik kode cek yang tercetak di bawah QR, atau buka foto/hasil pindai sertifikat.")
        head.setWordWrap(True)
        layout.addWidget(head)

        row = QHBoxLayout()
        self.input = QLineEdit()
        self.input.setPlaceholderText("Pindai kode QR di sini, atau ketik kode cek (mis. 7KQ2-M9XD) lalu Enter")
        self.input.setMinimumHeight(34)
        f = self.input.font()
        f.setPointSize(f.pointSize() + 2)
        self.input.setFont(f)
        self.input.returnPressed.connect(self.check_input)
        check_btn = QPushButton("Periksa")
        check_btn.clicked.connect(self.check_input)
        image_btn = QPushButton("Buka Gambar…")
        image_btn.clicked.connect(self.open_image)
        row.addWidget(self.input, 1)
        row.addWidget(check_btn)
        row.addWidget(image_btn)
        layout.addLayout(row)

        self.verdict = QLabel("Menunggu kode…")
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setMinimumHeight(86)
        vf = QFont(self.verdict.font())
        vf.setPointSize(30)
        vf.setBold(True)
        self.verdict.setFont(vf)
        layout.addWidget(self.verdict)
        self.message = QLabel()
        self.message.setWordWrap(True)
        mf = QFont(self.message.font())
        mf.setPointSize(mf.pointSize() + 2)
        self.message.setFont(mf)
        layout.addWidget(self.message)

        self.cert_info = QFormLayout()
        layout.addLayout(self.cert_info)
        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(["Data", "Pada sertifikat", "Registri saat ini"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        layout.addWidget(self.table, 1)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        layout.addWidget(self.notes)
        self._paint(None)
        self.input.setFocus()

    # --- checking ------------------------------------------------------------------------------------------------------

    def check_input(self) -> None:
        text = self.input.text()
        if not text.strip():
            return
        self.check_text(text)
        self.input.selectAll()  # the next scan replaces it

    def check_text(self, text: str) -> None:
        """Verify a code off the UI thread and show the verdict (a newer scan wins over an older one)."""
        self.run_query("verify", verify_text, self.ctx.db, text, on_done=self.show_result,
                       on_error=lambda exc: show_error(self, exc, "Verifikasi gagal"))

    def open_image(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Buka gambar sertifikat", "",
                                              "Gambar atau PDF (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pdf)")
        if path:
            self.check_image(path)

    def check_image(self, path: str) -> None:
        """Decode the image off the UI thread (PDF pages are rendered first), then verify what it holds."""

        def work(p: str) -> str | None:
            return cs.payload_from_image(p)

        def done(payload: str | None) -> None:
            if payload is None:
                self.show_result(cs.Verification(cs.INVALID, "Tidak ada kode QR sertifikat KopDesk yang terbaca pada "
                                                             "gambar. Coba foto yang lebih tajam dan lurus, atau "
                                                             "ketik kode cek."))
            else:
                self.input.setText(payload)
                self.check_text(payload)

        self.run_query("image", work, path, on_done=done, on_error=lambda exc: show_error(self, exc, "Gambar tidak terbaca"))

    # --- showing ---------------------------------------------------------------------------------------------------

    def _paint(self, status: str | None) -> None:
        bg, fg = COLOURS.get(status, IDLE) if status else IDLE
        self.verdict.setStyleSheet(f"background:{bg}; color:{fg}; border-radius:8px; padding:10px;")

    def show_result(self, v: cs.Verification) -> None:
        self.result = v
        self.verdict.setText({cs.VALID: "✔  SAH", cs.INVALID: "✘  TIDAK SAH", cs.REVOKED: "✘  DICABUT",
                              cs.EXPIRED: "!  KEDALUWARSA"}[v.status])
        self._paint(v.status)
        self.message.setText(v.message)
        while self.cert_info.rowCount():
            self.cert_info.removeRow(0)
        for label, value in v.certificate_rows + ([("Kode cek", v.check_code)] if v.check_code else []):
            val = QLabel(f"<b>{value}</b>")
            val.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.cert_info.addRow(label, val)
        self.table.setRowCount(len(v.rows))
        amber = QColor("#FFE9B3")
        for r, row in enumerate(v.rows):
            items = [QTableWidgetItem(row.label), QTableWidgetItem(row.on_certificate),
                     QTableWidgetItem(row.current if row.current is not None else "– (tidak ada di registri)")]
            for c, item in enumerate(items):
                if row.differs:
                    item.setBackground(amber)
                    item.setToolTip("Berbeda dengan data registri saat ini")
                self.table.setItem(r, c, item)
        self.table.resizeRowsToContents()
        self.table.resizeColumnToContents(0)
        self.notes.setText("\n".join(f"• {n}" for n in v.notes))
        self.verified.emit(v)
