"""The registry workbooks' writer (kopdesk.reports.excel.registry) on plain data, and the rows the export service
hands it, read back with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import openpyxl
import pytest

from kopdesk.models.documents.workbooks import CODE, DATE, NUMBER, TEXT, RegistryExport, RegistrySheet, SheetColumn
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.services.exchange import ods_export
from kopdesk.reports.excel.registry import write_registry_export

COLUMNS = (SheetColumn("nik", "NIK", CODE), SheetColumn("name", "Nama Koperasi", TEXT),
           SheetColumn("legal_date", "Tanggal Badan Hukum", DATE), SheetColumn("assets", "Aset", NUMBER),
           SheetColumn("status", "Status Aktif", TEXT))


def test_the_export_writer_draws_plain_rows_typed_by_column(tmp_path):
    rows = [["0012345678901234", "Koperasi Satu", dt.date(2001, 2, 3), Decimal("1250000"), "Aktif"],
            [None, "Koperasi Dua", None, 0, ""]]
    sheet = RegistrySheet(COLUMNS, 3, iter([rows[:1], rows[1:], [[None, "Koperasi Tiga", None, 7, "Tidak Aktif"]]]))
    path = tmp_path / "ekspor.xlsx"
    n = write_registry_export(RegistryExport(sheet, "Ekspor uji", (("Wilayah", "64.71"),)), path)
    assert n == 3
    book = openpyxl.load_workbook(path)
    ws = book["Registri"]
    assert [c.value for c in ws[1]] == ["No", "NIK", "Nama Koperasi", "Tanggal Badan Hukum", "Aset", "Status Aktif"]
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref == "A1:F4"
    nik, name, date, assets, status = ws[2][1:]
    assert (nik.value, nik.number_format, nik.data_type) == ("0012345678901234", "@", "s")
    assert name.value == "Koperasi Satu" and status.value == "Aktif"
    assert (date.value, date.number_format) == (dt.datetime(2001, 2, 3), "dd/mm/yyyy")
    assert (assets.value, assets.number_format) == (1250000, "#,##0")
    assert [c.value for c in ws[3]] == [2, None, "Koperasi Dua", None, 0, None]  # None and "" stay empty; 0 is a number
    assert [c.value for c in ws[4]] == [3, None, "Koperasi Tiga", None, 7, "Tidak Aktif"]
    params = {r[0].value: r[1].value for r in book["Parameter"].iter_rows()}
    assert params == {"Laporan": "Ekspor uji", "Jumlah baris": "3", "Wilayah": "64.71"}


def test_a_failure_while_rows_stream_leaves_no_file(tmp_path):
    def batches() -> Iterator[list[list[Any]]]:
        yield [["1", "Koperasi Satu", None, 1, "Aktif"]]
        raise RuntimeError("koneksi putus")

    path = tmp_path / "ekspor.xlsx"
    with pytest.raises(RuntimeError, match="koneksi putus"):
        write_registry_export(RegistryExport(RegistrySheet(COLUMNS, 2, batches()), "Ekspor uji", ()), path)
    assert list(tmp_path.iterdir()) == []


def test_the_export_rows_are_shown_values_in_the_ods_layout(db, dataset, tmp_path):
    """Labels instead of codes, the dotted region code (of the kelurahan, else the kecamatan), dates as dates, in
    batches with progress after each."""
    seen: list[tuple[int, int, str]] = []
    with db.read() as s:
        sheet = ods_export.registry_sheet(s, RegistryFilter(region_code="65"),
                                          progress=lambda d, t, x: seen.append((d, t, x)))
        rows = [row for batch in sheet.batches for row in batch]
    fields = [c.field for c in sheet.columns]
    assert fields[:2] == ["nik", "name"] and len(fields) == len(rows[0]) == len(ods_export.ODS_COLUMNS)
    assert sheet.total == len(rows) == 11
    assert seen == [(0, 11, "Mengekspor registri…"), (11, 11, "Mengekspor registri…"), (11, 11, "Selesai")]
    by = [dict(zip(fields, r)) for r in rows]
    assert {r["status"] for r in by} <= {"Aktif", "Tidak Aktif", "Tidak Ditemukan di Alamat", "Dalam Proses Pembubaran"}
    assert all(r["jenis"] in ("Konsumen", "Produsen", "Pemasaran", "Jasa", "Simpan Pinjam") for r in by)
    assert all(r["region_code"].startswith("65.") and r["region_code"].count(".") in (2, 3) for r in by)
    assert all(r["province"] == "Kalimantan Utara" for r in by)
    dates = [r["legal_date"] for r in by if r["legal_date"] is not None]
    assert dates and all(isinstance(d, dt.date) for d in dates)
    assert [c.kind for c in sheet.columns if c.field in ("nik", "legal_date", "assets", "name")] == [
        CODE, TEXT, DATE, NUMBER]
