"""The certificates register: issue one or many (off the UI thread, with progress), reprint, revoke with a reason."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_date
from kopdesk.models.services.certificates import issuing as cs
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.messages import info, show_error
from kopdesk.ui.widgets.page import Page

COLUMNS = ["Nomor Seri", "Jenis", "Koperasi", "NIK", "Tanggal Terbit", "Berlaku s.d.", "Status", "Kode Cek",
           "Alasan Pencabutan"]


class IssueDialog(QDialog):
    """Which cooperatives (NIKs, one per line or pasted from Excel), which kind, which date, which file."""

    def __init__(self, parent: QWidget | None = None, niks: list[str] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Terbitkan Sertifikat")
        self.resize(460, 420)
        form = QFormLayout(self)
        self.kind = QComboBox()
        for key, label in cs.KINDS.items():
            self.kind.addItem(label, key)
        form.addRow("Jenis sertifikat", self.kind)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("d MMMM yyyy")
        form.addRow("Tanggal terbit", self.date)
        self.niks = QPlainTextEdit("\n".join(niks or []))
        self.niks.setPlaceholderText("Satu NIK Koperasi per baris (boleh ditempel dari Excel)")
        form.addRow("NIK Koperasi", self.niks)
        row = QHBoxLayout()
        self.path = QLineEdit(str(Path.home() / f"sertifikat-{dt.date.today():%Y%m%d}.pdf"))
        browse = QPushButton("Pilih…")
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        form.addRow("Simpan PDF ke", row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Terbitkan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Simpan sertifikat", self.path.text(), "PDF (*.pdf)")
        if path:
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def values(self) -> tuple[list[str], str, dt.date, str]:
        niks = [t.strip() for line in self.niks.toPlainText().splitlines() for t in line.replace(";", "\t").split("\t")
                if t.strip()]
        d = self.date.date()
        return niks, self.kind.currentData(), dt.date(d.year(), d.month(), d.day()), self.path.text().strip()


def load_certificates(db: Any, text: str, status: str | None, kind: str | None) -> list[cs.CertificateRow]:
    """The certificates that match, at most 1,000 (a worker thread)."""
    with db.read() as s:
        return cs.list_certificates(s, text=text, status=status, kind=kind, limit=1000)


class CertificatesPage(Page):
    """Sertifikat: the register of issued certificates (read off the UI thread) and the actions on them.

    Signals:
        rows_shown(int): the register is in the table (how many certificates).
    """

    rows_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.last_result: object = None
        self.last_error: BaseException | None = None
        layout = QVBoxLayout(self)
        head = QLabel("<h2>Sertifikat</h2>Sertifikat NIK dan sertifikat predikat kesehatan yang diterbitkan dinas, "
                      "ditandatangani secara digital. Keasliannya diperiksa di halaman Verifikasi Sertifikat.")
        head.setWordWrap(True)
        layout.addWidget(head)

        bar = QHBoxLayout()
        self.search = QLineEdit()
        self.search.setPlaceholderText("Cari nomor seri, kode cek, NIK atau nama koperasi…")
        self.search.returnPressed.connect(self.refresh)
        self.search.textChanged.connect(lambda t: self.refresh() if len(t) >= 3 or not t else None)
        self.status = QComboBox()
        self.status.addItem("Semua status", None)
        for key, label in cs.CERT_STATUS.items():
            self.status.addItem(label, key)
        self.status.currentIndexChanged.connect(self.refresh)
        self.kind = QComboBox()
        self.kind.addItem("Semua jenis", None)
        for key, label in cs.KIND_SHORT.items():
            self.kind.addItem(label, key)
        self.kind.currentIndexChanged.connect(self.refresh)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status)
        bar.addWidget(self.kind)
        layout.addLayout(bar)

        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        layout.addWidget(self.table, 1)

        buttons = QHBoxLayout()
        self.issue_btn = QPushButton("Terbitkan…")
        self.issue_btn.clicked.connect(self.open_issue_dialog)
        self.reprint_btn = QPushButton("Cetak Ulang…")
        self.reprint_btn.clicked.connect(self.ask_reprint)
        self.revoke_btn = QPushButton("Cabut…")
        self.revoke_btn.clicked.connect(self.ask_revoke)
        self.key_btn = QPushButton("Ekspor Kunci Publik…")
        self.key_btn.clicked.connect(self.export_key)
        self.count = QLabel()
        for b in (self.issue_btn, self.reprint_btn, self.revoke_btn, self.key_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout.addLayout(buttons)
        self.issue_btn.setEnabled(ctx.can("documents.issue"))
        self.refresh_on("certificate", "cooperative")
        self.refresh()

    # --- register ----------------------------------------------------------------------------------------------------

    def load(self) -> None:
        self.run_query("certificates", load_certificates, self.ctx.db, self.search.text(), self.status.currentData(),
                       self.kind.currentData(), on_done=self._show_rows)

    def _show_rows(self, rows: list[cs.CertificateRow]) -> None:
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            values = [row.serial, cs.KIND_SHORT.get(row.kind, row.kind), row.cooperative_name, row.nik or "",
                      format_date(row.issued_on), format_date(row.valid_until), cs.CERT_STATUS.get(row.status, row.status),
                      row.check_code, row.revoked_reason or ""]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                if c == 0:
                    item.setData(Qt.ItemDataRole.UserRole, row.serial)
                if row.status == "dicabut":
                    item.setForeground(QColor("#9B1C1C"))
                self.table.setItem(r, c, item)
        for c in range(self.table.columnCount()):  # the stretched column keeps the rest of the width
            if self.table.horizontalHeader().sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                self.table.resizeColumnToContents(c)
        self.count.setText(f"{len(rows)} sertifikat" + (" (1.000 teratas)" if len(rows) == 1000 else ""))
        self._update_buttons()
        self.rows_shown.emit(len(rows))

    def selected_serials(self) -> list[str]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self.table.item(r, 0).data(Qt.ItemDataRole.UserRole) for r in rows]

    def _update_buttons(self) -> None:
        chosen = self.selected_serials()
        self.reprint_btn.setEnabled(bool(chosen) and self.ctx.can("documents.issue"))
        self.revoke_btn.setEnabled(len(chosen) == 1 and self.ctx.can("certificates.revoke"))

    # --- actions ------------------------------------------------------------------------------------------------------

    def open_issue_dialog(self) -> None:
        dlg = IssueDialog(self)
        if dlg.exec() != QDialog.DialogCode.Accepted:
            return
        niks, kind, issued_on, path = dlg.values()
        if not niks:
            info(self, "Isikan paling sedikit satu NIK Koperasi.")
            return
        self.start_issue(niks, kind, issued_on, path)

    def start_issue(self, niks: list[str], kind: str, issued_on: dt.date, path: str) -> None:
        """Issue and print off the UI thread, with a progress dialog that can cancel (nothing is kept then)."""
        from kopdesk.models.services.certificates.printing import issue_to_pdf
        from kopdesk.reports.pdf.certificate import render_certificates

        self.issue_btn.setEnabled(False)

        def done(serials: list[str]) -> None:
            self.issue_btn.setEnabled(True)
            self.last_result = serials
            self.ctx.signals.data_changed.emit("certificate", None)
            self.refresh()  # now, not after the delay the signal above asked for
            info(self, f"{len(serials)} sertifikat diterbitkan ({serials[0]} s.d. {serials[-1]}).\n"
                 f"PDF disimpan di {path}")

        def failed(exc: BaseException) -> None:
            self.issue_btn.setEnabled(True)
            self.last_error = exc
            show_error(self, exc, "Sertifikat belum diterbitkan")

        self.ctx.tasks.run(issue_to_pdf, self.ctx.db, self.ctx.actor, niks, path, render_certificates, kind=kind,
                           issued_on=issued_on, progress=True, parent=self, title="Menerbitkan sertifikat",
                           label="Menyiapkan sertifikat…", on_done=done, on_error=failed)

    def ask_reprint(self) -> None:
        serials = self.selected_serials()
        if not serials:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Cetak ulang ke PDF",
                                              str(Path.home() / f"cetak-ulang-{serials[0].replace('.', '-')}.pdf"),
                                              "PDF (*.pdf)")
        if path:
            self.start_reprint(serials, path)

    def start_reprint(self, serials: list[str], path: str) -> None:
        from kopdesk.models.services.certificates.printing import reprint_to_pdf
        from kopdesk.reports.pdf.certificate import render_certificates

        def done(n: int) -> None:
            self.last_result = n
            info(self, f"{n} sertifikat dicetak ulang ke {path}.")

        def failed(exc: BaseException) -> None:
            self.last_error = exc
            show_error(self, exc, "Cetak ulang gagal")

        self.ctx.tasks.run(reprint_to_pdf, self.ctx.db, self.ctx.actor, serials, path, render_certificates,
                           progress=True, parent=self, title="Cetak ulang", on_done=done, on_error=failed)

    def ask_revoke(self) -> None:
        serials = self.selected_serials()
        if len(serials) != 1:
            return
        reason, ok = QInputDialog.getText(self, "Cabut sertifikat",
                                          f"Alasan pencabutan sertifikat {serials[0]} (wajib):")
        if ok:
            self.revoke(serials[0], reason)

    def revoke(self, serial: str, reason: str) -> bool:
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                cs.revoke(s, self.ctx.actor, serial, reason)
        except Exception as exc:
            self.last_error = exc
            show_error(self, exc, "Sertifikat belum dicabut")
            return False
        self.ctx.signals.data_changed.emit("certificate", None)
        self.refresh()  # now, not after the delay the signal above asked for
        return True

    def export_key(self) -> None:
        from kopdesk.models.services.certificates import signing

        path, _ = QFileDialog.getSaveFileName(self, "Simpan kunci publik", str(Path.home() / "kunci-publik-dinas.pem"),
                                              "Kunci publik (*.pem)")
        if not path:
            return
        try:
            key = signing.office_key()
            signing.export_public_key(path, key)
        except Exception as exc:
            show_error(self, exc)
            return
        info(self, f"Kunci publik {key.key_id} disimpan di {path}.\nBerikan berkas ini kepada PC lain atau pemeriksa "
                   "agar dapat memeriksa sertifikat tanpa basis data.")
