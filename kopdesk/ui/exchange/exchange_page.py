"""Impor dan Ekspor: ODS import with a preview and a row-by-row report, progress and cancel; registry export;
the consolidation of the kab/kota workbooks into the province recap."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
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

from kopdesk.models.formats import format_count
from kopdesk.models.services.exchange import ods_import
from kopdesk.ui.context import AppContext
from kopdesk.ui.reports.reports_page import fill_table, save_report
from kopdesk.ui.widgets.messages import confirm, info, show_error
from kopdesk.ui.widgets.page import Page

ACTION_COLOURS = {ods_import.NEW: "#e6f4ea", ods_import.UPDATED: "#fff4d6", ods_import.INVALID: "#fde2e1"}


PREVIEW_ROWS_SHOWN = 5000  # rows listed in the preview table; the counts and the file of invalid rows are complete


def preview_file(db: Any, path: str, sheet: str | None = None, progress: Any = None,
                 cancelled: Any = None) -> ods_import.ImportPreview:
    with db.read() as s:
        return ods_import.preview_import(s, path, sheet=sheet, progress=progress, cancelled=cancelled)


def import_file(db: Any, actor: Any, path: str, sheet: str | None, valid_only: bool, progress: Any = None,
                cancelled: Any = None) -> tuple[ods_import.ImportPreview, ods_import.ImportResult | None]:
    return ods_import.import_file(db, actor, path, sheet=sheet, valid_only=valid_only, progress=progress,
                                  cancelled=cancelled, keep_rows=False)


def save_issues_file(preview: ods_import.ImportPreview, path: str) -> str:
    ods_import.write_issues_workbook(preview, path)
    return path


def export_registry_file(db: Any, region: str, path: str, progress: Any = None, cancelled: Any = None) -> int:
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.services.exchange import ods_export
    from kopdesk.reports.excel.registry import write_registry_export

    with db.read() as s:
        return ods_export.export_registry(s, RegistryFilter(region_code=region or None), path,
                                          write=write_registry_export, progress=progress, cancelled=cancelled)


def office_workbook(db: Any, region: str, path: str, progress: Any = None, cancelled: Any = None) -> str:
    from kopdesk.models.services.exchange.consolidation import export_office_workbook
    from kopdesk.reports.excel.registry import write_office_workbook

    with db.read() as s:
        export_office_workbook(s, region, path, write=write_office_workbook, progress=progress, cancelled=cancelled)
    return path


def consolidate_files(db: Any, paths: list[str]) -> Any:
    from kopdesk.models.services.exchange.consolidation import consolidate

    with db.read() as s:
        return consolidate(s, paths)


class ExchangePage(Page):
    """Import, export and the consolidation of workbooks; the page reads nothing when it opens."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.path = ""
        self.sheet: str | None = None
        self.preview: ods_import.ImportPreview | None = None
        self.consolidated: Any = None

        # Import
        self.file_label = QLabel("Belum ada berkas dipilih.")
        self.choose_btn = QPushButton("Pilih berkas ODS…")
        self.check_btn = QPushButton("Periksa")
        self.valid_only = QCheckBox("Impor baris yang valid saja")
        self.import_btn = QPushButton("Impor")
        self.issues_btn = QPushButton("Simpan baris tidak valid…")
        for b in (self.check_btn, self.import_btn, self.issues_btn):
            b.setEnabled(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.sheet_label = QLabel("Lembar:")
        self.sheet_choice = QComboBox()
        self.sheet_choice.setToolTip("Beberapa lembar berisi judul kolom yang dikenali; pilih lembar yang diimpor.")
        for w in (self.sheet_label, self.sheet_choice):
            w.setVisible(False)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        self.notes.setTextFormat(Qt.TextFormat.PlainText)
        self.notes.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.rows = QTableWidget(0, 5)
        self.rows.setHorizontalHeaderLabels(["Baris", "Tindakan", "Nama Koperasi", "Dicocokkan dengan", "Perubahan / masalah"])
        self.rows.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.rows.verticalHeader().setVisible(False)
        box = QGroupBox("Impor data ODS")
        top = QHBoxLayout()
        for w in (self.choose_btn, self.file_label):
            top.addWidget(w)
        top.addStretch(1)
        actions = QHBoxLayout()
        for w in (self.check_btn, self.sheet_label, self.sheet_choice, self.valid_only, self.import_btn,
                  self.issues_btn):
            actions.addWidget(w)
        actions.addStretch(1)
        v = QVBoxLayout(box)
        v.addLayout(top)
        v.addLayout(actions)
        v.addWidget(self.summary)
        v.addWidget(self.notes)
        v.addWidget(self.rows, 1)

        # Export and consolidation
        self.region = QLineEdit()
        self.region.setPlaceholderText("kode wilayah (kosong: semua)")
        self.export_btn = QPushButton("Ekspor registri ke Excel…")
        self.office_btn = QPushButton("Buku kerja untuk provinsi…")
        self.consolidate_btn = QPushButton("Konsolidasi buku kerja kab/kota…")
        self.save_recap_btn = QPushButton("Simpan rekap provinsi…")
        self.save_recap_btn.setEnabled(False)
        self.recap = QTableWidget()
        self.recap.verticalHeader().setVisible(False)
        box2 = QGroupBox("Ekspor dan konsolidasi")
        line = QHBoxLayout()
        line.addWidget(QLabel("Wilayah"))
        for w in (self.region, self.export_btn, self.office_btn, self.consolidate_btn, self.save_recap_btn):
            line.addWidget(w)
        v2 = QVBoxLayout(box2)
        v2.addLayout(line)
        v2.addWidget(self.recap, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(box, 5)  # the import preview needs the room: counts, how the file was read, the rows
        layout.addWidget(box2, 2)

        self.choose_btn.clicked.connect(self.choose)
        self.check_btn.clicked.connect(self.check)
        self.import_btn.clicked.connect(self.run_import)
        self.issues_btn.clicked.connect(lambda: self.save_issues())
        self.export_btn.clicked.connect(lambda: self.export())
        self.office_btn.clicked.connect(lambda: self.export(office=True))
        self.consolidate_btn.clicked.connect(lambda: self.consolidate())
        self.save_recap_btn.clicked.connect(lambda: self.save_recap())
        self.sheet_choice.activated.connect(self._on_sheet_chosen)
        self.import_btn.setEnabled(False)

    # --- import ---------------------------------------------------------------------------------------------
    def choose(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pilih berkas ODS", "", "Buku kerja (*.xlsx *.xls *.ods)")
        if path:
            self.set_path(path)

    def set_path(self, path: str) -> None:
        self.path = path
        self.sheet = None
        self.file_label.setText(path)
        self.check_btn.setEnabled(True)
        self.import_btn.setEnabled(False)
        self.issues_btn.setEnabled(False)
        self.preview = None

    def check(self) -> None:
        self.summary.setText("Memeriksa…")
        self.notes.clear()
        self.ctx.tasks.run(preview_file, self.ctx.db, self.path, self.sheet, progress=True, parent=self,
                           title="Periksa berkas", on_done=self.show_preview, on_error=self._failed)

    def _on_sheet_chosen(self, index: int) -> None:
        name = self.sheet_choice.itemData(index)
        if name and (self.preview is None or name != self.preview.sheet):
            self.sheet = name
            self.check()

    def show_preview(self, preview: ods_import.ImportPreview) -> None:
        """The checked file: counts, how it was read (sheet, skipped rows, new kelompok/sektor), then row by row."""
        self.preview = preview
        self.sheet = preview.sheet
        counts = preview.counts()
        self.summary.setText(preview.summary())
        self.notes.setText("\n".join(preview.notes()))
        self.sheet_choice.blockSignals(True)
        self.sheet_choice.clear()
        for choice in preview.sheets:
            self.sheet_choice.addItem(f"{choice.name} (judul di baris {choice.header_row})", choice.name)
        self.sheet_choice.setCurrentIndex(max(0, self.sheet_choice.findData(preview.sheet)))
        self.sheet_choice.blockSignals(False)
        for w in (self.sheet_label, self.sheet_choice):
            w.setVisible(len(preview.sheets) > 1)
        shown = preview.rows[:PREVIEW_ROWS_SHOWN]
        if len(preview.rows) > len(shown):
            self.notes.setText(self.notes.text() + f"\nDaftar di bawah menampilkan {format_count(len(shown))} baris "
                               f"pertama dari {format_count(len(preview.rows))}; semua baris tidak valid ada di berkas "
                               "«Simpan baris tidak valid…».")
        self.rows.setRowCount(len(shown))
        for r, row in enumerate(shown):
            detail = "; ".join(i.text() for i in row.issues) if row.issues else "; ".join(c.text() for c in row.changes)
            values = [str(row.row), ods_import.ACTION_LABELS[row.action], row.name, row.matched_by or "", detail]
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                if c == 4 and value:
                    item.setToolTip(value)
                if row.action in ACTION_COLOURS:
                    item.setBackground(QBrush(QColor(ACTION_COLOURS[row.action])))
                self.rows.setItem(r, c, item)
        self.rows.resizeColumnsToContents()
        self.rows.setColumnWidth(2, min(self.rows.columnWidth(2), 280))
        self.issues_btn.setEnabled(counts[ods_import.INVALID] > 0)
        writable = counts[ods_import.NEW] + counts[ods_import.UPDATED]
        self.import_btn.setEnabled(self.ctx.can("import") and writable > 0)

    def run_import(self) -> None:
        if self.preview is None:
            return
        counts = self.preview.counts()
        if counts[ods_import.INVALID] and not self.valid_only.isChecked():
            show_error(self, ods_import.ImportRejected(
                f"{format_count(counts[ods_import.INVALID])} baris tidak valid. Perbaiki berkasnya, atau centang "
                "«Impor baris yang valid saja»."), "Impor")
            return
        added = "".join(
            f"\n\nDitambahkan ke daftar {label.lower()}: " + ", ".join(names) + "."
            for fld, label in ods_import.LOOKUP_LABELS.items()
            if (names := [n.name for n in self.preview.new_lookups if n.field == fld]))
        if not confirm(self, f"Impor {format_count(counts[ods_import.NEW])} koperasi baru dan "
                             f"{format_count(counts[ods_import.UPDATED])} perubahan dari lembar «{self.preview.sheet}»?"
                             + added):
            return
        self.ctx.tasks.run(import_file, self.ctx.db, self.ctx.actor, self.path, self.preview.sheet,
                           self.valid_only.isChecked(), progress=True, parent=self, title="Impor data",
                           on_done=self._imported, on_error=self._failed)

    def _imported(self, result: Any) -> None:
        _preview, res = result
        self.ctx.signals.data_changed.emit("cooperative", None)
        added = "".join(f"\n{ods_import.LOOKUP_LABELS[n.field]} baru: {n.name}" for n in res.new_lookups)
        info(self, f"Impor selesai: {format_count(res.created)} baru, {format_count(res.updated)} diperbarui, "
                   f"{format_count(res.unchanged)} tidak berubah"
                   + (f", {format_count(res.skipped_invalid)} baris tidak valid dilewati." if res.skipped_invalid
                      else ".") + added)
        self.import_btn.setEnabled(False)

    def save_issues(self, path: str | None = None) -> None:
        if self.preview is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Simpan baris tidak valid", "baris-tidak-valid.xlsx",
                                                  "Excel (*.xlsx)")
            if not path:
                return
        self.ctx.tasks.run(save_issues_file, self.preview, path, on_done=lambda p: info(
            self, f"Baris tidak valid disimpan ke {p}"), on_error=self._failed)

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("")
        if isinstance(exc, ods_import.ImportRejected) and exc.preview is not None:
            self.show_preview(exc.preview)  # the report of the refused import, row by row
        show_error(self, exc, "Impor dan Ekspor")

    # --- export and consolidation ---------------------------------------------------------------------------
    def export(self, path: str | None = None, *, office: bool = False) -> None:
        region = self.region.text().strip()
        if office and not region:
            show_error(self, ods_import.ImportFileError("Isi kode kabupaten/kota untuk buku kerja provinsi."))
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Simpan", "registri.xlsx", "Excel (*.xlsx)")
            if not path:
                return
        fn = office_workbook if office else export_registry_file
        self.ctx.tasks.run(fn, self.ctx.db, region, path, progress=True, parent=self, title="Ekspor",
                           on_done=lambda r: info(self, f"Disimpan ke {path}"), on_error=self._failed)

    def consolidate(self, paths: list[str] | None = None) -> None:
        if paths is None:
            paths, _ = QFileDialog.getOpenFileNames(self, "Buku kerja kab/kota", "", "Excel (*.xlsx)")
            if not paths:
                return
        self.ctx.tasks.run(consolidate_files, self.ctx.db, list(paths), on_done=self._consolidated,
                           on_error=self._failed)

    def _consolidated(self, rep: Any) -> None:
        self.consolidated = rep
        fill_table(self.recap, rep)
        self.save_recap_btn.setEnabled(True)

    def save_recap(self, path: str | None = None) -> None:
        if self.consolidated is None:
            return
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, "Simpan rekap provinsi", "rekap-provinsi.xlsx",
                                                  "Excel (*.xlsx);;PDF (*.pdf)")
            if not path:
                return
        self.ctx.tasks.run(save_report, self.consolidated, path, on_done=lambda p: info(self, f"Disimpan ke {p}"),
                           on_error=self._failed)
