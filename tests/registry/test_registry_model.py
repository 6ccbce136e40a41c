"""The registry table model on its own, with no window: Qt's model tester, search, roles, SQL sort, refresh on change.

Each expectation comes from the database by another road than the model's (a plain query, a Python filter), so a
wrong page, order or label in the model shows up here, in a second, before any window test runs.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.region import Region
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.vocab import REGISTERED_STATUSES
from kopdesk.ui.registry.registry_model import COLUMNS, PAGE_SIZE, RegistryModel, first_page
from tests.support import registry_sample

SAMPLE = 450  # more than two pages
DISPLAY, TOOLTIP, USER = Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.UserRole


@pytest.fixture
def sample(db):  # type: ignore[no-untyped-def]
    registry_sample.fill(db, SAMPLE, "6471", officers_for=0)
    return db


def show(model: RegistryModel, f: RegistryFilter = RegistryFilter(), order: str = "name",  # noqa: B008
         descending: bool = False) -> None:
    """What the page does for a search: the first page off the UI thread, then set_result."""
    model.set_result(first_page(model.db, 1, f, order, descending))


def scroll_to_end(model: RegistryModel) -> None:
    while model.canFetchMore():
        model.fetchMore()


def ids(model: RegistryModel) -> list[int]:
    return [model.data(model.index(r, 0), USER) for r in range(model.rowCount())]


def column(key: str) -> int:
    return [c.key for c in COLUMNS].index(key)


def test_the_model_passes_qts_model_tester_through_search_scroll_refresh_and_reset(sample, qtmodeltester):
    model = RegistryModel(sample)
    show(model)
    assert model.rowCount() == PAGE_SIZE and model.canFetchMore()
    qtmodeltester.check(model)  # fetches the further pages as a view would, then watches every signal the model sends
    scroll_to_end(model)
    assert model.rowCount() > PAGE_SIZE and not model.canFetchMore()
    with sample.read() as s:
        first = s.get(Cooperative, ids(model)[0])
        version = first.version
    with sample.transaction(Actor.system("uji")) as s:
        registry.update_cooperative(s, Actor.system("uji"), ids(model)[0], version, {"notes": "diubah"})
    model.refresh_ids([ids(model)[0]])
    show(model, RegistryFilter(text="tidak-ada-yang-cocok"))
    assert model.rowCount() == 0 and not model.canFetchMore()
    show(model, RegistryFilter(text="makmur"), order="members", descending=True)
    assert model.rowCount() > 0


def _oracle(db, text: str) -> set[int]:  # type: ignore[no-untyped-def]
    """The registered cooperatives with every word of ``text`` in name, NIK, legal number or address (Python)."""
    words = [w.casefold() for w in text.split()]
    with db.read() as s:
        rows = s.execute(select(Cooperative.id, Cooperative.name, Cooperative.nik, Cooperative.legal_number,
                                Cooperative.address, Cooperative.status)).all()
    return {r.id for r in rows if r.status in REGISTERED_STATUSES and all(
        any(w in (v or "").casefold() for v in (r.name, r.nik, r.legal_number, r.address)) for w in words)}


@pytest.mark.parametrize("text", ["makmur", "koperasi sejahtera", "jl. ahmad", "KSPPS 64", "bh/64", "sudirman no", "", "zzqx"])
def test_row_count_after_a_search_is_every_match_once(sample, text):
    model = RegistryModel(sample)
    show(model, RegistryFilter(text=text))
    assert model.rowCount() == min(PAGE_SIZE, len(_oracle(sample, text)))
    scroll_to_end(model)
    assert sorted(ids(model)) == sorted(_oracle(sample, text))


def test_display_tooltip_and_other_roles_of_a_row(sqlite_db):
    db = sqlite_db
    actor = Actor.system("uji")
    with db.transaction(actor) as s:
        coop, _ = registry.create_cooperative(s, actor, {
            "name": "Koperasi Konsumen Tampil Benar", "nik": "6471010000000777", "legal_number": "503/BH/XVI.5/2015",
            "legal_date": "2015-03-14", "address": "Jl. Mulawarman No. 12", "kelurahan_code": "64.71.01.1001",
            "jenis": "simpan_pinjam", "pola": "syariah", "status": "tidak_aktif", "members_male": 1000,
            "members_female": 234, "is_merah_putih": True,
        }, today=dt.date(2026, 1, 5))
        cid = coop.id
        kel, kec, kab = (s.scalar(select(Region.name).where(Region.code == code))
                         for code in ("6471011001", "647101", "6471"))
    model = RegistryModel(db)
    show(model, RegistryFilter(ids=(cid,)))
    assert model.rowCount() == 1
    shown = {c.key: model.data(model.index(0, i), DISPLAY) for i, c in enumerate(COLUMNS)}
    assert shown == {
        "name": "Koperasi Konsumen Tampil Benar  · Merah Putih", "nik": "6471010000000777",
        "legal_number": "503/BH/XVI.5/2015", "legal_date": "14 Maret 2015", "jenis": "Simpan Pinjam",
        "pola": "Syariah", "status": "Tidak Aktif", "kabkota": kab, "kecamatan": kec, "kelurahan": kel,
        "address": "Jl. Mulawarman No. 12", "members": "1.234", "nik_status": shown["nik_status"],
    }
    assert shown["nik_status"]  # the label of the NIK status the service set, never empty
    tip = f"Koperasi Konsumen Tampil Benar\nJl. Mulawarman No. 12, {kel}, {kec}, {kab}"
    assert [model.data(model.index(0, i), TOOLTIP) for i in range(len(COLUMNS))] == [
        tip if c.key in ("name", "address") else None for c in COLUMNS]
    assert model.data(model.index(0, column("nik")), USER) == cid
    assert model.data(model.index(0, column("status")), Qt.ItemDataRole.ForegroundRole).color().name() == "#9a6700"
    assert model.data(model.index(0, column("name")), Qt.ItemDataRole.ForegroundRole) is None
    assert model.data(model.index(0, column("members")), Qt.ItemDataRole.TextAlignmentRole) == int(
        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    assert [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))] == [c.title for c in COLUMNS]


@pytest.mark.parametrize("descending", [False, True])
def test_sort_runs_in_sql_and_scrolling_keeps_its_order(sample, qtbot, descending):
    model = RegistryModel(sample)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for key in ("name", "nik", "legal_date", "status", "kecamatan", "members"):
        with qtbot.waitSignal(model.sort_requested) as asked:
            model.sort(column(key), order)  # the view's header click: the model asks for a new query
        assert asked.args == [key, descending]
        show(model, RegistryFilter(), order=key, descending=descending)
        scroll_to_end(model)
        with sample.read() as s:  # the same order from one unpaged query, ties broken by id
            c = Cooperative.members_male + Cooperative.members_female if key == "members" else \
                getattr(Cooperative, {"kecamatan": "kecamatan_code"}.get(key, key))
            expected = list(s.scalars(select(Cooperative.id).where(Cooperative.status.in_(REGISTERED_STATUSES))
                                      .order_by(c.desc() if descending else c.asc(),
                                                Cooperative.id.desc() if descending else Cooperative.id)))
        assert ids(model) == expected, key


def test_a_saved_change_refreshes_only_its_row(sample, qtbot):
    model = RegistryModel(sample)
    show(model)
    row = 7
    cid = ids(model)[row]
    before = [[model.data(model.index(r, c), DISPLAY) for c in range(len(COLUMNS))] for r in range(model.rowCount())]
    assert model.data(model.index(row, column("address")), DISPLAY) != "Jl. Baru No. 1"
    actor = Actor.system("uji")
    with sample.transaction(actor) as s:
        version = s.get(Cooperative, cid).version
        registry.update_cooperative(s, actor, cid, version, {"address": "Jl. Baru No. 1"})
    assert model.data(model.index(row, column("address")), DISPLAY) != "Jl. Baru No. 1"  # cached until told
    with qtbot.waitSignal(model.dataChanged) as changed:
        model.refresh_ids([cid])
    top, bottom = changed.args[0], changed.args[1]
    assert (top.row(), top.column(), bottom.row(), bottom.column()) == (row, 0, row, len(COLUMNS) - 1)
    assert model.data(model.index(row, column("address")), DISPLAY) == "Jl. Baru No. 1"
    after = [[model.data(model.index(r, c), DISPLAY) for c in range(len(COLUMNS))] for r in range(model.rowCount())]
    assert [r for r in range(len(before)) if before[r] != after[r]] == [row]
    # A change to a cooperative the model has not loaded touches nothing.
    with qtbot.assertNotEmitted(model.dataChanged), qtbot.assertNotEmitted(model.modelReset):
        model.refresh_ids([max(ids(model)) + 100_000])


@pytest.mark.parametrize(("f", "change"), [(RegistryFilter(), {"name": "Zzz Koperasi Terakhir"}),
                                           (RegistryFilter(statuses=("aktif",)), {"status": "tidak_aktif"})],
                         ids=["moves-to-the-end", "leaves-the-filter"])
def test_scrolling_after_a_saved_change_shows_every_cooperative_once(sample, f, change):
    """A save moves a loaded row in the order or out of the filter; the pages after it must neither skip nor repeat."""
    model = RegistryModel(sample)
    show(model, f)
    cid = ids(model)[5]
    actor = Actor.system("uji")
    with sample.transaction(actor) as s:
        version = s.get(Cooperative, cid).version
        if "status" in change:
            registry.change_status(s, actor, cid, change["status"], reason="Uji")
        else:
            registry.update_cooperative(s, actor, cid, version, change)
    model.refresh_ids([cid])  # what the page does when the saved cooperative is on screen
    scroll_to_end(model)
    statuses = f.statuses or REGISTERED_STATUSES
    with sample.read() as s:
        matching = set(s.scalars(select(Cooperative.id).where(Cooperative.status.in_(statuses))))
    shown = ids(model)
    assert len(shown) == len(set(shown)), "a cooperative is shown twice"
    assert matching - set(shown) == set(), "a cooperative is never shown"
    assert set(shown) - matching <= {cid}  # the changed row stays where the clerk saw it until the next search
