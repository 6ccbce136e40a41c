"""Values as offices write them, turned into stored values: one rule per kind of value, each in one place.

Every rule takes a cell as read from a workbook (text, a number, a date, or a formula/error marker) and returns the
stored value, or raises :class:`Refused` with an Indonesian reason that tells the clerk what to write instead.
The import (and so reconciliation and consolidation) calls these and nothing else; tests/exchange/test_normalize.py
holds a test per rule and a property test over spellings. docs/import.md lists them for clerks.

| value | accepted, in any case and spacing | stored |
|---|---|---|
| any text (:func:`text`) | non-breaking spaces, tabs, line breaks, runs of spaces | one space between words, trimmed |
| bentuk (:func:`form`) | Primer, Sekunder, optionally with the wilayah keanggotaan: "Primer Kab/Kota", "SEKUNDER PROVINSI" | form + membership_scope |
| wilayah keanggotaan (:func:`membership_scope`) | Kab/Kota, Kabupaten/Kota, Kabupaten, Kota, Provinsi, Propinsi, Nasional | kabkota, provinsi, nasional |
| jenis (:func:`jenis`) | the five jenis, with or without "Koperasi "/"Kop. "; KSP, KSPPS, USP, USPPS for Simpan Pinjam | code |
| pola (:func:`pola`) | Konvensional, Syariah, Syari'ah | code |
| status (:func:`status`) | Aktif, Tidak Aktif, Non Aktif, Tidak Ditemukan (di Alamat), (Dalam) Proses Pembubaran, Dibubarkan | code |
| status NIK (:func:`nik_status`) | Bersertifikat (NIK), Sudah, Belum Bersertifikat (NIK), Belum, Belum Ada NIK, Tidak Ada | code |
| kelompok, sektor (:func:`lookup_key`) | the list's name, or an alias kept beside the list (short name, abbreviation); "Kop." = "Koperasi" | the entry; a new name adds an entry |
| NIK (:func:`nik`) | text digits with dots, spaces or dashes; a number cell of at most 15 digits | digits |
| counts (:func:`count`), money (:func:`money`) | numbers; text 1234, 1.234, 1.234.567, Rp 1.234.567,00; "-" for none | whole number |
| dates (:func:`date`) | date cells; 17-08-1999, 17/08/1999, 17.08.1999, 1999-08-17, 17 Agustus 1999, 17 Agt 1999 | date |
| provinsi (:func:`province_key`) | "Provinsi X", "Prov. X", "Propinsi X", "X", and the usual short names (Kaltim, DKI Jakarta, DIY) | region code |
| kab/kota (:func:`kabkota_name`) | "Kabupaten X", "Kab. X", "KAB X", "Kota X", "Kotamadya X", "X" | region code |
| kecamatan (:func:`place_keys`) | "Kecamatan X", "Kec. X", "Distrik X", "X" | region code |
| desa/kelurahan (:func:`place_keys`) | "Kelurahan X", "Kel. X", "Desa X", "Ds. X", "X" | region code |

What is refused, with its reason: a NIK stored as a number of 16 digits or more (Excel keeps 15 significant
digits, so the last one is already lost) or written in scientific notation; a date written as a bare number; a
count with a fraction; "1,234" (a thousands comma or a decimal comma cannot be told apart); a lookup value that is
a number, a column number or empty after cleaning.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from kopdesk.models.formats import as_written
from kopdesk.models.services.exchange.workbook import CellError, FormulaWithoutValue

MONTHS = {
    "januari": 1, "jan": 1, "january": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3, "april": 4, "apr": 4, "mei": 5, "may": 5, "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7, "agustus": 8, "agu": 8, "agt": 8, "ags": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "oct": 10, "october": 10, "november": 11,
    "nopember": 11, "nov": 11, "nop": 11, "desember": 12, "des": 12, "dec": 12, "december": 12,
}


class Refused(ValueError):
    """A value no rule accepts; the message is the reason, in Indonesian, for the clerk."""


# ---------------------------------------------------------------------------------------------------------------
# Text and keys

_SPACES = re.compile(r"\s+")
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_PUNCT = re.compile(r"[\W_]+")
_ASCII_PUNCT = {ord(ch): " " for ch in "!\"#$%&()*+,-./:;<=>?@[\\]^_{|}~"} | {ord("'"): None, ord("`"): None}


def text(value: Any) -> str | None:
    """Rule: any text. Spaces of every kind become one space, the ends are trimmed; None when nothing is left.

    A number cell in a text column is taken as its digits (123, not 123.0); a date as 01/01/2031.
    """
    if value is None:
        return None
    if value.__class__ is str:
        if value.isascii():  # the common case, without invisible characters: one split, one join
            return " ".join(value.split()) or None
        s = value
    elif isinstance(value, bool):
        s = as_written(value)
    elif isinstance(value, int):
        s = str(value)
    elif isinstance(value, float):
        s = str(int(value)) if value.is_integer() and abs(value) < 1e15 else as_written(value)
    else:
        s = as_written(value)
    s = _SPACES.sub(" ", _INVISIBLE.sub("", s)).strip()
    return s or None


def key(value: Any) -> str:
    """Rule: the comparison key of a text: lower case, apostrophes dropped, other punctuation as spaces.

    "KAB.  Paser", "kab paser" and "Kab-Paser" share the key "kab paser".
    """
    if value.__class__ is str and value.isascii():
        return " ".join(value.lower().translate(_ASCII_PUNCT).split())
    s = text(value) or ""
    s = s.casefold().replace("'", "").replace("\u2019", "").replace("`", "")
    return " ".join(_PUNCT.sub(" ", s).split())


def _strip_koperasi(k: str) -> str:
    for prefix in ("koperasi ", "kop "):
        if k.startswith(prefix):
            return k[len(prefix):]
    return k


def _refuse_marker(value: Any) -> None:
    """Formula and error cells carry no value a rule could accept."""
    if value.__class__ not in _MARKERS:
        return
    if isinstance(value, FormulaWithoutValue):
        raise Refused(f"berisi rumus {value} tanpa nilai tersimpan; buka berkas di Excel, simpan ulang (agar "
                      "hasil rumus tersimpan) atau ganti rumus dengan nilainya")
    if isinstance(value, CellError):
        raise Refused(f"berisi galat {value}; perbaiki rumusnya atau isi nilainya langsung")


_MARKERS = (FormulaWithoutValue, CellError)


def _choice(value: Any, table: dict[str, str], what: str, allowed: str) -> str:
    _refuse_marker(value)
    k = key(value)
    hit = table.get(k) or table.get(_strip_koperasi(k))
    if hit is None:
        raise Refused(f"{what} «{as_written(value)}» tidak dikenal; isi dengan {allowed}")
    return hit


# ---------------------------------------------------------------------------------------------------------------
# Classification and status

_SCOPES = {
    "kab kota": "kabkota", "kabupaten kota": "kabkota", "kota kabupaten": "kabkota", "kabkota": "kabkota",
    "kab": "kabkota", "kabupaten": "kabkota", "kota": "kabkota",
    "provinsi": "provinsi", "propinsi": "provinsi", "prov": "provinsi",
    "nasional": "nasional", "antar provinsi": "nasional", "antarprovinsi": "nasional",
}


def membership_scope(value: Any) -> str:
    """Rule: wilayah keanggotaan. Kab/Kota (and its spellings), Provinsi, Nasional -> kabkota, provinsi, nasional."""
    return _choice(value, _SCOPES, "Wilayah keanggotaan", "Kab/Kota, Provinsi atau Nasional")


def form(value: Any) -> tuple[str, str | None]:
    """Rule: bentuk. "Primer" or "Sekunder", optionally followed by the wilayah keanggotaan.

    Returns:
        (form, membership scope or None): "Primer Kab/Kota" -> ("primer", "kabkota").
    """
    _refuse_marker(value)
    k = _strip_koperasi(key(value))
    first, _, rest = k.partition(" ")
    if first not in ("primer", "sekunder"):
        raise Refused(f"bentuk «{as_written(value)}» harus Primer atau Sekunder, boleh dengan wilayah "
                      "keanggotaannya (mis. «Primer Kab/Kota», «Sekunder Provinsi»)")
    if not rest:
        return first, None
    scope = _SCOPES.get(rest)
    if scope is None:
        raise Refused(f"wilayah keanggotaan «{rest}» pada bentuk «{as_written(value)}» tidak dikenal; tulis "
                      "mis. «Primer Kab/Kota», «Primer Provinsi» atau «Primer Nasional»")
    return first, scope


_JENIS = {
    "konsumen": "konsumen", "produsen": "produsen", "pemasaran": "pemasaran", "jasa": "jasa",
    "simpan pinjam": "simpan_pinjam", "simpanpinjam": "simpan_pinjam", "ksp": "simpan_pinjam",
    "kspps": "simpan_pinjam", "usp": "simpan_pinjam", "uspps": "simpan_pinjam",
    "simpan pinjam dan pembiayaan syariah": "simpan_pinjam", "simpan pinjam syariah": "simpan_pinjam",
    "simpan pinjam konvensional": "simpan_pinjam",
}


def jenis(value: Any) -> str:
    """Rule: jenis. Konsumen, Produsen, Pemasaran, Jasa, Simpan Pinjam, with or without "Koperasi "; KSP and KSPPS
    are Simpan Pinjam. "Serba Usaha" is a kelompok, not a jenis (brief §3), and is refused with that hint."""
    k = _strip_koperasi(key(value))
    if k in ("serba usaha", "ksu"):
        raise Refused(f"«{as_written(value)}» adalah kelompok koperasi, bukan jenis; isi kolom jenis dengan "
                      "Konsumen, Produsen, Pemasaran, Jasa atau Simpan Pinjam dan tulis Serba Usaha di kolom kelompok")
    return _choice(value, _JENIS, "Jenis", "Konsumen, Produsen, Pemasaran, Jasa atau Simpan Pinjam")


_POLA = {"konvensional": "konvensional", "syariah": "syariah", "syari ah": "syariah"}


def pola(value: Any) -> str:
    """Rule: pola pengelolaan. Konvensional or Syariah (also Syari'ah)."""
    return _choice(value, _POLA, "Pola pengelolaan", "Konvensional atau Syariah")


_STATUS = {
    "aktif": "aktif",
    "tidak aktif": "tidak_aktif", "tdk aktif": "tidak_aktif", "non aktif": "tidak_aktif", "nonaktif": "tidak_aktif",
    "tidak ditemukan": "tidak_ditemukan", "tidak ditemukan di alamat": "tidak_ditemukan",
    "proses pembubaran": "proses_pembubaran", "dalam proses pembubaran": "proses_pembubaran",
    "dalam pembubaran": "proses_pembubaran",
    "dibubarkan": "dibubarkan", "bubar": "dibubarkan",
}


def status(value: Any) -> str:
    """Rule: status. Aktif, Tidak Aktif (Non Aktif), Tidak Ditemukan (di Alamat), (Dalam) Proses Pembubaran,
    Dibubarkan."""
    return _choice(value, _STATUS, "Status", "Aktif, Tidak Aktif, Tidak Ditemukan di Alamat, Dalam Proses "
                   "Pembubaran atau Dibubarkan")


_NIK_STATUS = {
    "bersertifikat nik": "bersertifikat", "bersertifikat": "bersertifikat", "sudah bersertifikat": "bersertifikat",
    "sudah bersertifikat nik": "bersertifikat", "sudah": "bersertifikat", "ada": "bersertifikat",
    "belum bersertifikat nik": "belum_bersertifikat", "belum bersertifikat": "belum_bersertifikat",
    "belum": "belum_bersertifikat",
    "belum ada nik": "tidak_ada", "tidak ada": "tidak_ada", "tidak ada nik": "tidak_ada", "belum punya nik": "tidak_ada",
}


def nik_status(value: Any) -> str:
    """Rule: status NIK. Bersertifikat NIK (Sudah), Belum Bersertifikat NIK (Belum), Belum Ada NIK (Tidak Ada)."""
    return _choice(value, _NIK_STATUS, "Status NIK", "Bersertifikat NIK, Belum Bersertifikat NIK atau Belum Ada NIK")


# ---------------------------------------------------------------------------------------------------------------
# Kelompok and sektor


def lookup_key(value: Any) -> str:
    """Rule: the key a kelompok or sektor is found by: :func:`key` with the word "kop" read as "koperasi".

    "Koperasi Wanita (Kopwan)", "KOPERASI WANITA (KOPWAN)" and "Kop. Wanita (Kopwan)" share one key; "Kopwan" and
    "Koperasi Wanita" are found through the aliases kept beside the list.
    """
    return " ".join("koperasi" if w == "kop" else w for w in key(value).split())


def lookup_name(value: Any) -> str:
    """Rule: a value that may become a new kelompok or sektor: text, not a number or a column number.

    Raises:
        Refused: a number, a column number such as "(3)", or nothing after cleaning.
    """
    _refuse_marker(value)
    if isinstance(value, (int, float)) or not isinstance(value, str):
        raise Refused(f"«{as_written(value)}» adalah angka, bukan nama; tulis namanya (mis. «Koperasi Wanita»)")
    name = text(value)
    if name is None or not lookup_key(name):
        raise Refused("kosong setelah dibersihkan; tulis namanya atau kosongkan sel")
    if not _LETTER.search(name):
        raise Refused(f"«{name}» bukan nama (nomor kolom atau angka); tulis namanya atau kosongkan sel")
    if len(name) > 120:
        raise Refused(f"terlalu panjang ({len(name)} karakter, paling banyak 120)")
    return name


# ---------------------------------------------------------------------------------------------------------------
# NIK, numbers, dates

_SCIENTIFIC = re.compile(r"^[+-]?\d+(?:[.,]\d+)?\s*[eE]\s*[+-]?\d+$")
NIK_AS_NUMBER = ("tersimpan sebagai angka, sehingga Excel hanya menyimpan 15 digit pertamanya dan digit terakhir "
                 "sudah berubah; format kolom NIK sebagai Teks lalu ketik ulang NIK-nya")


def nik(value: Any) -> str | None:
    """Rule: NIK Koperasi. Text digits, with dots, spaces or dashes between them, are stored as digits; a number cell
    is taken only while it is exact (at most 15 digits).

    Raises:
        Refused: a number of 16 digits or more, scientific notation, or anything but digits.
    """
    if value is None:
        return None
    _refuse_marker(value)
    if isinstance(value, bool):
        raise Refused("bukan NIK; tulis angkanya")
    if isinstance(value, float):
        if not value.is_integer() or value < 0:
            raise Refused(f"«{as_written(value)}» bukan NIK; tulis angkanya sebagai teks")
        if value >= 1e15:
            raise Refused(NIK_AS_NUMBER)
        value = int(value)
    if isinstance(value, int):
        if value < 0:
            raise Refused(f"«{as_written(value)}» bukan NIK; tulis angkanya sebagai teks")
        if len(str(value)) >= 16:
            raise Refused(NIK_AS_NUMBER)
        return str(value)
    s = text(value)
    if s is None:
        return None
    s = s.lstrip("'")
    if _SCIENTIFIC.match(s):
        raise Refused(f"tertulis dalam notasi ilmiah ({s}), sehingga digitnya sudah hilang; format kolom NIK sebagai "
                      "Teks lalu ketik ulang NIK-nya")
    digits = _NIK_SEPARATORS.sub("", s)
    if not digits:
        return None
    if not digits.isdigit():
        raise Refused(f"«{s}» hanya boleh berisi angka (titik, spasi dan tanda hubung boleh)")
    if len(digits) > 20:
        raise Refused(f"terlalu panjang ({len(digits)} angka, paling banyak 20)")
    return digits


_NONE_MARKS = {"-", "\u2013", "\u2014", "nihil"}
_CURRENCY = re.compile(r"(?i)^(rp\.?|idr)")
_COMMON_NUMBER = re.compile(r"\s*(?:Rp\.?\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?\s*")
_INDONESIAN = re.compile(r"\d{1,3}(\.\d{3})+(,\d+)?|\d+(,\d+)?")  # 1.234.567,89 and 1234,5
_AMBIGUOUS = re.compile(r"\d+,\d{3}")  # 1,234: a thousands comma or a decimal comma?
_ENGLISH = re.compile(r"\d{1,3}(,\d{3}){2,}(\.\d+)?|\d+\.\d{1,2}")  # 1,234,567.89 and 12.5
_NIK_SEPARATORS = re.compile(r"[\s.\-]")
_LETTER = re.compile(r"[^\W\d_]")
_DMY = re.compile(r"(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?")
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[\s\-]+([A-Za-z]+)\.?[\s\-]+(\d{4})")


def _number(value: Any, what: str) -> int | Decimal | None:
    """A number from a cell: an int when it is whole, else a Decimal; None for an empty cell or "-"."""
    _refuse_marker(value)
    if value is None:
        return None
    if isinstance(value, bool):
        raise Refused(f"{what} harus berupa angka, bukan {as_written(value)}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise Refused(f"{what} harus berupa angka")
        return int(value) if value.is_integer() else Decimal(str(value))
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        raise Refused(f"{what} berisi tanggal ({as_written(value)}); isi dengan angka")
    m = _COMMON_NUMBER.fullmatch(value) if value.__class__ is str else None
    if m:  # the usual forms (1234, 1.234.567, Rp 1.234.567,00): no further parsing
        whole = int(m[1].replace(".", ""))
        return whole if not m[2] or not m[2].strip("0") else Decimal(f"{whole}.{m[2]}")
    s = text(value)
    if s is None or s.lower() in _NONE_MARKS:
        return None
    t = _CURRENCY.sub("", s.replace(" ", ""))
    negative = t.startswith("-") or (t.startswith("(") and t.endswith(")"))
    t = t.strip("-()")
    number: int | Decimal
    if t.isdigit():
        number = int(t)
    elif _AMBIGUOUS.fullmatch(t):
        raise Refused(f"«{s}» tidak jelas: tulis {t.replace(',', '.')} untuk ribuan atau gunakan dua angka di "
                      "belakang koma untuk desimal")
    elif _INDONESIAN.fullmatch(t):
        digits, _, frac = t.replace(".", "").partition(",")
        number = Decimal(digits + "." + frac) if frac.strip("0") else int(digits)
    elif _ENGLISH.fullmatch(t):
        number = Decimal(t.replace(",", ""))
    else:
        raise Refused(f"{what} «{s}» bukan angka; tulis seperti 1234 atau 1.234")
    return -number if negative else number


def count(value: Any) -> int | None:
    """Rule: a count (members, employees, managers). A whole number >= 0, as a number or as text with the Indonesian
    thousands dot ("1.234"); "-" means none."""
    if value.__class__ is int and 0 <= value <= 10**9:
        return value
    number = _number(value, "Jumlah")
    if number is None:
        return None
    if not isinstance(number, int) and number != number.to_integral_value():
        raise Refused(f"«{as_written(value)}» bukan bilangan bulat; jumlah orang ditulis tanpa pecahan")
    if number < 0:
        raise Refused(f"«{as_written(value)}» tidak boleh negatif")
    if number > 10**9:
        raise Refused(f"«{as_written(value)}» terlalu besar untuk jumlah orang")
    return int(number)


def money(value: Any, *, signed: bool = False) -> int | None:
    """Rule: an amount of money in whole rupiah. A number, or text as "1.234.567", "Rp 1.234.567,00"; rounded half
    up; negative only where ``signed`` (SHU), written "-1.000" or "(1.000)"."""
    if value.__class__ is int and (signed or value >= 0) and abs(value) <= 10**17:
        return value
    number = _number(value, "Nilai")
    if number is None:
        return None
    try:
        whole = number if isinstance(number, int) else int(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    except InvalidOperation:
        raise Refused(f"«{as_written(value)}» terlalu besar") from None
    if whole < 0 and not signed:
        raise Refused(f"«{as_written(value)}» tidak boleh negatif")
    if abs(whole) > 10**17:
        raise Refused(f"«{as_written(value)}» terlalu besar")
    return whole


def date(value: Any) -> dt.date | None:
    """Rule: a date. A date cell, or text as 17-08-1999, 17/08/1999, 17.08.1999, 1999-08-17, "17 Agustus 1999" or
    "17 Agt 1999" (Indonesian and English month names, full or short).

    Raises:
        Refused: a bare number (a date cell that lost its format), a day that does not exist, another form.
    """
    _refuse_marker(value)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Refused(f"tanggal tertulis sebagai angka ({as_written(value)}); format sel sebagai tanggal atau tulis "
                      "seperti 17/08/1999")
    s = text(value)
    if s is None or s in _NONE_MARKS:
        return None
    parts: tuple[int, int, int] | None = None
    m = _DMY.fullmatch(s)
    if m:
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _ISO.fullmatch(s):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _DAY_MONTH_YEAR.fullmatch(s)) and m[2].lower() in MONTHS:
        parts = (int(m[3]), MONTHS[m[2].lower()], int(m[1]))
    if parts is None:
        raise Refused(f"«{s}» bukan tanggal; tulis seperti 17/08/1999 atau 17 Agustus 1999")
    try:
        day = dt.date(*parts)
    except ValueError:
        raise Refused(f"tanggal «{s}» tidak ada di kalender") from None
    if day.year < 1900:
        raise Refused(f"tahun pada «{s}» tidak masuk akal")
    return day


# ---------------------------------------------------------------------------------------------------------------
# Regions

_PROVINCE_SHORT = {
    "nad": "aceh", "nanggroe aceh darussalam": "aceh", "sumut": "sumatera utara", "sumbar": "sumatera barat",
    "sumsel": "sumatera selatan", "babel": "kepulauan bangka belitung", "bangka belitung": "kepulauan bangka belitung",
    "kepri": "kepulauan riau", "dki": "daerah khusus ibukota jakarta", "dki jakarta": "daerah khusus ibukota jakarta",
    "jakarta": "daerah khusus ibukota jakarta", "jabar": "jawa barat", "jateng": "jawa tengah", "jatim": "jawa timur",
    "diy": "daerah istimewa yogyakarta", "di yogyakarta": "daerah istimewa yogyakarta",
    "yogyakarta": "daerah istimewa yogyakarta", "ntb": "nusa tenggara barat", "ntt": "nusa tenggara timur",
    "kalbar": "kalimantan barat", "kalteng": "kalimantan tengah", "kalsel": "kalimantan selatan",
    "kaltim": "kalimantan timur", "kaltara": "kalimantan utara", "sulut": "sulawesi utara",
    "sulteng": "sulawesi tengah", "sulsel": "sulawesi selatan", "sultra": "sulawesi tenggara",
    "sulbar": "sulawesi barat", "malut": "maluku utara", "pabar": "papua barat",
}


def province_key(value: Any) -> str:
    """Rule: provinsi. The name without "Provinsi"/"Prov."/"Propinsi", the usual short names expanded."""
    k = key(value)
    for prefix in ("provinsi ", "propinsi ", "prov "):
        if k.startswith(prefix):
            k = k[len(prefix):]
            break
    return _PROVINCE_SHORT.get(k, k)


def kabkota_name(value: Any) -> tuple[str | None, str]:
    """Rule: kabupaten/kota. The kind the text names (None for a bare name) and the bare name's key.

    "Kabupaten Paser", "Kab. Paser", "KAB PASER" -> ("kabupaten", "paser"); "Kota Balikpapan", "Kotamadya
    Balikpapan" -> ("kota", "balikpapan"); "Balikpapan" -> (None, "balikpapan"). "Administrasi" (DKI) is dropped.
    """
    k = key(value)
    kind: str | None = None
    for prefix, what in (("kabupaten ", "kabupaten"), ("kab ", "kabupaten"), ("kotamadya ", "kota"),
                         ("kodya ", "kota"), ("kota ", "kota")):
        if k.startswith(prefix):
            kind, k = what, k[len(prefix):]
            break
    if k.startswith("administrasi "):
        k = k[len("administrasi "):]
    return kind, k


_PLACE_PREFIXES = {
    3: ("kecamatan ", "kec ", "distrik "),
    4: ("kelurahan ", "kel ", "desa ", "ds ", "kampung ", "kp ", "gampong ", "nagari "),
}


def place_keys(value: Any, level: int) -> tuple[str, str]:
    """Rule: kecamatan (level 3) and desa/kelurahan (level 4). The full key and the key without the level's word
    ("Kec. Balikpapan Barat" -> ("kec balikpapan barat", "balikpapan barat")); a name is matched by the first,
    then the second, so "Kampung Baru" still finds a desa named so."""
    k = key(value)
    for prefix in _PLACE_PREFIXES[level]:
        if k.startswith(prefix):
            return k, k[len(prefix):]
    return k, k
