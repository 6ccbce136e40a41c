"""The registry table model: ids and rows from SQL, one page at a time, never the whole registry in memory.

The page runs the first query off the UI thread (see kopdesk.ui.registry.registry_page) and hands the first page to
:meth:`RegistryModel.set_result`; scrolling asks :meth:`fetchMore` for the next page of ids
(kopdesk.models.queries.search_ids) and their rows (rows_for_ids), 200 rows each, a few milliseconds apiece.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from kopdesk.models import queries
from kopdesk.models.db import Database
from kopdesk.models.formats import format_count, format_date
from kopdesk.models.queries import RegistryFilter, RegistryRow
from kopdesk.models.vocab import JENIS, NIK_STATUS, POLA, STATUS

PAGE_SIZE = 200
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    key: str          # the sort key of kopdesk.models.queries.SORT_COLUMNS
    title: str
    width: int


COLUMNS: list[Column] = [
    Column("name", "Nama koperasi", 280),
    Column("nik", "NIK Koperasi", 130),
    Column("legal_number", "Nomor badan hukum", 170),
    Column("legal_date", "Tgl. badan hukum", 145),
    Column("jenis", "Jenis", 110),
    Column("pola", "Pola", 100),
    Column("status", "Status", 180),
    Column("kabkota", "Kabupaten/Kota", 150),
    Column("kecamatan", "Kecamatan", 130),
    Column("kelurahan", "Kelurahan/Desa", 140),
    Column("address", "Alamat", 240),
    Column("members", "Anggota", 80),
    Column("nik_status", "Sertifikat NIK", 150),
]
_STATUS_COLOURS = {"tidak_aktif": "#9a6700", "tidak_ditemukan": "#b3261e", "proses_pembubaran": "#b3261e",
                   "dibubarkan": "#6b6b6b"}


@dataclass(frozen=True)
class SearchResult:
    """The first page of a search, computed off the UI thread."""

    generation: int
    filter: RegistryFilter
    order: str
    descending: bool
    rows: list[RegistryRow]


def first_page(db: Database, generation: int, f: RegistryFilter, order: str, descending: bool) -> SearchResult:
    """Run on a worker thread: the first page of ids and rows."""
    with db.read() as s:
        ids = queries.search_ids(s, f, order=order, descending=descending, limit=PAGE_SIZE)
        rows = queries.rows_for_ids(s, ids)
    return SearchResult(generation, f, order, descending, rows)


def count_matches(db: Database, generation: int, f: RegistryFilter) -> tuple[int, int]:
    with db.read() as s:
        return generation, queries.count(s, f)


class RegistryModel(QAbstractTableModel):
    """Rows of the registry for the current filter and order, appended page by page.

    Signals:
        sort_requested(str, bool): the view asked for another order (sort key, descending); the page re-queries.
    """

    sort_requested = Signal(str, bool)

    def __init__(self, db: Database, parent=None) -> None:  # type: ignore[no-untyped-def]
        super().__init__(parent)
        self.db = db
        self.rows: list[RegistryRow] = []
        self.filter = RegistryFilter()
        self.order = "name"
        self.descending = False
        self._done = True
        # True once a row was re-read in place: it may have moved in the order or left the filter, so the loaded
        # rows no longer hold exactly the first len(rows) places and the next page cannot start at that offset.
        self._shifted = False

    # -- data ---------------------------------------------------------------------------------------------------
    def set_result(self, result: SearchResult) -> None:
        self.beginResetModel()
        self.filter, self.order, self.descending = result.filter, result.order, result.descending
        self.rows = list(result.rows)
        self._done = len(result.rows) < PAGE_SIZE
        self._shifted = False
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._done

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._done:
            return
        with self.db.read() as s:
            if self._shifted:
                # Read the ids from the top and add those not shown yet: nothing skipped, nothing shown twice.
                limit = len(self.rows) + PAGE_SIZE
                window = queries.search_ids(s, self.filter, order=self.order, descending=self.descending, limit=limit)
                shown = {r.id for r in self.rows}
                ids = [i for i in window if i not in shown]
                self._done = len(window) < limit
            else:
                ids = queries.search_ids(s, self.filter, order=self.order, descending=self.descending,
                                         limit=PAGE_SIZE, offset=len(self.rows))
                self._done = len(ids) < PAGE_SIZE
            page = queries.rows_for_ids(s, ids)
        if page:
            start = len(self.rows)
            self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
            self.rows.extend(page)
            self.endInsertRows()

    def row_at(self, row: int) -> RegistryRow | None:
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def row_of_id(self, coop_id: int) -> int:
        for i, r in enumerate(self.rows):
            if r.id == coop_id:
                return i
        return -1

    def refresh_ids(self, ids: list[int]) -> None:
        """Re-read some rows in place after a save (they stay where they are until the next search; the pages
        fetched after this neither skip nor repeat a cooperative because of them)."""
        wanted = {i for i in ids if self.row_of_id(i) >= 0}
        if not wanted:
            return
        self._shifted = True
        with self.db.read() as s:
            fresh = {r.id: r for r in queries.rows_for_ids(s, list(wanted))}
        for i, r in enumerate(self.rows):
            if r.id in fresh:
                self.rows[i] = fresh[r.id]
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUMNS) - 1))

    # -- Qt model API -------------------------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].title
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if not index.isValid():
            return None
        r = self.rows[index.row()]
        key = COLUMNS[index.column()].key
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(r, key)
        if role == Qt.ItemDataRole.ToolTipRole and key in ("name", "address"):
            return f"{r.name}\n{r.address}, {r.kelurahan}, {r.kecamatan}, {r.kabkota}"
        if role == Qt.ItemDataRole.TextAlignmentRole and key == "members":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and key == "status" and r.status in _STATUS_COLOURS:
            return QBrush(QColor(_STATUS_COLOURS[r.status]))
        if role == Qt.ItemDataRole.UserRole:
            return r.id
        return None

    @staticmethod
    def display(r: RegistryRow, key: str) -> str:
        if key == "name":
            return r.name + ("  · Merah Putih" if r.is_merah_putih else "")
        if key == "nik":
            return r.nik or ""
        if key == "legal_number":
            return r.legal_number or ""
        if key == "legal_date":
            return format_date(r.legal_date)
        if key == "jenis":
            return JENIS.get(r.jenis, r.jenis)
        if key == "pola":
            return POLA.get(r.pola, r.pola)
        if key == "status":
            return STATUS.get(r.status, r.status)
        if key == "members":
            return format_count(r.members)
        if key == "nik_status":
            return NIK_STATUS.get(r.nik_status, r.nik_status)
        return str(getattr(r, key) or "")

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(COLUMNS):
            self.sort_requested.emit(COLUMNS[column].key, order == Qt.SortOrder.DescendingOrder)
