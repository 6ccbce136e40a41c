"""Beranda: today's figures for the office's region, each opening the registry filtered to it."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from kopdesk.models.formats import format_count, format_date, format_percent
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.services.reporting import home
from kopdesk.models.vocab import PREDIKAT
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.figure_button import FigureButton
from kopdesk.ui.widgets.page import Page


def load_figures(db: Any) -> home.HomeFigures:
    """The home page's figures (a worker thread)."""
    with db.read() as s:
        return home.figures(s)


class HomePage(Page):
    """The home page; its figures are read off the UI thread and again shortly after the data changed.

    Signals:
        figures_shown(object): the figures are shown (HomeFigures).
    """

    figures_shown = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.figures: home.HomeFigures | None = None
        self.heading = QLabel("Beranda")
        self.heading.setStyleSheet("font-size: 20px; font-weight: 600;")
        self.sub = QLabel("")
        self.sub.setStyleSheet("color: #555;")
        self.buttons: dict[str, FigureButton] = {}

        def group(title: str, items: list[tuple[str, str, str]]) -> QGroupBox:
            box = QGroupBox(title)
            grid = QGridLayout(box)
            for i, (key, label, accent) in enumerate(items):
                b = FigureButton(label, accent=accent)
                b.clicked.connect(lambda _c=False, k=key: self.open_figure(k))
                self.buttons[key] = b
                grid.addWidget(b, i // 4, i % 4)
            return box

        self.registry_box = group("Registri", [
            ("registered", "Koperasi terdaftar", "#1f5fa8"), ("aktif", "Aktif", "#2e7d32"),
            ("tidak_aktif", "Tidak aktif", "#9e9e9e"), ("tidak_ditemukan", "Tidak ditemukan di alamat", "#c62828"),
        ])
        self.rat_box = group("Kepatuhan RAT", [
            ("rat_held", "Sudah RAT", "#2e7d32"), ("rat_missing", "Belum RAT", "#c62828"),
        ])
        self.round_box = group("Pemutakhiran terakhir", [
            ("round_checked", "Diperiksa", "#1f5fa8"), ("round_found", "Ditemukan di alamat", "#2e7d32"),
            ("round_not_found", "Tidak ditemukan", "#c62828"), ("round_active", "Menjalankan usaha", "#2e7d32"),
            ("round_moved", "Pindah alamat", "#ef6c00"), ("rounds_open", "Putaran berjalan", "#6a1b9a"),
        ])
        self.health_box = group("Penilaian kesehatan", [
            (f"pred_{k}", label, color) for (k, label), color in
            zip(PREDIKAT.items(), ("#2e7d32", "#1f5fa8", "#ef6c00", "#c62828"), strict=True)
        ])
        self.refresh_button = QPushButton("Muat ulang")
        self.refresh_button.clicked.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.sub)
        for box in (self.registry_box, self.rat_box, self.round_box, self.health_box):
            layout.addWidget(box)
        layout.addStretch(1)
        layout.addWidget(self.refresh_button)
        self.refresh_on()  # every change can move a figure
        self.refresh()

    def load(self) -> None:
        self.run_query("figures", load_figures, self.ctx.db, on_done=self.show_figures)

    def show_figures(self, f: home.HomeFigures) -> None:
        self.figures = f
        self.heading.setText(f"Beranda — {f.region_name}")
        self.sub.setText("Klik sebuah angka untuk membuka daftar koperasinya di Registri.")
        b = self.buttons
        b["registered"].set_value(format_count(f.registered))
        for key in ("aktif", "tidak_aktif", "tidak_ditemukan"):
            b[key].set_value(format_count(f.by_status.get(key, 0)))
        self.rat_box.setTitle(f"Kepatuhan RAT tahun buku {f.rat_book_year}")
        b["rat_held"].set_value(format_count(f.rat_held),
                                f"{format_percent(f.rat_pct)} % dari {format_count(f.rat_obliged)} wajib RAT")
        b["rat_missing"].set_value(format_count(f.rat_obliged - f.rat_held))
        if f.round_name:
            self.round_box.setTitle(f"Pemutakhiran terakhir: {f.round_name} (ditutup {format_date(f.round_closed_on)})")  # type: ignore[arg-type]
        for key in ("round_checked", "round_found", "round_not_found", "round_active", "round_moved", "rounds_open"):
            b[key].set_value(format_count(getattr(f, key)))
        self.health_box.setTitle("Penilaian kesehatan" + (f" periode {f.predikat_period}" if f.predikat_period else ""))
        for k in PREDIKAT:
            b[f"pred_{k}"].set_value(format_count(f.predikat.get(k, 0)))
        self.figures_shown.emit(f)

    def filter_for(self, key: str) -> RegistryFilter | None:
        """The registry filter that lists what figure ``key`` counts."""
        f = self.figures
        if f is None:
            return None
        region = f.region_code
        if key == "registered":
            return RegistryFilter(region_code=region)
        if key in ("aktif", "tidak_aktif", "tidak_ditemukan"):
            return RegistryFilter(region_code=region, statuses=(key,))
        if key == "rat_held":
            return RegistryFilter(region_code=region, rat_book_year=f.rat_book_year, rat_state="held")
        if key == "rat_missing":
            return RegistryFilter(region_code=region, statuses=("aktif",), rat_book_year=f.rat_book_year,
                                  rat_state="missing")
        if key.startswith("round_"):
            return RegistryFilter(ids=f.round_ids.get(key[6:], ()), include_dissolved=True)
        if key == "rounds_open":
            return None
        if key.startswith("pred_"):
            return RegistryFilter(ids=f.predikat_ids.get(key[5:], ()), include_dissolved=True)
        return None

    def open_figure(self, key: str) -> None:
        flt = self.filter_for(key)
        if flt is not None:
            self.ctx.show_registry(flt)
