"""Buku Agenda Surat: the register of issued letters; search, reprint (hash-checked), cancel, delivery, response."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_date
from kopdesk.models.services.letters import teguran
from kopdesk.models.vocab import LETTER_LEVELS
from kopdesk.ui.context import AppContext
from kopdesk.ui.letters.teguran_page import PdfPreview, _pydate, _qdate
from kopdesk.ui.widgets.forms import ask_form, save_action
from kopdesk.ui.widgets.messages import info, show_error
from kopdesk.ui.widgets.page import Page


def load_register(db: Any, year: int, text: str, level: int | None, status: str | None) -> list[teguran.RegisterRow]:
    """The letters of the register that match (a worker thread)."""
    with db.read() as s:
        return teguran.register(s, year=year, text=text, level=level, status=status)


def load_reprint(db: Any, letter_id: int) -> tuple[bytes, bool]:
    """A letter drawn again, and whether it is identical to the one issued (a worker thread)."""
    from kopdesk.reports.pdf import teguran as letter_pdf

    with db.read() as s:
        return teguran.reprint(s, letter_id, letter_pdf)


class LetterRegisterPage(Page):
    """The buku agenda surat keluar (teguran); the register and reprints are read off the UI thread.

    Signals:
        rows_shown(int): the register is in the table (how many letters).
        reprinted(bytes, bool): a reprint is in the preview (the PDF; identical to the letter issued).
    """

    COLS = ["Nomor", "Tanggal", "Tingkat", "NIK", "Koperasi", "Batas", "Status", "Pengiriman", "Tanggapan"]

    rows_shown = Signal(int)
    reprinted = Signal(bytes, bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rows: list[teguran.RegisterRow] = []
        self.year = QSpinBox()
        self.year.setRange(2000, 2100)
        self.year.setValue(dt.date.today().year)
        self.search = QLineEdit()
        self.search.setPlaceholderText("Cari nomor, nama atau NIK…")
        self.level = QComboBox()
        self.level.addItem("Semua tingkat", None)
        for k, v in LETTER_LEVELS.items():
            self.level.addItem(v, k)
        self.status = QComboBox()
        self.status.addItem("Semua status", None)
        self.status.addItem("Terbit", "terbit")
        self.status.addItem("Dibatalkan", "dibatalkan")
        self.reprint_btn = QPushButton("Cetak ulang…")
        self.cancel_btn = QPushButton("Batalkan…")
        self.delivery_btn = QPushButton("Catat pengiriman…")
        self.response_btn = QPushButton("Catat tanggapan…")
        self.export_btn = QPushButton("Ekspor Excel…")
        self.cancel_btn.setEnabled(ctx.can("documents.cancel"))
        for b in (self.delivery_btn, self.response_btn):
            b.setEnabled(ctx.can("documents.issue"))
        self.export_btn.setEnabled(ctx.can("export"))

        top = QHBoxLayout()
        top.addWidget(QLabel("Tahun:"))
        top.addWidget(self.year)
        top.addWidget(self.search, 1)
        top.addWidget(self.level)
        top.addWidget(self.status)
        bar = QHBoxLayout()
        for b in (self.reprint_btn, self.cancel_btn, self.delivery_btn, self.response_btn, self.export_btn):
            bar.addWidget(b)
        bar.addStretch(1)
        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(4, 240)  # the name keeps a readable width; the table scrolls sideways if needed
        self.preview = PdfPreview()
        self.summary = QLabel()
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(self.preview)
        split.setSizes([900, 380])
        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addLayout(bar)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)

        self.year.valueChanged.connect(self.reload)
        self.search.textChanged.connect(self.reload)
        self.level.currentIndexChanged.connect(self.reload)
        self.status.currentIndexChanged.connect(self.reload)
        self.reprint_btn.clicked.connect(self._ask_reprint)
        self.cancel_btn.clicked.connect(self._ask_cancel)
        self.delivery_btn.clicked.connect(self._ask_delivery)
        self.response_btn.clicked.connect(self._ask_response)
        self.export_btn.clicked.connect(self._ask_export)
        self.refresh_on("letter", "cooperative")
        self.refresh()

    def reload(self) -> None:
        self.refresh()

    def load(self) -> None:
        self.run_query("register", load_register, self.ctx.db, self.year.value(), self.search.text(),
                       self.level.currentData(), self.status.currentData(), on_done=self._show_rows,
                       on_error=self._rows_failed)

    def _rows_failed(self, exc: BaseException) -> None:
        self._show_rows([])
        self.show_load_error(exc)

    def _show_rows(self, rows: list[teguran.RegisterRow]) -> None:
        self.rows = rows
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            resp = format_date(row.response_date) + (" (selesai)" if row.resolved else "") if row.response_date else ""
            values = [row.number, format_date(row.letter_date), LETTER_LEVELS.get(row.level, str(row.level)),
                      row.nik or "-", row.cooperative, format_date(row.due_date),
                      "Dibatalkan" if row.status == "dibatalkan" else "Terbit",
                      teguran.DELIVERY.get(row.delivery_status, row.delivery_status), resp]
            for c, v in enumerate(values):
                cell = QTableWidgetItem(v)
                if row.status == "dibatalkan":
                    cell.setForeground(Qt.GlobalColor.red)
                self.table.setItem(r, c, cell)
        n_cancel = sum(1 for r in self.rows if r.status == "dibatalkan")
        self.summary.setText(f"{len(self.rows)} surat, {n_cancel} dibatalkan.")
        self.rows_shown.emit(len(rows))

    def current(self) -> teguran.RegisterRow | None:
        r = self.table.currentRow()
        return self.rows[r] if 0 <= r < len(self.rows) else None

    def reprint(self, letter_id: int, then: Callable[[bytes, bool], None] | None = None) -> None:
        """Draw a letter again off the UI thread and show it; then ``then(data, same)`` (the save dialog)."""

        def show(result: tuple[bytes, bool]) -> None:
            data, same = result
            self.preview.show_pdf(data)
            self.reprinted.emit(data, same)
            if then is not None:
                then(data, same)

        self.run_query("reprint", load_reprint, self.ctx.db, letter_id, on_done=show)

    def _ask_reprint(self) -> None:
        row = self.current()
        if row is None:
            return
        self.reprint(row.id, lambda data, same: self._save_reprint(row, data, same))

    def _save_reprint(self, row: teguran.RegisterRow, data: bytes, same: bool) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Simpan cetak ulang", teguran.split_file_name(
            {"number": row.number, "nik": row.nik, "cooperative_id": row.cooperative_id}), "PDF (*.pdf)")
        if path:
            with open(path, "wb") as fh:
                fh.write(data)
        if row.status == "dibatalkan":
            info(self, "Surat ini sudah dibatalkan; cetak ulang diberi tanda DIBATALKAN.")
        elif same:
            info(self, "Cetak ulang identik dengan surat yang diterbitkan (SHA-256 sama).")
        else:
            info(self, "Perhatian: cetak ulang TIDAK identik dengan surat yang diterbitkan (logo atau huruf berubah).")

    def _ask_cancel(self) -> None:
        row = self.current()
        if row is None:
            return
        reason, ok = QInputDialog.getText(self, "Batalkan surat", f"Alasan pembatalan surat {row.number}:")
        if not ok:
            return
        self.cancel(row.id, reason)

    def cancel(self, letter_id: int, reason: str) -> bool:
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                teguran.cancel(s, self.ctx.actor, letter_id, reason)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.ctx.signals.data_changed.emit("letter", [letter_id])
        return True

    def _ask_delivery(self) -> None:
        row = self.current()
        if row is None:
            return
        status = QComboBox()
        for k, v in teguran.DELIVERY.items():
            status.addItem(v, k)
        on = QDateEdit(_qdate(dt.date.today()))
        on.setCalendarPopup(True)
        answer = ask_form(self, f"Pengiriman surat {row.number}", [("Status:", status), ("Tanggal:", on)],
                          lambda: (status.currentData(), _pydate(on.date())))
        if answer is not None:
            save_action(self, lambda s: teguran.record_delivery(s, self.ctx.actor, row.id, *answer), "letter", [row.id])

    def _ask_response(self) -> None:
        row = self.current()
        if row is None:
            return
        on = QDateEdit(_qdate(dt.date.today()))
        on.setCalendarPopup(True)
        notes = QLineEdit()
        resolved = QCheckBox("Kewajiban sudah dipenuhi (teguran selesai)")
        answer = ask_form(self, f"Tanggapan atas surat {row.number}",
                          [("Tanggal tanggapan:", on), ("Catatan:", notes), resolved],
                          lambda: (_pydate(on.date()), notes.text(), resolved.isChecked()))
        if answer is not None:
            when, text, done = answer
            save_action(self, lambda s: teguran.record_response(s, self.ctx.actor, row.id, when, text, resolved=done),
                        "letter", [row.id])

    def _ask_export(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Ekspor buku agenda", f"buku-agenda-{self.year.value()}.xlsx",
                                              "Excel (*.xlsx)")
        if path:
            from kopdesk.reports.excel.letters import export_register

            self.ctx.tasks.run(export_register, list(self.rows), path,
                               on_done=lambda n: info(self, f"{n} surat diekspor ke {path}."),
                               on_error=lambda exc: show_error(self, exc))


