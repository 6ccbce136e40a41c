"""Sign-in, and the first administrator account of a new database."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from kopdesk import APP_NAME, __version__
from kopdesk.models.db import Database
from kopdesk.models.errors import DomainError, ValidationError
from kopdesk.models.services.administration.auth import Actor


def _error_label() -> QLabel:
    label = QLabel("")
    label.setStyleSheet("color: #b3261e;")
    label.setWordWrap(True)
    label.hide()
    return label


class SignInDialog(QDialog):
    """Asks for user name and password and checks them with auth.authenticate.

    Attributes:
        actor: the signed-in user after ``accept``.
    """

    def __init__(self, db: Database, parent: QWidget | None = None, *, username: str = "") -> None:
        super().__init__(parent)
        self.db = db
        self.actor: Actor | None = None
        self.setWindowTitle(f"Masuk — {APP_NAME}")
        self.setMinimumWidth(380)
        head = QLabel(f"<b style='font-size:15pt'>{APP_NAME}</b><br>Registri dan pengawasan koperasi")
        where = QLabel(db.describe())
        where.setStyleSheet("color: #666;")
        where.setWordWrap(True)
        self.username = QLineEdit(username)
        self.username.setObjectName("username")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Nama pengguna", self.username)
        form.addRow("Kata sandi", self.password)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Masuk")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.try_sign_in)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(head)
        layout.addWidget(where)
        layout.addSpacing(8)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        (self.password if username else self.username).setFocus()

    def try_sign_in(self) -> None:
        from kopdesk.models.services.administration import auth

        try:
            with self.db.transaction(None) as s:
                self.actor = auth.authenticate(s, self.username.text(), self.password.text())
        except DomainError as exc:
            self.error.setText(str(exc))
            self.error.show()
            self.password.selectAll()
            self.password.setFocus()
            return
        self.accept()


class FirstAdminDialog(QDialog):
    """On a database without users: create the administrator account (auth.create_user first_admin=True)."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.created_username = ""
        self.setWindowTitle(f"Akun administrator pertama — {APP_NAME} {__version__}")
        self.setMinimumWidth(460)
        intro = QLabel("Basis data ini belum memiliki pengguna. Buat akun <b>administrator</b> yang akan mengelola "
                       "pengguna lain dan pengaturan instansi.")
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.nip = QLineEdit()
        self.nip.setPlaceholderText("boleh dikosongkan")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("minimal 8 karakter")
        self.password2 = QLineEdit()
        self.password2.setObjectName("password2")
        self.password2.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow("Nama pengguna", self.username)
        form.addRow("Nama lengkap", self.full_name)
        form.addRow("NIP", self.nip)
        form.addRow("Kata sandi", self.password)
        form.addRow("Ulangi kata sandi", self.password2)
        self.error = _error_label()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Buat akun")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Batal")
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def create(self) -> None:
        from kopdesk.models.services.administration import auth

        if self.password.text() != self.password2.text():
            self.error.setText("Kata sandi dan ulangannya tidak sama.")
            self.error.show()
            return
        try:
            with self.db.transaction(None) as s:
                user = auth.create_user(s, None, username=self.username.text(), full_name=self.full_name.text(),
                                        role="admin", password=self.password.text(), nip=self.nip.text().strip() or None,
                                        first_admin=True)
                self.created_username = user.username
        except ValidationError as exc:
            self.error.setText("\n".join(e.text() for e in exc.errors))
            self.error.show()
            return
        except DomainError as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()
