"""Every report as PDF and Excel: read back and compared with direct database counts."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy import func, select, update

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.reporting import report_data
from kopdesk.reports.excel.recap import write_xlsx
from kopdesk.reports.pdf.recap import write_pdf
from tests.reports.conftest import PERIOD

REG = Cooperative.status.in_(("aktif", "tidak_aktif", "tidak_ditemukan", "proses_pembubaran"))


def direct_recap(s, kab):  # type: ignore[no-untyped-def]
    def n(*w):  # type: ignore[no-untyped-def]
        return s.scalar(select(func.count()).select_from(Cooperative).where(Cooperative.kabkota_code == kab, *w))
    cert = Cooperative.nik_status == "bersertifikat"
    return [n(Cooperative.status == "aktif"), n(REG, Cooperative.status != "aktif"), n(REG), n(REG, cert),
            n(REG, cert, Cooperative.nik_certified_on.between(*PERIOD))]


def test_recap_xlsx_numbers_equal_direct_counts(db, dataset, tmp_path):
    path = tmp_path / "rekap.xlsx"
    with db.read() as s:
        write_xlsx(report_data.province_recap(s, "65", period=PERIOD), path)
        wb = openpyxl.load_workbook(path)
        ws = wb["Rekap"]
        assert ws.freeze_panes == "C5"
        assert [c.value for c in ws[4]] == ["No", "Kab/Kota", "Aktif", "Tidak Aktif", "Total Koperasi",
                                             "Bersertifikat NIK", "Progres", "Presentase"]
        codes = {"Bulungan": "6501", "Malinau": "6502", "Nunukan": "6503", "Tana Tidung": "6504", "Kota Tarakan": "6571"}
        for r in range(5, 10):
            label = ws.cell(r, 2).value
            values = [ws.cell(r, c).value for c in range(3, 8)]
            assert values == direct_recap(s, codes[label]), label
        assert ws.cell(10, 2).value == "Kalimantan Utara/Total"
        assert ws.cell(10, 3).value == 7 and ws.cell(10, 8).value == pytest.approx(71.43)
        assert ws.cell(10, 8).number_format == "0.00"
        params = {row[0].value: row[1].value for row in wb["Parameter"].iter_rows(min_row=2)}
        assert params["Periode"] == "Periode Juni 2026" and "Kalimantan Utara" in params["Wilayah"]


def test_recap_pdf_landscape_with_decimal_comma_and_signatory(db, dataset, admin, tmp_path):
    with db.transaction(admin) as s:
        s.execute(update(OfficeProfile).where(OfficeProfile.id == 1).values(
            name="Dinas Koperasi Provinsi Kalimantan Utara", city="Tanjung Selor", signatory_name="Dra. Trianingsih",
            signatory_title="Kepala Bidang Koperasi", signatory_nip="197001011995031001"))
    path = tmp_path / "rekap.pdf"
    with db.read() as s:
        write_pdf(report_data.province_recap(s, "65", period=PERIOD), path, today=dt.date(2026, 7, 2))
        expected = direct_recap(s, "6501")
    reader = PdfReader(path)
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Capaian Koperasi Kalimantan Utara" in text and "Periode Juni 2026" in text
    assert "Dinas Koperasi Provinsi Kalimantan Utara" in text and "Dra. Trianingsih" in text
    assert "19700101 199503 1 001" in text
    tokens = text.split()
    at = tokens.index("Bulungan")
    assert tokens[at + 1:at + 7] == [*map(str, expected), "75,00"]
    assert "Kalimantan Utara/Total" in text and "71,43" in text


@pytest.mark.parametrize("name", ["by-jenis", "by-region", "rat", "rat-trend", "predikat", "pemutakhiran"])
def test_other_reports_render_the_same_numbers(db, dataset, tmp_path, name):
    with db.read() as s:
        rep = report_data.build(s, name, "65.01" if name == "by-region" else "65", book_year=2025 if name == "rat" else 2026,
                                period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
        write_xlsx(rep, tmp_path / "r.xlsx")
        write_pdf(rep, tmp_path / "r.pdf")
    ws = openpyxl.load_workbook(tmp_path / "r.xlsx").worksheets[0]
    rows = list(ws.iter_rows(min_row=5, max_row=4 + len(rep.all_rows()), values_only=True))
    for row, values in zip(rep.all_rows(), rows):
        assert values[1] == row.label
        for cell, col, v in zip(row.cells, rep.columns, values[2:]):
            if col.kind == "count":
                assert v == cell.value == len(cell.ids)
    text = PdfReader(tmp_path / "r.pdf").pages[0].extract_text()
    total = rep.table()[-1]
    assert " ".join(total[2:]) in " ".join(text.split())


def test_recap_pdf_keeps_table_and_signature_on_page_one_and_adds_a_chart(db, dataset, admin, tmp_path):
    with db.transaction(admin) as s:
        s.execute(update(OfficeProfile).where(OfficeProfile.id == 1).values(
            signatory_name="Dra. Trianingsih", signatory_title="Kepala Bidang Koperasi"))
    with db.read() as s:
        write_pdf(report_data.province_recap(s, "65", period=PERIOD), tmp_path / "r.pdf")
    reader = PdfReader(tmp_path / "r.pdf")
    first = reader.pages[0].extract_text()
    assert "Kalimantan Utara/Total" in first and "Dra. Trianingsih" in first
    rest = " ".join(p.extract_text() for p in reader.pages)
    assert "Grafik: Aktif dan Tidak Aktif per kab/kota" in rest
