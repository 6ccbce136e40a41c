"""The application window's start: open the database (recovering a damaged one), sign in, show the main window."""

from __future__ import annotations

import logging
import os

log = logging.getLogger(__name__)


def start_gui(args, argv: list[str]) -> int:  # type: ignore[no-untyped-def]
    """Open the database (migrating it), then show the main window."""
    import_database_layer()
    from PySide6.QtWidgets import QApplication, QMessageBox

    from kopdesk import APP_NAME, ORG_NAME
    from kopdesk.logsetup import log_exception
    from kopdesk.models.errors import DomainError

    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    from kopdesk.ui import crash

    crash.install()  # from here on an uncaught exception also tells the clerk where the log is
    from kopdesk.ui.administration.about import app_icon
    from kopdesk.ui.i18n import install_qt_translations

    app.setWindowIcon(app_icon())
    install_qt_translations(app)
    try:
        # The damage scan of a large SQLite file takes about a second; it runs after the window is shown.
        from kopdesk.models.services.administration.backup import open_or_recover

        def ask(question: str) -> bool:
            answer = QMessageBox.question(None, APP_NAME, question,
                                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            return answer == QMessageBox.StandardButton.Yes

        from kopdesk.models.db import resolve_url

        url = database_url_for(args)
        log.info("basis data: %s", resolve_url(url).render_as_string(hide_password=True))
        db = open_or_recover(url, ask, integrity_check=False)
        if args.demo:
            from kopdesk.models.services.demo import data as demo
            from kopdesk.reports.pdf import teguran as letter_pdf

            demo.ensure_demo(db, letter_renderer=letter_pdf)
    except DomainError as exc:
        log_exception(exc, "basis data tidak dapat dibuka")
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 2
    except Exception as exc:
        log_exception(exc, "basis data tidak dapat dibuka")
        QMessageBox.critical(None, APP_NAME, crash.unexpected_text())
        return 1
    smoke_ms = smoke_test_ms(db)
    actor = None
    if smoke_ms is None:
        actor = sign_in(db)
        if actor is None:
            return 0
    from kopdesk.ui.main_window import MainWindow

    window = MainWindow(db, actor)
    window.show()
    check_integrity_later(window, db)
    daily_backup_later(window, db)
    if smoke_ms is not None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(smoke_ms, app.quit)
    return app.exec()


def import_database_layer() -> None:
    """Import SQLAlchemy and kopdesk's entities before PySide6 (the first thing the window's start does).

    Importing PySide6 puts a Python hook in front of every later import; the database layer is the largest import
    of the start, and in this order it costs about 100 ms less CPU.
    """
    import kopdesk.models.db
    import kopdesk.models.queries  # noqa: F401 - the registry's first query


def database_url_for(args) -> str | None:  # type: ignore[no-untyped-def]
    """``--db``, else KOPDESK_DATABASE_URL, else (with ``--demo``) the separate demo file, else the default file."""
    if args.db or os.environ.get("KOPDESK_DATABASE_URL") or not args.demo:
        return args.db
    from kopdesk.paths import demo_database_path

    return str(demo_database_path())  # demo data never lands in the office's own database


def check_integrity_later(window, db) -> None:  # type: ignore[no-untyped-def]
    """Scan a SQLite file for damage off the UI thread; tell the clerk at once when it is damaged."""
    from PySide6.QtWidgets import QMessageBox

    from kopdesk import APP_NAME
    from kopdesk.models.migrate import check_integrity

    def failed(exc: BaseException) -> None:
        from pathlib import Path

        from kopdesk.models.errors import DomainError
        from kopdesk.models.services.administration import backup

        window.statusBar().showMessage(str(exc))
        candidate = backup.recovery_candidate(exc) if isinstance(exc, DomainError) else None
        if candidate is None:
            QMessageBox.critical(window, APP_NAME, f"{exc}\n\nJangan mengubah data sampai basis data dipulihkan.")
            return
        answer = QMessageBox.question(
            window, APP_NAME, f"{exc}\n\nPulihkan dari cadangan terbaru ({candidate.label()})? KopDesk akan ditutup; "
            "berkas yang rusak disimpan di sampingnya.", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            db.dispose()
            backup.restore(candidate.path, Path(str(exc.params["path"])))
            QMessageBox.information(window, APP_NAME, "Basis data dipulihkan. Buka KopDesk kembali.")
            window.close()

    window.ctx.tasks.run(check_integrity, db, on_done=lambda _r: None, on_error=failed)


def daily_backup_later(window, db) -> None:  # type: ignore[no-untyped-def]
    """The automatic daily backup of a SQLite database, in the background a few seconds after start."""
    if not db.is_sqlite:
        return
    from PySide6.QtCore import QTimer

    def run() -> None:
        from kopdesk.models.services.administration import backup

        if backup.daily_backup_due():
            window.ctx.tasks.run(
                backup.backup_now, db,
                on_done=lambda path: window.statusBar().showMessage(f"Cadangan harian tersimpan: {path}", 10000),
                on_error=lambda exc: window.statusBar().showMessage(f"Cadangan harian gagal: {exc}", 15000))

    QTimer.singleShot(5000, run)


def sign_in(db):  # type: ignore[no-untyped-def]
    """The signed-in Actor, or None when the clerk cancelled; a new database first asks for its administrator."""
    from PySide6.QtWidgets import QDialog

    from kopdesk.models.services.administration.auth import user_count
    from kopdesk.ui.administration.signin import FirstAdminDialog, SignInDialog

    with db.read() as s:
        users = user_count(s)
    username = ""
    if users == 0:
        first = FirstAdminDialog(db)
        if first.exec() != QDialog.DialogCode.Accepted:
            return None
        username = first.created_username
    dialog = SignInDialog(db, username=username)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.actor


def smoke_test_ms(db) -> int | None:  # type: ignore[no-untyped-def]
    """KOPDESK_SMOKE_TEST=ms: open the main window without signing in and quit after ms (frozen-build check).

    Allowed only on a database without any user, so it can never bypass a real account.
    """
    import os

    raw = os.environ.get("KOPDESK_SMOKE_TEST")
    if not raw:
        return None
    from kopdesk.models.services.administration.auth import user_count

    with db.read() as s:
        if user_count(s) > 0:
            raise SystemExit("KOPDESK_SMOKE_TEST hanya untuk basis data kosong tanpa pengguna.")
    return int(raw) if raw.isdigit() else 1500

