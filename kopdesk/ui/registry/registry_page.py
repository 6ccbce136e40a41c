"""The registry page: search as you type, filters, and the table of cooperatives."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_count
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.region import level_of, undotted
from kopdesk.models.vocab import JENIS, NIK_STATUS, POLA, STATUS
from kopdesk.ui.context import AppContext
from kopdesk.ui.registry.region_lists import RegionLists, load_region_lists, parents_along
from kopdesk.ui.registry.registry_model import COLUMNS, RegistryModel, SearchResult, count_matches, first_page
from kopdesk.ui.widgets.page import Page

ALL = "__all__"
WITH_DISSOLVED = "__with_dissolved__"


@dataclass(frozen=True)
class Lookups:
    """What the filter pickers offer, read once off the UI thread."""

    kelompok: list[tuple[int, str]]
    office_region: str | None
    regions: RegionLists


def load_lookups(db: Any) -> Lookups:
    """The kelompok, the office's region and the region lists around it (a worker thread)."""
    from sqlalchemy import select

    from kopdesk.models.lookup import Kelompok
    from kopdesk.models.office import OfficeProfile

    with db.read() as s:
        # the form's order (registry.form_view.lookups), read here so that the start needs none of the form's services
        kelompok = [(int(k), str(n)) for k, n in s.execute(
            select(Kelompok.id, Kelompok.name).order_by(Kelompok.active.desc(), Kelompok.sort_order, Kelompok.name))]
        region = s.scalar(select(OfficeProfile.region_code).where(OfficeProfile.id == 1))
    return Lookups(kelompok, region, load_region_lists(db, around=region))


def _combo(items: list[tuple[object, str]], min_width: int = 0) -> QComboBox:
    box = QComboBox()
    for value, text in items:
        box.addItem(text, value)
    if min_width:
        box.setMinimumWidth(min_width)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    return box


class RegistryPage(Page):
    """All cooperatives, searched and filtered in SQL off the UI thread, shown page by page.

    The pickers' lists (kelompok, regions) and the office's region are read off the UI thread first; the first search
    follows them, so it starts within the office's region.

    Signals:
        results_shown(int): a search's first page is in the view (the number of rows loaded).
        count_shown(int): the number of matches is shown.
    """

    results_shown = Signal(int)
    count_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._lookups: Lookups | None = None
        self._regions: RegionLists = {}
        self._wanted: RegistryFilter | None = None  # asked for before the pickers were filled
        # First of all, so that the read runs while the widgets are built; it is shown once the event loop runs.
        self.run_query("lookups", load_lookups, ctx.db, on_done=self._lookups_loaded)
        self._generation = 0
        self._extra = RegistryFilter()  # what another page asked for that the widgets cannot show (ids, several statuses)
        self._extra_active = False
        self._order, self._descending = "name", False
        self._suspend = False
        self.last_search_ms: float | None = None
        self._t0 = 0.0

        self.search = QLineEdit()
        self.search.setPlaceholderText("Cari nama, NIK, nomor badan hukum atau alamat…  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(30)
        self.count_label = QLabel("")
        self.count_label.setStyleSheet("font-weight: 600;")
        self.count_label.setMinimumWidth(220)
        self.new_button = QPushButton("Koperasi baru")
        self.new_button.setToolTip("Daftarkan koperasi baru (Ctrl+N)")
        self.new_button.setEnabled(ctx.can("registry.write"))
        self.open_button = QPushButton("Buka")
        self.open_button.setToolTip("Buka data koperasi yang dipilih (Enter)")
        self.filter_button = QToolButton()
        self.filter_button.setText("Filter ▾")
        self.filter_button.setCheckable(True)
        self.filter_button.setChecked(True)
        self.reset_button = QPushButton("Hapus filter")
        self.export_button = QPushButton("Ekspor Excel…")
        self.export_button.setToolTip("Simpan koperasi yang tampil (atau baris yang dipilih) sebagai berkas Excel "
                                      "bertata letak ODS")
        self.export_button.setEnabled(ctx.can("export"))
        self.export_message = ""

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.filter_button)
        top.addWidget(self.reset_button)
        top.addWidget(self.export_button)
        top.addSpacing(12)
        top.addWidget(self.open_button)
        top.addWidget(self.new_button)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self.filters = QFrame()
        self.filters.setFrameShape(QFrame.Shape.StyledPanel)
        self._build_filters()

        self.extra_label = QLabel("")
        self.extra_label.setStyleSheet("color: #0b57d0;")
        self.extra_label.hide()

        self.model = RegistryModel(ctx.db, self)
        self.view = QTableView()
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.view.horizontalHeader()
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for i, c in enumerate(COLUMNS):
            self.view.setColumnWidth(i, c.width)
        state = QSettings().value("registry/header")
        if isinstance(state, QByteArray) and not state.isEmpty():
            header.restoreState(state)
            self._order = COLUMNS[header.sortIndicatorSection()].key if header.sortIndicatorSection() < len(COLUMNS) else "name"
            self._descending = header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        hint = QLabel("Enter: buka · Ctrl+N: koperasi baru · klik judul kolom untuk mengurutkan")
        hint.setStyleSheet("color: #666;")
        bottom.addWidget(hint)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.filters)
        layout.addWidget(self.extra_label)
        layout.addWidget(self.view, 1)
        layout.addLayout(bottom)

        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._text_changed)
        self.search.returnPressed.connect(self._enter_in_search)
        self.model.sort_requested.connect(self._sort)
        self.view.doubleClicked.connect(lambda idx: self.open_current())
        self.open_button.clicked.connect(self.open_current)
        self.new_button.clicked.connect(self.new_cooperative)
        self.reset_button.clicked.connect(self.reset_filters)
        self.export_button.clicked.connect(lambda: self.export_to())
        self.filter_button.toggled.connect(self.filters.setVisible)
        QShortcut(QKeySequence(Qt.Key.Key_Return), self.view, self.open_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Enter), self.view, self.open_current,
                  context=Qt.ShortcutContext.WidgetShortcut)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self.search, self.search.clear,
                  context=Qt.ShortcutContext.WidgetShortcut)
        self.track(ctx.signals.data_changed, self._data_changed)
        self.count_label.setText("Mencari…")

    def _lookups_loaded(self, lookups: Lookups) -> None:
        first = self._lookups is None
        self._lookups = lookups
        self._regions.update(lookups.regions)
        if not first:
            return  # the office's region changed: the next "Hapus filter" uses it
        for ident, name in lookups.kelompok:
            self.kelompok_box.addItem(name, ident)
        for code, name in self._regions.get(None, []):
            self.province_box.addItem(name.title() if name.isupper() else name, code)
        self.apply_filter(self._wanted or RegistryFilter(region_code=lookups.office_region))

    # -- filters ------------------------------------------------------------------------------------------------
    def _build_filters(self) -> None:
        self.status_box = _combo([(ALL, "Semua status (terdaftar)"), *list(STATUS.items()), (WITH_DISSOLVED, "Semua, termasuk dibubarkan")])
        self.jenis_box = _combo([(ALL, "Semua jenis"), *list(JENIS.items())])
        self.pola_box = _combo([(ALL, "Semua pola"), *list(POLA.items())])
        self.kelompok_box = _combo([(ALL, "Semua kelompok")], 160)
        self.province_box = _combo([(ALL, "Semua provinsi")], 150)
        self.kabkota_box = _combo([(ALL, "Semua kab/kota")], 150)
        self.kecamatan_box = _combo([(ALL, "Semua kecamatan")], 150)
        self.kelurahan_box = _combo([(ALL, "Semua kelurahan/desa")], 150)
        self.rat_state_box = _combo([(ALL, "RAT: semua"), ("held", "Sudah RAT"), ("missing", "Belum RAT")])
        self.rat_year = QSpinBox()
        self.rat_year.setRange(2000, dt.date.today().year + 1)
        self.rat_year.setValue(dt.date.today().year - 1)
        self.rat_year.setPrefix("tahun buku ")
        self.cert_box = _combo([(ALL, "Semua status NIK"), *list(NIK_STATUS.items())])
        self.mp_box = _combo([(ALL, "Merah Putih: semua"), (True, "Hanya Koperasi Merah Putih"),
                              (False, "Bukan Merah Putih")])
        grid = QGridLayout(self.filters)
        grid.setContentsMargins(8, 6, 8, 6)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        row1 = [self.status_box, self.jenis_box, self.pola_box, self.kelompok_box, self.cert_box, self.mp_box]
        row2 = [self.province_box, self.kabkota_box, self.kecamatan_box, self.kelurahan_box, self.rat_state_box,
                self.rat_year]
        for col, w in enumerate(row1):
            grid.addWidget(w, 0, col)
        for col, w in enumerate(row2):
            grid.addWidget(w, 1, col)
        for col in range(6):
            grid.setColumnStretch(col, 1)
        for box in (self.status_box, self.jenis_box, self.pola_box, self.kelompok_box, self.cert_box, self.mp_box,
                    self.rat_state_box, self.kelurahan_box):
            box.currentIndexChanged.connect(self._filter_changed)
        self.rat_year.valueChanged.connect(lambda _v: self._filter_changed() if self.rat_state_box.currentData() != ALL else None)
        self.province_box.currentIndexChanged.connect(lambda _i: self._region_changed(self.province_box, self.kabkota_box))
        self.kabkota_box.currentIndexChanged.connect(lambda _i: self._region_changed(self.kabkota_box, self.kecamatan_box))
        self.kecamatan_box.currentIndexChanged.connect(lambda _i: self._region_changed(self.kecamatan_box, self.kelurahan_box))

    def _fill_children(self, parent_box: QComboBox, child_box: QComboBox) -> None:
        """Refill ``child_box`` (and empty the boxes below it) from the region lists already read."""
        chain = [self.province_box, self.kabkota_box, self.kecamatan_box, self.kelurahan_box]
        for box in chain[chain.index(child_box):]:
            box.blockSignals(True)
            while box.count() > 1:
                box.removeItem(1)
            box.setCurrentIndex(0)
            box.blockSignals(False)
        code = parent_box.currentData()
        if code != ALL:
            child_box.blockSignals(True)
            for child_code, name in self._regions.get(code, []):
                child_box.addItem(name, child_code)
            child_box.blockSignals(False)

    def _region_changed(self, parent_box: QComboBox, child_box: QComboBox) -> None:
        """The clerk chose a region: list its children (read off the UI thread if not yet known), then search."""
        code = parent_box.currentData()
        if code in (ALL, None) or code in self._regions:
            self._fill_children(parent_box, child_box)
            self._filter_changed()
            return

        def loaded(lists: RegionLists) -> None:
            self._regions.update(lists)
            if parent_box.currentData() == code:
                self._fill_children(parent_box, child_box)
            self._filter_changed()

        self._fill_children(parent_box, child_box)  # empty until the list arrives
        self.run_query(f"regions:{code}", load_region_lists, self.ctx.db, parents=(code,), on_done=loaded)

    def select_region(self, code: str | None) -> None:
        """Set the region pickers to a region and its parents (None: all)."""
        code = undotted(code or "")
        boxes = [self.province_box, self.kabkota_box, self.kecamatan_box, self.kelurahan_box]
        for box in boxes:
            box.blockSignals(True)
        try:
            self.province_box.setCurrentIndex(0)
            self._fill_children(self.province_box, self.kabkota_box)
            for level in range(1, level_of(code) + 1 if code else 1):
                part = code[: {1: 2, 2: 4, 3: 6, 4: 10}[level]]
                box = boxes[level - 1]
                i = box.findData(part)
                if i < 0:
                    break
                box.setCurrentIndex(i)
                if level < 4:
                    self._fill_children(box, boxes[level])
                    boxes[level].blockSignals(True)
        finally:
            for box in boxes:
                box.blockSignals(False)

    def current_filter(self) -> RegistryFilter:
        """What the clerk sees, as a RegistryFilter the reports and exports can reuse."""
        status = self.status_box.currentData()
        region = None
        for box in (self.kelurahan_box, self.kecamatan_box, self.kabkota_box, self.province_box):
            if box.currentData() not in (ALL, None):
                region = box.currentData()
                break
        rat_state = self.rat_state_box.currentData()
        f = RegistryFilter(
            text=self.search.text().strip(),
            statuses=(status,) if status not in (ALL, WITH_DISSOLVED) else (),
            include_dissolved=status == WITH_DISSOLVED,
            jenis=(self.jenis_box.currentData(),) if self.jenis_box.currentData() != ALL else (),
            pola=(self.pola_box.currentData(),) if self.pola_box.currentData() != ALL else (),
            kelompok_ids=(self.kelompok_box.currentData(),) if self.kelompok_box.currentData() != ALL else (),
            region_code=region,
            rat_book_year=self.rat_year.value() if rat_state != ALL else None,
            rat_state=rat_state if rat_state != ALL else None,
            nik_statuses=(self.cert_box.currentData(),) if self.cert_box.currentData() != ALL else (),
            merah_putih=self.mp_box.currentData() if self.mp_box.currentData() != ALL else None,
        )
        if self._extra_active:
            e = self._extra
            f = f.with_(ids=e.ids, statuses=f.statuses or e.statuses, jenis=f.jenis or e.jenis, pola=f.pola or e.pola,
                        kelompok_ids=f.kelompok_ids or e.kelompok_ids, nik_statuses=f.nik_statuses or e.nik_statuses,
                        include_dissolved=f.include_dissolved or e.include_dissolved)
        return f

    def apply_filter(self, f: RegistryFilter) -> None:
        """Show the registry filtered as another page asked (the home page, a recap cell, a report)."""
        if self._lookups is None:
            self._wanted = f  # applied when the pickers are filled
            return
        missing = tuple(p for p in parents_along(f.region_code) if p is not None and p not in self._regions)
        if missing:  # the region pickers need lists not read yet: read them off the UI thread first

            def loaded(lists: RegionLists) -> None:
                self._regions.update(lists)
                self.apply_filter(f)

            self.run_query("regions", load_region_lists, self.ctx.db, parents=missing, on_done=loaded)
            return
        self._suspend = True
        try:
            self.search.setText(f.text)

            def pick(box: QComboBox, values: tuple, default: object = ALL) -> tuple:
                i = box.findData(values[0]) if len(values) == 1 else -1
                box.setCurrentIndex(i if i >= 0 else box.findData(default))
                return values if len(values) > 1 else ()

            rest_status = pick(self.status_box, f.statuses, WITH_DISSOLVED if f.include_dissolved else ALL)
            rest_jenis = pick(self.jenis_box, f.jenis)
            rest_pola = pick(self.pola_box, f.pola)
            rest_kel = pick(self.kelompok_box, f.kelompok_ids)
            rest_nik = pick(self.cert_box, f.nik_statuses)
            self.mp_box.setCurrentIndex(self.mp_box.findData(ALL if f.merah_putih is None else f.merah_putih))
            if f.rat_state in ("held", "missing") and f.rat_book_year:
                self.rat_state_box.setCurrentIndex(self.rat_state_box.findData(f.rat_state))
                self.rat_year.setValue(f.rat_book_year)
            else:
                self.rat_state_box.setCurrentIndex(0)
            self.select_region(f.region_code)
            self._extra = RegistryFilter(ids=f.ids, statuses=rest_status, jenis=rest_jenis, pola=rest_pola,
                                         kelompok_ids=rest_kel, nik_statuses=rest_nik,
                                         include_dissolved=f.include_dissolved)
            self._extra_active = bool(f.ids is not None or rest_status or rest_jenis or rest_pola or rest_kel or rest_nik)
        finally:
            self._suspend = False
        self._show_extra()
        self.refresh()

    def _show_extra(self) -> None:
        if self._extra_active:
            parts = []
            if self._extra.ids is not None:
                parts.append(f"{format_count(len(self._extra.ids))} koperasi terpilih")
            if self._extra.statuses:
                parts.append("status " + ", ".join(STATUS.get(s, s) for s in self._extra.statuses))
            if self._extra.jenis:
                parts.append("jenis " + ", ".join(JENIS.get(s, s) for s in self._extra.jenis))
            self.extra_label.setText("Filter dari laman lain: " + "; ".join(parts or ["pilihan khusus"])
                                     + "  —  klik “Hapus filter” untuk kembali ke seluruh registri")
        self.extra_label.setVisible(self._extra_active)

    def reset_filters(self) -> None:
        """Back to the whole registry of the office's region (a kab/kota office sees its kab/kota)."""
        self.apply_filter(RegistryFilter(region_code=self._lookups.office_region if self._lookups else None))

    # -- searching ----------------------------------------------------------------------------------------------
    def _text_changed(self, text: str) -> None:
        self._t0 = time.perf_counter()
        if self._suspend:
            return
        # Three characters or more use the trigram index and answer in milliseconds; shorter ones scan, so wait.
        self._debounce.start(30 if len(text.strip()) >= 3 or not text.strip() else 250)

    def _filter_changed(self, *_args: object) -> None:
        if not self._suspend:
            self._t0 = time.perf_counter()
            self._debounce.start(0)

    def _sort(self, key: str, descending: bool) -> None:
        self._order, self._descending = key, descending
        self._t0 = time.perf_counter()
        self.refresh()

    def load(self) -> None:
        """Search again with the current text, filters and order, off the UI thread."""
        self._debounce.stop()
        if self._lookups is None:
            return  # the first search follows the pickers' lists
        self._generation += 1
        generation = self._generation
        f = self.current_filter()
        if not self._t0:
            self._t0 = time.perf_counter()
        self.count_label.setText("Mencari…")
        self.run_query("search", first_page, self.ctx.db, generation, f, self._order, self._descending, busy=False,
                       on_done=self._show_first_page, on_error=self._search_failed)

    def _show_first_page(self, result: SearchResult) -> None:
        if result.generation != self._generation:
            return  # an older search answered late
        # The count comes second, so that it never competes with the first page for the two CPU cores.
        self.run_query("count", count_matches, self.ctx.db, result.generation, result.filter, busy=False,
                       on_done=self._show_count, on_error=self._search_failed)
        selected = self.selected_id()
        self.model.set_result(result)
        if selected is not None:
            row = self.model.row_of_id(selected)
            if row >= 0:
                self.view.selectRow(row)
        if self.view.currentIndex().row() < 0 and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))
        if self._t0:
            self.last_search_ms = (time.perf_counter() - self._t0) * 1000
            self._t0 = 0.0
        self.results_shown.emit(self.model.rowCount())

    def _show_count(self, result: tuple[int, int]) -> None:
        generation, n = result
        if generation != self._generation:
            return
        self.count_label.setText(f"{format_count(n)} koperasi")
        self.count_shown.emit(n)

    def _search_failed(self, exc: BaseException) -> None:
        from kopdesk.ui.widgets.messages import error_text

        self.count_label.setText("Pencarian gagal: " + error_text(exc))

    def _data_changed(self, entity: str, ids: object) -> None:
        if entity == "office":  # the office's region may have changed
            self.run_query("lookups", load_lookups, self.ctx.db, on_done=self._lookups_loaded, busy=False)
            return
        if entity != "cooperative":
            return
        if isinstance(ids, (list, tuple)) and all(self.model.row_of_id(int(i)) >= 0 for i in ids):
            self.model.refresh_ids([int(i) for i in ids])  # a by-id fetch of rows on screen
        else:
            self.refresh_later()

    def _enter_in_search(self) -> None:
        if self._debounce.isActive():
            self.refresh()
        self.view.setFocus()

    # -- actions ------------------------------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_id(self) -> int | None:
        row = self.model.row_at(self.view.currentIndex().row())
        return row.id if row is not None else None

    def selected_ids(self) -> list[int]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [r.id for r in (self.model.row_at(i) for i in rows) if r is not None]

    def selection_filter(self) -> RegistryFilter:
        """For an export of "what I picked": the selected rows when several are selected, else the whole filter."""
        ids = self.selected_ids()
        if len(ids) > 1:
            return RegistryFilter(ids=tuple(ids), include_dissolved=True)
        return self.current_filter()

    def export_to(self, path: str | None = None) -> None:
        """Export what the clerk sees (or the selected rows) to an Excel file, off the UI thread."""
        if path is None:
            from PySide6.QtWidgets import QFileDialog

            path, _ = QFileDialog.getSaveFileName(self, "Ekspor registri ke Excel", "registri-koperasi.xlsx",
                                                  "Buku kerja Excel (*.xlsx)")
            if not path:
                return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"

        def done(n: int) -> None:
            self.export_message = f"{format_count(n)} koperasi diekspor ke {path}"
            self.window().statusBar().showMessage(self.export_message, 10000)

        def failed(exc: BaseException) -> None:
            from kopdesk.ui.widgets.messages import error_text

            self.export_message = error_text(exc)
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.warning(self, "Ekspor gagal", self.export_message)

        self.ctx.tasks.run(export_filter_file, self.ctx.db, self.selection_filter(), path, progress=True, parent=self,
                           title="Ekspor", label="Mengekspor registri…", on_done=done, on_error=failed)

    def open_current(self) -> None:
        ident = self.selected_id()
        if ident is not None:
            self.ctx.signals.open_cooperative.emit(ident)

    def new_cooperative(self) -> None:
        if self.ctx.can("registry.write"):
            self.ctx.signals.open_cooperative.emit(0)

    def save_layout(self) -> None:
        QSettings().setValue("registry/header", self.view.horizontalHeader().saveState())


def export_filter_file(db, f: RegistryFilter, path: str, progress=None, cancelled=None) -> int:  # type: ignore[no-untyped-def]
    """The registry rows of ``f`` to ``path`` (the same export as Impor dan Ekspor; runs on a worker thread)."""
    from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS
    from kopdesk.models.services.exchange import ods_export
    from kopdesk.reports.excel.registry import write_registry_export

    with db.read() as s:
        return ods_export.export_registry(s, f, path, write=write_registry_export, progress=progress or NO_PROGRESS,
                                          cancelled=cancelled or NEVER_CANCELLED)
