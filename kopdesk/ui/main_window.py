"""The main window: navigation to the pages, menus and shortcuts, status bar with database, user and office."""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QByteArray, QSettings, QSize, Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from kopdesk import APP_NAME, __version__
from kopdesk.models.db import Database
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.vocab import ROLES
from kopdesk.ui.context import AppContext
from kopdesk.ui.navigation import PAGES, PageEntry, page_class
from kopdesk.ui.tasks import TaskRunner

log = logging.getLogger(__name__)
REGISTRY_PAGE = ("kopdesk.ui.registry.registry_page", "RegistryPage")


# Every page has an icon from Qt's own set, so the navigation looks the same on every PC (no theme needed).
_STANDARD_ICONS = {
    "home": "SP_DirHomeIcon", "registry": "SP_FileDialogDetailedView", "pemutakhiran": "SP_FileDialogListView",
    "rat": "SP_DialogApplyButton", "kesehatan": "SP_DialogYesButton", "mail-mark-important": "SP_MessageBoxWarning",
    "x-office-address-book": "SP_FileDialogContentsView", "certificate": "SP_DialogSaveButton",
    "verify": "SP_BrowserReload", "x-office-spreadsheet": "SP_FileIcon", "document-import": "SP_ArrowDown",
    "settings": "SP_FileDialogInfoView",
}


def _icon(widget: QWidget, name: str):  # type: ignore[no-untyped-def]
    """A page's navigation icon: a file under resources/icons/<name>.png|svg, else a close standard icon."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QStyle

    try:
        from kopdesk.paths import resources_dir

        for ext in ("svg", "png"):
            path = resources_dir() / "icons" / f"{name}.{ext}"
            if name and path.exists():
                return QIcon(str(path))
    except Exception:  # a missing icon must not stop the window: Qt's own icon stands in
        log.warning("ikon %s tidak dapat dimuat", name, exc_info=True)
    standard = _STANDARD_ICONS.get(name)
    if standard is None:
        return None
    return widget.style().standardIcon(getattr(QStyle.StandardPixmap, standard))


class MainWindow(QMainWindow):
    """The application window.

    Pages come from kopdesk.ui.navigation.PAGES; each page's module is imported and the page built when it is first
    shown, so start-up pays only for the page it opens on. A page the signed-in role may not use is listed but
    disabled.

    Attributes:
        db: the open database.
        ctx: the session shared with every page.
    """

    def __init__(self, db: Database, actor: Actor | None = None, *, tasks: TaskRunner | None = None) -> None:
        super().__init__()
        self.db = db
        # Without a signed-in user (the smoke test on an empty database) the window is read-only.
        actor = actor or Actor(user_id=None, username="uji", role="pimpinan", full_name="Uji asap")
        self.ctx = AppContext(db=db, actor=actor, tasks=tasks or TaskRunner(self))
        self.forms: dict[int, QWidget] = {}
        self.setWindowTitle(f"{APP_NAME} {__version__}")
        self.resize(1360, 840)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setMinimumWidth(170)
        self.nav.setMaximumWidth(260)
        self.nav.setStyleSheet("QListWidget#navigation { font-size: 10.5pt; padding-top: 6px; }"
                               "QListWidget#navigation::item { padding: 7px 10px; }")
        self.stack = QStackedWidget()
        splitter = QSplitter()
        splitter.addWidget(self.nav)
        splitter.addWidget(self.stack)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([200, 1160])
        splitter.setChildrenCollapsible(False)
        self.setCentralWidget(splitter)
        self.splitter = splitter

        self._specs: list[tuple[str, str, PageEntry]] = []
        self._pages: dict[int, QWidget] = {}
        self._load_page_list()
        # The navigation is as wide as its longest title, so no title is cut and no scroll bar appears.
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        wanted = self.nav.sizeHintForColumn(0) + 2 * self.nav.frameWidth() + 16
        self.nav.setMinimumWidth(max(170, min(wanted, 260)))
        splitter.setSizes([self.nav.minimumWidth(), 1360 - self.nav.minimumWidth()])
        self.nav.currentRowChanged.connect(self.show_page_at)

        self._build_status_bar()
        self._build_menus()
        self.ctx.signals.open_registry.connect(self.show_registry)
        self.ctx.signals.open_cooperative.connect(self.open_cooperative)
        self.ctx.signals.database_lost.connect(lambda text: self.statusBar().showMessage(text, 15000))

        settings = QSettings()
        geometry = settings.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value("main/splitter")
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)
        start = self._index_of(REGISTRY_PAGE)
        last = settings.value("main/page")
        for i, (module, name, _cls) in enumerate(self._specs):
            if f"{module}.{name}" == last and self._enabled(i):
                start = i
        if start < 0 or not self._enabled(start):
            start = next((i for i in range(len(self._specs)) if self._enabled(i)), -1)
        if start >= 0:
            self.nav.setCurrentRow(start)

    # -- pages --------------------------------------------------------------------------------------------------
    def _load_page_list(self) -> None:
        """List every page from kopdesk.ui.navigation without importing any (a page loads when first opened)."""
        for entry in PAGES:
            item = QListWidgetItem(entry.title)
            icon = _icon(self, entry.icon_name)
            if icon is not None:
                item.setIcon(icon)
            if entry.permission and not self.ctx.can(entry.permission):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(f"Tidak tersedia untuk peran {ROLES.get(self.ctx.actor.role, self.ctx.actor.role)}")
            self.nav.addItem(item)
            placeholder = QWidget()
            self.stack.addWidget(placeholder)
            self._specs.append((entry.module, entry.name, entry))

    def _index_of(self, spec: tuple[str, str]) -> int:
        for i, (module, name, _cls) in enumerate(self._specs):
            if (module, name) == spec:
                return i
        return -1

    def _enabled(self, index: int) -> bool:
        item = self.nav.item(index)
        return item is not None and bool(item.flags() & Qt.ItemFlag.ItemIsEnabled)

    def page(self, index: int) -> QWidget | None:
        """The page at ``index``, built on first use."""
        if index in self._pages:
            return self._pages[index]
        if not 0 <= index < len(self._specs) or not self._enabled(index):
            return None
        _module, name, entry = self._specs[index]
        try:
            widget = page_class(entry)(self.ctx, None)
        except Exception as exc:
            log.exception("halaman %s gagal dibuka", name)
            widget = QLabel(f"Halaman ini tidak dapat dibuka: {exc}")
            widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
        old = self.stack.widget(index)
        self.stack.insertWidget(index, widget)
        self.stack.removeWidget(old)
        old.deleteLater()
        self._pages[index] = widget
        return widget

    def show_page_at(self, index: int) -> None:
        page = self.page(index)
        if page is None:
            return
        self.stack.setCurrentWidget(page)
        if self.nav.currentRow() != index:
            self.nav.setCurrentRow(index)

    def registry_page(self):  # type: ignore[no-untyped-def]
        index = self._index_of(REGISTRY_PAGE)
        return self.page(index) if index >= 0 else None

    def show_registry(self, f=None) -> None:  # type: ignore[no-untyped-def]
        index = self._index_of(REGISTRY_PAGE)
        page = self.page(index)
        if page is None:
            return
        self.show_page_at(index)
        if f is not None:
            page.apply_filter(f)

    def current_page(self) -> QWidget | None:
        return self.stack.currentWidget()

    # -- cooperative form ---------------------------------------------------------------------------------------
    def open_cooperative(self, coop_id: int) -> QWidget | None:
        """Open the form of a cooperative (0: a new one); an open form is brought to the front."""
        from kopdesk.ui.registry.cooperative_form import CooperativeForm

        if coop_id and coop_id in self.forms:
            form = self.forms[coop_id]
            form.show()
            form.raise_()
            form.activateWindow()
            return form
        if not coop_id and not self.ctx.can("registry.write"):
            return None
        form = CooperativeForm(self.ctx, coop_id or None, self)
        if coop_id:
            self.forms[coop_id] = form
            form.finished.connect(lambda _r, i=coop_id: self.forms.pop(i, None))
        form.show()
        return form

    # -- chrome -------------------------------------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        actor = self.ctx.actor
        self.db_label = QLabel(self.db.describe())
        self.user_label = QLabel(f"{actor.full_name or actor.username} ({ROLES.get(actor.role, actor.role)})")
        self.office_label = QLabel("")
        for w in (self.db_label, self.user_label, self.office_label):
            w.setContentsMargins(8, 0, 8, 0)
        bar.addWidget(self.db_label, 1)
        bar.addPermanentWidget(self.user_label)
        bar.addPermanentWidget(self.office_label)
        self.refresh_office()
        self.ctx.signals.data_changed.connect(lambda entity, _ids: self.refresh_office() if entity == "office" else None)

    def refresh_office(self) -> None:
        """Show the office's name in the status bar (read off the UI thread)."""

        def show(name: str) -> None:
            if shiboken6.isValid(self.office_label):  # the window may have closed meanwhile
                self.office_label.setText(name or "Profil instansi belum diisi")

        self.ctx.tasks.run(office_name, self.db, on_done=show, on_error=lambda _exc: show(""))

    def _action(self, text: str, slot, shortcut=None, *, enabled: bool = True) -> QAction:  # type: ignore[no-untyped-def]
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        action.setEnabled(enabled)
        return action

    def _build_menus(self) -> None:
        can_write = self.ctx.can("registry.write")
        m = self.menuBar()
        file_menu = m.addMenu("&Berkas")
        self.new_action = self._action("Koperasi &baru…", lambda: self.open_cooperative(0),
                                       QKeySequence.StandardKey.New, enabled=can_write)
        file_menu.addAction(self.new_action)
        file_menu.addSeparator()
        file_menu.addAction(self._action("&Keluar", self.close, QKeySequence("Ctrl+Q")))

        edit_menu = m.addMenu("&Sunting")
        self.find_action = self._action("&Cari koperasi", self.focus_search, QKeySequence.StandardKey.Find)
        edit_menu.addAction(self.find_action)
        self.open_action = self._action("&Buka koperasi terpilih", self.open_selected)
        edit_menu.addAction(self.open_action)

        view_menu = m.addMenu("&Tampilan")
        for i, (_module, _name, entry) in enumerate(self._specs):
            action = self._action(entry.title, lambda _c=False, i=i: self.show_page_at(i),
                                  QKeySequence(f"Ctrl+{i + 1}") if i < 9 else None, enabled=self._enabled(i))
            view_menu.addAction(action)
        view_menu.addSeparator()
        view_menu.addAction(self._action("&Muat ulang", self.reload_current, QKeySequence.StandardKey.Refresh))

        help_menu = m.addMenu("B&antuan")
        self.log_folder_action = self._action("Buka folder &log", self.open_log_folder)
        help_menu.addAction(self.log_folder_action)
        help_menu.addSeparator()
        help_menu.addAction(self._action("&Tentang KopDesk", self.show_about))

    def focus_search(self) -> None:
        self.show_registry()
        page = self.registry_page()
        if page is not None:
            page.focus_search()

    def open_selected(self) -> None:
        page = self.current_page()
        if hasattr(page, "open_current"):
            page.open_current()

    def reload_current(self) -> None:
        page = self.current_page()
        if hasattr(page, "refresh"):
            page.refresh()

    def open_log_folder(self) -> bool:
        """Open the log folder in the file manager, so the clerk can send the log to whoever maintains KopDesk."""
        from PySide6.QtCore import QUrl
        from PySide6.QtGui import QDesktopServices

        from kopdesk.logsetup import log_dir

        folder = log_dir()
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            return True
        QMessageBox.information(self, APP_NAME, f"Folder log tidak dapat dibuka otomatis. Letaknya:\n{folder}")
        return False

    def show_about(self) -> None:
        try:
            from kopdesk.ui.administration.about import show_about
        except ImportError:
            log.exception("dialog Tentang tidak dapat dimuat")
            QMessageBox.about(self, f"Tentang {APP_NAME}",
                              f"<b>{APP_NAME} {__version__}</b><br>Registri dan pengawasan koperasi untuk Dinas "
                              f"Koperasi.<br><br>Basis data: {self.db.describe()}")
            return
        show_about(self, self.db)

    def closeEvent(self, event: QCloseEvent) -> None:
        for form in list(self.forms.values()):
            if not form.close():
                event.ignore()
                return
        settings = QSettings()
        settings.setValue("main/geometry", self.saveGeometry())
        settings.setValue("main/splitter", self.splitter.saveState())
        current = self.nav.currentRow()
        if 0 <= current < len(self._specs):
            module, name, _cls = self._specs[current]
            settings.setValue("main/page", f"{module}.{name}")
        for page in self._pages.values():
            if hasattr(page, "save_layout"):
                page.save_layout()
        self.ctx.tasks.wait(5000)
        super().closeEvent(event)


def office_name(db: Database) -> str:
    """The office's name from its profile ("" when there is none yet); runs on a worker thread."""
    from kopdesk.models.office import OfficeProfile

    with db.read() as s:
        office = s.get(OfficeProfile, 1)
        return office.name if office is not None else ""
