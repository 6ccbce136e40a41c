"""A board member's citizen NIK is masked for roles without personal_data.view, in the form and in exports."""

from __future__ import annotations

import openpyxl
import pytest

from kopdesk.models.services.administration import auth
from kopdesk.models.services.administration.auth import PERMISSIONS
from kopdesk.models.services.exchange import consolidation
from kopdesk.models.services.registry import cooperatives as registry
from tests.conftest import make_user

KTP = "6471015507850002"
MASKED = "6471********0002"


@pytest.fixture
def coop_with_board(sqlite_db):  # type: ignore[no-untyped-def]
    admin = make_user(sqlite_db, "admin", "admin")
    with sqlite_db.transaction(admin) as s:
        coop, _ = registry.create_cooperative(s, admin, {
            "name": "Koperasi Pengurus Rahasia", "nik": "6471010000000055", "legal_number": "55/BH/2001",
            "legal_date": "2001-01-01", "address": "Jl. Privasi", "kabkota_code": "6471", "kecamatan_code": "647101",
            "jenis": "konsumen"}, officers=[{"role": "ketua", "name": "Siti Aminah", "sex": "P", "citizen_nik": KTP}])
        cid = coop.id
    return sqlite_db, cid


def test_roles_as_configured():
    assert "personal_data.view" in PERMISSIONS["admin"] and "personal_data.view" in PERMISSIONS["operator"]
    assert "personal_data.view" not in PERMISSIONS["pimpinan"]


@pytest.mark.parametrize("role,shown", [("pimpinan", MASKED), ("operator", KTP), ("admin", KTP)])
def test_officers_table_of_the_form(coop_with_board, qtbot, role, shown):
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.registry.cooperative_form import CooperativeForm
    from kopdesk.ui.tasks import TaskRunner

    db, cid = coop_with_board
    actor = make_user(db, f"u_{role}", role)
    form = CooperativeForm(AppContext(db=db, actor=actor, tasks=TaskRunner(None)), cid)
    qtbot.addWidget(form)
    t = form.officer_table
    assert t.rowCount() == 1 and t.item(0, 1).text() == "Siti Aminah"
    assert t.item(0, 3).text() == shown
    if role == "pimpinan":  # and the whole NIK is nowhere in the form's officers table
        cells = [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount()) if t.item(r, c)]
        assert not any(KTP in x for x in cells)
    form._loading = True
    form.done(0)


@pytest.mark.parametrize("role", ["pimpinan", "operator"])
def test_history_tab_masks_a_changed_citizen_nik(coop_with_board, qtbot, role):
    """The audit trail keeps the NIK KTP it changed; the form's Riwayat tab masks it like the officers table."""
    from sqlalchemy import select

    from kopdesk.models.cooperative import Cooperative, Officer
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.registry.cooperative_form import CooperativeForm
    from kopdesk.ui.tasks import TaskRunner

    db, cid = coop_with_board
    admin = make_user(db, "admin", "admin")
    new_ktp = "6471016608900003"
    with db.transaction(admin) as s:
        version = s.scalar(select(Cooperative.version).where(Cooperative.id == cid))
        oid = s.scalar(select(Officer.id).where(Officer.cooperative_id == cid))
        registry.update_cooperative(s, admin, cid, version, {}, officers=[
            {"id": oid, "role": "ketua", "name": "Siti Aminah", "sex": "P", "citizen_nik": new_ktp}])
    actor = make_user(db, f"u_{role}", role)
    form = CooperativeForm(AppContext(db=db, actor=actor, tasks=TaskRunner(None)), cid)
    qtbot.addWidget(form)
    t = form.history_table
    cells = [t.item(r, c).text() for r in range(t.rowCount()) for c in range(t.columnCount()) if t.item(r, c)]
    if role == "pimpinan":
        assert not any(KTP in x or new_ktp in x for x in cells), cells
        assert any("6471********0003" in x for x in cells)
    else:
        assert any(new_ktp in x for x in cells)
    form._loading = True
    form.done(0)


def _all_cells(path) -> list[str]:  # type: ignore[no-untyped-def]
    wb = openpyxl.load_workbook(path, read_only=True)
    return [str(v) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for v in row if v is not None]


def test_exports_never_carry_the_citizen_nik(coop_with_board, tmp_path):
    """The registry export and the office workbook have no board members' NIK KTP (whole or in part)."""
    from kopdesk.models.queries import RegistryFilter
    from kopdesk.models.services.exchange import ods_export
    from kopdesk.reports.excel.registry import write_office_workbook, write_registry_export

    db, _ = coop_with_board
    with db.read() as s:
        assert ods_export.export_registry(s, RegistryFilter(), tmp_path / "registri.xlsx",
                                          write=write_registry_export) == 1
        consolidation.export_office_workbook(s, "6471", tmp_path / "kantor.xlsx", write=write_office_workbook)
    for name in ("registri.xlsx", "kantor.xlsx"):
        cells = _all_cells(tmp_path / name)
        assert any("Koperasi Pengurus Rahasia" in c for c in cells) or name == "kantor.xlsx"
        assert not any(KTP in c or "55078500" in c for c in cells), name


def test_mask_keeps_only_the_ends():
    assert auth.mask_citizen_nik(KTP, auth.Actor(1, "k", "pimpinan")) == MASKED
    assert auth.mask_citizen_nik(KTP, None) == MASKED
    assert auth.mask_citizen_nik("", None) == ""
