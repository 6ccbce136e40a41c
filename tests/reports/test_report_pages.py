"""The Laporan and Impor dan Ekspor pages: preview, a click on a number opens its cooperatives, save, import."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.queries import count
from tests.exchange.test_ods_import import HEADER, good_row, write
from tests.reports.conftest import build_dataset


@pytest.fixture
def ctx(sqlite_db, qtbot):  # type: ignore[no-untyped-def]
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.tasks import TaskRunner
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    c = AppContext(db=sqlite_db, actor=admin, tasks=TaskRunner())
    yield c
    assert c.tasks.wait(), "a background task was still running after the test"


def test_pages_are_registered():
    from kopdesk.ui.navigation import PAGES, page_classes
    from kopdesk.ui.widgets.page import Page

    titles = [entry.title for entry in PAGES]
    assert "Laporan" in titles and "Impor dan Ekspor" in titles
    assert all(issubclass(cls, Page) for cls in page_classes())  # every entry names a page that imports


def test_reports_page_preview_click_and_save(ctx, qtbot, tmp_path, monkeypatch):
    from kopdesk.ui.reports import reports_page
    from kopdesk.ui.reports.reports_page import ReportsPage

    saved: list[str] = []
    monkeypatch.setattr(reports_page, "info", lambda parent, text, *a: saved.append(text))

    build_dataset(ctx.db, ctx.actor)
    page = ReportsPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    page.region.setText("65")
    page.period.setText("2026-06")
    page.refresh()
    qtbot.waitUntil(lambda: page.report is not None and page.table.rowCount() == 6, timeout=10000)
    assert page.table.item(5, 1).text() == "Kalimantan Utara/Total" and page.table.item(5, 7).text() == "71,43"
    opened = []
    ctx.signals.open_registry.connect(opened.append)
    page.open_cell(0, 2)  # Bulungan, Aktif
    with ctx.db.read() as s:
        assert count(s, opened[0]) == int(page.table.item(0, 2).text()) == 4
        assert all(c.status == "aktif" for c in s.scalars(select(Cooperative).where(Cooperative.id.in_(opened[0].ids))))
    page.grab().save(str(tmp_path / "laporan.png"))
    page.save("xlsx", str(tmp_path / "r.xlsx"))
    qtbot.waitUntil(lambda: bool(saved), timeout=10000)
    assert openpyxl.load_workbook(tmp_path / "r.xlsx")["Rekap"].cell(10, 3).value == 7


def test_exchange_page_preview_and_import(ctx, qtbot, tmp_path, monkeypatch):
    from kopdesk.ui.exchange import exchange_page
    from kopdesk.ui.exchange.exchange_page import ExchangePage

    monkeypatch.setattr(exchange_page, "confirm", lambda *a, **k: True)
    monkeypatch.setattr(exchange_page, "info", lambda *a, **k: None)
    shown: list[str] = []
    monkeypatch.setattr(exchange_page, "show_error", lambda parent, exc, *a: shown.append(str(exc)))
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    path = write(tmp_path / "ods.xlsx", [good_row(1), good_row(2, NIK="65X"), good_row(3)], HEADER)
    page.set_path(str(path))
    page.check()
    qtbot.waitUntil(lambda: page.preview is not None or bool(shown), timeout=10000)
    assert not shown
    assert page.rows.rowCount() == 3 and page.rows.item(1, 1).text() == "Tidak valid"
    assert "Baris 3, kolom C" in page.rows.item(1, 4).text()
    page.grab().save(str(tmp_path / "impor.png"))
    page.run_import()  # invalid rows and not "valid only": refused, nothing written
    assert shown and "tidak valid" in shown[0]
    page.valid_only.setChecked(True)
    page.run_import()
    qtbot.waitUntil(lambda: not ctx.tasks.busy and not page.import_btn.isEnabled(), timeout=10000)
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 2
