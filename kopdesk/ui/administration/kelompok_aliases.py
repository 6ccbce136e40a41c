"""Pengaturan, tab «Alias kelompok»: the other names an import finds each kelompok koperasi by (administrators)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.errors import ValidationError
from kopdesk.ui.context import AppContext
from kopdesk.ui.widgets.fields import ERROR_STYLE

KELOMPOK, ALIAS = 1, 2  # what an item stands for (Qt.UserRole + 1)


def load(db: Any) -> list[Any]:
    from kopdesk.models.services.exchange import lookups

    with db.read() as s:
        return lookups.kelompok_with_aliases(s)


def add_alias(db: Any, actor: Any, kelompok_id: int, alias: str) -> str:
    from kopdesk.models.services.exchange import lookups

    with db.transaction(actor) as s:
        return lookups.add_kelompok_alias(s, actor, kelompok_id, alias).alias


def remove_alias(db: Any, actor: Any, alias_id: int) -> None:
    from kopdesk.models.services.exchange import lookups

    with db.transaction(actor) as s:
        lookups.remove_kelompok_alias(s, actor, alias_id)


class KelompokAliasesTab(QWidget):
    """Each kelompok with its aliases; add one to the chosen kelompok, remove the chosen alias.

    Attributes:
        tree: kelompok at the top level, their aliases below (item data: kind and id).
    """

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        intro = QLabel("Impor mengenali kelompok koperasi dari namanya atau dari alias di bawah (nama pendek, "
                       "singkatan), tanpa membedakan huruf besar, spasi dan tanda baca.")
        intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["Kelompok koperasi / alias"])
        self.add_button = QPushButton("Tambah alias…")
        self.remove_button = QPushButton("Hapus alias")
        self.add_button.clicked.connect(lambda: self.add())
        self.remove_button.clicked.connect(self.remove)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        row = QHBoxLayout()
        for b in (self.add_button, self.remove_button):
            row.addWidget(b)
        row.addStretch(1)
        v = QVBoxLayout(self)
        v.addWidget(intro)
        v.addWidget(self.tree, 1)
        v.addLayout(row)
        v.addWidget(self.message)
        self.refresh()

    def refresh(self) -> None:
        self.ctx.tasks.run(load, self.ctx.db, on_done=self._show, on_error=self._failed)

    def _show(self, entries: list[Any]) -> None:
        self.tree.clear()
        for e in entries:
            top = QTreeWidgetItem([e.name])
            top.setData(0, Qt.ItemDataRole.UserRole, e.id)
            top.setData(0, Qt.ItemDataRole.UserRole + 1, KELOMPOK)
            for alias_id, alias in e.aliases:
                child = QTreeWidgetItem([alias])
                child.setData(0, Qt.ItemDataRole.UserRole, alias_id)
                child.setData(0, Qt.ItemDataRole.UserRole + 1, ALIAS)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
        self.tree.expandAll()

    def _selected(self) -> tuple[int, int, QTreeWidgetItem] | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        return item.data(0, Qt.ItemDataRole.UserRole + 1), item.data(0, Qt.ItemDataRole.UserRole), item

    def add(self, alias: str | None = None) -> None:
        chosen = self._selected()
        if chosen is None:
            self._say("Pilih dulu kelompok koperasinya.", error=True)
            return
        kind, ident, item = chosen
        if kind == ALIAS:
            parent = item.parent()
            ident, item = parent.data(0, Qt.ItemDataRole.UserRole), parent
        if alias is None:
            alias, ok = QInputDialog.getText(self, "Tambah alias", f"Alias untuk «{item.text(0)}»:")
            if not ok:
                return
        self.ctx.tasks.run(add_alias, self.ctx.db, self.ctx.actor, ident, alias,
                           on_done=lambda a: self._changed(f"Alias «{a}» ditambahkan."), on_error=self._failed)

    def remove(self) -> None:
        chosen = self._selected()
        if chosen is None or chosen[0] != ALIAS:
            self._say("Pilih alias yang akan dihapus.", error=True)
            return
        _kind, ident, item = chosen
        text = item.text(0)
        self.ctx.tasks.run(remove_alias, self.ctx.db, self.ctx.actor, ident,
                           on_done=lambda _r: self._changed(f"Alias «{text}» dihapus."), on_error=self._failed)

    def _changed(self, text: str) -> None:
        self._say(text)
        self.refresh()

    def _failed(self, exc: BaseException) -> None:
        from kopdesk.ui.widgets.messages import error_text

        if isinstance(exc, ValidationError):
            self._say("\n".join(e.message for e in exc.errors), error=True)
        else:
            self._say(error_text(exc), error=True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(ERROR_STYLE if error else "color: #1e7b34;")
