"""Indonesian formats for dates, counts, money and percentages, and tolerant parsing of what clerks type."""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
          "November", "Desember")
_MONTH_INDEX = {m.lower(): i + 1 for i, m in enumerate(MONTHS)}
_MONTH_INDEX.update({m[:3].lower(): i + 1 for i, m in enumerate(MONTHS)})
_MONTH_INDEX.update({"agt": 8, "ags": 8, "nop": 11, "des": 12, "okt": 10, "peb": 2, "pebruari": 2})


def format_date(value: dt.date | None) -> str:
    """"14 Juli 2024"; an empty string for None."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def format_count(n: int | None) -> str:
    """"1.234" with the Indonesian thousands separator."""
    return f"{int(n or 0):,}".replace(",", ".")


def format_rupiah(amount: int | float | Decimal | None, *, prefix: bool = True) -> str:
    """"Rp1.250.000" (negative as "-Rp1.250.000"); whole rupiah."""
    value = int(Decimal(str(amount or 0)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    text = format_count(abs(value))
    return ("-" if value < 0 else "") + ("Rp" if prefix else "") + text


def percent(part: int, whole: int) -> Decimal | None:
    """part/whole × 100 rounded half-up to 2 decimals, or None when whole is 0."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def format_percent(value: Decimal | float | None, *, dash: str = "-") -> str:
    """"14,77" with a decimal comma and two decimals; ``dash`` when there is no value."""
    if value is None:
        return dash
    return f"{Decimal(str(value)).quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):.2f}".replace(".", ",")


def parse_date(value: object) -> dt.date | None:
    """A date from a date, an Excel datetime, "2024-07-14", "14/07/2024", "14-07-2024" or "14 Juli 2024".

    Raises:
        ValueError: the text is not a date.
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?", text)
    if m:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        return dt.date(int(m[3]), int(m[2]), int(m[1]))
    m = re.fullmatch(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", text)
    if m and m[2].lower() in _MONTH_INDEX:
        return dt.date(int(m[3]), _MONTH_INDEX[m[2].lower()], int(m[1]))
    raise ValueError(f"bukan tanggal yang dikenali: {text!r}")


def parse_int(value: object) -> int | None:
    """An integer from a number or from Indonesian text ("1.234.567", "Rp 1.500.000", "1.500.000,00").

    Raises:
        ValueError: the text is not a whole number.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("bukan angka")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError("bukan angka")
        if value != int(value):
            return int(Decimal(str(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))
        return int(value)
    if isinstance(value, Decimal):
        return int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    text = str(value).strip().replace("Rp", "").replace("rp", "").replace(" ", "")
    if not text:
        return None
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("-()")
    if re.fullmatch(r"\d{1,3}(\.\d{3})+(,\d+)?", text) or re.fullmatch(r"\d+(,\d+)?", text):
        whole, _, frac = text.replace(".", "").partition(",")
        number = Decimal(whole + ("." + frac if frac else ""))
    elif re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text) or re.fullmatch(r"\d+\.\d+", text):
        number = Decimal(text.replace(",", ""))
    else:
        raise ValueError(f"bukan angka: {value!r}")
    result = int(number.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return -result if negative else result


def as_written(value: object) -> str:
    """A value as a clerk writes it in a message: dates 01/01/2031, numbers 1.234 and 1.234,5, Ya/Tidak, text as is.

    Never a Python repr. Numbers of twelve digits or more are shown as Excel shows them in a General cell
    (6,4E+15), since such a number is usually an identifier that lost digits. Anything else (a formula, an error
    cell) is shown by its own ``str``.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Ya" if value else "Tidak"
    if isinstance(value, dt.datetime):
        text = f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
        return text if value.time() == dt.time() else f"{text} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, dt.date):
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        if not number.is_finite():
            return str(value)
        if abs(number) >= 10**11:
            mantissa, exponent = f"{float(number):.14E}".split("E")
            mantissa = mantissa.rstrip("0").rstrip(".").replace(".", ",")
            return f"{mantissa}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent)):02d}"
        whole = int(number)
        fraction = abs(number - whole)
        sign = "-" if number < 0 else ""
        text = sign + format_count(abs(whole))
        if fraction:
            digits = format(fraction.normalize(), "f").split(".")[1][:6].rstrip("0")
            if digits:
                text += "," + digits
        return text
    return str(value)
