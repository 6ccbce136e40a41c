"""The visit entry grid's model on its own, with no window: Qt's model tester, roles, parsing, saving through the service."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.supervision import Visit
from kopdesk.ui.supervision.visit_grid import COLUMNS, KEYS, VisitGridModel
from tests.conftest import make_user
from tests.supervision.conftest import make_coop

DISPLAY, EDIT, TOOLTIP = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole, Qt.ItemDataRole.ToolTipRole


@pytest.fixture
def round_(sqlite_db):  # type: ignore[no-untyped-def]
    """A round over three cooperatives; the first already visited (not found at its address)."""
    db = sqlite_db
    actor = make_user(db, "admin", "admin")
    cids = [make_coop(db, actor, name=f"Koperasi Grid {c}", kecamatan="647101") for c in "ABC"]
    with db.transaction(actor) as s:
        rid = pm.create_round(s, actor, "Uji grid", cooperative_ids=cids, started_on=dt.date(2025, 10, 1)).id
        pm.record_visit(s, actor, rid, cids[0], {"visit_date": dt.date(2025, 10, 14), "officer_name": "Sri Wahyuni",
                                                 "found_at_address": False, "notes": "rumah kosong"})
    return db, actor, rid, cids


def grid_rows(db, rid: int) -> list[pm.GridRow]:  # type: ignore[no-untyped-def]
    with db.read() as s:
        return pm.grid_rows(s, rid)


def grid(db, rid: int, save: Any = None, defaults: Any = None, read_only: bool = False) -> VisitGridModel:  # type: ignore[no-untyped-def]
    model = VisitGridModel(save or (lambda cid, data: None), defaults)
    model.load(grid_rows(db, rid), read_only=read_only)
    return model


def saving(db, actor: Actor, rid: int):  # type: ignore[no-untyped-def]
    """The page's save: one transaction per row through the service."""
    def save(cid: int, data: dict[str, Any]) -> None:
        with db.transaction(actor) as s:
            pm.record_visit(s, actor, rid, cid, data)
    return save


def cell(model: VisitGridModel, row: int, key: str, role: Qt.ItemDataRole = DISPLAY) -> Any:
    return model.data(model.index(row, KEYS.index(key)), role)


def row_of(model: VisitGridModel, cid: int) -> int:
    return [r.base.cooperative_id for r in model.rows].index(cid)


def test_the_model_passes_qts_model_tester_through_edits_refusals_and_reload(round_, qtmodeltester):
    db, actor, rid, cids = round_
    model = grid(db, rid, saving(db, actor, rid))
    qtmodeltester.check(model)  # watches every signal the model sends from here on
    r = row_of(model, cids[1])
    assert model.setData(model.index(r, KEYS.index("visit_date")), "15/10/2025")
    assert not model.setData(model.index(r, KEYS.index("found_at_address")), "mungkin")
    assert model.setData(model.index(r, KEYS.index("found_at_address")), "y")
    model.load(grid_rows(db, rid), read_only=True)
    assert model.rowCount() == 3 and model.rows[r].saved


def test_a_visited_row_shows_its_visit_and_an_open_one_is_empty(round_):
    db, _actor, rid, cids = round_
    model = grid(db, rid)
    assert model.rowCount() == 3 and model.columnCount() == len(COLUMNS)
    seen, fresh = row_of(model, cids[0]), row_of(model, cids[1])
    assert {k: cell(model, seen, k) for k in KEYS} == {
        "name": "Koperasi Grid A", "visit_date": "14 Oktober 2025", "officer_name": "Sri Wahyuni",
        "found_at_address": "Tidak", "new_address": "", "business_active": "", "rat_held_last_year": "",
        "contact_person": "", "notes": "rumah kosong", "result": "Tidak ditemukan", "kecamatan": "Balikpapan Timur",
        "address": cell(model, seen, "address"), "status": "Aktif"}
    assert cell(model, seen, "address").startswith("Jl. Uji No. ")
    assert cell(model, seen, "visit_date", EDIT) == "14/10/2025"  # what the editor starts from
    assert cell(model, seen, "result", Qt.ItemDataRole.BackgroundRole).color().name() == "#e8f5e9"
    assert [cell(model, fresh, k) for k in ("visit_date", "found_at_address", "result")] == ["", "", ""]
    assert cell(model, fresh, "result", Qt.ItemDataRole.BackgroundRole) is None
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))] == [c[1] for c in COLUMNS]
    assert model.headerData(2, Qt.Orientation.Vertical) == "3"


def test_only_the_visit_columns_are_editable_and_none_in_a_closed_round(round_):
    db, _actor, rid, _cids = round_
    editable = {k for k, _title, can in COLUMNS if can}
    assert editable == {"visit_date", "officer_name", "found_at_address", "new_address", "business_active",
                        "rat_held_last_year", "contact_person", "notes"}
    model = grid(db, rid)
    flags = {k: bool(model.flags(model.index(0, i)) & Qt.ItemFlag.ItemIsEditable) for i, k in enumerate(KEYS)}
    assert {k for k, on in flags.items() if on} == editable
    closed = grid(db, rid, read_only=True)
    assert not any(closed.flags(closed.index(0, i)) & Qt.ItemFlag.ItemIsEditable for i in range(len(KEYS)))
    assert not closed.setData(closed.index(0, KEYS.index("notes")), "tidak boleh")
    assert cell(closed, 0, "notes") != "tidak boleh"


@pytest.mark.parametrize(("typed", "shown"), [("y", "Ya"), ("YA", "Ya"), ("1", "Ya"), ("benar", "Ya"), ("t", "Tidak"),
                                              ("Tidak", "Tidak"), ("0", "Tidak"), ("tdk", "Tidak"), ("", "")])
def test_yes_no_cells_take_the_clerks_spellings(round_, qtbot, typed, shown):
    db, _actor, rid, cids = round_
    model = grid(db, rid)
    r = row_of(model, cids[1])
    with qtbot.waitSignal(model.dataChanged) as changed:  # so the view repaints the row (its colour, the result)
        assert model.setData(model.index(r, KEYS.index("business_active")), typed)
    assert (changed.args[0].row(), changed.args[1].row()) == (r, r)
    assert cell(model, r, "business_active") == shown


def test_a_row_is_saved_once_it_has_a_date_and_found_and_reads_back_from_the_database(round_, qtbot):
    db, actor, rid, cids = round_
    saves: list[int] = []
    save = saving(db, actor, rid)
    model = grid(db, rid, lambda cid, data: (saves.append(cid), save(cid, data)),
                 defaults=lambda row: {"officer_name": "Rahmat Hidayat"})
    r = row_of(model, cids[1])
    with qtbot.assertNotEmitted(model.row_saved), qtbot.assertNotEmitted(model.row_failed):
        assert model.setData(model.index(r, KEYS.index("business_active")), "t")
        assert model.setData(model.index(r, KEYS.index("found_at_address")), "ya")
    assert saves == [] and cell(model, r, "result") == ""  # no date yet: typed, not saved
    assert cell(model, r, "found_at_address", Qt.ItemDataRole.BackgroundRole).color().name() == "#fff8e1"
    with qtbot.waitSignal(model.row_saved) as saved:
        assert model.setData(model.index(r, KEYS.index("visit_date")), "16/10/2025")
    assert saved.args == [cids[1]] and saves == [cids[1]]
    with db.read() as s:
        v = s.scalar(select(Visit).where(Visit.cooperative_id == cids[1]))
        assert (v.visit_date, v.officer_name, v.found_at_address, v.business_active, v.result) == (
            dt.date(2025, 10, 16), "Rahmat Hidayat", True, False, "tidak_aktif")
    assert cell(model, r, "result") == pm.VISIT_RESULT["tidak_aktif"] == "Tidak aktif"
    assert cell(model, r, "officer_name") == "Rahmat Hidayat"  # the default filled the empty cell


def test_a_refused_cell_or_save_marks_the_row_and_keeps_what_was_there(round_, qtbot):
    db, actor, rid, cids = round_
    model = grid(db, rid, saving(db, actor, rid))
    r = row_of(model, cids[2])
    with qtbot.waitSignal(model.row_failed) as failed:
        assert not model.setData(model.index(r, KEYS.index("visit_date")), "31/02/2025")
    assert failed.args[0] == cids[2] and "bukan tanggal yang benar" in failed.args[1]
    assert cell(model, r, "visit_date") == ""
    assert "bukan tanggal yang benar" in cell(model, r, "name", TOOLTIP)
    assert cell(model, r, "name", Qt.ItemDataRole.BackgroundRole).color().name() == "#fde2e2"
    # The round is closed by someone else: the service refuses, the row says why, nothing is marked saved.
    with db.transaction(actor) as s:
        pm.close_round(s, actor, rid, pm.close_preview(s, rid))
    model.setData(model.index(r, KEYS.index("visit_date")), "17/10/2025")
    with qtbot.waitSignal(model.row_failed) as failed:
        model.setData(model.index(r, KEYS.index("found_at_address")), "y")
    assert "ditutup" in failed.args[1] and not model.rows[r].saved and cell(model, r, "result") == ""
    with db.read() as s:
        assert s.scalar(select(Visit).where(Visit.cooperative_id == cids[2])) is None
