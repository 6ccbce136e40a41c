"""Laporan: choose a report, region and period; preview it; each number opens the cooperatives behind it; save the
report as PDF or Excel off the UI thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.services.reporting import report_data
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.messages import info, show_error

CELL_ROLE = Qt.ItemDataRole.UserRole + 1


def build_report(db: Any, name: str, region: str, period_text: str, book_year: int | None) -> report_data.Report:
    """Worker (off the UI thread): the report from the one query layer."""
    period = report_data.parse_period(period_text)
    with db.read() as s:
        return report_data.build(s, name, region, period=period, book_year=book_year)


def save_report(rep: report_data.Report, path: str) -> str:
    if path.lower().endswith(".pdf"):
        from kopdesk.reports.pdf.recap import write_pdf

        write_pdf(rep, path)
    else:
        from kopdesk.reports.excel.recap import write_xlsx

        write_xlsx(rep, path)
    return path


def fill_table(table: QTableWidget, rep: report_data.Report) -> None:
    """Show a report in a table; count cells carry their Cell so a click can open the registry."""
    printed = rep.table()
    table.clear()
    table.setColumnCount(len(printed[0]))
    table.setRowCount(len(printed) - 1)
    table.setHorizontalHeaderLabels(printed[0])
    link = QBrush(QColor("#1a55b0"))
    bold = QFont()
    bold.setBold(True)
    for r, (row, texts) in enumerate(zip(rep.all_rows(), printed[1:])):
        for c, text in enumerate(texts):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            if c >= 2:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                cell = row.cells[c - 2]
                if cell.ids is not None:
                    item.setData(CELL_ROLE, cell)
                    item.setForeground(link)
                    item.setToolTip("Klik untuk membuka daftar koperasi di balik angka ini")
            if row.is_total:
                item.setFont(bold)
            table.setItem(r, c, item)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    table.resizeColumnsToContents()


class ReportsPage(QWidget):
    title = "Laporan"
    icon_name = "x-office-spreadsheet"
    permission = "reports"

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.report: report_data.Report | None = None
        self.kind = QComboBox()
        for key, (label, _fn) in report_data.REPORTS.items():
            self.kind.addItem(label, key)
        self.region = QLineEdit(self._default_region())
        self.region.setPlaceholderText("kode wilayah, mis. 65 atau 64.71")
        self.period = QLineEdit()
        self.period.setPlaceholderText("mis. 2019-06, 2024, atau 2024-01-01:2024-06-30 (kosong: saat ini)")
        self.book_year = QSpinBox()
        self.book_year.setRange(2000, 2100)
        self.book_year.setValue(dt.date.today().year - 1)
        self.show_btn = QPushButton("Tampilkan")
        self.pdf_btn = QPushButton("Simpan PDF…")
        self.xlsx_btn = QPushButton("Simpan Excel…")
        self.pdf_btn.setEnabled(False)
        self.xlsx_btn.setEnabled(False)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)

        form = QFormLayout()
        form.addRow("Laporan", self.kind)
        form.addRow("Wilayah", self.region)
        form.addRow("Periode", self.period)
        form.addRow("Tahun buku / penilaian", self.book_year)
        buttons = QHBoxLayout()
        for b in (self.show_btn, self.pdf_btn, self.xlsx_btn):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("Klik angka berwarna biru untuk membuka daftar koperasi di balik angka itu."))

        self.show_btn.clicked.connect(self.refresh)
        self.pdf_btn.clicked.connect(lambda: self.save("pdf"))
        self.xlsx_btn.clicked.connect(lambda: self.save("xlsx"))
        self.table.cellClicked.connect(self.open_cell)

    def _default_region(self) -> str:
        try:
            from kopdesk.models.office import OfficeProfile
            from kopdesk.models.region import dotted

            with self.ctx.db.read() as s:
                p = s.get(OfficeProfile, 1)
                return dotted(p.region_code) if p is not None and p.region_code else ""
        except Exception as exc:  # the clerk types the region; the log tells why it was not filled in
            from kopdesk.logsetup import log_exception

            log_exception(exc, "wilayah kantor tidak terbaca")
            return ""

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """The first time the page is shown, show the office's recap at once instead of an empty table."""
        super().showEvent(event)
        if getattr(self, "_shown_once", False):
            return
        self._shown_once = True
        if self.region.text().strip() and getattr(self, "report", None) is None:
            self.refresh()

    def refresh(self) -> None:
        self.show_btn.setEnabled(False)
        self.caption.setText("Menghitung…")
        self.ctx.tasks.run(build_report, self.ctx.db, self.kind.currentData(), self.region.text().strip(),
                           self.period.text(), self.book_year.value(), on_done=self._shown, on_error=self._failed)

    def _shown(self, rep: report_data.Report) -> None:
        self.report = rep
        self.show_btn.setEnabled(True)
        self.pdf_btn.setEnabled(True)
        self.xlsx_btn.setEnabled(True)
        self.caption.setText(f"<b>{rep.title}</b><br>{rep.period_text}" + (f" — {rep.office}" if rep.office else ""))
        fill_table(self.table, rep)

    def _failed(self, exc: BaseException) -> None:
        self.show_btn.setEnabled(True)
        self.caption.setText("")
        if isinstance(exc, (ValueError, KeyError)):
            from kopdesk.models.errors import DomainError

            exc = DomainError(str(exc).strip("'"))
        show_error(self, exc, "Laporan")

    def open_cell(self, row: int, column: int) -> None:
        item = self.table.item(row, column)
        cell = item.data(CELL_ROLE) if item is not None else None
        if cell is not None and cell.filter is not None:
            self.ctx.show_registry(cell.filter)

    def save(self, fmt: str, path: str | None = None) -> None:
        if self.report is None:
            return
        if path is None:
            suggested = f"{self.report.key}-{self.report.region_code}.{fmt}"
            path, _ = QFileDialog.getSaveFileName(self, "Simpan laporan", suggested,
                                                  "PDF (*.pdf)" if fmt == "pdf" else "Excel (*.xlsx)")
            if not path:
                return
            if not path.lower().endswith("." + fmt):
                path += "." + fmt
        self.ctx.tasks.run(save_report, self.report, path, on_done=lambda p: info(self, f"Laporan disimpan ke {p}"),
                           on_error=lambda e: show_error(self, e, "Laporan"))
