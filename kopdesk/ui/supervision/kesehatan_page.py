"""Kesehatan page: assessment entry with the score shown as the clerk types, predikat history, list by predikat."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import or_, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import FieldError, ValidationError
from kopdesk.models.formats import format_date
from kopdesk.models.services.administration import settings
from kopdesk.models.services.registry.cooperatives import normalize_nik
from kopdesk.models.services.supervision import health
from kopdesk.models.vocab import PREDIKAT
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.messages import show_error
from kopdesk.ui.widgets.page import Page

COLORS = {"sehat": "#2e7d32", "cukup_sehat": "#1f5fa8", "dalam_pengawasan": "#ef6c00", "dalam_pengawasan_khusus": "#c62828"}


def _ro(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    return item


def load_schemes(db: Any) -> tuple[dict[str, dict[str, Any]], str]:
    """The assessment schemes and the default one (a worker thread)."""
    with db.read() as s:
        return health.schemes(s), settings.get(s, "health.default_scheme")


def find_cooperatives(db: Any, text: str) -> list[tuple[int, str, str | None]]:
    """Up to two cooperatives whose NIK is ``text`` or whose name contains it (a worker thread)."""
    nik = normalize_nik(text)
    with db.read() as s:
        q = select(Cooperative.id, Cooperative.name, Cooperative.nik).where(
            or_(Cooperative.nik == nik, Cooperative.name.ilike(f"%{text}%"))).order_by(Cooperative.name).limit(2)
        return [(int(ident), str(name), nik) for ident, name, nik in s.execute(q).all()]


def load_cooperative(db: Any, coop_id: int) -> tuple[str | None, list[health.AssessmentRow]]:
    """A cooperative's label (None when it is gone) and its predikat history (a worker thread)."""
    with db.read() as s:
        coop = s.get(Cooperative, coop_id)
        if coop is None:
            return None, []
        return f"{coop.name} — NIK {coop.nik or '-'}", health.history(s, coop_id)


def load_by_predikat(db: Any, predikat: str | None) -> list[health.AssessmentRow]:
    with db.read() as s:
        return health.latest_per_cooperative(s, predikat=predikat)


class KesehatanPage(Page):
    """Health assessments; the schemes, the lists and the cooperative's history are read off the UI thread.

    Signals:
        saved(int): an assessment was saved (its id).
        cooperative_shown(int): a cooperative and its history are shown (its id; 0 when none matched).
    """

    saved = Signal(int)
    cooperative_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.coop_id: int | None = None
        self.aspect_edits: dict[str, QLineEdit] = {}
        self.evidence_paths: list[str] = []
        self.schemes: dict[str, dict[str, Any]] = {}

        self.coop_search = QLineEdit()
        self.coop_search.setPlaceholderText("NIK atau nama koperasi, lalu Enter")
        self.coop_search.returnPressed.connect(self.find_cooperative)
        self.coop_label = QLabel("Belum ada koperasi dipilih.")
        self.scheme = QComboBox()
        self.scheme.currentIndexChanged.connect(lambda *_: self._build_aspects())
        self.period = QSpinBox()
        self.period.setRange(1990, dt.date.today().year)
        self.period.setValue(dt.date.today().year - 1)
        self.assessed_on = QDateEdit(QDate.currentDate())
        self.assessed_on.setDisplayFormat("dd/MM/yyyy")
        self.assessed_on.setCalendarPopup(True)
        self.assessor = QLineEdit()
        self.ba_number = QLineEdit()
        self.aspect_box = QGroupBox("Nilai per aspek (0–100)")
        self.aspect_form = QFormLayout(self.aspect_box)
        self.score_label = QLabel("")
        self.score_label.setStyleSheet("font-size: 16px; font-weight: 600; padding: 6px;")
        self.evidence_list = QListWidget()
        self.evidence_list.setMaximumHeight(70)
        self.add_evidence = QPushButton("Lampirkan berkas bukti…")
        self.add_evidence.clicked.connect(self.choose_evidence)
        self.save_button = QPushButton("Simpan penilaian")
        self.save_button.clicked.connect(self.save)
        self.save_button.setEnabled(ctx.can("supervision.write"))

        form = QFormLayout()
        form.addRow("Koperasi", self.coop_search)
        form.addRow("", self.coop_label)
        form.addRow("Skema", self.scheme)
        form.addRow("Periode (tahun buku)", self.period)
        form.addRow("Tanggal penilaian", self.assessed_on)
        form.addRow("Penilai", self.assessor)
        form.addRow("No. berita acara", self.ba_number)
        entry = QGroupBox("Penilaian baru")
        el = QVBoxLayout(entry)
        el.addLayout(form)
        el.addWidget(self.aspect_box)
        el.addWidget(self.score_label)
        el.addWidget(self.evidence_list)
        erow = QHBoxLayout()
        erow.addWidget(self.add_evidence)
        erow.addStretch(1)
        erow.addWidget(self.save_button)
        el.addLayout(erow)

        self.history = QTableWidget(0, 5)
        self.history.setHorizontalHeaderLabels(["Periode", "Tanggal", "Skema", "Skor", "Predikat"])
        self.history.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.history.horizontalHeader().setStretchLastSection(True)
        self.predikat_filter = QComboBox()
        self.predikat_filter.addItem("Semua predikat", None)
        for k, v in PREDIKAT.items():
            self.predikat_filter.addItem(v, k)
        self.predikat_filter.currentIndexChanged.connect(lambda *_: self.refresh_list())
        self.by_predikat = QTableWidget(0, 5)
        self.by_predikat.setHorizontalHeaderLabels(["Koperasi", "Kecamatan", "Periode", "Skor", "Predikat"])
        self.by_predikat.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.by_predikat.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.by_predikat.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        right = QVBoxLayout()
        hist_box = QGroupBox("Riwayat predikat koperasi ini")
        QVBoxLayout(hist_box).addWidget(self.history)
        list_box = QGroupBox("Koperasi menurut predikat (penilaian terakhir)")
        lb = QVBoxLayout(list_box)
        lb.addWidget(self.predikat_filter)
        lb.addWidget(self.by_predikat)
        right.addWidget(hist_box)
        right.addWidget(list_box, 2)
        layout = QHBoxLayout(self)
        layout.addWidget(entry, 1)
        layout.addLayout(right, 1)
        self._build_aspects()
        self.refresh_on("health_assessment", "cooperative")
        self.refresh()

    def load(self) -> None:
        self.run_query("schemes", load_schemes, self.ctx.db, on_done=self._show_schemes)
        self.refresh_list()

    def _show_schemes(self, result: tuple[dict[str, dict[str, Any]], str]) -> None:
        schemes, default = result
        if schemes == self.schemes:
            return  # unchanged: keep what the clerk typed
        chosen = self.scheme.currentData() or default
        self.schemes = schemes
        self.scheme.blockSignals(True)
        self.scheme.clear()
        for code, sch in schemes.items():
            self.scheme.addItem(sch.get("name", code), code)
        self.scheme.setCurrentIndex(max(0, self.scheme.findData(chosen)))
        self.scheme.blockSignals(False)
        self._build_aspects()

    # -- the live score ---------------------------------------------------------------------------------------------
    def _build_aspects(self) -> None:
        while self.aspect_form.rowCount():
            self.aspect_form.removeRow(0)
        self.aspect_edits = {}
        scheme = self.schemes.get(self.scheme.currentData())
        if scheme is None:  # the schemes are still loading
            self.update_score()
            return
        for a in scheme["aspects"]:
            edit = QLineEdit()
            edit.setPlaceholderText("0–100")
            edit.textChanged.connect(lambda *_: self.update_score())
            self.aspect_edits[a["code"]] = edit
            self.aspect_form.addRow(f"{a['name']} (bobot {a['weight']})", edit)
        self.update_score()

    def update_score(self) -> None:
        scheme = self.schemes.get(self.scheme.currentData())
        if scheme is None:
            self.score_label.setStyleSheet("font-size: 14px; color: #555; padding: 6px;")
            self.score_label.setText("Skor muncul di sini sambil nilai diketik.")
            return
        values = {k: e.text() for k, e in self.aspect_edits.items() if e.text().strip()}
        try:
            r = health.score(scheme, values, partial=True)
        except ValidationError as exc:
            self.score_label.setStyleSheet("font-size: 14px; color: #b00020; padding: 6px;")
            self.score_label.setText("; ".join(e.text() for e in exc.errors))
            return
        missing = len(self.aspect_edits) - len(values)
        if not values:
            self.score_label.setStyleSheet("font-size: 14px; color: #555; padding: 6px;")
            self.score_label.setText("Skor muncul di sini sambil nilai diketik.")
            return
        color = COLORS.get(r.predikat, "#333")
        self.score_label.setStyleSheet(f"font-size: 16px; font-weight: 600; padding: 6px; color: {color};")
        note = f" (sementara: {missing} aspek belum diisi)" if missing else ""
        self.score_label.setText(f"Skor {str(r.total).replace('.', ',')} — {r.predikat_label}{note}")

    # -- cooperative, evidence, save --------------------------------------------------------------------------------
    def find_cooperative(self) -> None:
        text = self.coop_search.text().strip()
        if not text:
            return
        self.run_query("cooperative", find_cooperatives, self.ctx.db, text, on_done=self._found)

    def _found(self, hits: list[tuple[int, str, str | None]]) -> None:
        if len(hits) != 1:
            self.coop_id = None
            self.coop_label.setText("Tidak ditemukan." if not hits else "Lebih dari satu koperasi cocok; ketik NIK.")
            self.history.setRowCount(0)
            self.cooperative_shown.emit(0)
            return
        self.select_cooperative(hits[0][0])

    def select_cooperative(self, coop_id: int) -> None:
        """Show a cooperative and its predikat history (read off the UI thread)."""
        self.run_query("cooperative", load_cooperative, self.ctx.db, coop_id,
                       on_done=lambda result: self._show_cooperative(coop_id, *result))

    def _show_cooperative(self, coop_id: int, label: str | None, rows: list[health.AssessmentRow]) -> None:
        self.coop_id = coop_id if label is not None else None
        self.coop_label.setText(label or "Tidak ditemukan.")
        self.history.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, v in enumerate([str(r.period_year), format_date(r.assessed_on), r.scheme,
                                   str(r.total_score).replace(".", ","), PREDIKAT.get(r.predikat, r.predikat)]):
                self.history.setItem(i, j, _ro(v))
        self.cooperative_shown.emit(self.coop_id or 0)

    def choose_evidence(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self, "Berkas bukti", "", "Semua berkas (*)")
        for p in paths:
            self.evidence_paths.append(p)
            self.evidence_list.addItem(p)

    def save(self) -> None:
        if self.coop_id is None:
            show_error(self, ValidationError([FieldError("cooperative", "Koperasi", "pilih dulu (ketik NIK lalu Enter)")]))
            return
        q = self.assessed_on.date()
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                a = health.record_assessment(
                    s, self.ctx.actor, self.coop_id, self.period.value(), self.scheme.currentData(),
                    {k: e.text() for k, e in self.aspect_edits.items()},
                    assessed_on=dt.date(q.year(), q.month(), q.day()), assessor=self.assessor.text(),
                    ba_number=self.ba_number.text(), evidence_paths=self.evidence_paths)
                new_id = a.id
        except Exception as exc:
            show_error(self, exc)
            return
        for e in self.aspect_edits.values():
            e.clear()
        self.evidence_paths = []
        self.evidence_list.clear()
        self.select_cooperative(self.coop_id)
        self.ctx.signals.data_changed.emit("health_assessment", [self.coop_id])
        self.refresh_list()  # now, not after the delay the signal above asked for
        self.saved.emit(new_id)

    def refresh_list(self) -> None:
        self.run_query("by_predikat", load_by_predikat, self.ctx.db, self.predikat_filter.currentData(),
                       on_done=self._show_by_predikat)

    def _show_by_predikat(self, rows: list[health.AssessmentRow]) -> None:
        self.by_predikat.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for j, v in enumerate([r.name, r.kecamatan, str(r.period_year), str(r.total_score).replace(".", ","),
                                   PREDIKAT.get(r.predikat, r.predikat)]):
                self.by_predikat.setItem(i, j, _ro(v))
