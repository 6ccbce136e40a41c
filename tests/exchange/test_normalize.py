"""The value rules of the import (kopdesk.models.services.exchange.normalize): one test per rule, and a property test
that a value a rule accepts maps to the same stored value whatever its case, spacing or prefix."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kopdesk.models.formats import as_written
from kopdesk.models.services.exchange import normalize as rules
from kopdesk.models.services.exchange.normalize import Refused
from kopdesk.models.services.exchange.workbook import CellError, FormulaWithoutValue


def refused(fn, value, *words):  # type: ignore[no-untyped-def]
    with pytest.raises(Refused) as err:
        fn(value)
    for w in words:
        assert w in str(err.value), str(err.value)
    assert "datetime" not in str(err.value) and "Decimal(" not in str(err.value)
    return str(err.value)


def test_text_collapses_every_kind_of_space():
    assert rules.text("  Koperasi\u00a0\u00a0Makmur\tJaya \n") == "Koperasi Makmur Jaya"
    assert rules.text("\u200bKoperasi") == "Koperasi"
    assert rules.text("   ") is None and rules.text(None) is None
    assert rules.text(123) == "123" and rules.text(123.0) == "123" and rules.text(dt.date(2031, 1, 1)) == "01/01/2031"


def test_key_ignores_case_punctuation_and_apostrophes():
    assert rules.key("KAB.  Paser") == rules.key("kab paser") == rules.key("Kab-Paser") == "kab paser"
    assert rules.key("Syari'ah") == "syariah"
    assert rules.key("Désa  X") == "désa x"


@pytest.mark.parametrize("value, expected", [
    ("Primer", ("primer", None)), ("SEKUNDER", ("sekunder", None)),
    ("Primer Kab/Kota", ("primer", "kabkota")), ("primer kabupaten/kota", ("primer", "kabkota")),
    ("PRIMER PROVINSI", ("primer", "provinsi")), ("Primer Propinsi", ("primer", "provinsi")),
    ("Sekunder Nasional", ("sekunder", "nasional")), ("Koperasi Primer Kota", ("primer", "kabkota")),
])
def test_form_splits_bentuk_and_scope(value, expected):
    assert rules.form(value) == expected


def test_form_refuses_what_is_neither_primer_nor_sekunder():
    refused(rules.form, "Tersier", "«Tersier»", "Primer atau Sekunder")
    refused(rules.form, "Primer Kecamatan", "wilayah keanggotaan «kecamatan»")


def test_membership_scope():
    assert [rules.membership_scope(v) for v in ("Kab/Kota", "KABUPATEN", "Provinsi", "nasional")] == [
        "kabkota", "kabkota", "provinsi", "nasional"]
    refused(rules.membership_scope, "Desa", "Kab/Kota, Provinsi atau Nasional")


@pytest.mark.parametrize("value, expected", [
    ("Konsumen", "konsumen"), ("KOPERASI KONSUMEN", "konsumen"), ("Kop. Jasa", "jasa"), ("Produsen", "produsen"),
    ("pemasaran", "pemasaran"), ("Simpan Pinjam", "simpan_pinjam"), ("Simpan-Pinjam", "simpan_pinjam"),
    ("KSP", "simpan_pinjam"), ("KSPPS", "simpan_pinjam"), ("Koperasi Simpan Pinjam", "simpan_pinjam"),
])
def test_jenis(value, expected):
    assert rules.jenis(value) == expected


def test_jenis_refuses_serba_usaha_with_the_hint_that_it_is_a_kelompok():
    refused(rules.jenis, "Serba Usaha", "kelompok koperasi, bukan jenis")
    refused(rules.jenis, "Koperasi Apa Saja", "Konsumen, Produsen")


def test_pola_status_and_nik_status_in_any_case():
    assert [rules.pola(v) for v in ("KONVENSIONAL", "Syari'ah", "syariah")] == ["konvensional", "syariah", "syariah"]
    assert [rules.status(v) for v in ("AKTIF", "Tidak Aktif", "non aktif", "Nonaktif", "Tidak Ditemukan di Alamat",
                                      "Dalam Proses Pembubaran", "dibubarkan")] == [
        "aktif", "tidak_aktif", "tidak_aktif", "tidak_aktif", "tidak_ditemukan", "proses_pembubaran", "dibubarkan"]
    assert [rules.nik_status(v) for v in ("Bersertifikat NIK", "SUDAH", "Belum Bersertifikat NIK", "belum",
                                          "Belum Ada NIK")] == [
        "bersertifikat", "bersertifikat", "belum_bersertifikat", "belum_bersertifikat", "tidak_ada"]
    refused(rules.status, "Setengah Aktif", "«Setengah Aktif»")


def test_lookup_key_and_name():
    assert rules.lookup_key("Koperasi Wanita (Kopwan)") == rules.lookup_key("KOP. WANITA (KOPWAN)")
    assert rules.lookup_key("Kop Wanita") == "koperasi wanita"
    assert rules.lookup_name("  Koperasi   Nelayan ") == "Koperasi Nelayan"
    refused(rules.lookup_name, 12, "angka, bukan nama")
    refused(rules.lookup_name, "(12)", "bukan nama")
    refused(rules.lookup_name, "--", "kosong")


def test_nik_as_text_and_as_number():
    assert rules.nik("64.01.01.0000000061") == "6401010000000061"
    assert rules.nik(" 6401-0100-0000-0061 ") == "6401010000000061"
    assert rules.nik("'6401010000000061") == "6401010000000061"
    assert rules.nik(640101000000006) == "640101000000006"  # 15 digits: a number cell holds it exactly
    assert rules.nik(None) is None
    why = refused(rules.nik, 6401010000000061, "format kolom NIK sebagai Teks")
    assert "15 digit" in why
    refused(rules.nik, 6.40101e15, "Teks")
    refused(rules.nik, "6,40101E+15", "notasi ilmiah (6,40101E+15)")
    refused(rules.nik, "64AB", "«64AB» hanya boleh berisi angka")


@pytest.mark.parametrize("value, expected", [
    (25, 25), (25.0, 25), ("1.234", 1234), ("1234", 1234), (" 30 ", 30), ("1.234.567", 1234567), ("-", None),
    (None, None), ("12,00", 12),
])
def test_count(value, expected):
    assert rules.count(value) == expected


def test_count_refusals():
    refused(rules.count, 12.5, "bukan bilangan bulat")
    refused(rules.count, "12,5", "bukan bilangan bulat")
    refused(rules.count, "1,234", "tidak jelas", "1.234")
    refused(rules.count, -3, "negatif")
    refused(rules.count, "banyak", "bukan angka")
    refused(rules.count, FormulaWithoutValue("A1+B1"), "rumus =A1+B1 tanpa nilai tersimpan")
    refused(rules.count, CellError("#N/A"), "galat #N/A")


@pytest.mark.parametrize("value, expected", [
    (1500000, 1500000), ("Rp 1.500.000", 1500000), ("Rp 1.500.000,00", 1500000), ("Rp1.500.000,50", 1500001),
    ("1,234,567", 1234567), ("12.5", 13), (Decimal("2.5"), 3),
])
def test_money(value, expected):
    assert rules.money(value) == expected


def test_money_sign():
    assert rules.money("(1.000)", signed=True) == -1000 and rules.money("-1.000", signed=True) == -1000
    refused(rules.money, "-1.000", "negatif")


@pytest.mark.parametrize("value", [dt.date(1999, 8, 17), dt.datetime(1999, 8, 17, 0, 0), "17-08-1999", "17/08/1999",
                                   "17.08.1999", "1999-08-17", "17 Agustus 1999", "17 agt 1999", "17-Agu-1999",
                                   "17 August 1999", " 17 / 8 / 1999 "])
def test_date(value):
    assert rules.date(value) == dt.date(1999, 8, 17)


def test_date_refusals():
    refused(rules.date, 36389, "tanggal tertulis sebagai angka (36.389)")
    refused(rules.date, "31/02/2020", "tidak ada di kalender")
    refused(rules.date, "17 Agustusan 1999", "bukan tanggal")
    refused(rules.date, "17/08/99", "bukan tanggal")


def test_region_names():
    assert rules.kabkota_name("Kabupaten Paser") == rules.kabkota_name("Kab. Paser") == rules.kabkota_name(
        "KAB. PASER") == rules.kabkota_name("kab paser") == ("kabupaten", "paser")
    assert rules.kabkota_name("Kota Balikpapan") == rules.kabkota_name("KOTAMADYA BALIKPAPAN") == ("kota", "balikpapan")
    assert rules.kabkota_name("Balikpapan") == (None, "balikpapan")
    assert rules.kabkota_name("Kota Administrasi Jakarta Pusat") == ("kota", "jakarta pusat")
    assert rules.place_keys("Kec. Balikpapan Barat", 3) == ("kec balikpapan barat", "balikpapan barat")
    assert rules.place_keys("Desa Sungai Tunjung", 4)[1] == "sungai tunjung"
    assert rules.province_key("Prov. Kalimantan Timur") == rules.province_key("KALTIM") == "kalimantan timur"
    assert rules.province_key("DKI Jakarta") == "daerah khusus ibukota jakarta"


def test_as_written_shows_values_as_a_clerk_writes_them():
    assert as_written(dt.date(2031, 1, 1)) == "01/01/2031"
    assert as_written(dt.datetime(2031, 1, 1, 8, 5)) == "01/01/2031 08:05"
    assert as_written(1234) == "1.234" and as_written(1234.5) == "1.234,5" and as_written(-1234567) == "-1.234.567"
    assert as_written(6400000000000060) == "6,40000000000006E+15"
    assert as_written(True) == "Ya" and as_written(None) == ""


# ---------------------------------------------------------------------------------------------------------------
# Property: the stored value does not depend on case, spacing or prefix

SPACES = st.sampled_from([" ", "  ", "\u00a0", "\t", " \u00a0 "])


@st.composite
def spelled(draw, canonical: str, prefixes: tuple[str, ...] = ("",)):  # type: ignore[no-untyped-def]
    """The canonical text with a prefix, random case per letter and random spacing around and between words."""
    words = (draw(st.sampled_from(prefixes)) + canonical).split()
    out = draw(st.sampled_from(["", " ", "\u00a0", "\t"]))
    for i, w in enumerate(words):
        if i:
            out += draw(SPACES)
        out += "".join(ch.upper() if draw(st.booleans()) else ch.lower() for ch in w)
    return out + draw(st.sampled_from(["", " ", "  ", "\n"]))


CASES = [
    (rules.form, ["Primer", "Sekunder", "Primer Kab/Kota", "Primer Provinsi", "Sekunder Nasional"], ("", "Koperasi ")),
    (rules.jenis, ["Konsumen", "Produsen", "Pemasaran", "Jasa", "Simpan Pinjam"], ("", "Koperasi ", "Kop. ")),
    (rules.pola, ["Konvensional", "Syariah"], ("",)),
    (rules.status, ["Aktif", "Tidak Aktif", "Non Aktif", "Tidak Ditemukan di Alamat", "Dalam Proses Pembubaran",
                    "Dibubarkan"], ("",)),
    (rules.nik_status, ["Bersertifikat NIK", "Belum Bersertifikat NIK", "Belum Ada NIK"], ("",)),
    (rules.membership_scope, ["Kab/Kota", "Provinsi", "Nasional"], ("",)),
    (rules.lookup_key, ["Koperasi Wanita (Kopwan)", "KUD", "Jasa Keuangan"], ("",)),
    (lambda v: rules.kabkota_name(v), ["Kutai Kartanegara"], ("Kabupaten ", "Kab. ", "Kab ")),
    (lambda v: rules.kabkota_name(v), ["Balikpapan"], ("Kota ", "Kotamadya ")),
    (lambda v: rules.place_keys(v, 3)[1], ["Balikpapan Barat"], ("", "Kec. ", "Kecamatan ")),
    (lambda v: rules.place_keys(v, 4)[1], ["Baru Ulu"], ("", "Kel. ", "Kelurahan ", "Desa ")),
    (rules.province_key, ["Kalimantan Timur"], ("", "Provinsi ", "Prov. ", "Propinsi ")),
]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_a_value_a_rule_accepts_maps_to_one_stored_value(data):
    rule, values, prefixes = data.draw(st.sampled_from(CASES))
    canonical = data.draw(st.sampled_from(values))
    variant = data.draw(spelled(canonical, prefixes))
    assert rule(variant) == rule(prefixes[0] + canonical), (variant, canonical)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 10**12), style=st.sampled_from(["plain", "dots", "rp", "rp-cents", "spaces"]))
def test_a_number_maps_to_one_value_in_every_indonesian_spelling(n, style):
    dotted = f"{n:,}".replace(",", ".")
    text = {"plain": str(n), "dots": dotted, "rp": f"Rp {dotted}", "rp-cents": f"Rp{dotted},00",
            "spaces": f"  {dotted} "}[style]
    assert rules.money(text) == n
    if n <= 10**9:
        assert rules.count(text if style != "rp" and style != "rp-cents" else dotted) == n


@settings(max_examples=200, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)),
       style=st.sampled_from(["cell", "dmy-", "dmy/", "dmy.", "iso", "long", "short"]))
def test_a_date_maps_to_one_value_in_every_accepted_spelling(day, style):
    month = rules.MONTHS
    names = {v: k for k, v in month.items() if len(k) > 3 and k in (
        "januari", "februari", "maret", "april", "mei", "juni", "juli", "agustus", "september", "oktober", "november",
        "desember")}
    text: object = {"cell": day, "dmy-": f"{day.day:02d}-{day.month:02d}-{day.year}",
                    "dmy/": f"{day.day}/{day.month}/{day.year}", "dmy.": f"{day.day:02d}.{day.month:02d}.{day.year}",
                    "iso": day.isoformat(), "long": f"{day.day} {names.get(day.month, 'mei').title()} {day.year}",
                    "short": f"{day.day} {names.get(day.month, 'mei')[:3].upper()} {day.year}"}[style]
    assert rules.date(text) == day
