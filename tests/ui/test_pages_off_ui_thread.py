"""Every page of the main window opens on a populated database without a single query on the UI thread.

The real engine is only observed: a "before_cursor_execute" listener notes the thread of every statement.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, event

from tests.conftest import make_user


@pytest.fixture(scope="module")
def demo_template(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo data set (three regions, rounds, RAT, assessments, letters), built once for this module."""
    from kopdesk.models.db import Database
    from kopdesk.models.services.demo import data as demo
    from kopdesk.reports.pdf import teguran as letter_pdf

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    shutil.copyfile(sqlite_template, path)
    db = Database.open(str(path))
    demo.ensure_demo(db, letter_renderer=letter_pdf)
    db.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def demo_db(demo_template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from kopdesk.models.db import Database

    path = tmp_path / "demo.sqlite"
    shutil.copyfile(demo_template, path)
    db = Database.open(str(path))
    yield db
    db.dispose()


@pytest.fixture
def statements() -> Iterator[list[tuple[bool, str]]]:
    """Every SQL statement any engine runs from now on: (ran on the UI thread, the statement)."""
    seen: list[tuple[bool, str]] = []
    ui_thread = threading.main_thread()

    def note(_conn, _cursor, statement, _params, _context, _executemany):  # type: ignore[no-untyped-def]
        seen.append((threading.current_thread() is ui_thread, " ".join(statement.split())[:160]))

    event.listen(Engine, "before_cursor_execute", note)
    yield seen
    event.remove(Engine, "before_cursor_execute", note)


@pytest.mark.slow
def test_every_page_opens_without_a_query_on_the_ui_thread(qtbot, demo_db, request):
    from PySide6.QtCore import QCoreApplication, QSettings

    from kopdesk.ui.main_window import MainWindow
    from kopdesk.ui.widgets.page import Page

    QCoreApplication.setOrganizationName("KopDeskTest")
    QCoreApplication.setApplicationName("KopDeskTest")
    QSettings().remove("main/page")
    admin = make_user(demo_db, "admin-uji", "admin")
    statements = request.getfixturevalue("statements")  # observed from here on: the window and its pages
    w = MainWindow(demo_db, admin)
    qtbot.addWidget(w)
    w.resize(1366, 768)
    w.show()
    opened = []
    for i in range(w.nav.count()):
        w.show_page_at(i)
        page = w.current_page()
        assert isinstance(page, Page), f"{w.nav.item(i).text()} tidak terbuka: {page}"
        qtbot.waitUntil(lambda p=page: not p.is_loading(), timeout=30000)
        opened.append(w.nav.item(i).text())
    assert w.ctx.tasks.wait(30000)
    qtbot.wait(50)
    assert len(opened) == 12
    assert [sql for on_ui, sql in statements if on_ui] == []
    assert len(statements) > 30  # the pages did read: on the pool threads
    # what the pages show came from those reads
    registry = w.registry_page()
    assert registry.model.rowCount() > 0 and registry.count_label.text().endswith("koperasi")
    home = w.page(0)
    assert home.figures is not None and home.buttons["registered"].value_text not in ("", "–")
    assert w.office_label.text() not in ("", "Profil instansi belum diisi")
    w.close()
