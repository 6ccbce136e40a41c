"""Data sets for the report tests: a small registry in Kalimantan Utara built through the registry services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from kopdesk.models.health import HealthAssessment
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.supervision import Visit

TODAY = dt.date(2026, 11, 23)
PERIOD = (dt.date(2026, 6, 1), dt.date(2026, 6, 30))

# kelurahan, jenis, pola, status, nik, certified on, RAT 2025, predikat, visit (found, business)
ROWS = [
    ("65.01.01.1001", "konsumen", "konvensional", "aktif", "6501010000000001", dt.date(2026, 6, 10), True, "sehat", (True, True)),
    ("65.01.01.1001", "simpan_pinjam", "syariah", "aktif", "6501010000000002", dt.date(2025, 3, 1), True, "cukup_sehat", (True, False)),
    ("65.01.01.1002", "simpan_pinjam", "konvensional", "aktif", None, None, False, None, (False, None)),
    ("65.01.02.2001", "produsen", "konvensional", "tidak_aktif", None, None, False, None, None),
    ("65.01.02.2001", "jasa", "konvensional", "aktif", "6501020000000005", dt.date(2026, 6, 30), False, None, None),
    ("65.01.02.2002", "pemasaran", "konvensional", "tidak_ditemukan", None, None, False, None, (False, False)),
    ("65.71.01.1001", "konsumen", "konvensional", "aktif", "6571010000000007", dt.date(2024, 1, 5), True, "sehat", None),
    ("65.71.01.1002", "konsumen", "konvensional", "tidak_aktif", "6571010000000008", dt.date(2023, 1, 5), False, None, None),
    ("65.71.02.1001", "konsumen", "konvensional", "aktif", None, None, True, None, (True, True)),
    ("65.71.02.1002", "simpan_pinjam", "syariah", "proses_pembubaran", None, None, False, None, None),
    ("65.02.01.2001", "jasa", "konvensional", "aktif", None, None, False, None, None),
]


@dataclass
class Dataset:
    ids: list[int]


def build_dataset(db, actor) -> Dataset:  # type: ignore[no-untyped-def]
    ids: list[int] = []
    with db.transaction(actor) as s:
        from kopdesk.models.region import Region

        for i, (kel, jenis, pola, status, nik, cert_on, rat, pred, visit) in enumerate(ROWS, start=1):
            if s.get(Region, kel.replace(".", "")) is None:  # a kelurahan code that the region data names otherwise
                kel = kel[:8]
            data = {
                "name": f"Koperasi Uji {i:02d}", "legal_number": f"{i}/BH/65/2001", "legal_date": "2001-02-03",
                "address": f"Jl. Uji No. {i}", "jenis": jenis, "pola": pola, "status": status,
                "registered_on": dt.date(2020, 1, 1),
                ("kelurahan_code" if len(kel) > 8 else "kecamatan_code"): kel,
            }
            if nik:
                data.update(nik=nik, nik_status="bersertifikat", nik_certified_on=cert_on)
            coop, _ = registry.create_cooperative(s, actor, data, today=TODAY)
            ids.append(coop.id)
            if rat:
                s.add(RatRecord(cooperative_id=coop.id, book_year=2025, rat_date=dt.date(2026, 3, 1)))
            if pred:
                s.add(HealthAssessment(cooperative_id=coop.id, period_year=2026, scheme="kkpkk_2021",
                                       assessed_on=dt.date(2026, 5, 1), total_score=80, predikat=pred))
            if visit:
                s.add(Visit(cooperative_id=coop.id, visit_date=dt.date(2026, 7, 1), found_at_address=visit[0],
                            business_active=visit[1], result="aktif" if visit[0] else "tidak_ditemukan"))
    return Dataset(ids)


@pytest.fixture
def dataset(db, admin):  # type: ignore[no-untyped-def]
    return build_dataset(db, admin)
