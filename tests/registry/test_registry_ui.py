"""The registry workspace driven through the real main window, offscreen: sign-in, search, filters, the form."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kopdesk.models import queries
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.formats import format_count
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.services.administration import auth
from kopdesk.models.services.registry import cooperatives as registry
from tests.conftest import make_user


def _coop(db, ident):  # type: ignore[no-untyped-def]
    with db.read() as s:
        c = s.get(Cooperative, ident)
        s.expunge(c)
        return c


def _search(qtbot, page, text):  # type: ignore[no-untyped-def]
    page.search.clear()
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        qtbot.keyClicks(page.search, text)


def _count(db, f):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return queries.count(s, f)


# --------------------------------------------------------------------------------------------- sign-in

def test_first_start_asks_for_the_admin_then_signs_in(qtbot, sqlite_db):
    from kopdesk.ui.administration.signin import FirstAdminDialog, SignInDialog

    first = FirstAdminDialog(sqlite_db)
    qtbot.addWidget(first)
    first.username.setText("kasubag")
    first.full_name.setText("Rina Puspitasari")
    first.password.setText("pendek")
    first.password2.setText("pendek")
    first.create()
    assert first.error.isVisibleTo(first) and "minimal 8 karakter" in first.error.text()
    first.password.setText("rahasia-123")
    first.password2.setText("rahasia-beda")
    first.create()
    assert "tidak sama" in first.error.text()
    first.password2.setText("rahasia-123")
    first.create()
    assert first.result() == first.DialogCode.Accepted
    with sqlite_db.read() as s:
        assert auth.user_count(s) == 1

    sign = SignInDialog(sqlite_db, username=first.created_username)
    qtbot.addWidget(sign)
    sign.password.setText("salah-sekali")
    sign.try_sign_in()
    assert sign.actor is None and "salah" in sign.error.text()
    sign.password.setText("rahasia-123")
    sign.try_sign_in()
    assert sign.actor is not None and sign.actor.role == "admin" and sign.actor.username == "kasubag"


# --------------------------------------------------------------------------------------------- main window

def test_main_window_shows_registry_with_count_status_bar_and_lazy_pages(qtbot, sample_db, open_window):
    actor = make_user(sample_db, "admin", "admin")
    w = open_window(sample_db, actor)
    page = w.registry_page()
    total = _count(sample_db, RegistryFilter())
    assert page.count_label.text() == f"{format_count(total)} koperasi"
    assert total > 200
    # lazy: only the first page is loaded, the next comes when the view asks
    assert page.model.rowCount() == 200
    assert page.model.canFetchMore()
    page.model.fetchMore()
    assert page.model.rowCount() == min(400, total)
    with sample_db.read() as s:
        expected = queries.search_ids(s, RegistryFilter(), order="name")[:400]
    assert [r.id for r in page.model.rows] == expected
    assert sample_db.describe() in w.db_label.text()
    assert "Administrator" in w.user_label.text()
    assert w.find_action.shortcut().toString() == "Ctrl+F"
    assert w.new_action.shortcut().toString() == "Ctrl+N"
    titles = [w.nav.item(i).text() for i in range(w.nav.count())]
    assert titles[:2] == ["Beranda", "Registri Koperasi"] and titles[-1] == "Pengaturan"


def test_search_as_you_type_and_sort(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "admin", "admin"))
    page = w.registry_page()
    qtbot.keyClick(w, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    _search(qtbot, page, "makmur")
    n = _count(sample_db, RegistryFilter(text="makmur"))
    assert 0 < n < 450
    assert page.count_label.text() == f"{format_count(n)} koperasi"
    assert page.model.rowCount() == min(n, 200)
    for r in page.model.rows:
        assert "makmur" in (r.name + " " + r.address).lower()
    # Esc in the search box clears it and shows the whole registry again
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == "" and page.current_filter().text == ""
    # a NIK fragment finds the cooperative by its NIK
    with sample_db.read() as s:
        nik = s.scalar(select(Cooperative.nik).where(Cooperative.nik.is_not(None), Cooperative.status == "aktif").limit(1))
    _search(qtbot, page, nik[-7:])
    assert nik in [r.nik for r in page.model.rows]
    # sorting by a column re-queries in SQL
    _search(qtbot, page, "")
    nik_col = [c.key for c in __import__("kopdesk.ui.registry.registry_model", fromlist=["COLUMNS"]).COLUMNS].index("nik")
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.view.sortByColumn(nik_col, Qt.SortOrder.DescendingOrder)
    with sample_db.read() as s:
        assert [r.id for r in page.model.rows] == queries.search_ids(s, RegistryFilter(), order="nik", descending=True, limit=200)


def test_filters_narrow_the_registry_and_are_exported_as_a_filter(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "admin", "admin"))
    page = w.registry_page()
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.status_box.setCurrentIndex(page.status_box.findData("tidak_aktif"))
    assert page.model.rowCount() > 0
    assert {r.status for r in page.model.rows} == {"tidak_aktif"}
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.status_box.setCurrentIndex(0)
    # region: kab/kota comes from the office? here the whole country, so pick Kalimantan Timur → Balikpapan → kecamatan
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.province_box.setCurrentIndex(page.province_box.findData("64"))
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.kabkota_box.setCurrentIndex(page.kabkota_box.findData("6471"))
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.kecamatan_box.setCurrentIndex(page.kecamatan_box.findData("647103"))
    assert page.model.rowCount() > 0
    assert {r.kecamatan for r in page.model.rows} == {"Balikpapan Utara"}
    year = dt.date.today().year - 1
    page.rat_year.setValue(year)
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.rat_state_box.setCurrentIndex(page.rat_state_box.findData("missing"))
    f = page.current_filter()
    assert f.region_code == "647103" and f.rat_state == "missing" and f.rat_book_year == year
    expected = _count(sample_db, f)
    assert page.count_label.text() == f"{format_count(expected)} koperasi"
    assert expected < _count(sample_db, f.with_(rat_state=None, rat_book_year=None))
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.mp_box.setCurrentIndex(page.mp_box.findData(True))
    assert all(r.is_merah_putih for r in page.model.rows)
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.reset_filters()
    assert page.current_filter() == RegistryFilter()
    assert page.selection_filter() == RegistryFilter()  # one row selected: the whole filter
    page.view.selectRow(2)
    page.view.selectionModel().select(page.model.index(5, 0), page.view.selectionModel().SelectionFlag.Select
                                      | page.view.selectionModel().SelectionFlag.Rows)
    picked = page.selection_filter()
    assert picked.ids == (page.model.rows[2].id, page.model.rows[5].id)
    assert _count(sample_db, picked) == 2


def test_open_registry_signal_shows_the_registry_filtered(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "admin", "admin"))
    page = w.registry_page()
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        w.ctx.signals.open_registry.emit(RegistryFilter(statuses=("tidak_aktif", "tidak_ditemukan"), jenis=("jasa",)))
    assert page.extra_label.isVisibleTo(page)
    assert page.jenis_box.currentData() == "jasa"
    assert {r.status for r in page.model.rows} <= {"tidak_aktif", "tidak_ditemukan"}
    assert {r.jenis for r in page.model.rows} == {"jasa"}
    f = page.current_filter()
    assert set(f.statuses) == {"tidak_aktif", "tidak_ditemukan"} and f.jenis == ("jasa",)
    assert page.count_label.text() == f"{format_count(_count(sample_db, f))} koperasi"


# --------------------------------------------------------------------------------------------- the form

def _open_first(qtbot, w):  # type: ignore[no-untyped-def]
    page = w.registry_page()
    page.view.setFocus()
    page.view.setCurrentIndex(page.model.index(0, 0))
    ident = page.model.rows[0].id
    qtbot.keyClick(page.view, Qt.Key.Key_Return)
    assert ident in w.forms
    return ident, w.forms[ident]


def test_open_edit_and_save_then_history(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "operator1", "operator"))
    page = w.registry_page()
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.status_box.setCurrentIndex(page.status_box.findData("aktif"))
    ident, form = _open_first(qtbot, w)
    before = _coop(sample_db, ident)
    assert form.editors["name"].raw() == before.name
    assert form.editors["legal_date"].raw() == f"{before.legal_date.day} " + \
        __import__("kopdesk.models.formats", fromlist=["MONTHS"]).MONTHS[before.legal_date.month - 1] + f" {before.legal_date.year}"
    form.editors["address"].editor.setText("Jl. Jenderal Sudirman No. 7")
    form.editors["members_male"].editor.setText("1.234")
    form.editors["own_capital"].editor.setText("Rp 2.500.000.000")
    form.editors["status"].editor.setCurrentIndex(form.editors["status"].editor.findData("tidak_aktif"))
    form.editors["status_reason"].editor.setText("Tidak ada kegiatan usaha sejak 2023")
    assert form.is_dirty()
    with qtbot.waitSignal(w.ctx.signals.data_changed, timeout=5000):
        assert form.save()
    after = _coop(sample_db, ident)
    assert after.address == "Jl. Jenderal Sudirman No. 7"
    assert after.members_male == 1234 and after.own_capital == 2_500_000_000
    assert after.status == "tidak_aktif" and after.version == before.version + 1
    assert form.editors["own_capital"].editor.text() == "2.500.000.000"
    assert not form.is_dirty()
    # the registry row follows the save
    assert page.model.rows[page.model.row_of_id(ident)].status == "tidak_aktif"
    # Riwayat: who, what, from → to, and the status change with its reason
    hist = form.history_table
    lines = [[hist.item(r, c).text() for c in range(5)] for r in range(hist.rowCount())]
    assert ["operator1", "Alamat", before.address, "Jl. Jenderal Sudirman No. 7"] in [line[1:] for line in lines]
    assert ["operator1", "Modal sendiri", f"Rp{format_count(before.own_capital)}", "Rp2.500.000.000"] in [line[1:] for line in lines]
    statuses = [[form.status_table.item(r, c).text() for c in range(4)] for r in range(form.status_table.rowCount())]
    assert statuses[0][1] == "Aktif → Tidak Aktif" and "Tidak ada kegiatan usaha sejak 2023" in statuses[0][2]


def test_bad_nik_shows_the_message_under_the_field_and_writes_nothing(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "operator1", "operator"))
    ident, form = _open_first(qtbot, w)
    before = _coop(sample_db, ident)
    form.tabs.setCurrentIndex(3)
    form.editors["nik"].editor.setText("64-71-AB")
    form.editors["address"].editor.setText("Alamat baru yang tidak boleh tersimpan")
    assert not form.save()
    error = form.editors["nik"].error
    assert error.isVisibleTo(form) and "hanya boleh berisi angka" in error.text()
    assert form.tabs.currentIndex() == 0
    assert form.form_error.isVisibleTo(form)
    after = _coop(sample_db, ident)
    assert (after.nik, after.address, after.version) == (before.nik, before.address, before.version)
    form.editors["nik"].editor.setText("6471 0100 2000 99")
    assert form.save()
    assert not error.isVisibleTo(form)
    assert _coop(sample_db, ident).nik == "647101002000 99".replace(" ", "")


def test_new_cooperative_from_ctrl_n(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "operator1", "operator"))
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    forms = [f for f in w.findChildren(__import__("kopdesk.ui.registry.cooperative_form", fromlist=["CooperativeForm"]).CooperativeForm) if f.coop_id is None]
    assert len(forms) == 1
    form = forms[0]
    assert not form.save()  # required fields
    assert "wajib diisi" in form.editors["name"].error.text()
    form.editors["name"].editor.setText("Koperasi Konsumen Tunas Harapan")
    form.editors["legal_number"].editor.setText("518/12/BH/XVI.26/2019")
    form.editors["legal_date"].editor.setText("14 Juli 2019")
    form.editors["address"].editor.setText("Jl. Pattimura No. 3")
    form.editors["jenis"].editor.setCurrentIndex(form.editors["jenis"].editor.findData("konsumen"))
    kab = form._region_box("kabkota_code")
    prov = form._region_box("province_code")
    prov.setCurrentIndex(prov.findData("64"))
    kab.setCurrentIndex(kab.findData("6471"))
    kec = form._region_box("kecamatan_code")
    kec.setCurrentIndex(kec.findData("647101"))
    kel = form._region_box("kelurahan_code")
    kel.setCurrentIndex(kel.findData("6471011001"))
    form.tabs.setCurrentIndex(2)
    form._add_officer_row({"role": "ketua", "name": "Budi Santoso", "term_start": "1/2/2023"})
    assert form.save(), form.form_error.text()
    c = _coop(sample_db, form.coop_id)
    assert (c.name, c.legal_date, c.kelurahan_code, c.kabkota_code, c.province_code) == (
        "Koperasi Konsumen Tunas Harapan", dt.date(2019, 7, 14), "6471011001", "6471", "64")
    with sample_db.read() as s:
        officers = s.get(Cooperative, form.coop_id).officers
        assert [(o.role, o.name, o.term_start) for o in officers] == [("ketua", "Budi Santoso", dt.date(2023, 2, 1))]
    assert form.coop_id in w.forms


def test_unsaved_changes_guard(qtbot, sample_db, open_window):
    w = open_window(sample_db, make_user(sample_db, "operator1", "operator"))
    ident, form = _open_first(qtbot, w)
    form.editors["phone"].editor.setText("0542 123456")
    answers = []
    form.ask_unsaved = lambda: answers.append("asked") or "cancel"  # type: ignore[method-assign]
    assert not form.close()
    assert form.isVisible() and answers == ["asked"]
    form.ask_unsaved = lambda: "save"  # type: ignore[method-assign]
    assert form.close()
    assert _coop(sample_db, ident).phone == "0542 123456"


@pytest.mark.parametrize("choice", ["keep", "reload"])
def test_conflict_with_a_second_session(qtbot, db, open_window, choice):
    from tests.support import registry_sample

    registry_sample.fill(db, 30, "6471", officers_for=0)
    clerk = make_user(db, "operator1", "operator")
    other = make_user(db, "operator2", "operator")
    w = open_window(db, clerk)
    ident, form = _open_first(qtbot, w)
    before = _coop(db, ident)
    # the second clerk saves first, in another session
    with db.transaction(other) as s:
        registry.update_cooperative(s, other, ident, before.version, {"name": "Koperasi Diubah Orang Lain"})
    form.editors["address"].editor.setText("Jl. Mulawarman No. 1")
    seen = []

    def ask(exc):  # type: ignore[no-untyped-def]
        seen.append(exc)
        return choice

    form.ask_conflict = ask  # type: ignore[method-assign]
    saved = form.save()
    assert len(seen) == 1
    changes = {(c.label, c.new, c.by) for c in seen[0].changes}
    assert ("Nama koperasi", "Koperasi Diubah Orang Lain", "operator2") in changes
    after = _coop(db, ident)
    assert after.name == "Koperasi Diubah Orang Lain"
    if choice == "keep":
        assert saved and after.address == "Jl. Mulawarman No. 1" and after.version == before.version + 2
    else:
        assert not saved and after.address == before.address
        assert form.editors["name"].raw() == "Koperasi Diubah Orang Lain"
        assert form.editors["address"].raw() == before.address and not form.is_dirty()


def test_pimpinan_reads_everything_and_edits_nothing(qtbot, sample_db, open_window):
    make_user(sample_db, "admin", "admin")
    boss = make_user(sample_db, "kadis", "pimpinan")
    w = open_window(sample_db, boss)
    page = w.registry_page()
    assert not w.new_action.isEnabled() and not page.new_button.isEnabled()
    assert "Pimpinan" in w.user_label.text()
    qtbot.keyClick(w, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert not w.forms
    ident, form = _open_first(qtbot, w)
    assert form.read_only and not form.save_button.isVisibleTo(form)
    assert form.editors["name"].editor.isReadOnly()
    assert not form.editors["jenis"].editor.isEnabled()
    assert "hanya dapat dilihat" in form.banner.text()
    # officers' citizen NIKs are masked for this role
    niks = [form.officer_table.item(r, 3).text() for r in range(form.officer_table.rowCount())]
    assert niks and all("*" in n for n in niks)
    form.editors["name"].editor.setText("Tidak boleh")
    assert not form.save()
    assert _coop(sample_db, ident).name != "Tidak boleh"
    # the service refuses too
    from kopdesk.models.errors import PermissionDenied

    with pytest.raises(PermissionDenied), sample_db.transaction(boss) as s:
        registry.update_cooperative(s, boss, ident, 1, {"name": "x"})
    assert form.close()


def test_about_and_smoke_window_without_user(qtbot, sqlite_db, open_window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    w = open_window(sqlite_db, None)
    assert "Pimpinan" in w.user_label.text()  # no user: read-only
    shown = []
    monkeypatch.setattr(QMessageBox, "about", lambda parent, title, text: shown.append(text))
    import sys

    monkeypatch.setitem(sys.modules, "kopdesk.ui.administration.about", None)  # the fuller dialog is not there
    w.show_about()
    assert shown and "0." in shown[0] and sqlite_db.describe() in shown[0]


def test_window_geometry_and_columns_are_remembered(qtbot, sample_db, open_window):
    actor = make_user(sample_db, "admin", "admin")
    w = open_window(sample_db, actor)
    page = w.registry_page()
    w.resize(1111, 777)
    page.view.setColumnWidth(0, 333)
    page.view.horizontalHeader().moveSection(1, 4)
    w.close()
    from PySide6.QtCore import QSettings

    saved = QSettings().value("main/geometry")
    assert saved is not None and bytes(saved) == bytes(w.saveGeometry())  # restored by the next window
    w2 = open_window(sample_db, actor)
    page2 = w2.registry_page()
    assert page2.view.columnWidth(0) == 333
    assert page2.view.horizontalHeader().visualIndex(1) == 4


def test_conflict_dialog_lists_what_the_other_clerk_changed(qtbot):
    import datetime as dt_

    from kopdesk.models.errors import ChangeMade, ConflictError
    from kopdesk.ui.registry.cooperative_form import ConflictDialog

    exc = ConflictError("cooperative", 7, [
        ChangeMade("status", "Status", "aktif", "tidak_aktif", "budi", dt_.datetime(2026, 3, 2, 9, 30, tzinfo=dt_.UTC)),
        ChangeMade("own_capital", "Modal sendiri", "1000000", "2500000", "budi", dt_.datetime(2026, 3, 2, 9, 30, tzinfo=dt_.UTC)),
    ])
    d = ConflictDialog(exc)
    qtbot.addWidget(d)
    from PySide6.QtWidgets import QTableWidget

    table = d.findChild(QTableWidget)
    rows = [[table.item(r, c).text() for c in range(1, 5)] for r in range(table.rowCount())]
    assert rows == [["budi", "Status", "Aktif", "Tidak Aktif"], ["budi", "Modal sendiri", "Rp1.000.000", "Rp2.500.000"]]
    assert "budi" in str(exc)


def test_export_button_writes_what_the_clerk_sees(qtbot, sample_db, open_window, tmp_path):
    """The registry's Ekspor Excel writes the filtered rows in the background; the file is read back."""
    import openpyxl

    w = open_window(sample_db, make_user(sample_db, "pimpinan1", "pimpinan"))
    page = w.registry_page()
    assert page.export_button.isEnabled()  # pimpinan may export, though not edit
    with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
        page.status_box.setCurrentIndex(page.status_box.findData("tidak_aktif"))
    expected = _count(sample_db, page.current_filter())
    target = tmp_path / "tidak-aktif"
    page.export_to(str(target))
    qtbot.waitUntil(lambda: "diekspor" in page.export_message, timeout=20000)
    ws = openpyxl.load_workbook(tmp_path / "tidak-aktif.xlsx", read_only=True).worksheets[0]
    rows = [r for r in ws.iter_rows(min_row=2, values_only=True) if any(v not in (None, "") for v in r)]
    assert expected > 0 and len(rows) == expected
    assert page.export_message.startswith(f"{format_count(expected)} koperasi")
