"""RAT page: compliance of a book year by kecamatan and type with percentages, the lists, and bulk marking."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_count, format_date, format_percent
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.services.reporting import home
from kopdesk.models.services.supervision import rat as rc
from kopdesk.models.vocab import RAT_STATUS
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.messages import info, show_error
from kopdesk.ui.widgets.page import Page

SUMMARY_HEADERS = ["", "Wajib RAT", "Tepat waktu", "Terlambat", "Belum", "% RAT", "% tepat waktu"]


def _ro(text: str, align_right: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if align_right:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def load_summary(db: Any, year: int | None) -> tuple[int, str | None, rc.ComplianceSummary]:
    """The book year (the latest one when ``year`` is None), the office's region and its compliance (a worker)."""
    with db.read() as s:
        year = year if year is not None else rc.latest_book_year(s)
        region = home.office_region(s)
        return year, region, rc.summary(s, year, region_code=region, keep_rows=True)


class RatPage(Page):
    """RAT compliance per book year, computed off the UI thread.

    Signals:
        marked(int): a bulk marking was saved (how many cooperatives).
        rejected(list): a bulk marking was refused; the unmatched lines.
    """

    marked = Signal(int)
    rejected = Signal(list)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.summary: rc.ComplianceSummary | None = None
        self.region: str | None = None
        self._year_known = False  # the first load picks the latest book year
        self.year = QSpinBox()
        self.year.setRange(1990, dt.date.today().year - 1)
        self.year.setValue(self.year.maximum())
        self.year.valueChanged.connect(self._year_changed)
        self.headline = QLabel("")
        self.headline.setStyleSheet("font-size: 14px; font-weight: 600;")

        self.by_kec = self._summary_table("Kecamatan")
        self.by_jenis = self._summary_table("Jenis")
        self.by_kec.cellDoubleClicked.connect(lambda r, _c: self._open_registry_kecamatan(r))

        self.state = QComboBox()
        self.state.addItem("Semua", None)
        for k, v in RAT_STATUS.items():
            self.state.addItem(v, k)
        self.state.currentIndexChanged.connect(lambda *_: self._fill_list())
        self.list = QTableWidget(0, 7)
        self.list.setHorizontalHeaderLabels(["Koperasi", "NIK", "Kecamatan", "Jenis", "Tanggal RAT", "Laporan diterima",
                                             "Status"])
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        self.paste = QPlainTextEdit()
        self.paste.setPlaceholderText("Tempel NIK Koperasi di sini, satu per baris (boleh ditambah ;tanggal RAT).")
        self.received = QDateEdit(QDate.currentDate())
        self.received.setDisplayFormat("dd/MM/yyyy")
        self.received.setCalendarPopup(True)
        self.mark_button = QPushButton("Tandai sudah RAT")
        self.file_button = QPushButton("Dari berkas Excel…")
        self.mark_button.clicked.connect(self.mark_pasted)
        self.file_button.clicked.connect(self.mark_from_file)
        for b in (self.mark_button, self.file_button):
            b.setEnabled(ctx.can("supervision.write"))
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("Laporan baris yang tidak cocok muncul di sini.")

        top = QHBoxLayout()
        top.addWidget(QLabel("Tahun buku:"))
        top.addWidget(self.year)
        top.addWidget(self.headline, 1)
        tabs = QTabWidget()
        summary_tab = QWidget()
        sl = QHBoxLayout(summary_tab)
        for title, table in (("Menurut kecamatan (klik dua kali: buka yang belum RAT)", self.by_kec),
                             ("Menurut jenis", self.by_jenis)):
            box = QGroupBox(title)
            QVBoxLayout(box).addWidget(table)
            sl.addWidget(box)
        list_tab = QWidget()
        ll = QVBoxLayout(list_tab)
        row = QHBoxLayout()
        row.addWidget(QLabel("Tampilkan:"))
        row.addWidget(self.state)
        row.addStretch(1)
        ll.addLayout(row)
        ll.addWidget(self.list)
        mark_tab = QWidget()
        ml = QVBoxLayout(mark_tab)
        ml.addWidget(QLabel("Semua atau tidak sama sekali: bila satu baris tidak cocok, tidak ada yang disimpan."))
        ml.addWidget(self.paste)
        mrow = QHBoxLayout()
        mrow.addWidget(QLabel("Tanggal laporan diterima (bila baris tanpa tanggal):"))
        mrow.addWidget(self.received)
        mrow.addStretch(1)
        mrow.addWidget(self.file_button)
        mrow.addWidget(self.mark_button)
        ml.addLayout(mrow)
        ml.addWidget(self.report)
        tabs.addTab(summary_tab, "Ringkasan")
        tabs.addTab(list_tab, "Daftar koperasi")
        tabs.addTab(mark_tab, "Tandai sekaligus")
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(tabs)
        self.refresh_on("rat_record", "cooperative")
        self.refresh()

    def _summary_table(self, first: str) -> QTableWidget:
        t = QTableWidget(0, len(SUMMARY_HEADERS))
        t.setHorizontalHeaderLabels([first, *SUMMARY_HEADERS[1:]])
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        t.horizontalHeader().setMinimumSectionSize(60)
        t.verticalHeader().setVisible(False)
        return t

    def _year_changed(self, _year: int) -> None:
        self._year_known = True  # the clerk chose it
        self.refresh()

    def load(self) -> None:
        self.run_query("summary", load_summary, self.ctx.db, self.year.value() if self._year_known else None,
                       on_done=self._show_summary)

    def _show_summary(self, result: tuple[int, str | None, rc.ComplianceSummary]) -> None:
        year, self.region, self.summary = result
        if not self._year_known:
            self._year_known = True
            self.year.blockSignals(True)
            self.year.setValue(year)
            self.year.blockSignals(False)
        sm = self.summary
        t = sm.total
        self.headline.setText(
            f"{format_count(t.held)} dari {format_count(t.obliged)} koperasi wajib RAT ({format_percent(t.held_pct)} %): "
            f"tepat waktu {format_count(t.tepat_waktu)}, terlambat {format_count(t.terlambat)}, "
            f"belum {format_count(t.belum)} — wajib RAT: aktif per {format_date(sm.reference_date)}")
        self._fill(self.by_kec, [(name, tl) for _c, name, tl in sm.by_kecamatan], t)
        self._fill(self.by_jenis, sm.by_jenis, t)
        self._fill_list()

    def _fill(self, table: QTableWidget, rows: list[tuple[str, rc.Tally]], total: rc.Tally) -> None:
        table.setRowCount(len(rows) + 1)
        for i, (name, tl) in enumerate([*rows, ("Jumlah", total)]):
            values = [name, format_count(tl.obliged), format_count(tl.tepat_waktu), format_count(tl.terlambat),
                      format_count(tl.belum), format_percent(tl.held_pct), format_percent(tl.pct("tepat_waktu"))]
            for j, v in enumerate(values):
                item = _ro(v, j > 0)
                if name == "Jumlah" and i == len(rows):
                    f = item.font()
                    f.setBold(True)
                    item.setFont(f)
                table.setItem(i, j, item)

    def _fill_list(self) -> None:
        if self.summary is None:
            return
        want = self.state.currentData()
        rows = [r for r in self.summary.rows if want is None or r.state == want]
        self.list.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, v in enumerate([r.name, r.nik or "", r.kecamatan, r.jenis_label, format_date(r.rat_date),
                                   format_date(r.report_received_date), RAT_STATUS[r.state]]):
                self.list.setItem(i, j, _ro(v))

    def _open_registry_kecamatan(self, row: int) -> None:
        if self.summary is None or row >= len(self.summary.by_kecamatan):
            return
        code = self.summary.by_kecamatan[row][0]
        if code:
            self.ctx.show_registry(RegistryFilter(region_code=code, statuses=("aktif",), rat_book_year=self.year.value(),
                                                  rat_state="missing"))

    # -- bulk marking -----------------------------------------------------------------------------------------------
    def mark_pasted(self) -> None:
        self._mark(rc.parse_nik_text(self.paste.toPlainText()))

    def mark_from_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pilih berkas Excel", "", "Excel (*.xlsx)")
        if not path:
            return
        try:
            rows = rc.read_mark_file(path)
        except Exception as exc:
            show_error(self, exc)
            return
        self._mark(rows)

    def _mark(self, rows: list[rc.MarkRow]) -> None:
        q = self.received.date()
        received = dt.date(q.year(), q.month(), q.day())
        self.mark_button.setEnabled(False)
        self.file_button.setEnabled(False)
        self.ctx.tasks.run(_bulk_mark, self.ctx.db, self.ctx.actor, self.year.value(), rows, received,
                           on_done=self._on_marked, on_error=self._on_mark_failed)

    def _on_mark_failed(self, exc: BaseException) -> None:
        self.mark_button.setEnabled(True)
        self.file_button.setEnabled(True)
        if isinstance(exc, rc.BulkMarkRejected):
            self.report.setPlainText(str(exc))
            self.rejected.emit(exc.unmatched)
            return
        show_error(self, exc)

    def _on_marked(self, result: rc.BulkResult) -> None:
        self.mark_button.setEnabled(True)
        self.file_button.setEnabled(True)
        n = len(result.cooperative_ids)
        self.report.setPlainText(f"Tersimpan: {format_count(n)} koperasi ({format_count(result.created)} baru, "
                                 f"{format_count(result.updated)} diperbarui).")
        self.paste.clear()
        self.ctx.signals.data_changed.emit("rat_record", list(result.cooperative_ids))
        self.refresh()  # now, not after the delay the signal above asked for
        self.marked.emit(n)
        info(self, f"RAT tahun buku {self.year.value()} ditandai untuk {format_count(n)} koperasi.")


def _bulk_mark(db: Any, actor: Any, year: int, rows: list[rc.MarkRow], received: dt.date) -> rc.BulkResult:
    """The worker of a bulk marking: one transaction, all or nothing (runs off the UI thread)."""
    with db.transaction(actor) as s:
        return rc.bulk_mark(s, actor, year, rows, received_on=received)
