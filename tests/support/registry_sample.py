"""A synthetic but realistic registry for screenshots, UI tests and the registry benchmark (no Qt).

``fill(db, n, region_code)`` bulk-inserts ``n`` cooperatives spread over the kelurahan below ``region_code``
(the whole country when None), with Indonesian names, legal numbers, addresses, members, capital, a board for
the first few hundred, and RAT records for most book years. It writes with Core ``executemany`` (fast at national
scale); the FTS triggers keep the search index in step. Audit entries are not written: this is sample data.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import insert, select

from kopdesk.models.cooperative import Cooperative, Officer, StatusChange
from kopdesk.models.db import Database
from kopdesk.models.lookup import Kelompok
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region, undotted

PREFIX = [("Koperasi Serba Usaha", "jasa"), ("Koperasi Simpan Pinjam", "simpan_pinjam"),
          ("Koperasi Konsumen", "konsumen"), ("Koperasi Produsen", "produsen"), ("Koperasi Pemasaran", "pemasaran"),
          ("KSPPS", "simpan_pinjam"), ("Koperasi Karyawan", "konsumen"), ("Koperasi Unit Desa", "produsen"),
          ("Koperasi Wanita", "simpan_pinjam"), ("KPRI", "konsumen")]
WORDS = ["Makmur", "Sejahtera", "Jaya", "Bersama", "Mandiri", "Sentosa", "Abadi", "Maju", "Karya", "Tirta", "Bina",
         "Usaha", "Mulia", "Berkah", "Amanah", "Sumber", "Rezeki", "Harapan", "Baru", "Gemilang", "Lestari", "Sakti",
         "Mekar", "Indah", "Tunas", "Melati", "Cahaya", "Bahari", "Nusantara", "Rukun", "Santosa", "Utama", "Wijaya"]
STREETS = ["Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. MT Haryono", "Jl. Soekarno-Hatta", "Jl. Pattimura",
           "Jl. Diponegoro", "Jl. Gajah Mada", "Jl. Imam Bonjol", "Jl. Pahlawan", "Jl. Merdeka", "Jl. Cendrawasih",
           "Jl. Mulawarman", "Jl. Marsma R. Iswahyudi", "Jl. Kartini", "Jl. Letjen Suprapto"]
PEOPLE = [("Budi Santoso", "L"), ("Siti Aminah", "P"), ("Agus Salim", "L"), ("Dewi Lestari", "P"),
          ("Hendra Wijaya", "L"), ("Nur Hidayah", "P"), ("Rudi Hartono", "L"), ("Sri Wahyuni", "P"), ("Ahmad Fauzi", "L"),
          ("Ratna Sari", "P"), ("Bambang Sutrisno", "L"), ("Yuliana", "P"), ("Muhammad Rizki", "L"), ("Fitriani", "P"),
          ("Andi Pratama", "L"), ("Wahyu Hidayat", "L"), ("Rini Astuti", "P"), ("Joko Susilo", "L")]
STATUS_WEIGHTS = [("aktif", 70), ("tidak_aktif", 18), ("tidak_ditemukan", 6), ("proses_pembubaran", 2),
                  ("dibubarkan", 4)]


def _pick_status(rnd: random.Random) -> str:
    x = rnd.randrange(100)
    for status, w in STATUS_WEIGHTS:
        if x < w:
            return status
        x -= w
    return "aktif"


def fill(db: Database, n: int, region_code: str | None = None, *, seed: int = 7, with_rat_years: int = 3,
         officers_for: int = 300) -> int:
    """Insert ``n`` sample cooperatives; returns the number inserted."""
    rnd = random.Random(seed)
    code = undotted(region_code or "")
    with db.read() as s:
        q = select(Region.code).where(Region.level == 4)
        if code:
            q = q.where(Region.code.like(code + "%"))
        kelurahan = list(s.scalars(q))
        kelompok = list(s.scalars(select(Kelompok.id)))
    if not kelurahan:
        raise ValueError(f"tidak ada kelurahan di wilayah {region_code!r}")
    today = dt.date.today()
    with db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":  # take ids from the sequence, so later inserts do not collide
            from sqlalchemy import text

            ids = list(conn.scalars(text("SELECT nextval(pg_get_serial_sequence('cooperative', 'id')) "
                                         "FROM generate_series(1, :n)"), {"n": n}))
        else:
            start_id = (conn.scalar(select(Cooperative.id).order_by(Cooperative.id.desc()).limit(1)) or 0) + 1
            ids = list(range(start_id, start_id + n))
    rows, officers, rats, changes = [], [], [], []
    for k in range(n):
        ident = ids[k]
        prefix, jenis = PREFIX[rnd.randrange(len(PREFIX))]
        name = f"{prefix} {rnd.choice(WORDS)} {rnd.choice(WORDS)}"
        if rnd.random() < 0.3:
            name += f" {rnd.randint(1, 99)}"
        kel = kelurahan[rnd.randrange(len(kelurahan))]
        legal_date = dt.date(rnd.randint(1975, 2023), rnd.randint(1, 12), rnd.randint(1, 28))
        status = _pick_status(rnd)
        nik_status = rnd.choice(["bersertifikat", "belum_bersertifikat", "tidak_ada"])
        male, female = rnd.randint(9, 900), rnd.randint(0, 900)
        capital = rnd.randint(5, 5000) * 1_000_000
        mp = jenis != "simpan_pinjam" and rnd.random() < 0.08
        rows.append({
            "id": ident, "name": ("Koperasi Desa Merah Putih " + rnd.choice(WORDS)) if mp else name,
            "nik": f"{kel[:4]}{ident:09d}" if nik_status != "tidak_ada" else None,
            "legal_number": f"{rnd.randint(1, 999)}/BH/{kel[:2]}/{legal_date.year}",
            "legal_date": legal_date, "address": f"{rnd.choice(STREETS)} No. {rnd.randint(1, 250)}",
            "rt_rw": f"{rnd.randint(1, 30):03d}/{rnd.randint(1, 12):03d}", "postal_code": f"{rnd.randint(10000, 99999)}",
            "province_code": kel[:2], "kabkota_code": kel[:4], "kecamatan_code": kel[:6], "kelurahan_code": kel,
            "phone": f"08{rnd.randint(11, 59)}{rnd.randint(1000000, 9999999)}", "form": "primer",
            "membership_scope": "kabkota", "jenis": jenis, "pola": "syariah" if prefix == "KSPPS" else "konvensional",
            "kelompok_id": rnd.choice(kelompok) if kelompok else None, "is_merah_putih": mp,
            "members_male": male, "members_female": female, "employees": rnd.randint(0, 40), "managers": rnd.randint(0, 3),
            "own_capital": capital, "external_capital": rnd.randint(0, 3000) * 1_000_000,
            "assets": capital * rnd.randint(1, 4), "business_volume": rnd.randint(10, 20000) * 1_000_000,
            "shu": rnd.randint(-50, 500) * 1_000_000, "figures_year": today.year - 1,
            "status": status, "status_reason": None if status == "aktif" else "Hasil pemutakhiran data",
            "status_date": legal_date, "registered_on": legal_date, "nik_status": nik_status,
            "nik_certified_on": legal_date if nik_status == "bersertifikat" else None,
            "grade_override": False, "version": 1,
        })
        changes.append({"cooperative_id": ident, "from_status": None, "to_status": status, "effective_date": legal_date,
                        "reason": "Data awal", "source": "demo", "username": "sistem"})
        if k < officers_for:
            for role, (person, sex) in zip(("ketua", "sekretaris", "bendahara", "pengawas"), rnd.sample(PEOPLE, 4)):
                officers.append({"cooperative_id": ident, "role": role, "name": person, "sex": sex, "citizen_nik": f"{kel[:6]}{rnd.randint(10**9, 10**10 - 1)}",
                                 "term_start": dt.date(today.year - 2, 1, 15), "term_end": dt.date(today.year + 2, 1, 14)})
        for year in range(today.year - with_rat_years, today.year):
            if status == "aktif" and rnd.random() < 0.7:
                rats.append({"cooperative_id": ident, "book_year": year,
                             "rat_date": dt.date(year + 1, rnd.randint(1, 6), rnd.randint(1, 28)),
                             "report_received_date": dt.date(year + 1, 6, 30), "attendance": rnd.randint(10, 300),
                             "has_minutes": True, "has_financials": rnd.random() < 0.8, "has_lpj": rnd.random() < 0.6})
    now = dt.datetime.now(dt.UTC)
    with db.engine.begin() as conn:
        for chunk in range(0, len(rows), 20000):
            part = rows[chunk:chunk + 20000]
            for r in part:
                r["created_at"] = r["updated_at"] = now
            conn.execute(insert(Cooperative.__table__), part)
        for table, data in ((Officer.__table__, officers), (RatRecord.__table__, rats), (StatusChange.__table__, changes)):
            if table is RatRecord.__table__:
                for r in data:
                    r["created_at"] = r["updated_at"] = now
            if table is StatusChange.__table__:
                for r in data:
                    r["changed_at"] = now
            for chunk in range(0, len(data), 20000):
                conn.execute(insert(table), data[chunk:chunk + 20000])
    return n
