"""The query layer of the reports: every number equals a direct count, and its filter opens those cooperatives."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.queries import count
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.reporting import report_data
from tests.reports.conftest import PERIOD


def direct(s, *where):  # type: ignore[no-untyped-def]
    return s.scalar(select(func.count()).select_from(Cooperative).where(*where))


REG = Cooperative.status.in_(("aktif", "tidak_aktif", "tidak_ditemukan", "proses_pembubaran"))


def test_province_recap_matches_direct_counts(db, dataset):
    with db.read() as s:
        r = report_data.province_recap(s, "65", period=PERIOD)
        assert [row.label for row in r.rows] == ["Bulungan", "Malinau", "Nunukan", "Tana Tidung", "Kota Tarakan"]
        for row in r.rows:
            k = Cooperative.kabkota_code == row.code
            expected = [
                direct(s, k, Cooperative.status == "aktif"),
                direct(s, k, REG, Cooperative.status != "aktif"),
                direct(s, k, REG),
                direct(s, k, REG, Cooperative.nik_status == "bersertifikat"),
                direct(s, k, REG, Cooperative.nik_status == "bersertifikat",
                       Cooperative.nik_certified_on.between(*PERIOD)),
            ]
            assert [c.value for c in row.cells[:5]] == expected
            for cell in row.cells[:5]:
                assert count(s, cell.filter) == cell.value
        bul = r.rows[0]
        assert [c.value for c in bul.cells[:5]] == [4, 2, 6, 3, 2]
        assert bul.cells[5].value == Decimal("75.00")
        assert r.total.label == "Kalimantan Utara/Total"
        assert [c.value for c in r.total.cells[:5]] == [7, 4, 11, 5, 2]
        assert r.table()[-1][-1] == "71,43"  # 5 / 7 with a decimal comma
        assert r.table()[2][6] == "-"  # Malinau: no progress printed as a dash


def test_by_jenis_and_by_region(db, dataset):
    with db.read() as s:
        j = report_data.recap_by_jenis(s, "65")
        by = {row.label: [c.value for c in row.cells] for row in j.rows}
        assert by["Konsumen"] == [3, 1, 4] and by["KSP Syariah"] == [1, 1, 2] and by["KSP Konvensional"] == [1, 0, 1]
        assert [c.value for c in j.total.cells] == [7, 4, 11]
        k = report_data.recap_by_region(s, "65.01")
        assert k.rows[0].label == "Tanjung Palas" and [c.value for c in k.rows[0].cells] == [3, 0, 3]
        for row in k.all_rows():
            for cell in row.cells:
                assert count(s, cell.filter) == cell.value
        m = report_data.recap_by_region(s, "65.02.01")
        assert m.rows[-1].label.startswith("(tanpa") and m.total.cells[2].value == 1


def test_rat_predikat_pemutakhiran(db, dataset):
    with db.read() as s:
        r = report_data.rat_compliance(s, "65", book_year=2025)
        held = s.scalar(select(func.count()).select_from(RatRecord).join(Cooperative)
                        .where(RatRecord.book_year == 2025, Cooperative.status == "aktif"))
        assert r.total.cells[1].value == held == 4
        assert r.total.cells[3].value == Decimal("57.14")
        p = report_data.predikat_counts(s, "65", year=2026)
        assert [c.value for c in p.total.cells] == [2, 1, 0, 0, 3]
        v = report_data.pemutakhiran_progress(s, "65", period=(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
        assert [c.value for c in v.total.cells[:6]] == [11, 5, 3, 2, 2, 6]
        assert v.total.cells[6].value == Decimal("45.45")


def test_as_of_uses_status_history(db, dataset, admin):
    from kopdesk.models.services.registry import cooperatives as registry

    with db.transaction(admin) as s:
        registry.change_status(s, admin, dataset.ids[0], "tidak_aktif", reason="uji", effective_date=dt.date(2026, 8, 1))
    with db.read() as s:
        before = report_data.province_recap(s, "65", as_of=dt.date(2026, 7, 31))
        now = report_data.province_recap(s, "65")
        assert before.rows[0].cells[0].value == 4 and now.rows[0].cells[0].value == 3
        assert dataset.ids[0] in before.rows[0].cells[0].ids


def test_rat_trend_over_book_years(db, dataset):
    with db.read() as s:
        r = report_data.rat_trend(s, "65", book_year=2025, years=3)
        assert [row.label for row in r.rows] == ["Tahun buku 2023", "Tahun buku 2024", "Tahun buku 2025"]
        # Registered 1 Jan 2020, statuses from the start: 7 active each year; RAT records only for 2025.
        assert [[c.value for c in row.cells[:3]] for row in r.rows] == [[7, 0, 7], [7, 0, 7], [7, 4, 3]]
        assert r.rows[2].cells[3].value == Decimal("57.14")
        for row in r.rows:
            for cell in row.cells[:3]:
                assert count(s, cell.filter) == cell.value
