"""The cooperative form: every field of a cooperative in tabs, with inline validation, conflicts and history."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.errors import ConflictError, DomainError, ValidationError
from kopdesk.models.formats import format_count, format_date
from kopdesk.models.services.registry.cooperatives import FIELDS
from kopdesk.models.vocab import OFFICER_ROLES, ROLES, SEX, STATUS, STATUS_SOURCES
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.fields import ERROR_STYLE, FieldEditor

IDENTITY = ["name", "nik", "legal_number", "legal_date", "ad_amendment_number", "ad_amendment_date", "nib", "npwp"]
CLASSIFICATION = ["form", "membership_scope", "jenis", "pola", "kelompok_id", "sector_id", "business_scale",
                  "is_merah_putih"]
STATUS_FIELDS = ["status", "status_reason", "status_date", "registered_on", "nik_status", "nik_certified_on",
                 "certificate_valid_until", "grade", "grade_override"]
ADDRESS = ["address", "rt_rw", "postal_code"]
REGION_FIELDS = ["province_code", "kabkota_code", "kecamatan_code", "kelurahan_code"]
CONTACT = ["latitude", "longitude", "phone", "email", "website"]
MEMBERS = ["members_male", "members_female", "employees", "managers"]
MONEY = ["figures_year", "own_capital", "external_capital", "assets", "business_volume", "shu"]
READ_ONLY_FIELDS = {"status_date"}  # set by the service when the status changes
TAB_OF = {**dict.fromkeys(IDENTITY + CLASSIFICATION + STATUS_FIELDS + ["notes"], 0),
          **dict.fromkeys(ADDRESS + REGION_FIELDS + CONTACT, 1), **dict.fromkeys(MEMBERS + MONEY, 3)}
OFFICER_COLUMNS = ["Jabatan", "Nama", "L/P", "NIK KTP", "Telepon", "Awal jabatan", "Akhir jabatan"]


def _fmt_dt(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = value.astimezone()
    return f"{format_date(value.date())} {value:%H:%M}"


def _readonly_table(headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setHorizontalHeaderLabels(headers)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.setAlternatingRowColors(True)
    t.setWordWrap(True)
    t.horizontalHeader().setStretchLastSection(True)
    return t


def _fill(table: QTableWidget, rows: list[list[str]]) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, v in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(v))
    table.resizeColumnsToContents()
    for c in range(table.columnCount() - 1):
        table.setColumnWidth(c, max(110, min(table.columnWidth(c) + 12, 320)))


class CooperativeForm(QDialog):
    """Create or edit one cooperative.

    Attributes:
        coop_id: the cooperative, None while it is new and unsaved.
        version: the version loaded; a save sends it so that a concurrent save is detected.
        editors: field name to its editor.
    """

    def __init__(self, ctx: AppContext, coop_id: int | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.coop_id = coop_id
        self.version = 0
        self.read_only = not ctx.can("registry.write")
        self.editors: dict[str, FieldEditor] = {}
        self._loading = False
        self._original_officers: list[dict[str, Any]] = []
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setStyleSheet('QLineEdit[readOnly="true"], QPlainTextEdit[readOnly="true"] { background: #f2f2f2; color: #333; }')
        self.resize(980, 720)

        from kopdesk.models.services.registry import form_view as cooperative_view

        with ctx.db.read() as s:
            self._lookups = cooperative_view.lookups(s)

        self.header = QLabel("")
        self.header.setStyleSheet("font-size: 14pt; font-weight: 600;")
        self.subheader = QLabel("")
        self.subheader.setStyleSheet("color: #555;")
        self.banner = QLabel("")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet("background: #fff4ce; border: 1px solid #e0c060; padding: 6px; border-radius: 3px;")
        self.banner.hide()

        self.tabs = QTabWidget()
        self.tabs.addTab(self._scroll(self._identity_tab()), "Identitas")
        self.tabs.addTab(self._scroll(self._address_tab()), "Alamat")
        self.tabs.addTab(self._officers_tab(), "Pengurus dan Pengawas")
        self.tabs.addTab(self._scroll(self._figures_tab()), "Keanggotaan dan Keuangan")
        self.rat_table = _readonly_table(["Tahun buku", "Tanggal RAT", "Laporan diterima", "Kehadiran",
                                          "Berita acara", "Lap. keuangan", "LPJ", "Catatan"])
        self.tabs.addTab(self._wrap(self.rat_table, "RAT yang dilaporkan, per tahun buku. Dicatat di halaman RAT."), "RAT")
        self.visit_table = _readonly_table(["Tanggal", "Petugas", "Ditemukan di alamat", "Usaha berjalan", "Hasil",
                                            "Alamat baru", "Catatan"])
        self.tabs.addTab(self._wrap(self.visit_table, "Kunjungan lapangan (pemutakhiran data)."), "Pemutakhiran")
        self.tabs.addTab(self._history_tab(), "Riwayat")

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Simpan", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Simpan (Ctrl+S)")
        self.close_button = self.buttons.addButton("Tutup", QDialogButtonBox.ButtonRole.RejectRole)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.close)
        self.save_button.setVisible(not self.read_only)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.form_error = QLabel("")
        self.form_error.setStyleSheet(ERROR_STYLE)
        self.form_error.setWordWrap(True)
        self.form_error.hide()

        layout = QVBoxLayout(self)
        layout.addWidget(self.header)
        layout.addWidget(self.subheader)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.form_error, 1)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        for editor in self.editors.values():
            editor.edited.connect(self._edited)
        self.editors["status"].edited.connect(self._status_edited)
        if self.read_only:
            self._show_banner(f"Anda masuk sebagai {ROLES.get(ctx.actor.role, ctx.actor.role)}: data koperasi hanya "
                              "dapat dilihat, tidak dapat diubah.")
        self.load()

    # -- building -----------------------------------------------------------------------------------------------
    def _editor(self, name: str) -> FieldEditor:
        spec = FIELDS[name]
        kind = spec.kind
        choices: list[tuple[Any, str]] | None = None
        if kind == "choice":
            choices = list((spec.choices or {}).items())
            if not spec.required:
                choices.insert(0, (None, "—"))
        elif kind == "fk":
            choices = [(None, "(tidak ada)"), *list(self._lookups[name])]
        elif kind == "region":
            choices = [(None, "—")]
            kind = "choice"
        if name == "notes":
            kind = "longtext"
        editor = FieldEditor(name, "choice" if kind == "choice" else kind, choices=choices,
                             placeholder={"nik": "angka saja, misalnya 6471010020001", "rt_rw": "001/002"}.get(name, ""))
        self.editors[name] = editor
        return editor

    def _grid(self, title: str, names: list[str], columns: int = 2) -> QGroupBox:
        box = QGroupBox(title)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(10)
        grid.setVerticalSpacing(6)
        for i, name in enumerate(names):
            r, c = divmod(i, columns)
            label = QLabel(FIELDS[name].label + (" *" if FIELDS[name].required else ""))
            label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            label.setContentsMargins(0, 5, 0, 0)
            label.setMinimumWidth(175)
            grid.addWidget(label, r, c * 2)
            grid.addWidget(self._editor(name), r, c * 2 + 1)
        for c in range(columns):
            grid.setColumnStretch(c * 2 + 1, 1)
        return box

    @staticmethod
    def _scroll(widget: QWidget) -> QScrollArea:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setWidget(widget)
        area.setFrameShape(QScrollArea.Shape.NoFrame)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        return area

    @staticmethod
    def _wrap(table: QWidget, hint: str) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        label = QLabel(hint)
        label.setStyleSheet("color: #555;")
        v.addWidget(label)
        v.addWidget(table, 1)
        return w

    def _identity_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(self._grid("Identitas dan badan hukum", IDENTITY))
        v.addWidget(self._grid("Klasifikasi", CLASSIFICATION))
        v.addWidget(self._grid("Status, NIK dan sertifikat", STATUS_FIELDS))
        notes = QGroupBox("Catatan")
        nv = QVBoxLayout(notes)
        nv.addWidget(self._editor("notes"))
        v.addWidget(notes)
        v.addStretch(1)
        self.status_hint = QLabel("Status diubah: isi alasan perubahan status. Tanggal status diisi hari ini.")
        self.status_hint.setStyleSheet("color: #9a6700;")
        self.status_hint.hide()
        v.insertWidget(3, self.status_hint)
        return w

    def _address_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(self._grid("Alamat", ADDRESS, columns=1))
        v.addWidget(self._grid("Wilayah", REGION_FIELDS, columns=1))
        v.addWidget(self._grid("Lokasi dan kontak", CONTACT))
        v.addStretch(1)
        for parent, child in itertools.pairwise(REGION_FIELDS):
            box = self.editors[parent].editor
            assert isinstance(box, QComboBox)
            box.currentIndexChanged.connect(lambda _i, p=parent, c=child: self._region_changed(p, c))
        return w

    def _region_box(self, name: str) -> QComboBox:
        box = self.editors[name].editor
        assert isinstance(box, QComboBox)
        return box

    def _fill_region(self, name: str, parent_code: str | None) -> None:
        from kopdesk.models.services.registry import regions

        box = self._region_box(name)
        box.blockSignals(True)
        box.clear()
        box.addItem("—", None)
        if parent_code or name == "province_code":
            with self.ctx.db.read() as s:
                for r in regions.children(s, parent_code):
                    box.addItem(f"{r.name}", r.code)
        box.blockSignals(False)

    def _region_changed(self, parent: str, child: str) -> None:
        if self._loading:
            return
        self._fill_region(child, self._region_box(parent).currentData())
        for lower in REGION_FIELDS[REGION_FIELDS.index(child) + 1:]:
            self._fill_region(lower, None)
        self._edited()

    def _set_regions(self, values: dict[str, Any]) -> None:
        parent = None
        for name in REGION_FIELDS:
            self._fill_region(name, parent)
            code = values.get(name)
            self.editors[name].set_value(code)
            parent = code
            if not code:
                for lower in REGION_FIELDS[REGION_FIELDS.index(name) + 1:]:
                    self._fill_region(lower, None)
                    self.editors[lower].set_value(None)
                break

    def _officers_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        hint = QLabel("Pengurus, pengawas dan manajer dengan masa jabatannya. Tanggal ditulis 14/07/2024 atau "
                      "14 Juli 2024.")
        hint.setStyleSheet("color: #555;")
        v.addWidget(hint)
        self.officer_table = QTableWidget(0, len(OFFICER_COLUMNS))
        self.officer_table.setObjectName("officers")
        self.officer_table.setHorizontalHeaderLabels(OFFICER_COLUMNS)
        self.officer_table.verticalHeader().setVisible(False)
        self.officer_table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for c, width in enumerate([130, 220, 60, 150, 120, 120, 120]):
            if c != 1:
                self.officer_table.setColumnWidth(c, width)
        self.officer_table.itemChanged.connect(lambda _i: self._edited())
        v.addWidget(self.officer_table, 1)
        self.officer_error = QLabel("")
        self.officer_error.setObjectName("officers_error")
        self.officer_error.setStyleSheet(ERROR_STYLE)
        self.officer_error.setWordWrap(True)
        self.officer_error.hide()
        v.addWidget(self.officer_error)
        row = QHBoxLayout()
        self.add_officer_button = QPushButton("Tambah pengurus")
        self.remove_officer_button = QPushButton("Hapus baris terpilih")
        self.add_officer_button.clicked.connect(lambda: self._add_officer_row({"role": "ketua"}, focus=True))
        self.remove_officer_button.clicked.connect(self._remove_officer_row)
        row.addWidget(self.add_officer_button)
        row.addWidget(self.remove_officer_button)
        row.addStretch(1)
        v.addLayout(row)
        return w

    def _add_officer_row(self, o: dict[str, Any], focus: bool = False) -> None:
        t = self.officer_table
        t.blockSignals(True)
        r = t.rowCount()
        t.insertRow(r)
        role = QComboBox()
        for key, text in OFFICER_ROLES.items():
            role.addItem(text, key)
        role.setCurrentIndex(max(role.findData(o.get("role")), 0))
        role.currentIndexChanged.connect(lambda _i: self._edited())
        role.setEnabled(not self.read_only)
        t.setCellWidget(r, 0, role)
        sex = QComboBox()
        sex.addItem("—", None)
        for key in SEX:
            sex.addItem(key, key)
        sex.setCurrentIndex(max(sex.findData(o.get("sex")), 0))
        sex.currentIndexChanged.connect(lambda _i: self._edited())
        sex.setEnabled(not self.read_only)
        t.setCellWidget(r, 2, sex)
        name = QTableWidgetItem(o.get("name") or "")
        name.setData(Qt.ItemDataRole.UserRole, o.get("id"))
        t.setItem(r, 1, name)
        t.setItem(r, 3, QTableWidgetItem(o.get("citizen_nik") or ""))
        t.setItem(r, 4, QTableWidgetItem(o.get("phone") or ""))
        for c, key in ((5, "term_start"), (6, "term_end")):
            value = o.get(key)
            t.setItem(r, c, QTableWidgetItem(format_date(value) if isinstance(value, dt.date) else (value or "")))
        if self.read_only:
            for c in (1, 3, 4, 5, 6):
                item = t.item(r, c)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
        t.blockSignals(False)
        if focus:
            t.setCurrentCell(r, 1)
            t.editItem(t.item(r, 1))
            self._edited()

    def _remove_officer_row(self) -> None:
        rows = sorted({i.row() for i in self.officer_table.selectedIndexes()} | {self.officer_table.currentRow()},
                      reverse=True)
        for r in rows:
            if r >= 0:
                self.officer_table.removeRow(r)
        self._edited()

    def officers(self) -> list[dict[str, Any]]:
        """The board as entered, one dict per row (dates as typed, for the service to check)."""
        t = self.officer_table
        out = []
        for r in range(t.rowCount()):
            def text(c: int, r: int = r) -> str:
                item = t.item(r, c)
                return item.text().strip() if item is not None else ""

            role = t.cellWidget(r, 0)
            sex = t.cellWidget(r, 2)
            row = {"role": role.currentData() if isinstance(role, QComboBox) else None, "name": text(1),
                   "sex": sex.currentData() if isinstance(sex, QComboBox) else None, "citizen_nik": text(3) or None,
                   "phone": text(4) or None, "term_start": text(5) or None, "term_end": text(6) or None}
            ident = t.item(r, 1).data(Qt.ItemDataRole.UserRole) if t.item(r, 1) else None
            if ident:
                row["id"] = ident
            out.append(row)
        return out

    def _officers_changed(self) -> bool:
        def norm(rows: list[dict[str, Any]]) -> list[tuple]:
            from kopdesk.models.formats import parse_date

            out = []
            for o in rows:
                dates = []
                for key in ("term_start", "term_end"):
                    v = o.get(key)
                    try:
                        dates.append(parse_date(v))
                    except ValueError:
                        dates.append(v)
                out.append((o.get("id"), o.get("role"), o.get("name") or "", o.get("sex"), o.get("citizen_nik") or None,
                            o.get("phone") or None, *dates))
            return out

        return norm(self.officers()) != norm(self._original_officers)

    def _figures_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(self._grid("Keanggotaan dan tenaga kerja", MEMBERS))
        self.members_total = QLabel("")
        self.members_total.setStyleSheet("color: #333; padding-left: 8px;")
        v.addWidget(self.members_total)
        v.addWidget(self._grid("Keuangan (dalam Rupiah)", MONEY))
        row = self.editors["figures_year"].layout().itemAt(0).layout()  # line up with the "Rp" of the money fields
        row.insertSpacing(0, self.editors["own_capital"].layout().itemAt(0).layout().itemAt(0).widget().sizeHint().width()
                          + row.spacing())
        v.addStretch(1)
        for name in ("members_male", "members_female"):
            self.editors[name].edited.connect(self._update_total)
        return w

    def _update_total(self) -> None:
        total = 0
        for name in ("members_male", "members_female"):
            value = self.editors[name].comparable()
            total += value if isinstance(value, int) else 0
        self.members_total.setText(f"Jumlah anggota: {format_count(total)} orang")

    def _history_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        v.addWidget(QLabel("<b>Perubahan status</b>"))
        self.status_table = _readonly_table(["Berlaku", "Perubahan", "Alasan", "Oleh", "Dicatat"])
        self.status_table.setMaximumHeight(170)
        v.addWidget(self.status_table)
        v.addWidget(QLabel("<b>Semua perubahan data</b> (terbaru di atas)"))
        self.history_table = _readonly_table(["Waktu", "Oleh", "Data", "Dari", "Menjadi"])
        self.history_table.setObjectName("history")
        v.addWidget(self.history_table, 1)
        return w

    # -- loading ------------------------------------------------------------------------------------------------
    def load(self) -> None:
        """Read the cooperative (or the defaults of a new one) into the form."""
        from kopdesk.models.services.registry import form_view as cooperative_view
        from kopdesk.models.services.registry.cooperatives import DEFAULTS

        self._loading = True
        try:
            if self.coop_id is None:
                values = {name: DEFAULTS.get(name) for name in FIELDS}
                data = cooperative_view.FormData(None, 0, values)
                office_region = self._office_region()
                if office_region:
                    from kopdesk.models.services.registry import regions

                    with self.ctx.db.read() as s:
                        chain = regions.chain(s, office_region)
                    for level, field in enumerate(REGION_FIELDS, start=1):
                        if level in chain:
                            values[field] = chain[level].code
            else:
                with self.ctx.db.read() as s:
                    data = cooperative_view.load(s, self.coop_id, self.ctx.actor)
                    history = cooperative_view.history_rows(s, self.coop_id, actor=self.ctx.actor)
            self.version = data.version
            for name, editor in self.editors.items():
                if name not in REGION_FIELDS:
                    editor.set_value(data.values.get(name))
                editor.set_error(None)
                editor.set_read_only(self.read_only or name in READ_ONLY_FIELDS)
            self._set_regions(data.values)
            self.officer_table.setRowCount(0)
            for o in data.officers:
                self._add_officer_row(o)
            self._original_officers = self.officers()
            self.officer_error.hide()
            for b in (self.add_officer_button, self.remove_officer_button):
                b.setEnabled(not self.read_only)
            self._fill_lists(data, history if self.coop_id is not None else [])
            self._update_total()
            self.status_hint.hide()
            self.form_error.hide()
        finally:
            self._loading = False
        self._update_title()

    def _office_region(self) -> str | None:
        from kopdesk.models.office import OfficeProfile

        with self.ctx.db.read() as s:
            office = s.get(OfficeProfile, 1)
            return office.region_code if office is not None else None

    def _fill_lists(self, data: Any, history: list[Any]) -> None:
        from kopdesk.models.services.registry.form_view import VISIT_RESULTS

        yes = {True: "Ya", False: "Tidak", None: "—"}
        _fill(self.rat_table, [[str(r["book_year"]), format_date(r["rat_date"]) or "—",
                                format_date(r["report_received_date"]) or "—",
                                format_count(r["attendance"]) if r["attendance"] is not None else "—",
                                yes[r["has_minutes"]], yes[r["has_financials"]], yes[r["has_lpj"]], r["notes"] or ""]
                               for r in data.rat])
        _fill(self.visit_table, [[format_date(v["visit_date"]), v["officer_name"] or "", yes[v["found_at_address"]],
                                  yes[v["business_active"]], VISIT_RESULTS.get(v["result"], v["result"]),
                                  v["new_address"] or "", v["notes"] or ""] for v in data.visits])
        _fill(self.status_table, [[format_date(c["effective_date"]),
                                   f"{STATUS.get(c['from'], c['from']) if c['from'] else 'Terdaftar'} → "
                                   f"{STATUS.get(c['to'], c['to'])}",
                                   (c["reason"] or "") + f" ({STATUS_SOURCES.get(c['source'], c['source'])})",
                                   c["username"] or "", _fmt_dt(c["changed_at"])] for c in data.status_changes])
        _fill(self.history_table, [[_fmt_dt(h.at), h.username, h.what, h.old, h.new] for h in history])

    def _update_title(self) -> None:
        name = self.editors["name"].raw() or "Koperasi baru"
        dirty = "● " if self.is_dirty() else ""
        self.setWindowTitle(f"{dirty}{name} — KopDesk")
        self.header.setText(name if self.coop_id is not None else "Koperasi baru")
        if self.coop_id is not None:
            nik = self.editors["nik"].raw()
            status = STATUS.get(self.editors["status"].raw(), "")
            self.subheader.setText(" · ".join(p for p in (f"NIK {nik}" if nik else "Belum ada NIK", status,
                                                          f"versi {self.version}") if p))
        else:
            self.subheader.setText("Isi data yang ditandai * lalu simpan.")

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    # -- editing ------------------------------------------------------------------------------------------------
    def _edited(self) -> None:
        if not self._loading:
            self._update_title()

    def _status_edited(self) -> None:
        if not self._loading:
            self.status_hint.setVisible(self.editors["status"].changed())

    def changes(self) -> dict[str, Any]:
        """The fields the clerk changed, as entered (a new cooperative: every field with a value)."""
        out: dict[str, Any] = {}
        for name, editor in self.editors.items():
            if name in READ_ONLY_FIELDS:
                continue
            if self.coop_id is None:
                value = editor.raw()
                if value not in (None, "") and (value is not False or name in ("is_merah_putih", "grade_override")):
                    out[name] = value
            elif editor.changed():
                out[name] = editor.raw()
        if self.coop_id is not None and any(n in out for n in REGION_FIELDS):
            for n in REGION_FIELDS:
                out[n] = self.editors[n].raw()
        return out

    def is_dirty(self) -> bool:
        if self.read_only:
            return False
        if self.coop_id is None:
            return bool({k for k in self.changes() if k not in ("form", "membership_scope", "pola", "status",
                                                                 "nik_status", "is_merah_putih", "grade_override",
                                                                 *REGION_FIELDS)}) or bool(self.officers())
        return bool(self.changes()) or self._officers_changed()

    def clear_errors(self) -> None:
        for editor in self.editors.values():
            editor.set_error(None)
        self.officer_error.hide()
        self.form_error.hide()

    def show_validation(self, exc: ValidationError) -> None:
        """Each message under its field; the first field's tab comes to the front."""
        self.clear_errors()
        first_tab = None
        other: list[str] = []
        officer_lines: list[str] = []
        by_field: dict[str, list[str]] = {}
        for e in exc.errors:
            if e.field in self.editors:
                by_field.setdefault(e.field, []).append(e.message)
                first_tab = TAB_OF.get(e.field, 0) if first_tab is None else first_tab
            elif e.field == "officers":
                officer_lines.append(e.text())
                first_tab = 2 if first_tab is None else first_tab
            else:
                other.append(e.text())
        for name, messages in by_field.items():
            self.editors[name].set_error("; ".join(messages))
        if officer_lines:
            self.officer_error.setText("\n".join(officer_lines))
            self.officer_error.show()
        n = len(exc.errors)
        self.form_error.setText(f"Belum disimpan: {n} isian perlu diperbaiki (lihat pesan merah)."
                                + ("\n" + "\n".join(other) if other else ""))
        self.form_error.show()
        if first_tab is not None:
            self.tabs.setCurrentIndex(first_tab)
        first = next(iter(by_field), None)
        if first is not None:
            self.editors[first].editor.setFocus()

    def save(self, *, expected_version: int | None = None) -> bool:
        """Validate and save through the registry service; True when saved."""
        if self.read_only:
            return False
        from kopdesk.models.services.registry import cooperatives as registry

        changes = self.changes()
        officers = self.officers() if (self.coop_id is None or self._officers_changed()) else None
        if self.coop_id is not None and not changes and officers is None:
            self.close_button.setFocus()
            return True
        status_reason = changes.get("status_reason") or self.editors["status_reason"].raw() or None
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                if self.coop_id is None:
                    coop, warnings = registry.create_cooperative(s, self.ctx.actor, changes, officers=officers)
                else:
                    coop, warnings = registry.update_cooperative(
                        s, self.ctx.actor, self.coop_id, expected_version or self.version, dict(changes),
                        officers=officers, status_reason=status_reason)
                coop_id = coop.id
        except ValidationError as exc:
            self.show_validation(exc)
            return False
        except ConflictError as exc:
            return self._resolve_conflict(exc)
        except DomainError as exc:
            self.clear_errors()
            self.form_error.setText(str(exc))
            self.form_error.show()
            return False
        except Exception as exc:
            from kopdesk.logsetup import log_exception
            from kopdesk.ui.widgets.messages import error_text

            log_exception(exc, "data koperasi gagal disimpan")
            self.form_error.setText(error_text(exc))
            self.form_error.show()
            return False
        created = self.coop_id is None
        self.coop_id = coop_id
        parent = self.parent()
        if created and parent is not None and hasattr(parent, "forms"):
            parent.forms[coop_id] = self
        self.load()
        if warnings:
            self._show_banner("Tersimpan, dengan catatan: " + "; ".join(w.text() for w in warnings))
        self.ctx.signals.data_changed.emit("cooperative", [coop_id])
        return True

    # -- conflicts ----------------------------------------------------------------------------------------------
    def ask_conflict(self, exc: ConflictError) -> str:
        """Ask the clerk what to do; returns "reload", "keep" or "cancel"."""
        dialog = ConflictDialog(exc, self)
        dialog.exec()
        return dialog.choice

    def _resolve_conflict(self, exc: ConflictError) -> bool:
        choice = self.ask_conflict(exc)
        if choice == "reload":
            self.load()
            self._show_banner("Data dimuat ulang dengan perubahan terbaru; perubahan Anda dibuang.")
            return False
        if choice == "keep":
            from kopdesk.models.services.registry import form_view as cooperative_view

            try:
                with self.ctx.db.read() as s:
                    latest = cooperative_view.current_version(s, self.coop_id)  # type: ignore[arg-type]
            except DomainError as err:
                self.form_error.setText(str(err))
                self.form_error.show()
                return False
            return self.save(expected_version=latest)
        return False

    # -- closing ------------------------------------------------------------------------------------------------
    def ask_unsaved(self) -> str:
        """"save", "discard" or "cancel" for a form with unsaved changes."""
        box = QMessageBox(QMessageBox.Icon.Question, "Perubahan belum disimpan",
                          "Data koperasi ini berubah dan belum disimpan. Simpan sekarang?", parent=self)
        save = box.addButton("Simpan", QMessageBox.ButtonRole.AcceptRole)
        discard = box.addButton("Buang perubahan", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton("Batal", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(save)
        box.exec()
        return "save" if box.clickedButton() is save else "discard" if box.clickedButton() is discard else "cancel"

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_dirty():
            answer = self.ask_unsaved()
            if answer == "cancel" or (answer == "save" and not self.save()):
                event.ignore()
                return
        self._loading = True  # nothing is dirty any more
        event.accept()
        self.done(0)

    def reject(self) -> None:  # Esc
        self.close()


class ConflictDialog(QDialog):
    """Someone saved first: what they changed, and the clerk's choice (reload theirs or keep mine knowingly)."""

    def __init__(self, exc: ConflictError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choice = "cancel"
        self.setWindowTitle("Data sudah diubah pengguna lain")
        self.resize(680, 380)
        v = QVBoxLayout(self)
        text = QLabel(str(exc))
        text.setWordWrap(True)
        v.addWidget(text)
        table = _readonly_table(["Waktu", "Oleh", "Data", "Dari", "Menjadi"])
        from kopdesk.models.services.registry.form_view import display_value

        rows = []
        for c in exc.changes:
            rows.append([_fmt_dt(c.at), c.by, c.label, _plain(c.field, c.old, display_value), _plain(c.field, c.new, display_value)])
        _fill(table, rows)
        v.addWidget(table, 1)
        v.addWidget(QLabel("Muat ulang untuk melihat data terbaru (perubahan Anda dibuang), atau simpan perubahan "
                           "Anda di atas data mereka untuk isian yang Anda ubah."))
        buttons = QDialogButtonBox()
        reload = buttons.addButton("Muat ulang data terbaru", QDialogButtonBox.ButtonRole.AcceptRole)
        keep = buttons.addButton("Tetap simpan perubahan saya", QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton("Batal", QDialogButtonBox.ButtonRole.RejectRole)
        reload.clicked.connect(lambda: self._choose("reload"))
        keep.clicked.connect(lambda: self._choose("keep"))
        buttons.rejected.connect(self.reject)
        v.addWidget(buttons)

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def _plain(field: str, value: Any, display_value: Any) -> str:
    if value is None:
        return "(kosong)"
    text = str(value)
    if field in FIELDS:
        spec = FIELDS[field]
        if spec.choices:
            return spec.choices.get(text, text)
        if spec.kind in ("date", "past_date") and len(text) >= 10:
            try:
                return format_date(dt.date.fromisoformat(text[:10]))
            except ValueError:
                return text
        if spec.kind in ("money", "signed_money"):
            from kopdesk.models.formats import format_rupiah

            try:
                return format_rupiah(int(text))
            except ValueError:
                return text
    return text


__all__ = ["ConflictDialog", "CooperativeForm", "QFormLayout"]
