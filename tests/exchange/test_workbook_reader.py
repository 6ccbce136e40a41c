"""The bounded streaming reader (kopdesk.models.services.exchange.workbook): limits checked before reading, cell
markers a plain reader loses, every XML form, and memory that does not grow with the rows."""

from __future__ import annotations

import datetime as dt
import re
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from kopdesk.models.services.exchange import workbook
from kopdesk.models.services.exchange.workbook import CellError, FormulaWithoutValue, ImportFileError, open_workbook


def rows_of(path: Path, sheet: str | None = None) -> list[tuple[int, list]]:  # type: ignore[type-arg]
    with open_workbook(path) as wb:
        return list(wb.rows(sheet or wb.sheets[0].name))


def rewrite(path: Path, part: str, change) -> Path:  # type: ignore[no-untyped-def]
    """The same workbook with one part's XML changed."""
    out = path.with_name("x-" + path.name)
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            dst.writestr(info, change(data) if info.filename == part else data)
    return out


def small(path: Path, rows: int = 3) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Nama Koperasi", "NIK", "Anggota"])
    for i in range(rows):
        ws.append([f"Koperasi {i}", f"640101000000{i:04d}", i])
    wb.save(path)
    return path


def test_a_workbook_that_expands_too_far_is_refused_before_reading(tmp_path, monkeypatch):
    path = small(tmp_path / "a.xlsx")
    size = sum(i.file_size for i in zipfile.ZipFile(path).infolist())
    monkeypatch.setattr(workbook, "MAX_UNCOMPRESSED_BYTES", size - 1)
    monkeypatch.setattr(workbook.XlsxBook, "rows", lambda *a, **k: pytest.fail("read although refused"))
    with pytest.raises(ImportFileError, match=r"setelah diekstrak\. Batasnya"):
        open_workbook(path)


def test_a_sheet_whose_dimension_is_beyond_the_limits_is_refused_before_reading(tmp_path, monkeypatch):
    path = small(tmp_path / "a.xlsx", rows=20)
    monkeypatch.setattr(workbook.XlsxBook, "rows", lambda *a, **k: pytest.fail("read although refused"))
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    with pytest.raises(ImportFileError, match=r"Lembar «Data» berisi 21 baris\. Batasnya 10 baris"):
        open_workbook(path)
    monkeypatch.setattr(workbook, "MAX_ROWS", 100)
    monkeypatch.setattr(workbook, "MAX_COLUMNS", 2)
    with pytest.raises(ImportFileError, match="berisi 3 kolom"):
        open_workbook(path)


def test_a_sheet_without_dimension_is_still_bounded_while_reading(tmp_path, monkeypatch):
    path = rewrite(small(tmp_path / "a.xlsx", rows=20), "xl/worksheets/sheet1.xml",
                   lambda d: re.sub(rb"<dimension[^>]*/>", b"", d))
    monkeypatch.setattr(workbook, "MAX_ROWS", 10)
    with open_workbook(path) as wb:
        assert wb.sheets[0].rows is None
        with pytest.raises(ImportFileError, match="lebih dari 10 baris"):
            list(wb.rows("Data"))
        with pytest.raises(ImportFileError, match="lebih dari 10 baris"):
            wb.scan("Data")


def test_formulas_without_a_stored_value_and_error_cells_are_kept_as_markers(tmp_path):
    wb = openpyxl.Workbook()  # openpyxl writes formulas without a result
    ws = wb.active
    ws.append(["Nama Koperasi", "Anggota"])
    ws.append(["Koperasi A", "=1+1"])
    wb.save(tmp_path / "o.xlsx")
    assert rows_of(tmp_path / "o.xlsx")[1] == (2, ["Koperasi A", FormulaWithoutValue("1+1")])
    x = xlsxwriter.Workbook(str(tmp_path / "x.xlsx"))  # XlsxWriter stores 0 and asks Excel to recalculate
    s = x.add_worksheet()
    s.write_row(0, 0, ["Nama Koperasi", "Anggota", "Keterangan"])
    s.write_string(1, 0, "Koperasi B")
    s.write_formula(1, 1, "=SUM(1,2)")
    s.write_formula(1, 2, '="a"&"b"', None, "ab")
    x.close()
    assert rows_of(tmp_path / "x.xlsx")[1][1][1:] == [FormulaWithoutValue("SUM(1,2)"), FormulaWithoutValue('"a"&"b"')]
    # A workbook saved by Excel: the result is stored and trusted; error results are error cells.
    excel = rewrite(tmp_path / "o.xlsx", "xl/worksheets/sheet1.xml",
                    lambda d: d.replace(b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>").replace(
                        b"</row></sheetData>", b'<c r="C2" t="e"><v>#N/A</v></c></row></sheetData>'))
    excel = rewrite(excel, "xl/workbook.xml", lambda d: d.replace(b'fullCalcOnLoad="1"', b""))
    assert rows_of(excel)[1] == (2, ["Koperasi A", 2, CellError("#N/A")])
    assert str(FormulaWithoutValue("1+1")) == "=1+1"


def test_numbers_keep_their_kind_dates_follow_the_cell_format(tmp_path):
    x = xlsxwriter.Workbook(str(tmp_path / "d.xlsx"))
    s = x.add_worksheet("Data")
    s.write_row(0, 0, ["Nama", "NIK", "Tanggal", "Pukul", "Modal"])
    s.write_string(1, 0, "Koperasi C")
    s.write_number(1, 1, 6401010000000061)  # a NIK as a number (Python writes it whole; Excel would not)
    s.write_datetime(1, 2, dt.datetime(1999, 8, 17), x.add_format({"num_format": "d mmmm yyyy"}))
    s.write_datetime(1, 3, dt.datetime(1999, 8, 17, 8, 30), x.add_format({"num_format": "dd/mm/yyyy hh:mm"}))
    s.write_number(1, 4, 1234.5, x.add_format({"num_format": "#,##0.00"}))
    x.close()
    _n, values = rows_of(tmp_path / "d.xlsx")[1]
    assert values[1] == 6401010000000061 and isinstance(values[1], int)  # a number, so the NIK rule can refuse it
    assert values[2] == dt.date(1999, 8, 17) and values[3] == dt.datetime(1999, 8, 17, 8, 30)
    assert values[4] == 1234.5
    mac = rewrite(tmp_path / "d.xlsx", "xl/workbook.xml", lambda d: d.replace(b"<workbookPr", b'<workbookPr date1904="1"'))
    assert rows_of(mac)[1][1][2] == dt.date(1999, 8, 17) + dt.timedelta(days=1462)


def test_unusual_xml_is_read_by_elementtree(tmp_path):
    path = small(tmp_path / "a.xlsx")
    # Prefixed element names (some .NET writers), cells without references, pretty-printed XML.
    def prefixed(d: bytes) -> bytes:
        d = re.sub(rb"<(/?)(worksheet|sheetData|row|c|v|is|t|dimension|sheetPr|outlinePr|pageSetUpPr|sheetViews|"
                   rb"sheetView|selection|sheetFormatPr|pageMargins)\b", rb"<\1x:\2", d)
        return d.replace(b'<x:worksheet xmlns="', b'<x:worksheet xmlns:x="')
    for change in (prefixed, lambda d: re.sub(rb' r="[A-Z]+\d+"', b"", d),
                   lambda d: d.replace(b"<c ", b"\n  <c ").replace(b"</row>", b"\n</row>")):
        got = rows_of(rewrite(path, "xl/worksheets/sheet1.xml", change))
        assert [v for _n, v in got] == [v for _n, v in rows_of(path)], change


def test_rich_text_and_escaped_shared_strings(tmp_path):
    x = xlsxwriter.Workbook(str(tmp_path / "r.xlsx"))
    s = x.add_worksheet()
    s.write_row(0, 0, ["Nama Koperasi", "Alamat"])
    s.write_rich_string(1, 0, "Koperasi ", x.add_format({"bold": True}), "Tebal", " & <Kawan>")
    s.write_string(1, 1, "Jl. A\r\nNo. 1")
    x.close()
    assert rows_of(tmp_path / "r.xlsx")[1][1] == ["Koperasi Tebal & <Kawan>", "Jl. A\nNo. 1"]


def test_not_a_workbook(tmp_path):
    for name, data in (("a.xlsx", b"PK\x03\x04 rusak"), ("b.xlsx", b"%PDF-1.4"), ("c.xls", b"\xd0\xcf\x11\xe0 rusak")):
        (tmp_path / name).write_bytes(data)
        with pytest.raises(ImportFileError, match="bukan buku kerja"):
            with open_workbook(tmp_path / name) as wb:
                list(wb.rows(wb.sheets[0].name))
    doctype = rewrite(small(tmp_path / "d.xlsx"), "xl/workbook.xml",
                      lambda d: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + d)
    with pytest.raises(ImportFileError, match="DOCTYPE"):
        open_workbook(doctype)


def _big(path: Path, rows: int) -> Path:
    x = xlsxwriter.Workbook(str(path))
    s = x.add_worksheet("Data")
    s.write_row(0, 0, ["Nama Koperasi", "Kab/Kota", "Jenis", "Anggota", "Modal"])
    for i in range(1, rows + 1):
        s.write_row(i, 0, ["Koperasi Sama", "Kota Balikpapan", "Konsumen", i, "Rp 1.000.000"])
    x.close()
    return path


def test_memory_stays_flat_as_the_rows_grow(tmp_path):
    peaks = {}
    for rows in (20_000, 80_000):
        path = _big(tmp_path / f"b{rows}.xlsx", rows)
        tracemalloc.start()
        with open_workbook(path) as wb:
            count = sum(1 for _ in wb.rows("Data"))
        peaks[rows] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert count == rows + 1
    # Four times the rows, the same memory (one block of rows at a time), well under a megabyte per 10,000 rows.
    assert peaks[80_000] < peaks[20_000] * 1.3 + 512 * 1024, peaks
