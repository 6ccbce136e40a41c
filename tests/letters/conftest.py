"""Fixtures for the surat teguran tests: a filled office profile and cooperatives with RAT/visit history."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from kopdesk.models.services.administration.auth import Actor

TODAY = dt.date(2026, 11, 23)
_nik = itertools.count(1)


def fill_office(db) -> None:  # type: ignore[no-untyped-def]
    from kopdesk.models.office import OfficeProfile

    with db.transaction(Actor.system()) as s:
        o = s.get(OfficeProfile, 1)
        o.government = "Pemerintah Kota Balikpapan"
        o.name = "Dinas Koperasi, Usaha Mikro, Kecil, Menengah dan Perindustrian"
        o.address = "Jl. Jenderal Sudirman No. 1, Balikpapan Kota"
        o.city = "Balikpapan"
        o.postal_code = "76111"
        o.phone = "(0542) 421234"
        o.email = "dkumkmp@balikpapan.go.id"
        o.website = "dkumkmp.balikpapankota.go.id"
        o.unit_code = "DKUMKMP"
        o.classification_code = "518"
        o.letter_number_format = "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}"
        o.signatory_title = "Kepala Dinas Koperasi, Usaha Mikro, Kecil, Menengah dan Perindustrian Kota Balikpapan"
        o.signatory_name = "Drs. H. Muhammad Rizal Effendi, M.Si."
        o.signatory_rank = "Pembina Utama Muda (IV/c)"
        o.signatory_nip = "196807121994031005"


@pytest.fixture
def office(db):  # type: ignore[no-untyped-def]
    fill_office(db)
    return db


def make_coop(db, actor, *, name: str = "Koperasi Konsumen Karya Bersama", rat_years=(), legal_date: str = "2015-03-14",  # type: ignore[no-untyped-def]
              status: str = "aktif", chair: str = "H. Sulaiman", nik: str | None = None) -> int:
    from kopdesk.models.rat import RatRecord
    from kopdesk.models.services.registry import cooperatives as registry

    data = {
        "name": name, "nik": nik or f"64710100{next(_nik):08d}", "legal_number": "503/BH/XVI.5/2015",
        "legal_date": legal_date, "address": "Jl. Mulawarman No. 12", "kelurahan_code": "64.71.01.1001",
        "jenis": "konsumen", "status": status,
    }
    with db.transaction(actor) as s:
        coop, _ = registry.create_cooperative(s, actor, data, today=TODAY,
                                              officers=[{"role": "ketua", "name": chair, "sex": "L"}])
        for y in rat_years:
            s.add(RatRecord(cooperative_id=coop.id, book_year=y, rat_date=dt.date(y + 1, 3, 1),
                            report_received_date=dt.date(y + 1, 3, 10)))
        return coop.id


def add_visit(db, actor, coop_id: int, *, found: bool, business: bool | None = None,  # type: ignore[no-untyped-def]
              on: dt.date = dt.date(2025, 10, 6), officer: str = "Sri Wahyuni") -> None:
    from kopdesk.models.supervision import Visit

    with db.transaction(actor) as s:
        s.add(Visit(cooperative_id=coop_id, visit_date=on, officer_name=officer, found_at_address=found,
                    business_active=business, result="aktif" if found else "tidak_ditemukan"))
