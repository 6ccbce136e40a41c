"""Fixtures for the certificate tests: an office profile, certifiable cooperatives, and a PNG reader."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

import pytest

TODAY = dt.date(2026, 11, 23)


def setup_office(db, actor) -> None:  # type: ignore[no-untyped-def]
    from kopdesk.models.office import OfficeProfile

    with db.transaction(actor) as s:
        p = s.get(OfficeProfile, 1)
        p.government = "Pemerintah Kota Balikpapan"
        p.name = "Dinas Koperasi, Usaha Mikro, Kecil dan Menengah, dan Perindustrian"
        p.address = "Jl. Jenderal Sudirman No. 1, Balikpapan"
        p.postal_code = "76114"
        p.phone = "(0542) 421001"
        p.email = "dkumkmp@balikpapan.go.id"
        p.city = "Balikpapan"
        p.signatory_title = "Kepala Dinas Koperasi, Usaha Mikro, Kecil dan Menengah, dan Perindustrian"
        p.signatory_name = "Dra. Hj. Sri Wahyuningsih, M.Si."
        p.signatory_rank = "Pembina Utama Muda (IV/c)"
        p.signatory_nip = "196805121993032004"


def make_coops(db, actor, n: int, *, start: int = 1, rat_years=(2023, 2024, 2025), **over):  # type: ignore[no-untyped-def]
    """n active cooperatives with NIKs 64710100000xxxxx and RAT records; returns their ids."""
    from kopdesk.models.rat import RatRecord
    from kopdesk.models.services.registry import cooperatives as registry

    ids = []
    with db.transaction(actor) as s:
        for i in range(start, start + n):
            data = {
                "name": f"Koperasi Konsumen Karya Bersama {i}", "nik": f"6471010{i:09d}",
                "legal_number": f"503/{i}/BH/XVI.5/1998", "legal_date": "1998-03-14",
                "address": f"Jl. Mulawarman No. {i}", "kelurahan_code": "64.71.01.1001", "jenis": "konsumen",
                "members_male": 120, "members_female": 80,
            }
            data.update(over)
            coop, _ = registry.create_cooperative(s, actor, data, today=TODAY)
            ids.append(coop.id)
            for y in rat_years:
                s.add(RatRecord(cooperative_id=coop.id, book_year=y, rat_date=dt.date(y + 1, 3, 20)))
        s.flush()
    return ids


@pytest.fixture
def office(db, admin):  # type: ignore[no-untyped-def]
    setup_office(db, admin)
    return admin


def render_png(pdf: Path, out_stem: Path, dpi: int = 150, page: int = 1) -> Path:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(out_stem)], check=True)
    return out_stem.with_suffix(".png")


def read_codes(png: Path) -> dict[str, str]:
    import zxingcpp
    from PIL import Image

    found = {}
    for r in zxingcpp.read_barcodes(Image.open(png)):
        found[str(r.format)] = r.text
    return found
