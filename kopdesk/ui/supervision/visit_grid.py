"""The visit entry grid: one row per cooperative of a round, typed from field sheets with the keyboard only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor

from kopdesk.models.errors import DomainError
from kopdesk.models.formats import format_date, parse_date
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.vocab import STATUS

# (key, header, editable)
COLUMNS: list[tuple[str, str, bool]] = [
    ("name", "Koperasi", False),
    ("visit_date", "Tanggal", True),
    ("officer_name", "Petugas", True),
    ("found_at_address", "Ditemukan (Y/T)", True),
    ("new_address", "Alamat baru", True),
    ("business_active", "Usaha aktif (Y/T)", True),
    ("rat_held_last_year", "RAT th. lalu (Y/T)", True),
    ("contact_person", "Narahubung", True),
    ("notes", "Catatan", True),
    ("result", "Hasil", False),
    ("kecamatan", "Kecamatan", False),
    ("address", "Alamat terdaftar", False),
    ("status", "Status kini", False),
]
KEYS = [c[0] for c in COLUMNS]
BOOLS = {"found_at_address", "business_active", "rat_held_last_year"}
_YES = {"y", "ya", "1", "yes", "v", "benar"}
_NO = {"t", "tidak", "0", "n", "no", "tdk"}


@dataclass
class _Row:
    base: pm.GridRow
    values: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    saved: bool = False


class VisitGridModel(QAbstractTableModel):
    """Rows of a round; an edit is saved as soon as the row has a date and "found" (one transaction per edit).

    Signals:
        row_saved(int): a visit was saved (the cooperative id).
        row_failed(int, str): a row could not be saved; the Indonesian reason.
    """

    row_saved = Signal(int)
    row_failed = Signal(int, str)

    def __init__(self, save: Callable[[int, dict[str, Any]], None],
                 defaults: Callable[[pm.GridRow], dict[str, Any]] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._save = save
        self._defaults = defaults or (lambda row: {})
        self.rows: list[_Row] = []
        self.read_only = False

    def load(self, rows: list[pm.GridRow], *, read_only: bool = False) -> None:
        self.beginResetModel()
        self.read_only = read_only
        self.rows = []
        for r in rows:
            values = {k: getattr(r, k) for k in KEYS if k not in ("name", "kecamatan", "address", "status")}
            self.rows.append(_Row(r, values, saved=r.result is not None))
        self.endResetModel()

    # -- Qt model ---------------------------------------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return COLUMNS[section][1]
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if COLUMNS[index.column()][2] and not self.read_only:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        key = KEYS[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if key in ("name", "kecamatan", "address"):
                return getattr(row.base, key)
            if key == "status":
                return STATUS.get(row.base.status, row.base.status)
            value = row.values.get(key)
            if key == "result":
                return pm.VISIT_RESULT.get(value, "") if value else ""
            if key in BOOLS:
                return "" if value is None else ("Ya" if value else "Tidak")
            if key == "visit_date":
                if isinstance(value, dt.date):
                    return format_date(value) if role == Qt.ItemDataRole.DisplayRole else value.strftime("%d/%m/%Y")
                return value or ""
            return value or ""
        if role == Qt.ItemDataRole.BackgroundRole:
            if row.error:
                return QBrush(QColor("#fde2e2"))
            if row.saved:
                return QBrush(QColor("#e8f5e9")) if key == "result" else None
            if any(row.values.get(k) not in (None, "") for k in ("visit_date", "found_at_address")):
                return QBrush(QColor("#fff8e1"))
        if role == Qt.ItemDataRole.ToolTipRole and row.error:
            return row.error
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or not COLUMNS[index.column()][2] or self.read_only:
            return False
        row = self.rows[index.row()]
        key = KEYS[index.column()]
        text = "" if value is None else str(value).strip()
        if key in BOOLS:
            low = text.lower()
            if low in _YES:
                parsed: Any = True
            elif low in _NO:
                parsed = False
            elif not low:
                parsed = None
            else:
                self._fail(index.row(), f"{COLUMNS[index.column()][1]}: isi Y (ya) atau T (tidak)")
                return False
            row.values[key] = parsed
        elif key == "visit_date":
            try:
                row.values[key] = parse_date(text) if text else None
            except ValueError:
                self._fail(index.row(), "Tanggal: bukan tanggal yang benar (contoh: 14/10/2025)")
                return False
        else:
            row.values[key] = text or None
        for k, v in self._defaults(row.base).items():
            if row.values.get(k) in (None, ""):
                row.values[k] = v
        self._try_save(index.row())
        self.dataChanged.emit(self.index(index.row(), 0), self.index(index.row(), len(COLUMNS) - 1))
        return True

    # -- saving -----------------------------------------------------------------------------------------------------
    def _try_save(self, r: int) -> None:
        row = self.rows[r]
        if row.values.get("visit_date") is None or row.values.get("found_at_address") is None:
            row.error = ""
            return
        data = {k: row.values.get(k) for k in ("visit_date", "officer_name", "found_at_address", "new_address",
                                               "business_active", "rat_held_last_year", "contact_person", "notes")}
        try:
            self._save(row.base.cooperative_id, data)
        except DomainError as exc:
            self._fail(r, str(exc))
            return
        row.error = ""
        row.saved = True
        row.values["result"] = pm.derive_result(bool(data["found_at_address"]), data.get("new_address"),
                                                data.get("business_active"))
        self.row_saved.emit(row.base.cooperative_id)

    def _fail(self, r: int, message: str) -> None:
        self.rows[r].error = message
        self.row_failed.emit(self.rows[r].base.cooperative_id, message)
        self.dataChanged.emit(self.index(r, 0), self.index(r, len(COLUMNS) - 1))
