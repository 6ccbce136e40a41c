"""The supervision pages with pytest-qt: a round from creation to closing, bulk RAT marking, an assessment entry."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.supervision import VerificationRound, Visit
from kopdesk.ui.context import AppContext
from kopdesk.ui.supervision.visit_grid import KEYS
from kopdesk.ui.tasks import TaskRunner
from tests.conftest import make_user
from tests.supervision.conftest import make_coop
from tests.support.pages import wait_loaded


@pytest.fixture
def ctx(sqlite_db, qapp):  # type: ignore[no-untyped-def]
    actor = make_user(sqlite_db, "admin", "admin")
    c = AppContext(db=sqlite_db, actor=actor, tasks=TaskRunner())
    yield c
    assert c.tasks.wait(), "a background task was still running after the test"


def type_cell(qtbot, view, row: int, key: str, text: str) -> None:  # type: ignore[no-untyped-def]
    """Keyboard only: move to the cell, type (typing starts the editor), Tab to commit and move on."""
    view.setCurrentIndex(view.model().index(row, KEYS.index(key)))
    view.setFocus()
    qtbot.keyClicks(view, text[0])  # the first key opens the editor with it
    editor = view.focusWidget()
    if len(text) > 1:
        qtbot.keyClicks(editor, text[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Tab)


def test_round_from_creation_to_closing(ctx, qtbot, monkeypatch):
    from kopdesk.ui.supervision import pemutakhiran_page as page_mod

    a = make_coop(ctx.db, ctx.actor, name="Koperasi Anggrek", kecamatan="647101")
    b = make_coop(ctx.db, ctx.actor, name="Koperasi Bakung", kecamatan="647101")
    c = make_coop(ctx.db, ctx.actor, name="Koperasi Cempaka", kecamatan="647102", status="tidak_aktif")
    with ctx.db.transaction(ctx.actor) as s:
        from kopdesk.models.office import OfficeProfile
        s.get(OfficeProfile, 1).region_code = "6471"

    def accept_new(dlg):  # type: ignore[no-untyped-def]
        dlg.name.setText("Verifikasi Uji")
        dlg.started.setDate(dlg.started.date().addDays(-3))
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(page_mod.NewRoundDialog, "exec", accept_new)
    page = page_mod.PemutakhiranPage(ctx)
    qtbot.addWidget(page)
    wait_loaded(qtbot, page)
    page.new_button.click()
    wait_loaded(qtbot, page)  # the kecamatan to choose from, then the new round and its grid, are read off the UI thread
    assert page.current_round() is not None and page.current_round().name == "Verifikasi Uji"
    assert page.model.rowCount() == 3
    assert "Cakupan 3 · Dikunjungi 0" in page.progress_label.text()

    def accept_officer(dlg):  # type: ignore[no-untyped-def]
        dlg.kecamatan.setCurrentIndex(0)
        dlg.name.setText("Rahmat Hidayat")
        return 1

    monkeypatch.setattr(page_mod.OfficerDialog, "exec", accept_officer)
    page.officer_button.click()
    wait_loaded(qtbot, page)
    assert "Rahmat Hidayat" in page.officers_label.text()

    names = [r.base.name for r in page.model.rows]
    ra, rb, rc = names.index("Koperasi Anggrek"), names.index("Koperasi Bakung"), names.index("Koperasi Cempaka")
    type_cell(qtbot, page.grid, ra, "found_at_address", "t")        # not found; date and officer from defaults
    type_cell(qtbot, page.grid, rb, "found_at_address", "y")
    type_cell(qtbot, page.grid, rb, "business_active", "t")
    type_cell(qtbot, page.grid, rc, "found_at_address", "ya")
    type_cell(qtbot, page.grid, rc, "business_active", "y")
    type_cell(qtbot, page.grid, rc, "notes", "buka lagi 2025")
    type_cell(qtbot, page.grid, rc, "found_at_address", "mungkin")  # refused in place, row keeps its values
    assert "Y (ya) atau T (tidak)" in page.message.text()
    wait_loaded(qtbot, page)  # the round's figures are read again after each saved row
    assert "Dikunjungi 3 · Ditemukan 2 · Tidak ditemukan 1" in page.progress_label.text()
    with ctx.db.read() as s:
        visits = {v.cooperative_id: v for v in s.scalars(select(Visit))}
        assert visits[a].result == "tidak_ditemukan" and visits[a].officer_name == "Rahmat Hidayat"
        assert visits[b].result == "tidak_aktif" and visits[c].notes == "buka lagi 2025"

    seen = {}

    def accept_preview(dlg):  # type: ignore[no-untyped-def]
        seen["summary"] = dlg.summary.text()
        seen["rows"] = dlg.table.rowCount()
        return 1

    monkeypatch.setattr(page_mod.ClosePreviewDialog, "exec", accept_preview)
    monkeypatch.setattr(page_mod, "info", lambda *a, **k: None)
    with qtbot.waitSignal(page.round_closed, timeout=10000):
        page.close_button.click()
    wait_loaded(qtbot, page)
    assert seen["rows"] == 3 and "1 menjadi Aktif" in seen["summary"] and "1 menjadi Tidak Ditemukan" in seen["summary"]
    with ctx.db.read() as s:
        status = dict(s.execute(select(Cooperative.id, Cooperative.status)).all())
        assert status == {a: "tidak_ditemukan", b: "tidak_aktif", c: "aktif"}
        assert s.scalar(select(VerificationRound.status)) == "ditutup"
        assert len(s.scalars(select(StatusChange).where(StatusChange.source == "pemutakhiran")).all()) == 3
    assert page.model.read_only and not page.close_button.isEnabled() and page.ba_button.isEnabled()


def test_home_page_figures_open_the_registry(ctx, qtbot):
    from kopdesk.ui.reports.home_page import HomePage

    make_coop(ctx.db, ctx.actor, kecamatan="647101")
    make_coop(ctx.db, ctx.actor, kecamatan="647102", status="tidak_aktif")
    page = HomePage(ctx)
    qtbot.addWidget(page)
    assert page.buttons["registered"].value_text == "–"  # the figures are read off the UI thread
    wait_loaded(qtbot, page)
    assert page.buttons["registered"].value_text == "2" and page.buttons["aktif"].value_text == "1"
    with qtbot.waitSignal(ctx.signals.open_registry) as sig:
        page.buttons["tidak_aktif"].click()
    assert sig.args[0] == RegistryFilter(region_code=None, statuses=("tidak_aktif",))


def test_bulk_rat_marking_from_pasted_niks(ctx, qtbot, monkeypatch):
    from kopdesk.ui.supervision import rat_page as rat_mod

    make_coop(ctx.db, ctx.actor, nik="6471000000000701", kecamatan="647101")
    make_coop(ctx.db, ctx.actor, nik="6471000000000702", kecamatan="647106")
    monkeypatch.setattr(rat_mod, "info", lambda *a, **k: None)
    page = rat_mod.RatPage(ctx)
    qtbot.addWidget(page)
    page.year.setValue(2024)
    wait_loaded(qtbot, page)
    assert page.year.value() == 2024  # the first load's latest book year does not override the clerk's choice
    assert page.summary.total.obliged == 2 and page.summary.total.held == 0
    page.paste.setPlainText("6471000000000701\n6471000000000799")
    with qtbot.waitSignal(page.rejected) as sig:
        page.mark_button.click()
    assert [u.line for u in sig.args[0]] == [2]
    assert "Baris 2: 6471000000000799: NIK tidak terdaftar" in page.report.toPlainText()
    assert page.summary.total.held == 0  # nothing written
    page.paste.setPlainText("6471.0000.0000.0701\n6471000000000702;2025-05-20")
    page.received.setDate(page.received.date().fromString("2025-04-10", "yyyy-MM-dd"))
    with qtbot.waitSignal(page.marked):
        page.mark_button.click()
    wait_loaded(qtbot, page)
    t = page.summary.total
    assert (t.tepat_waktu, t.terlambat, t.belum) == (1, 1, 0)
    assert "2 dari 2 koperasi wajib RAT (100,00 %)" in page.headline.text()
    last = page.by_kec.rowCount() - 1
    assert page.by_kec.item(last, 0).text() == "Jumlah" and page.by_kec.item(last, 5).text() == "100,00"
    page.state.setCurrentIndex(page.state.findData("terlambat"))
    assert page.list.rowCount() == 1 and page.list.item(0, 1).text() == "6471000000000702"


def test_assessment_entry_with_live_score(ctx, qtbot, tmp_path):
    from kopdesk.ui.supervision.kesehatan_page import KesehatanPage

    cid = make_coop(ctx.db, ctx.actor, nik="6471000000000801", name="Koperasi Sehat Sentosa")
    page = KesehatanPage(ctx)
    qtbot.addWidget(page)
    wait_loaded(qtbot, page)  # the schemes
    page.scheme.setCurrentIndex(page.scheme.findData("kkpkk_2021"))
    qtbot.keyClicks(page.coop_search, "6471000000000801")
    with qtbot.waitSignal(page.cooperative_shown, timeout=10000):
        qtbot.keyClick(page.coop_search, Qt.Key.Key_Return)
    assert page.coop_id == cid and "Koperasi Sehat Sentosa" in page.coop_label.text()
    qtbot.keyClicks(page.aspect_edits["tata_kelola"], "90")
    assert "Skor 27,00" in page.score_label.text() and "3 aspek belum diisi" in page.score_label.text()
    qtbot.keyClicks(page.aspect_edits["profil_risiko"], "70")
    qtbot.keyClicks(page.aspect_edits["kinerja_keuangan"], "60")
    qtbot.keyClicks(page.aspect_edits["permodalan"], "100")
    assert page.score_label.text() == "Skor 76,50 — Cukup Sehat"
    page.aspect_edits["permodalan"].setText("150")
    assert "harus antara 0 dan 100" in page.score_label.text()
    page.aspect_edits["permodalan"].setText("100")
    evidence = tmp_path / "kertas-kerja.pdf"
    evidence.write_bytes(b"%PDF bukti")
    page.evidence_paths.append(str(evidence))
    page.period.setValue(2025)
    with qtbot.waitSignal(page.saved):
        page.save_button.click()
    wait_loaded(qtbot, page)
    assert page.history.rowCount() == 1 and page.history.item(0, 4).text() == "Cukup Sehat"
    assert page.by_predikat.rowCount() == 1
    from kopdesk.models.health import HealthAssessment, HealthEvidence
    with ctx.db.read() as s:
        a = s.scalar(select(HealthAssessment))
        assert (a.cooperative_id, a.period_year, a.predikat, float(a.total_score)) == (cid, 2025, "cukup_sehat", 76.5)
        assert s.scalar(select(HealthEvidence.file_name)) == "kertas-kerja.pdf"


def test_field_sheet_and_berita_acara_from_the_page(ctx, qtbot, monkeypatch, tmp_path):
    from pypdf import PdfReader

    from kopdesk.models.services.supervision import pemutakhiran as pm
    from kopdesk.ui.supervision import pemutakhiran_page as page_mod

    cid = make_coop(ctx.db, ctx.actor, name="Koperasi Lembar", kecamatan="647103")
    with ctx.db.transaction(ctx.actor) as s:
        rid = pm.create_round(s, ctx.actor, "Putaran PDF", region_code="6471", started_on=dt.date(2026, 1, 2)).id
    page = page_mod.PemutakhiranPage(ctx)
    qtbot.addWidget(page)
    wait_loaded(qtbot, page)
    messages: list[str] = []
    monkeypatch.setattr(page_mod, "info", lambda _p, text, *a: messages.append(text))
    page.export_field_sheet()  # no kecamatan chosen yet
    assert "Pilih satu kecamatan" in messages[-1]
    page.kecamatan_filter.setCurrentIndex(page.kecamatan_filter.findData("647103"))
    wait_loaded(qtbot, page)
    sheet = tmp_path / "lembar.pdf"
    monkeypatch.setattr(page_mod.QFileDialog, "getSaveFileName", lambda *a, **k: (str(sheet), "PDF (*.pdf)"))
    page.export_field_sheet()
    qtbot.waitUntil(lambda: any("Lembar lapangan disimpan" in m for m in messages), timeout=10000)
    assert "Koperasi Lembar" in PdfReader(str(sheet)).pages[0].extract_text()
    assert not page.ba_button.isEnabled()
    with ctx.db.transaction(ctx.actor) as s:
        pm.record_visit(s, ctx.actor, rid, cid, {"visit_date": "2026-01-05", "found_at_address": True,
                                                 "business_active": True})
        pm.close_round(s, ctx.actor, rid, pm.close_preview(s, rid))
    page.refresh()
    wait_loaded(qtbot, page)
    ba = tmp_path / "ba.pdf"
    monkeypatch.setattr(page_mod.QFileDialog, "getSaveFileName", lambda *a, **k: (str(ba), "PDF (*.pdf)"))
    page.ba_button.click()
    qtbot.waitUntil(lambda: any("Berita acara disimpan" in m for m in messages), timeout=10000)
    assert "BERITA ACARA" in PdfReader(str(ba)).pages[0].extract_text()
