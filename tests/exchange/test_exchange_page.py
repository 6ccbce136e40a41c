"""The Impor dan Ekspor page's import preview: which sheet was read and the choice when several qualify, what was
skipped, the new kelompok and sektor, and the import with the chosen sheet (all work off the UI thread)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.lookup import Kelompok
from tests.exchange.test_office_workbooks import good_rows, write_office_workbook


@pytest.fixture
def ctx(sqlite_db, qtbot):  # type: ignore[no-untyped-def]
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.tasks import TaskRunner
    from tests.conftest import make_user

    admin = make_user(sqlite_db, "admin", "admin")
    c = AppContext(db=sqlite_db, actor=admin, tasks=TaskRunner())
    yield c
    c.tasks.wait()


def test_preview_names_the_sheet_the_skipped_rows_and_new_values_then_imports(ctx, qtbot, tmp_path, monkeypatch):
    from kopdesk.ui.exchange import exchange_page
    from kopdesk.ui.exchange.exchange_page import ExchangePage

    said: list[str] = []
    monkeypatch.setattr(exchange_page, "confirm", lambda parent, text, *a, **k: said.append(text) or True)
    monkeypatch.setattr(exchange_page, "info", lambda parent, text, *a, **k: said.append(text))
    monkeypatch.setattr(exchange_page, "show_error", lambda parent, exc, *a: said.append(f"galat: {exc}"))
    rows = good_rows(ctx.db, 10)
    path = write_office_workbook(tmp_path / "kantor.xlsx", rows, extra_sheet="Tambahan")
    page = ExchangePage(ctx)
    qtbot.addWidget(page)
    page.resize(1180, 700)
    page.show()
    page.set_path(str(path))
    page.check()
    qtbot.waitUntil(lambda: page.preview is not None, timeout=20000)
    assert not said
    assert page.preview.sheet == "Data Koperasi" and page.rows.rowCount() == len(rows)
    assert page.sheet_choice.isVisible() and page.sheet_choice.count() == 2
    assert page.sheet_choice.currentData() == "Data Koperasi"
    notes = page.notes.text()
    for text in ("Lembar «Data Koperasi» dipakai (judul kolom di baris 4).", "blok judul (baris 1–2)",
                 "baris nomor kolom (baris 5)", "baris jumlah", "Kelompok baru (ditambahkan ke daftar saat diimpor): "
                 "Koperasi Nelayan Pesisir", "«Tambahan»"):
        assert text in notes, (text, notes)
    assert page.summary.text() == "10 baris: 10 baru, 0 diperbarui, 0 tidak berubah, 0 tidak valid"

    # The clerk picks the other sheet: checked again, off the UI thread, with that sheet.
    page.sheet_choice.setCurrentIndex(1)
    page.sheet_choice.activated.emit(1)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.sheet == "Tambahan", timeout=20000)
    assert page.rows.rowCount() == 1 and page.rows.item(0, 1).text() == "Tidak valid"
    assert "wajib diisi untuk koperasi baru" in page.rows.item(0, 4).text()
    page.sheet_choice.setCurrentIndex(0)
    page.sheet_choice.activated.emit(0)
    qtbot.waitUntil(lambda: page.preview is not None and page.preview.sheet == "Data Koperasi", timeout=20000)

    page.run_import()
    qtbot.waitUntil(lambda: not ctx.tasks.busy and not page.import_btn.isEnabled(), timeout=30000)
    assert "lembar «Data Koperasi»" in said[0] and "daftar kelompok: Koperasi Nelayan Pesisir." in said[0]
    assert "daftar sektor: Pariwisata Bahari." in said[0]
    assert said[1].startswith("Impor selesai: 10 baru") and "Kelompok baru: Koperasi Nelayan Pesisir" in said[1]
    with ctx.db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 10
        assert s.scalar(select(Kelompok.id).where(Kelompok.name == "Koperasi Nelayan Pesisir")) is not None


def test_administrators_edit_kelompok_aliases_in_settings(ctx, qtbot):
    from kopdesk.ui.administration.kelompok_aliases import ALIAS, KelompokAliasesTab

    tab = KelompokAliasesTab(ctx)
    qtbot.addWidget(tab)
    qtbot.waitUntil(lambda: tab.tree.topLevelItemCount() > 0, timeout=10000)
    top = next(tab.tree.topLevelItem(i) for i in range(tab.tree.topLevelItemCount())
               if tab.tree.topLevelItem(i).text(0) == "Koperasi Wanita (Kopwan)")
    assert {top.child(i).text(0) for i in range(top.childCount())} == {"Kopwan", "Koperasi Wanita"}
    tab.tree.setCurrentItem(top)
    tab.add("Koperasi Ibu-Ibu")
    qtbot.waitUntil(lambda: "ditambahkan" in tab.message.text(), timeout=10000)
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10000)
    top = tab.tree.findItems("Koperasi Wanita (Kopwan)", Qt.MatchFlag.MatchExactly)[0]
    added = next(top.child(i) for i in range(top.childCount()) if top.child(i).text(0) == "Koperasi Ibu-Ibu")
    assert added.data(0, Qt.ItemDataRole.UserRole + 1) == ALIAS
    tab.tree.setCurrentItem(added)
    tab.add("KUD")  # an alias another kelompok answers to: refused, with its name
    qtbot.waitUntil(lambda: "sudah dipakai" in tab.message.text(), timeout=10000)
    assert "Koperasi Unit Desa (KUD)" in tab.message.text()
    tab.tree.setCurrentItem(tab.tree.findItems("Koperasi Wanita (Kopwan)", Qt.MatchFlag.MatchExactly)[0].child(0))
    removed = tab.tree.currentItem().text(0)
    tab.remove()
    qtbot.waitUntil(lambda: "dihapus" in tab.message.text(), timeout=10000)
    qtbot.waitUntil(lambda: not ctx.tasks.busy, timeout=10000)
    top = tab.tree.findItems("Koperasi Wanita (Kopwan)", Qt.MatchFlag.MatchExactly)[0]
    assert removed not in {top.child(i).text(0) for i in range(top.childCount())}
