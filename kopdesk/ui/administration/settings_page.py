"""Settings (administrators): the office profile and the user accounts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kopdesk.models.errors import DomainError, ValidationError
from kopdesk.models.formats import format_date
from kopdesk.models.vocab import ROLES
from kopdesk.ui.administration.kelompok_aliases import KelompokAliasesTab
from kopdesk.ui.context import AppContext
from kopdesk.ui.registry.region_lists import RegionLists, load_region_lists
from kopdesk.ui.widgets.fields import ERROR_STYLE
from kopdesk.ui.widgets.page import Page

LETTERHEAD = ["government", "name", "address", "city", "postal_code", "phone", "email", "website", "unit_code"]
SIGNATORY = ["signatory_name", "signatory_title", "signatory_rank", "signatory_nip"]


def load_profile(db: Any, actor: Any) -> tuple[dict[str, Any], RegionLists, list[Any]]:
    """The office profile (created when a database lacks it), the provinces and kab/kota, and the accounts
    (a worker thread)."""
    from kopdesk.models.services.administration import office

    with db.transaction(actor) as s:
        values = office.profile_values(s)
    with db.read() as s:
        users = office.list_users(s, actor)
    return values, load_region_lists(db), users


def load_users(db: Any, actor: Any) -> list[Any]:
    from kopdesk.models.services.administration import office

    with db.read() as s:
        return office.list_users(s, actor)


class SettingsPage(Page):
    """The office profile and users; only administrators open it (the services refuse everyone else too).

    The profile, the region lists and the accounts are read off the UI thread.

    Signals:
        profile_shown(): the profile is in the form.
        users_shown(int): the accounts are in the table (how many).
    """

    profile_shown = Signal()
    users_shown = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self._regions: RegionLists = {}
        self.version = 0
        self.logo_path: str | None = None
        self.remove_logo = False
        self.edits: dict[str, QLineEdit] = {}
        self.errors: dict[str, QLabel] = {}
        tabs = QTabWidget()
        tabs.addTab(self._profile_tab(), "Profil instansi")
        tabs.addTab(self._users_tab(), "Pengguna")
        tabs.addTab(self._backup_tab(), "Cadangan")
        tabs.addTab(KelompokAliasesTab(ctx), "Alias kelompok")
        self.tabs = tabs
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        title = QLabel("Pengaturan")
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        layout.addWidget(title)
        layout.addWidget(tabs, 1)
        self.refresh()

    # -- office profile -----------------------------------------------------------------------------------------
    def _field(self, form: QFormLayout, name: str) -> None:
        from kopdesk.models.services.administration.office import PROFILE_FIELDS

        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setMaxLength(PROFILE_FIELDS[name][1] + (8 if name == "signatory_nip" else 0))  # NIPs are written with spaces
        error = QLabel("")
        error.setStyleSheet(ERROR_STYLE)
        error.hide()
        box = QWidget()
        v = QVBoxLayout(box)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(2)
        v.addWidget(edit)
        v.addWidget(error)
        form.addRow(PROFILE_FIELDS[name][0], box)
        self.edits[name], self.errors[name] = edit, error

    def _profile_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        head = QGroupBox("Kop surat dan kontak")
        f1 = QFormLayout(head)
        for name in LETTERHEAD:
            self._field(f1, name)
        sign = QGroupBox("Penanda tangan")
        f2 = QFormLayout(sign)
        for name in SIGNATORY:
            self._field(f2, name)
        region = QGroupBox("Wilayah yang dibina dan logo")
        f3 = QFormLayout(region)
        self.province = QComboBox()
        self.kabkota = QComboBox()
        self.province.currentIndexChanged.connect(self._province_changed)
        f3.addRow("Provinsi", self.province)
        f3.addRow("Kabupaten/Kota", self.kabkota)
        self.errors["region_code"] = QLabel("")
        self.errors["region_code"].setStyleSheet(ERROR_STYLE)
        self.errors["region_code"].hide()
        f3.addRow("", self.errors["region_code"])
        logo_row = QHBoxLayout()
        self.logo_label = QLabel("")
        choose = QPushButton("Pilih logo…")
        choose.clicked.connect(self._choose_logo)
        clear = QPushButton("Hapus logo")
        clear.clicked.connect(self._clear_logo)
        logo_row.addWidget(self.logo_label, 1)
        logo_row.addWidget(choose)
        logo_row.addWidget(clear)
        f3.addRow("Logo", logo_row)
        self.errors["logo"] = QLabel("")
        self.errors["logo"].setStyleSheet(ERROR_STYLE)
        self.errors["logo"].hide()
        f3.addRow("", self.errors["logo"])
        cols = QHBoxLayout()
        left = QVBoxLayout()
        left.addWidget(head)
        right = QVBoxLayout()
        right.addWidget(sign)
        right.addWidget(region)
        right.addStretch(1)
        cols.addLayout(left, 1)
        cols.addLayout(right, 1)
        v.addLayout(cols)
        row = QHBoxLayout()
        self.profile_message = QLabel("")
        self.profile_message.setWordWrap(True)
        self.save_profile_button = QPushButton("Simpan profil")
        self.save_profile_button.clicked.connect(self.save_profile)
        row.addWidget(self.profile_message, 1)
        row.addWidget(self.save_profile_button)
        v.addLayout(row)
        v.addStretch(1)
        return w

    def _province_changed(self) -> None:
        self.kabkota.clear()
        self.kabkota.addItem("(seluruh provinsi)", None)
        code = self.province.currentData()
        if code:
            for child, name in self._regions.get(code, []):  # every kab/kota was read with the profile
                self.kabkota.addItem(name, child)

    def _choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Pilih logo instansi", "", "Gambar (*.png *.jpg *.jpeg)")
        if path:
            self.set_logo(path)

    def set_logo(self, path: str) -> None:
        self.logo_path, self.remove_logo = path, False
        from pathlib import Path

        self.logo_label.setText(f"{Path(path).name} (belum disimpan)")

    def _clear_logo(self) -> None:
        self.logo_path, self.remove_logo = None, True
        self.logo_label.setText("(tanpa logo — belum disimpan)")

    def region_code(self) -> str | None:
        return self.kabkota.currentData() or self.province.currentData()

    def load(self) -> None:
        self.run_query("profile", load_profile, self.ctx.db, self.ctx.actor, on_done=self._show_profile)

    def _show_profile(self, result: tuple[dict[str, Any], RegionLists, list[Any]]) -> None:
        values, self._regions, users = result
        for name, edit in self.edits.items():
            edit.setText(values.get(name) or "")
        self.version = values["version"]
        self.logo_path, self.remove_logo = None, False
        self.logo_label.setText(values["logo_name"] or ("(logo tersimpan)" if values["has_logo"] else "(tanpa logo)"))
        self.province.blockSignals(True)
        self.province.clear()
        self.province.addItem("(pilih provinsi)", None)
        for code_, name in self._regions.get(None, []):
            self.province.addItem(name, code_)
        code = values.get("region_code") or ""
        self.province.setCurrentIndex(max(self.province.findData(code[:2]), 0))
        self.province.blockSignals(False)
        self._province_changed()
        if len(code) >= 4:
            self.kabkota.setCurrentIndex(max(self.kabkota.findData(code[:4]), 0))
        for label in self.errors.values():
            label.hide()
        self._show_users(users)
        self.profile_shown.emit()

    def save_profile(self) -> bool:
        from kopdesk.models.services.administration import office

        changes: dict[str, Any] = {name: edit.text() for name, edit in self.edits.items()}
        changes["region_code"] = self.region_code()
        for label in self.errors.values():
            label.hide()
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                office.update_profile(s, self.ctx.actor, self.version, changes, logo_path=self.logo_path,
                                      remove_logo=self.remove_logo)
        except ValidationError as exc:
            for e in exc.errors:
                if e.field in self.errors:
                    self.errors[e.field].setText(e.message)
                    self.errors[e.field].show()
            self.profile_message.setText("Belum disimpan: periksa isian yang ditandai merah.")
            self.profile_message.setStyleSheet(ERROR_STYLE)
            return False
        except DomainError as exc:
            self.profile_message.setText(str(exc))
            self.profile_message.setStyleSheet(ERROR_STYLE)
            return False
        self.refresh()
        self.profile_message.setText("Profil instansi tersimpan.")
        self.profile_message.setStyleSheet("color: #1e7b34;")
        self.ctx.signals.data_changed.emit("office", None)
        return True

    # -- backups ----------------------------------------------------------------------------------------------------
    def _backup_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        if not self.ctx.db.is_sqlite:
            hint = QLabel("Basis data ini berada di server PostgreSQL. Cadangannya dibuat oleh administrator server "
                          "dengan pg_dump, misalnya setiap malam:\n\n  pg_dump -Fc -f kopdesk-$(date +%F).dump kopdesk"
                          "\n\ndan dipulihkan dengan pg_restore.")
            hint.setWordWrap(True)
            hint.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            v.addWidget(hint)
            v.addStretch(1)
            self.backup_list = None
            return w
        hint = QLabel("KopDesk mencadangkan basis data sekali sehari saat dibuka; 14 cadangan terakhir disimpan di "
                      "folder cadangan. Memulihkan mengganti seluruh data dengan isi cadangan (basis data saat ini "
                      "dicadangkan dahulu).")
        hint.setWordWrap(True)
        v.addWidget(hint)
        self.backup_list = QTableWidget(0, 2)
        self.backup_list.setHorizontalHeaderLabels(["Cadangan", "Ukuran"])
        self.backup_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.backup_list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.backup_list.verticalHeader().setVisible(False)
        self.backup_list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        v.addWidget(self.backup_list, 1)
        row = QHBoxLayout()
        self.backup_button = QPushButton("Cadangkan sekarang")
        self.backup_button.clicked.connect(self.backup_now)
        self.restore_button = QPushButton("Pulihkan dari berkas…")
        self.restore_button.clicked.connect(self.restore_from_file)
        row.addWidget(self.backup_button)
        row.addWidget(self.restore_button)
        row.addStretch(1)
        v.addLayout(row)
        self.backup_message = QLabel("")
        self.backup_message.setWordWrap(True)
        v.addWidget(self.backup_message)
        self.refresh_backups()
        return w

    def refresh_backups(self) -> None:
        if getattr(self, "backup_list", None) is None:
            return
        from kopdesk.models.formats import format_count
        from kopdesk.models.services.administration import backup

        backups = backup.list_backups()
        self.backup_list.setRowCount(len(backups))
        for r, b in enumerate(backups):
            self.backup_list.setItem(r, 0, QTableWidgetItem(str(b.path)))
            self.backup_list.setItem(r, 1, QTableWidgetItem(f"{format_count(b.size // 1024)} KB"))

    def backup_now(self) -> None:
        from kopdesk.models.services.administration import backup

        self.backup_button.setEnabled(False)
        self.backup_message.setText("Mencadangkan…")

        def done(path) -> None:  # type: ignore[no-untyped-def]
            self.backup_button.setEnabled(True)
            self.backup_message.setText(f"Cadangan tersimpan: {path}")
            self.refresh_backups()

        def failed(exc: BaseException) -> None:
            from kopdesk.ui.widgets.messages import error_text

            self.backup_button.setEnabled(True)
            self.backup_message.setText(error_text(exc))

        self.ctx.tasks.run(backup.backup_now, self.ctx.db, actor=self.ctx.actor, progress=True, parent=self,
                           title="Cadangan", label="Mencadangkan basis data…", on_done=done, on_error=failed)

    def restore_from_file(self, path: str | None = None, *, confirmed: bool = False) -> bool:
        from kopdesk.models.services.administration import backup
        from kopdesk.ui.widgets.messages import confirm, error_text

        if path is None:
            from kopdesk.paths import backups_dir

            path, _ = QFileDialog.getOpenFileName(self, "Pulihkan dari cadangan", str(backups_dir()),
                                                  "Basis data KopDesk (*.sqlite *.db);;Semua berkas (*)")
            if not path:
                return False
        if not confirmed and not confirm(self, f"Ganti SELURUH data dengan isi cadangan\n{path}?\n\nBasis data saat "
                                               "ini dicadangkan dahulu. Aplikasi ditutup setelah pemulihan.",
                                         yes="Pulihkan"):
            return False
        try:
            safety = backup.restore_database(self.ctx.db, path, actor=self.ctx.actor)
        except Exception as exc:
            from kopdesk.logsetup import log_exception

            log_exception(exc, "pemulihan dari cadangan gagal")
            self.backup_message.setText(error_text(exc))
            return False
        self.backup_message.setText(f"Dipulihkan. Salinan data sebelumnya: {safety}. Buka kembali KopDesk.")
        window = self.window()
        if window is not self and not confirmed:
            QMessageBox.information(self, "Pemulihan selesai", self.backup_message.text())
            window.close()
        return True

    # -- users --------------------------------------------------------------------------------------------------
    def _users_tab(self) -> QWidget:
        w = QWidget()
        v = QVBoxLayout(w)
        self.users = QTableWidget(0, 5)
        self.users.setHorizontalHeaderLabels(["Nama pengguna", "Nama lengkap", "Peran", "Status", "Terakhir masuk"])
        self.users.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.users.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.users.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.users.verticalHeader().setVisible(False)
        self.users.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        v.addWidget(self.users, 1)
        row = QHBoxLayout()
        self.add_user_button = QPushButton("Tambah pengguna…")
        self.toggle_button = QPushButton("Nonaktifkan / aktifkan")
        self.role_button = QPushButton("Ubah peran…")
        self.reset_button = QPushButton("Atur ulang kata sandi…")
        self.add_user_button.clicked.connect(self.add_user)
        self.toggle_button.clicked.connect(self.toggle_active)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        for b in (self.add_user_button, self.toggle_button, self.role_button, self.reset_button):
            row.addWidget(b)
        row.addStretch(1)
        v.addLayout(row)
        self.user_message = QLabel("")
        self.user_message.setWordWrap(True)
        v.addWidget(self.user_message)
        return w

    def refresh_users(self) -> None:
        self.run_query("users", load_users, self.ctx.db, self.ctx.actor, on_done=self._show_users)

    def _show_users(self, rows: list[Any]) -> None:
        self.users.setRowCount(len(rows))
        for r, u in enumerate(rows):
            cells = [u.username, u.full_name, ROLES.get(u.role, u.role), "Aktif" if u.active else "Nonaktif",
                     format_date(u.last_login_at.date()) if u.last_login_at else "belum pernah"]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, u.id)
                if not u.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.users.setItem(r, c, item)
        for c in range(self.users.columnCount()):  # the stretched column keeps the rest of the width
            if self.users.horizontalHeader().sectionResizeMode(c) != QHeaderView.ResizeMode.Stretch:
                self.users.resizeColumnToContents(c)
        self.users_shown.emit(len(rows))

    def selected_user_id(self) -> int | None:
        item = self.users.item(self.users.currentRow(), 0) if self.users.currentRow() >= 0 else None
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def _run_user_change(self, fn, done_text: str) -> bool:  # type: ignore[no-untyped-def]
        try:
            with self.ctx.db.transaction(self.ctx.actor) as s:
                fn(s)
        except ValidationError as exc:
            self.user_message.setText("\n".join(e.text() for e in exc.errors))
            self.user_message.setStyleSheet(ERROR_STYLE)
            return False
        except DomainError as exc:
            self.user_message.setText(str(exc))
            self.user_message.setStyleSheet(ERROR_STYLE)
            return False
        self.user_message.setText(done_text)
        self.user_message.setStyleSheet("color: #1e7b34;")
        self.refresh_users()
        return True

    def add_user(self, values: dict[str, str] | None = None) -> bool:
        from kopdesk.models.services.administration import auth

        if not values:
            dialog = UserDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        v = values
        return self._run_user_change(
            lambda s: auth.create_user(s, self.ctx.actor, username=v["username"], full_name=v["full_name"],
                                       role=v["role"], password=v["password"], nip=v.get("nip") or None),
            f"Pengguna {v['username']} ditambahkan.")

    def toggle_active(self) -> bool:
        from kopdesk.models.services.administration import auth
        from kopdesk.models.user import User

        ident = self.selected_user_id()
        if ident is None:
            return False
        with self.ctx.db.read() as s:
            user = s.get(User, ident)
            active, name = user.active, user.username
        return self._run_user_change(lambda s: auth.update_user(s, self.ctx.actor, ident, active=not active),
                                     f"Pengguna {name} {'dinonaktifkan' if active else 'diaktifkan kembali'}.")

    def change_role(self, role: str | None = None) -> bool:
        from kopdesk.models.services.administration import auth

        ident = self.selected_user_id()
        if ident is None:
            return False
        if role is None:
            labels = list(ROLES.values())
            label, ok = QInputDialog.getItem(self, "Ubah peran", "Peran baru:", labels, 0, False)
            if not ok:
                return False
            role = next(k for k, v in ROLES.items() if v == label)
        return self._run_user_change(lambda s: auth.update_user(s, self.ctx.actor, ident, role=role),
                                     f"Peran diubah menjadi {ROLES[role]}.")

    def reset_password(self, password: str | None = None) -> bool:
        from kopdesk.models.services.administration import auth

        ident = self.selected_user_id()
        if ident is None:
            return False
        if password is None:
            password, ok = QInputDialog.getText(self, "Atur ulang kata sandi", "Kata sandi baru (minimal 8 karakter):",
                                                QLineEdit.EchoMode.Password)
            if not ok:
                return False
        return self._run_user_change(lambda s: auth.update_user(s, self.ctx.actor, ident, password=password),
                                     "Kata sandi diatur ulang; sampaikan kepada pengguna secara langsung.")


class UserDialog(QDialog):
    """A new account: name, full name, NIP, role and first password."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tambah pengguna")
        form = QFormLayout(self)
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.nip = QLineEdit()
        self.role = QComboBox()
        for key, label in ROLES.items():
            self.role.addItem(label, key)
        self.role.setCurrentIndex(self.role.findData("operator"))
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow("Nama pengguna", self.username)
        form.addRow("Nama lengkap", self.full_name)
        form.addRow("NIP", self.nip)
        form.addRow("Peran", self.role)
        form.addRow("Kata sandi awal", self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Tambah")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def values(self) -> dict[str, str]:
        return {"username": self.username.text(), "full_name": self.full_name.text(), "nip": self.nip.text(),
                "role": self.role.currentData(), "password": self.password.text()}


__all__ = ["QMessageBox", "SettingsPage", "UserDialog"]
