"""The province recap of the demo data equals the brief's Kalimantan Utara table (§10, Jun 2019), cell for cell."""

from __future__ import annotations

import datetime as dt

import openpyxl

from kopdesk.models.services.demo import data as demo
from kopdesk.models.services.reporting import report_data
from kopdesk.reports.excel.recap import write_xlsx

# No, Kab/Kota, Aktif, Tidak Aktif, Total Koperasi, Bersertifikat NIK, Progres, Presentase (brief §10).
KALTARA = [
    ["No", "Kab/Kota", "Aktif", "Tidak Aktif", "Total Koperasi", "Bersertifikat NIK", "Progres", "Presentase"],
    ["1", "Bulungan", "109", "70", "179", "41", "5", "37,61"],
    ["2", "Malinau", "75", "29", "104", "4", "-", "5,33"],
    ["3", "Nunukan", "157", "88", "245", "5", "2", "3,18"],
    ["4", "Tana Tidung", "20", "8", "28", "4", "2", "20,00"],
    ["5", "Kota Tarakan", "113", "78", "191", "16", "3", "14,16"],
    ["", "Kalimantan Utara/Total", "474", "273", "747", "70", "12", "14,77"],
]
JUNE_2019 = (dt.date(2019, 6, 1), dt.date(2019, 6, 30))


def test_demo_kaltara_recap_equals_the_brief(sqlite_db, tmp_path):
    from kopdesk.reports.pdf import teguran as letter_pdf

    demo.generate(sqlite_db, seed=2024, letter_renderer=letter_pdf)
    with sqlite_db.read() as s:
        # The seed's table is the position of June 2019 (the demo keeps later history elsewhere).
        rep = report_data.province_recap(s, "65", period=JUNE_2019, as_of=JUNE_2019[1])
        assert rep.table() == KALTARA
        for row in rep.all_rows():  # and every number opens exactly its cooperatives
            for cell in row.cells[:5]:
                assert len(cell.ids) == cell.value
        write_xlsx(rep, tmp_path / "kaltara.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "kaltara.xlsx")["Rekap"]
    assert [ws.cell(10, c).value for c in range(2, 8)] == ["Kalimantan Utara/Total", 474, 273, 747, 70, 12]
    assert round(ws.cell(10, 8).value, 2) == 14.77
