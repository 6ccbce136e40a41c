"""Registry export (round trip through the import), reconciliation, and consolidation of kab/kota workbooks."""

from __future__ import annotations

import openpyxl
import pytest

from kopdesk.models.progress import Cancelled
from kopdesk.models.queries import RegistryFilter, count
from kopdesk.models.services.exchange import consolidation, ods_import
from kopdesk.models.services.exchange.ods_export import export_registry as _export_registry
from kopdesk.models.services.reporting import report_data
from kopdesk.reports.excel.registry import write_office_workbook, write_registry_export
from tests.reports.conftest import PERIOD, TODAY


def export_registry(session, f, path, **kwargs):  # type: ignore[no-untyped-def]
    return _export_registry(session, f, path, write=write_registry_export, **kwargs)


def test_export_registry_round_trips_through_the_import(db, dataset, tmp_path):
    path = tmp_path / "registri.xlsx"
    f = RegistryFilter(region_code="65")
    seen = []
    with db.read() as s:
        n = export_registry(s, f, path, progress=lambda d, t, x: seen.append((d, t)))
        assert n == count(s, f) == 11
    ws = openpyxl.load_workbook(path)["Registri"]
    assert ws.freeze_panes == "C2" and ws.max_row == 12
    headers = [c.value for c in ws[1]]
    names = {ws.cell(r, headers.index("Nama Koperasi") + 1).value for r in range(2, 13)}
    assert names == {f"Koperasi Uji {i:02d}" for i in range(1, 12)}
    with db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY)
    assert preview.counts() == {"baru": 0, "diperbarui": 0, "tidak berubah": 11, "tidak valid": 0}, \
        [(r.row, r.changes, [i.text() for i in r.issues]) for r in preview.rows]


def test_export_cancel_leaves_no_file(db, dataset, tmp_path):
    path = tmp_path / "batal.xlsx"
    with db.read() as s, pytest.raises(Cancelled):
        export_registry(s, RegistryFilter(), path, cancelled=lambda: True)
    assert not path.exists() and not list(tmp_path.glob("*.tmp.xlsx"))


def test_reconcile_lists_both_sides_and_differences(db, dataset, tmp_path):
    path = tmp_path / "ods.xlsx"
    with db.read() as s:
        export_registry(s, RegistryFilter(region_code="6501"), path)
    wb = openpyxl.load_workbook(path)
    ws = wb["Registri"]
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("Alamat") + 1).value = "Jl. Berubah 1"
    gone = ws.cell(3, headers.index("Nama Koperasi") + 1).value
    ws.delete_rows(3)
    ws.append([99, None, "Koperasi Hanya di ODS", "77/BH/2000", "2000-01-01", "Jl. ODS", "Kalimantan Utara",
               "Bulungan", "Tanjung Palas", "Tanjung Palas Hulu", None, "Jasa"])
    wb.save(path)
    with db.read() as s:
        rec = consolidation.reconcile(s, path)
    assert [n for _r, n in rec.only_in_ods] == ["Koperasi Hanya di ODS"]
    assert [n for _i, n, _k in rec.only_in_registry] == [gone]
    assert [(c.field, c.new) for _r, _i, _n, cs in rec.differing for c in cs] == [("address", "Jl. Berubah 1")]
    out = tmp_path / "rekon.xlsx"
    consolidation.write_reconciliation(rec, out)
    book = openpyxl.load_workbook(out)
    assert book["Hanya di Registri"].cell(2, 2).value == gone
    assert book["Berbeda"].cell(2, 6).value == "Jl. Berubah 1"


def test_consolidation_builds_the_province_recap(db, dataset, tmp_path):
    paths = []
    with db.read() as s:
        for code in ("6501", "6571"):
            p = tmp_path / f"kab-{code}.xlsx"
            consolidation.export_office_workbook(s, code, p, write=write_office_workbook, period=PERIOD)
            paths.append(p)
        direct = report_data.province_recap(s, "65", period=PERIOD)
        rep = consolidation.consolidate(s, paths)
    want = {r.code: [c.value for c in r.cells] for r in direct.rows}
    got = {r.code: [c.value for c in r.cells] for r in rep.rows}
    assert got["6501"] == want["6501"] and got["6571"] == want["6571"]
    assert got["6502"][:5] == [0, 0, 0, 0, 0] and "Malinau" in rep.parameters["Belum mengirim"]
    assert rep.total.label == "Kalimantan Utara/Total"
    with db.read() as s, pytest.raises(ods_import.ImportFileError, match="Dua buku kerja"):
        consolidation.consolidate(s, [paths[0], paths[0]])
    with db.read() as s, pytest.raises(ods_import.ImportFileError):
        consolidation.consolidate(s, [tmp_path / "kab-6501.xlsx", __file__])


def test_input_template_has_lists_and_validation_and_imports_back(db, admin, tmp_path):
    import datetime as dt

    from kopdesk.models.services.exchange.ods_export import write_input_template
    from kopdesk.reports.excel.registry import write_input_template as draw_template

    path = tmp_path / "isian.xlsx"
    with db.read() as s:
        write_input_template(s, path, "65.71", write=draw_template)
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    headers = [c.value for c in ws[1]]
    kinds = {dv.type for dv in ws.data_validations.dataValidation}
    assert {"list", "date", "whole"} <= kinds
    assert wb["Daftar"].sheet_state == "hidden"
    lists = {wb["Daftar"].cell(1, j).value: [c.value for c in wb["Daftar"][openpyxl.utils.get_column_letter(j)][1:] if c.value]
             for j in range(1, wb["Daftar"].max_column + 1)}
    assert lists["Kab/Kota"] == ["Kota Tarakan"] and "Tarakan Barat" in lists["Kecamatan"]
    assert "Simpan Pinjam" in lists["Jenis Koperasi"]
    row = {"Nama Koperasi": "Koperasi Isian", "No. Badan Hukum": "1/BH/2020", "Tanggal Badan Hukum": dt.datetime(2020, 2, 2),
           "Alamat": "Jl. Isian", "Kab/Kota": "Kota Tarakan", "Kecamatan": "Tarakan Barat",
           "Jenis Koperasi": "Simpan Pinjam", "Pola Pengelolaan": "Syariah", "Anggota Pria": 30}
    for k, v in row.items():
        ws.cell(2, headers.index(k) + 1).value = v
    wb.save(path)
    with db.read() as s:
        preview = ods_import.preview_import(s, path, keep_values=True)
    assert preview.counts()["baru"] == 1 and preview.rows[0].clean["kecamatan_code"] == "657101"


def test_consolidation_reads_figures_as_offices_retype_them(db, dataset, tmp_path):
    """A kab/kota office that retyped its figures by hand ("1.234" as text) still consolidates; a figure that is
    not a number is named with the value as written."""
    with db.read() as s:
        p = tmp_path / "kab-6501.xlsx"
        consolidation.export_office_workbook(s, "6501", p, write=write_office_workbook, period=PERIOD)
    wb = openpyxl.load_workbook(p)
    meta = wb["Metadata"]
    rows = {meta.cell(r, 1).value: r for r in range(1, meta.max_row + 1)}
    meta.cell(rows["Total Koperasi"], 2).value = "1.234"
    meta.cell(rows["Aktif"], 2).value = " 1.000 "
    wb.save(p)
    with db.read() as s:
        rep = consolidation.consolidate(s, [p])
    got = {r.code: [c.value for c in r.cells] for r in rep.rows}
    assert got["6501"][0] == 1000 and got["6501"][2] == 1234
    meta.cell(rows["Aktif"], 2).value = "seribu"
    wb.save(p)
    with db.read() as s, pytest.raises(ods_import.ImportFileError, match="angka «Aktif» tidak valid: Jumlah «seribu» bukan"):
        consolidation.consolidate(s, [p])
