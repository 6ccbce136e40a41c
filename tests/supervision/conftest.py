"""Helpers for the supervision tests: cooperatives registered long ago in the Balikpapan kecamatan."""

from __future__ import annotations

import datetime as dt
import itertools

from kopdesk.models.services.registry import cooperatives as registry

TODAY = dt.date(2026, 11, 23)
KECAMATAN = ["647101", "647102", "647103", "647104", "647105", "647106"]
_seq = itertools.count(1)


def make_coop(db, actor, *, kecamatan: str = "647101", jenis: str = "konsumen", status: str = "aktif",  # type: ignore[no-untyped-def]
              form: str = "primer", nik: str | None = None, name: str | None = None, pola: str = "konvensional",
              registered_on: str = "2015-01-05", officers: list | None = None) -> int:
    n = next(_seq)
    with db.transaction(actor) as s:
        coop, _ = registry.create_cooperative(s, actor, {
            "name": name or f"Koperasi Uji {n}", "nik": nik if nik is not None else f"6471{n:012d}",
            "legal_number": f"{n}/BH/XVI.5/2010", "legal_date": "2010-02-01", "address": f"Jl. Uji No. {n}",
            "kecamatan_code": kecamatan, "jenis": jenis, "pola": pola, "form": form, "status": status,
            "registered_on": registered_on,
        }, officers=officers, today=TODAY)
        return coop.id
