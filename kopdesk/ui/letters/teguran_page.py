"""Teguran: the queue of cooperatives due a warning letter, with reasons and facts; preview, issue, exempt."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QDate, QIODevice, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.formats import format_date
from kopdesk.models.services.letters import compose, teguran
from kopdesk.models.vocab import LETTER_LEVELS
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.forms import ask_form, save_action
from kopdesk.ui.widgets.messages import confirm, info, show_error
from kopdesk.ui.widgets.page import Page


def _qdate(d: dt.date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _pydate(q: QDate) -> dt.date:
    return dt.date(q.year(), q.month(), q.day())


def load_queue(db: Any, today: dt.date) -> list[teguran.DueItem]:
    """The cooperatives due a letter on ``today`` (a worker thread)."""
    with db.read() as s:
        return teguran.compute_queue(s, today=today)


def render_preview(db: Any, cooperative_id: int, letter_date: dt.date) -> bytes:
    """The letter a cooperative would get, as PDF bytes, numbered as a draft (a worker thread)."""
    from kopdesk.reports.pdf import teguran as letter_pdf

    with db.read() as s:
        return teguran.preview(s, cooperative_id, letter_pdf, letter_date=letter_date, today=letter_date)


class PdfPreview(QWidget):
    """A PDF shown inside the app (QtPdf from the pyside6-pdf wheel); bytes in, pages out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from PySide6.QtPdf import QPdfDocument
        from PySide6.QtPdfWidgets import QPdfView

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._buffer: QBuffer | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.view)

    def show_pdf(self, data: bytes) -> None:
        self.document.close()
        buf = QBuffer(self)
        buf.setData(QByteArray(data))
        buf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(buf)
        if self._buffer is not None:
            self._buffer.deleteLater()
        self._buffer = buf

    def page_count(self) -> int:
        return self.document.pageCount()


class TeguranPage(Page):
    """The queue: select, preview inside the app, issue in the background with progress and cancel.

    The queue and the preview are computed off the UI thread.

    Signals:
        queue_shown(int): the queue is in the table (how many cooperatives).
        preview_shown(int): a letter is in the preview (its cooperative).
    """

    COLS = ["", "NIK Koperasi", "Nama Koperasi", "Tingkat", "Alasan", "Pengecualian"]

    queue_shown = Signal(int)
    preview_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.items: list[teguran.DueItem] = []
        self.last_result: teguran.IssueResult | None = None

        self.date = QDateEdit(_qdate(dt.date.today()))
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("dd/MM/yyyy")
        self.level = QComboBox()
        self.level.addItem("Semua tingkat", None)
        for k, v in LETTER_LEVELS.items():
            self.level.addItem(v, k)
        self.reload_btn = QPushButton("Muat ulang")
        self.all_btn = QPushButton("Pilih semua")
        self.preview_btn = QPushButton("Pratinjau")
        self.issue_btn = QPushButton("Terbitkan…")
        self.exempt_btn = QPushButton("Kecualikan…")
        self.template_btn = QPushButton("Templat surat…")
        can_issue = ctx.can("documents.issue")
        for b in (self.issue_btn, self.exempt_btn):
            b.setEnabled(can_issue)
        self.template_btn.setVisible(ctx.can("settings.manage"))

        top = QHBoxLayout()
        top.addWidget(QLabel("Tanggal surat:"))
        top.addWidget(self.date)
        top.addWidget(self.level)
        top.addWidget(self.reload_btn)
        top.addStretch(1)
        for b in (self.all_btn, self.preview_btn, self.exempt_btn, self.issue_btn, self.template_btn):
            top.addWidget(b)

        self.table = QTableWidget(0, len(self.COLS))
        self.table.setHorizontalHeaderLabels(self.COLS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        hh = self.table.horizontalHeader()
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        hh.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.facts = QTextBrowser()
        self.preview = PdfPreview()
        self.summary = QLabel()

        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(self.facts)
        right.addWidget(self.preview)
        right.setSizes([160, 520])
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setSizes([720, 520])

        lay = QVBoxLayout(self)
        lay.addLayout(top)
        lay.addWidget(split, 1)
        lay.addWidget(self.summary)

        self.reload_btn.clicked.connect(self.reload)
        self.level.currentIndexChanged.connect(self._fill)
        self.date.dateChanged.connect(self.reload)
        self.all_btn.clicked.connect(self.select_all)
        self.preview_btn.clicked.connect(self.preview_current)
        self.issue_btn.clicked.connect(self._ask_issue)
        self.exempt_btn.clicked.connect(self._ask_exempt)
        self.template_btn.clicked.connect(self._edit_templates)
        self.table.currentCellChanged.connect(lambda *_: self._show_facts())
        self.refresh_on()  # a letter, a RAT, a visit or a cooperative can each move the queue
        self.refresh()

    # -- queue ----------------------------------------------------------------------------------------------
    def letter_date(self) -> dt.date:
        return _pydate(self.date.date())

    def reload(self) -> None:
        self.refresh()

    def load(self) -> None:
        self.run_query("queue", load_queue, self.ctx.db, self.letter_date(), on_done=self._show_queue,
                       on_error=self._queue_failed)

    def _show_queue(self, items: list[teguran.DueItem]) -> None:
        self.items = items
        self._fill()
        self.queue_shown.emit(len(items))

    def _queue_failed(self, exc: BaseException) -> None:
        self.items = []
        self._fill()
        self.show_load_error(exc)

    def visible_items(self) -> list[teguran.DueItem]:
        lvl = self.level.currentData()
        return [i for i in self.items if lvl is None or i.level == lvl]

    def _fill(self) -> None:
        rows = self.visible_items()
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            check = QTableWidgetItem()
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if not item.exempt:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            check.setFlags(flags)
            check.setCheckState(Qt.CheckState.Unchecked)
            check.setData(Qt.ItemDataRole.UserRole, item.cooperative_id)
            self.table.setItem(r, 0, check)
            exempt = f"s.d. {format_date(dt.date.fromisoformat(item.exempt['until']))}: {item.exempt['reason']}" \
                if item.exempt else ""
            for c, text in enumerate([item.nik or "-", item.name, item.level_label, "; ".join(item.reasons), exempt],
                                     start=1):
                cell = QTableWidgetItem(text)
                if item.exempt:
                    cell.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(r, c, cell)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        self.table.resizeColumnToContents(3)
        n_ex = sum(1 for i in rows if i.exempt)
        self.summary.setText(f"{len(rows)} koperasi jatuh tempo teguran, {n_ex} dikecualikan.")
        if rows:
            self.table.setCurrentCell(0, 2)
        self._show_facts()

    def current_item(self) -> teguran.DueItem | None:
        r = self.table.currentRow()
        rows = self.visible_items()
        return rows[r] if 0 <= r < len(rows) else None

    def _show_facts(self) -> None:
        item = self.current_item()
        if item is None:
            self.facts.setHtml("<i>Pilih koperasi untuk melihat alasan dan fakta.</i>")
            return
        f = item.facts
        parts = [f"<b>{item.name}</b> — {item.level_label}<br>NIK {item.nik or '-'}; {item.address}<ul>"]
        parts += [f"<li>{r}</li>" for r in item.reasons]
        parts.append("</ul>")
        if f.get("missing_years"):
            parts.append(f"Tahun buku tanpa RAT: {', '.join(str(y) for y in f['missing_years'])}<br>")
        if f.get("visit"):
            v = f["visit"]
            parts.append(f"Kunjungan terakhir {format_date(dt.date.fromisoformat(v['date']))} oleh {v['officer'] or '-'}: "
                         f"{'ditemukan' if v['found'] else 'TIDAK ditemukan'} di alamat<br>")
        if f.get("previous"):
            p = f["previous"]
            parts.append(f"Surat sebelumnya: {p['number']} ({format_date(dt.date.fromisoformat(p['date']))}), "
                         f"batas {format_date(dt.date.fromisoformat(p['due']))}<br>")
        if f.get("dissolution_ground"):
            parts.append(f"<b>Memenuhi alasan pembubaran:</b> {f['dissolution_ground']}<br>")
        if item.exempt:
            parts.append(f"<b>Dikecualikan</b> s.d. {item.exempt['until']}: {item.exempt['reason']}")
        self.facts.setHtml("".join(parts))

    def select_all(self) -> None:
        for r in range(self.table.rowCount()):
            cell = self.table.item(r, 0)
            if cell.flags() & Qt.ItemFlag.ItemIsUserCheckable:
                cell.setCheckState(Qt.CheckState.Checked)

    def checked(self) -> list[tuple[int, int]]:
        rows = self.visible_items()
        out = []
        for r in range(self.table.rowCount()):
            if self.table.item(r, 0).checkState() == Qt.CheckState.Checked:
                out.append((rows[r].cooperative_id, rows[r].level))
        return out

    # -- preview and issue ---------------------------------------------------------------------------------
    def preview_current(self) -> None:
        """Draw the selected cooperative's letter off the UI thread, then show it in the preview."""
        item = self.current_item()
        if item is None:
            return
        coop_id = item.cooperative_id

        def show(data: bytes) -> None:
            self.preview.show_pdf(data)
            self.preview_shown.emit(coop_id)

        self.run_query("preview", render_preview, self.ctx.db, coop_id, self.letter_date(), on_done=show)

    def _ask_issue(self) -> None:
        sel = self.checked()
        if not sel:
            info(self, "Centang dulu koperasi yang akan diberi surat teguran.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Simpan PDF gabungan", f"teguran-{self.letter_date().isoformat()}.pdf",
                                              "PDF (*.pdf)")
        if not path:
            return
        split = None
        if confirm(self, "Simpan juga satu PDF per koperasi?", yes="Ya, pilih folder", no="Tidak"):
            split = QFileDialog.getExistingDirectory(self, "Folder PDF per koperasi") or None
        if not confirm(self, f"Terbitkan {len(sel)} surat teguran bertanggal {format_date(self.letter_date())}? "
                             "Nomor surat diambil dari buku agenda dan tidak dapat dipakai ulang."):
            return
        self.issue_selected(path, split)

    def issue_selected(self, out_path: str, split_dir: str | None = None) -> Any:
        """Issue the checked cooperatives off the UI thread, with a progress dialog and Batal."""
        from kopdesk.reports.pdf import teguran as letter_pdf

        sel = self.checked()

        def done(result: teguran.IssueResult) -> None:
            self.last_result = result
            if result.combined_pdf:
                self.preview.show_pdf(result.combined_pdf)
            nums = [x["number"] for x in result.letters]
            text = f"{len(nums)} surat diterbitkan" + (f": {nums[0]} s.d. {nums[-1]}" if nums else "") + "."
            if result.skipped:
                text += f"\n{len(result.skipped)} dilewati (sudah diterbitkan atau dikecualikan)."
            self.summary.setText(text)
            self.ctx.signals.data_changed.emit("letter", [x["id"] for x in result.letters])

        def failed(exc: BaseException) -> None:
            show_error(self, exc)

        return self.ctx.tasks.run(teguran.issue_batch, self.ctx.db, self.ctx.actor, sel, renderer=letter_pdf,
                                  out_path=out_path, split_dir=split_dir, letter_date=self.letter_date(),
                                  today=self.letter_date(), on_done=done, on_error=failed, progress=True, parent=self,
                                  title="Menerbitkan surat teguran", label="Menyusun surat…")

    # -- exemptions and templates --------------------------------------------------------------------------
    def _ask_exempt(self) -> None:
        item = self.current_item()
        if item is None:
            return
        reason = QLineEdit()
        until = QDateEdit(_qdate(dt.date.today() + dt.timedelta(days=90)))
        until.setCalendarPopup(True)
        answer = ask_form(self, f"Kecualikan dari teguran: {item.name}", [("Alasan:", reason), ("Berlaku sampai:", until)],
                          lambda: (reason.text(), _pydate(until.date())))
        if answer is not None:
            save_action(self, lambda s: teguran.add_exemption(s, self.ctx.actor, item.cooperative_id, *answer),
                        "escalation_exemption", [item.cooperative_id])

    def _edit_templates(self) -> None:
        TemplateDialog(self.ctx, self).exec()
        self.reload()


class TemplateDialog(QDialog):
    """Administrators edit the wording of each level; named placeholders are listed and checked on save."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle("Templat surat teguran")
        self.resize(820, 640)
        self.level = QComboBox()
        for k, v in LETTER_LEVELS.items():
            self.level.addItem(v, k)
        self.edit = QPlainTextEdit()
        help_text = "Isian: " + ", ".join("{" + k + "}" for k in compose.PLACEHOLDERS) + \
            ". Baris pertama 'Hal: ...'; paragraf dipisah baris kosong; {alasan} sendirian = daftar pelanggaran."
        hint = QLabel(help_text)
        hint.setWordWrap(True)
        self.default_box = QCheckBox("Pakai teks bawaan")
        save = QPushButton("Simpan")
        close = QPushButton("Tutup")
        row = QHBoxLayout()
        row.addWidget(QLabel("Tingkat:"))
        row.addWidget(self.level)
        row.addStretch(1)
        row.addWidget(self.default_box)
        row.addWidget(save)
        row.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addLayout(row)
        lay.addWidget(self.edit, 1)
        lay.addWidget(hint)
        self.level.currentIndexChanged.connect(self.load)
        save.clicked.connect(self.save)
        close.clicked.connect(self.accept)
        self.load()

    def load(self) -> None:
        lvl = self.level.currentData()
        with self.ctx.db.read() as s:
            self.edit.setPlainText(compose.load_template(s, lvl))
        self.default_box.setChecked(False)

    def save(self) -> bool:
        lvl = self.level.currentData()
        text = "" if self.default_box.isChecked() else self.edit.toPlainText()
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                compose.save_template(s, self.ctx.actor, lvl, text)
        except Exception as exc:
            show_error(self, exc)
            return False
        self.load()
        return True
