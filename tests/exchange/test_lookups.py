"""Kelompok aliases: data beside the lookup list, edited by administrators, read by the import."""

from __future__ import annotations

import openpyxl
import pytest
from sqlalchemy import func, select

from kopdesk.models.errors import PermissionDenied, ValidationError
from kopdesk.models.lookup import Kelompok, KelompokAlias
from kopdesk.models.services.exchange import lookups, ods_import
from tests.reports.conftest import TODAY


def one_row(path, kelompok):  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Nama Koperasi", "No. Badan Hukum", "Tanggal Badan Hukum", "Kab/Kota", "Jenis", "Kelompok"])
    ws.append(["Koperasi Ibu Sejahtera", "9/BH/2010", "14/07/2010", "Kota Tarakan", "Jasa", kelompok])
    wb.save(path)
    return path


def kelompok_of(db, path):  # type: ignore[no-untyped-def]
    with db.read() as s:
        preview = ods_import.preview_import(s, path, today=TODAY, keep_values=True)
        value = preview.rows[0].clean["kelompok_id"]
        return value if isinstance(value, ods_import.NewEntry) else s.get(Kelompok, value).name


def test_the_seeded_aliases_find_the_brief_s_short_names(db):
    with db.read() as s:
        entries = {e.name: [a for _i, a in e.aliases] for e in lookups.kelompok_with_aliases(s)}
    assert {"KUD", "Koperasi Unit Desa"} <= set(entries["Koperasi Unit Desa (KUD)"])
    assert "Kopontren" in entries["Koperasi Pondok Pesantren (Kopontren)"]
    keys = lookups.kelompok_keys
    with db.read() as s:
        assert all(len(ids) == 1 for ids in keys(s).values())  # no key leads to two kelompok


def test_an_administrator_adds_and_removes_an_alias_and_the_import_follows(db, admin, tmp_path):
    path = one_row(tmp_path / "a.xlsx", "Koperasi Ibu-Ibu")
    assert isinstance(kelompok_of(db, path), ods_import.NewEntry)  # unknown: would become a new kelompok
    with db.transaction(admin) as s:
        kopwan = s.scalar(select(Kelompok.id).where(Kelompok.name == "Koperasi Wanita (Kopwan)"))
        alias = lookups.add_kelompok_alias(s, admin, kopwan, "  Koperasi   Ibu-Ibu ")
        assert alias.alias == "Koperasi Ibu-Ibu"
    assert kelompok_of(db, path) == "Koperasi Wanita (Kopwan)"
    assert kelompok_of(db, one_row(tmp_path / "b.xlsx", "KOPERASI IBU IBU")) == "Koperasi Wanita (Kopwan)"
    with db.transaction(admin) as s:
        lookups.remove_kelompok_alias(s, admin, alias.id)
    assert isinstance(kelompok_of(db, path), ods_import.NewEntry)


def test_an_alias_another_kelompok_answers_to_is_refused(db, admin):
    with db.transaction(admin) as s:
        kud = s.scalar(select(Kelompok.id).where(Kelompok.name == "Koperasi Unit Desa (KUD)"))
        before = s.scalar(select(func.count()).select_from(KelompokAlias))
        for taken, owner in (("kopwan", "Koperasi Wanita (Kopwan)"), ("Koperasi Karyawan (KOPKAR)",
                                                                       "Koperasi Karyawan (Kopkar)")):
            with pytest.raises(ValidationError) as err:
                lookups.add_kelompok_alias(s, admin, kud, taken)
            assert f"sudah dipakai oleh kelompok {owner}" in str(err.value.errors[0].message)
        with pytest.raises(ValidationError) as err:
            lookups.add_kelompok_alias(s, admin, kud, "123")
        assert "bukan nama" in err.value.errors[0].message
        assert s.scalar(select(func.count()).select_from(KelompokAlias)) == before


def test_only_administrators_edit_aliases(db, operator):
    with db.transaction(operator) as s, pytest.raises(PermissionDenied):
        lookups.add_kelompok_alias(s, operator, 1, "Apa Saja")
