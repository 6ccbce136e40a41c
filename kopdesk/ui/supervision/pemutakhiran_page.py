"""Pemutakhiran page: rounds, officers, the keyboard-only visit grid with progress, closing with a preview, PDFs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
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
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.db import Database
from kopdesk.models.formats import format_count, format_date
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.registry import regions
from kopdesk.models.services.reporting import home
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.vocab import STATUS
from kopdesk.ui.context import AppContext
from kopdesk.ui.supervision.visit_grid import VisitGridModel
from kopdesk.ui.widgets.messages import info, show_error
from kopdesk.ui.widgets.page import Page


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


class NewRoundDialog(QDialog):
    """Name, start date and the kecamatan covered (all checked = the whole region)."""

    def __init__(self, kecamatan: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Putaran pemutakhiran baru")
        self.name = QLineEdit(f"Pemutakhiran Data Koperasi {dt.date.today().year}")
        self.started = QDateEdit(_qdate(dt.date.today()))
        self.started.setCalendarPopup(True)
        self.started.setDisplayFormat("dd/MM/yyyy")
        self.kecamatan = QListWidget()
        for code, name in kecamatan:
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, code)
            item.setCheckState(Qt.CheckState.Checked)
            self.kecamatan.addItem(item)
        form = QFormLayout(self)
        form.addRow("Nama putaran", self.name)
        form.addRow("Tanggal mulai", self.started)
        form.addRow("Kecamatan", self.kecamatan)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Buat putaran")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def chosen_kecamatan(self) -> list[str] | None:
        """The kecamatan checked, or None when all are (the whole region)."""
        codes = [self.kecamatan.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.kecamatan.count())
                 if self.kecamatan.item(i).checkState() == Qt.CheckState.Checked]
        return None if len(codes) == self.kecamatan.count() else codes


class OfficerDialog(QDialog):
    """Assign a PPKL to a kecamatan."""

    def __init__(self, kecamatan: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tetapkan petugas (PPKL)")
        self.kecamatan = QComboBox()
        for code, name in kecamatan:
            self.kecamatan.addItem(name, code)
        self.name = QLineEdit()
        self.nip = QLineEdit()
        self.nip.setPlaceholderText("18 angka (boleh kosong)")
        form = QFormLayout(self)
        form.addRow("Kecamatan", self.kecamatan)
        form.addRow("Nama petugas", self.name)
        form.addRow("NIP", self.nip)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)


class ClosePreviewDialog(QDialog):
    """What closing will change; the clerk confirms or cancels."""

    def __init__(self, preview: pm.ClosePreview, round_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Tutup putaran: {round_name}")
        self.resize(820, 480)
        by = preview.count_by_target()
        moved = sum(1 for c in preview.changes if c.new_address)
        parts = [f"{format_count(n)} menjadi {STATUS[k]}" for k, n in sorted(by.items())]
        if moved:
            parts.append(f"{format_count(moved)} alamat diperbarui")
        self.summary = QLabel(
            "Menutup putaran akan mengubah: " + (", ".join(parts) if parts else "tidak ada perubahan status") + ".\n"
            f"Tidak berubah: {format_count(preview.unchanged)}; belum dikunjungi: {format_count(preview.not_visited)}; "
            f"dilewati (proses pembubaran/bubar): {format_count(len(preview.skipped))}.\n"
            "Setelah ditutup, kunjungan tidak dapat diubah lagi.")
        self.summary.setWordWrap(True)
        self.table = QTableWidget(len(preview.changes) + len(preview.skipped), 4)
        self.table.setHorizontalHeaderLabels(["Koperasi", "Status kini", "Menjadi", "Alasan"])
        for i, ch in enumerate([*preview.changes, *preview.skipped]):
            values = [ch.name, STATUS.get(ch.from_status, ch.from_status),
                      ("(dilewati)" if ch.skipped else STATUS.get(ch.to_status or "", "") or "alamat baru: " + (ch.new_address or "")),
                      ch.reason]
            for j, v in enumerate(values):
                self.table.setItem(i, j, QTableWidgetItem(v))
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tutup putaran dan terapkan")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table)
        layout.addWidget(buttons)


def _close_round(db: Database, actor: Actor, round_id: int, preview: pm.ClosePreview) -> int:
    with db.transaction(actor) as s:
        done = pm.close_round(s, actor, round_id, preview)
    return len(done.changes)


def load_rounds(db: Database) -> list[pm.RoundInfo]:
    """Every round with its figures (the loaders below run on a worker thread)."""
    with db.read() as s:
        return pm.list_rounds(s)


def load_round_details(db: Database, round_id: int) -> tuple[list[tuple[str, str]], dict[str | None, list[str]]]:
    """The kecamatan a round covers (code, name) and its officers by kecamatan."""
    with db.read() as s:
        codes = sorted({g.kecamatan_code for g in pm.grid_rows(s, round_id) if g.kecamatan_code})
        names = regions.names(s, codes)
        return [(code, names.get(code, code)) for code in codes], pm.officers(s, round_id)


def load_grid(db: Database, round_id: int, kecamatan_code: str | None) -> tuple[list[pm.GridRow], pm.RoundProgress]:
    with db.read() as s:
        return pm.grid_rows(s, round_id, kecamatan_code=kecamatan_code), pm.progress(s, round_id)


def load_progress(db: Database, round_id: int) -> pm.RoundProgress:
    with db.read() as s:
        return pm.progress(s, round_id)


def load_close_preview(db: Database, round_id: int) -> pm.ClosePreview:
    with db.read() as s:
        return pm.close_preview(s, round_id)


def kecamatan_choices(db: Database) -> tuple[str | None, list[tuple[str, str]]]:
    """The region of a new round (the office's kab/kota) and its kecamatan (code, name)."""
    with db.read() as s:
        region = home.office_region(s)
        if region is None:
            from sqlalchemy import select

            from kopdesk.models.cooperative import Cooperative

            region = s.scalar(select(Cooperative.kabkota_code).limit(1))
        kids = regions.children(s, region) if region and len(region) == 4 else []
        return region, [(k.code, k.name) for k in kids]


class PemutakhiranPage(Page):
    """Field verification rounds; the rounds, the grid and the figures are read off the UI thread.

    Signals:
        round_closed(int): a round was closed (its id).
        grid_shown(int): the grid of the chosen round (or none) is loaded (how many rows).
    """

    round_closed = Signal(int)
    grid_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.rounds: list[pm.RoundInfo] = []
        self._officers: dict[str | None, list[str]] = {}
        self._select_round: int | None = None  # the round to select when the list is next shown
        can = ctx.can("supervision.write")

        self.rounds_table = QTableWidget(0, 8)
        self.rounds_table.setHorizontalHeaderLabels(["Putaran", "Status", "Mulai", "Cakupan", "Dikunjungi", "Ditemukan",
                                                     "Tidak ditemukan", "Usaha aktif"])
        self.rounds_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.rounds_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.rounds_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.rounds_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.rounds_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.rounds_table.setWordWrap(False)
        self.rounds_table.setMaximumHeight(170)
        self.rounds_table.itemSelectionChanged.connect(self._on_round_selected)

        self.new_button = QPushButton("Putaran baru…")
        self.officer_button = QPushButton("Tetapkan petugas…")
        self.sheet_button = QPushButton("Lembar lapangan (PDF)…")
        self.close_button = QPushButton("Tutup putaran…")
        self.ba_button = QPushButton("Berita acara (PDF)…")
        for b, slot in ((self.new_button, self.new_round), (self.officer_button, self.assign_officer),
                        (self.sheet_button, self.export_field_sheet), (self.close_button, self.close_round),
                        (self.ba_button, self.export_berita_acara)):
            b.clicked.connect(slot)
        self.new_button.setEnabled(can)

        self.progress_label = QLabel("Pilih atau buat putaran.")
        self.progress_label.setStyleSheet("font-size: 14px; font-weight: 600; padding: 4px; background: #eef4fb;")
        self.officers_label = QLabel("")
        self.officers_label.setWordWrap(True)
        self.default_date = QDateEdit(_qdate(dt.date.today()))
        self.default_date.setDisplayFormat("dd/MM/yyyy")
        self.default_date.setCalendarPopup(True)
        self.kecamatan_filter = QComboBox()
        self.kecamatan_filter.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)  # filled later
        self.kecamatan_filter.currentIndexChanged.connect(lambda *_: self._load_grid())
        self.message = QLabel("")
        self.message.setStyleSheet("color: #b00020;")
        self.message.setWordWrap(True)

        self.model = VisitGridModel(self._save_visit, self._row_defaults, self)
        self.model.row_saved.connect(self._on_row_saved)
        self.model.row_failed.connect(lambda _cid, msg: self.message.setText(msg))
        self.grid = QTableView()
        self.grid.setModel(self.model)
        self.grid.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed | QAbstractItemView.EditTrigger.EditKeyPressed
                                  | QAbstractItemView.EditTrigger.DoubleClicked)
        self.grid.setTabKeyNavigation(True)
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setAlternatingRowColors(True)

        buttons = QHBoxLayout()
        for b in (self.new_button, self.officer_button, self.sheet_button, self.close_button, self.ba_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Tanggal kunjungan bawaan:"))
        tools.addWidget(self.default_date)
        tools.addWidget(QLabel("Kecamatan:"))
        tools.addWidget(self.kecamatan_filter)
        tools.addStretch(1)
        tools.addWidget(QLabel("Isi per baris: Tanggal, Petugas, Ditemukan Y/T, … — Tab ke kolom berikutnya"))
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        tl.addLayout(buttons)
        tl.addWidget(self.rounds_table)
        bottom = QWidget()
        bl = QVBoxLayout(bottom)
        bl.setContentsMargins(0, 0, 0, 0)
        bl.addWidget(self.progress_label)
        bl.addWidget(self.officers_label)
        bl.addLayout(tools)
        bl.addWidget(self.grid)
        bl.addWidget(self.message)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(bottom)
        split.setStretchFactor(1, 4)
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.refresh()

    # -- loading ----------------------------------------------------------------------------------------------------
    def load(self) -> None:
        if self._select_round is None:
            self._select_round = self.current_round_id()
        self.run_query("rounds", load_rounds, self.ctx.db, on_done=self._show_rounds)

    def _show_rounds(self, rounds: list[pm.RoundInfo]) -> None:
        keep, self._select_round = self._select_round, None
        self.rounds = rounds
        self.rounds_table.blockSignals(True)
        self.rounds_table.setRowCount(len(self.rounds))
        select_row = 0
        for i, r in enumerate(self.rounds):
            p = r.progress
            values = [r.name, pm.ROUND_STATUS.get(r.status, r.status), format_date(r.started_on), format_count(p.covered),
                      format_count(p.visited), format_count(p.found), format_count(p.not_found), format_count(p.active)]
            for j, v in enumerate(values):
                item = QTableWidgetItem(v)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                self.rounds_table.setItem(i, j, item)
            if r.id == keep:
                select_row = i
        if self.rounds:
            self.rounds_table.selectRow(select_row)
        self.rounds_table.blockSignals(False)
        self._on_round_selected()

    def current_round(self) -> pm.RoundInfo | None:
        rows = self.rounds_table.selectionModel().selectedRows() if self.rounds_table.selectionModel() else []
        if not rows or rows[0].row() >= len(self.rounds):
            return None
        return self.rounds[rows[0].row()]

    def current_round_id(self) -> int | None:
        r = self.current_round()
        return r.id if r else None

    def _on_round_selected(self) -> None:
        r = self.current_round()
        can = self.ctx.can("supervision.write")
        open_ = r is not None and r.status != "ditutup"
        self.officer_button.setEnabled(can and open_)
        self.close_button.setEnabled(can and open_)
        self.sheet_button.setEnabled(r is not None)
        self.ba_button.setEnabled(r is not None and r.status == "ditutup")
        if r is None:
            self._show_round_details(None, ([], {}))
            return
        self.run_query("round", load_round_details, self.ctx.db, r.id,
                       on_done=lambda details: self._show_round_details(r.id, details))

    def _show_round_details(self, round_id: int | None,
                            details: tuple[list[tuple[str, str]], dict[str | None, list[str]]]) -> None:
        kecamatan, self._officers = details
        self.kecamatan_filter.blockSignals(True)
        self.kecamatan_filter.clear()
        self.kecamatan_filter.addItem("Semua kecamatan", None)
        for code, name in kecamatan:
            self.kecamatan_filter.addItem(name, code)
        if round_id is not None:
            names = dict(kecamatan)
            off = "; ".join(f"{names.get(k, k) if k else 'semua'}: {', '.join(v)}" for k, v in self._officers.items())
            self.officers_label.setText("Petugas: " + (off or "belum ditetapkan"))
        self.kecamatan_filter.blockSignals(False)
        self._load_grid()

    def _load_grid(self) -> None:
        r = self.current_round()
        if r is None:
            self.model.load([])
            self.progress_label.setText("Pilih atau buat putaran.")
            self.grid_shown.emit(0)
            return
        self.run_query("grid", load_grid, self.ctx.db, r.id, self.kecamatan_filter.currentData(),
                       on_done=lambda result: self._show_grid(r, *result))

    def _show_grid(self, r: pm.RoundInfo, rows: list[pm.GridRow], progress: pm.RoundProgress) -> None:
        if r.id != self.current_round_id():
            return  # another round was chosen meanwhile; its grid is on the way
        self.model.load(rows, read_only=r.status == "ditutup" or not self.ctx.can("supervision.write"))
        self.grid.resizeColumnsToContents()
        self._show_progress_of(r, progress)
        self.grid_shown.emit(len(rows))

    def _show_progress(self) -> None:
        r = self.current_round()
        if r is not None:
            self.run_query("progress", load_progress, self.ctx.db, r.id, busy=False,
                           on_done=lambda p: self._show_progress_of(r, p))

    def _show_progress_of(self, r: pm.RoundInfo, p: pm.RoundProgress) -> None:
        if r.id != self.current_round_id():
            return  # another round was chosen meanwhile
        state = "DITUTUP" if r.status == "ditutup" else "berjalan"
        self.progress_label.setText(
            f"{r.name} ({state}) — Cakupan {format_count(p.covered)} · Dikunjungi {format_count(p.visited)} · "
            f"Ditemukan {format_count(p.found)} · Tidak ditemukan {format_count(p.not_found)} · "
            f"Pindah {format_count(p.moved)} · Usaha aktif {format_count(p.active)} · Sisa {format_count(p.remaining)}")

    # -- visits -----------------------------------------------------------------------------------------------------
    def _row_defaults(self, row: pm.GridRow) -> dict[str, Any]:
        names = self._officers.get(row.kecamatan_code) or self._officers.get(None) or []
        return {"visit_date": _pydate(self.default_date.date()), "officer_name": names[0] if names else None}

    def _save_visit(self, coop_id: int, data: dict[str, Any]) -> None:
        r = self.current_round()
        assert r is not None
        with self.ctx.db.transaction(self.ctx.actor) as s:
            pm.record_visit(s, self.ctx.actor, r.id, coop_id, data)

    def _on_row_saved(self, _coop_id: int) -> None:
        self.message.setText("")
        self._show_progress()

    # -- actions ----------------------------------------------------------------------------------------------------
    def new_round(self) -> None:
        """Ask for the new round (the kecamatan to choose from are read off the UI thread first), then create it."""
        self.run_query("choices", kecamatan_choices, self.ctx.db, on_done=lambda result: self._ask_new_round(*result))

    def _ask_new_round(self, region: str | None, kecs: list[tuple[str, str]]) -> None:
        dlg = NewRoundDialog(kecs, self)
        if not dlg.exec():
            return
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                rnd = pm.create_round(s, self.ctx.actor, dlg.name.text(), region_code=region,
                                      kecamatan_codes=dlg.chosen_kecamatan(), started_on=_pydate(dlg.started.date()))
                new_id = rnd.id
        except Exception as exc:
            show_error(self, exc)
            return
        self.default_date.setDate(dlg.started.date())
        self._select_round = new_id
        self.refresh()
        self.ctx.signals.data_changed.emit("verification_round", [new_id])

    def assign_officer(self) -> None:
        r = self.current_round()
        if r is None:
            return
        kecs = [(self.kecamatan_filter.itemData(i), self.kecamatan_filter.itemText(i))
                for i in range(1, self.kecamatan_filter.count())]
        dlg = OfficerDialog(kecs, self)
        if not dlg.exec():
            return
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                pm.assign_officer(s, self.ctx.actor, r.id, dlg.kecamatan.currentData(), dlg.name.text(), dlg.nip.text())
        except Exception as exc:
            show_error(self, exc)
            return
        self._on_round_selected()

    def close_round(self) -> None:
        """Show what closing would change (computed off the UI thread); on the clerk's yes, close the round."""
        r = self.current_round()
        if r is None:
            return
        self.run_query("close_preview", load_close_preview, self.ctx.db, r.id,
                       on_done=lambda preview: self._confirm_close(r, preview))

    def _confirm_close(self, r: pm.RoundInfo, preview: pm.ClosePreview) -> None:
        dlg = ClosePreviewDialog(preview, r.name, self)
        if not dlg.exec():
            return
        self.close_button.setEnabled(False)

        def done(n: int) -> None:
            info(self, f"Putaran {r.name} ditutup; {format_count(n)} perubahan diterapkan.")
            self.refresh()
            self.ctx.signals.data_changed.emit("cooperative", None)
            self.round_closed.emit(r.id)

        def failed(exc: BaseException) -> None:
            show_error(self, exc)
            self.refresh()

        self.ctx.tasks.run(_close_round, self.ctx.db, self.ctx.actor, r.id, preview, on_done=done, on_error=failed)

    def _save_path(self, title: str, name: str) -> str:
        path, _ = QFileDialog.getSaveFileName(self, title, name, "PDF (*.pdf)")
        return path

    def export_field_sheet(self) -> None:
        r = self.current_round()
        kec = self.kecamatan_filter.currentData()
        if r is None:
            return
        if kec is None:
            info(self, "Pilih satu kecamatan dulu: lembar lapangan dicetak per kecamatan (per petugas).")
            return
        path = self._save_path("Simpan lembar lapangan", f"lembar-lapangan-{kec}.pdf")
        if not path:
            return
        from kopdesk.models.services.supervision import documents
        from kopdesk.reports.pdf.field_sheet import write_field_sheet

        self.ctx.tasks.run(documents.write_field_sheet, self.ctx.db, r.id, kec, path, render=write_field_sheet,
                           on_done=lambda _r: info(self, f"Lembar lapangan disimpan: {path}"),
                           on_error=lambda e: show_error(self, e))

    def export_berita_acara(self) -> None:
        r = self.current_round()
        if r is None:
            return
        path = self._save_path("Simpan berita acara", f"berita-acara-pemutakhiran-{r.id}.pdf")
        if not path:
            return
        from kopdesk.models.services.supervision import documents
        from kopdesk.reports.pdf.berita_acara_round import write_berita_acara

        self.ctx.tasks.run(documents.write_berita_acara, self.ctx.db, r.id, path, render=write_berita_acara,
                           on_done=lambda _r: info(self, f"Berita acara disimpan: {path}"),
                           on_error=lambda e: show_error(self, e))
