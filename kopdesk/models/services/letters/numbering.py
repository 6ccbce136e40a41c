"""Gapless per-year counters (letter numbers, certificate serials), safe with many clerks at once.

PostgreSQL: the counter row is created if missing and then locked with SELECT ... FOR UPDATE, so concurrent
transactions queue on it. SQLite: every write transaction begins IMMEDIATE (kopdesk.models.db), so only one
writer at a time reads and bumps the counter. Either way the number is taken in the same transaction that stores
the letter: a rollback returns the number, a commit keeps it, and no gap or duplicate can appear.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.office import Counter

ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


def next_number(session: Session, name: str, year: int) -> int:
    """Take the next number of counter ``name`` for ``year`` inside the caller's transaction."""
    return take_numbers(session, name, year, 1)[0]


def take_numbers(session: Session, name: str, year: int, count: int) -> list[int]:
    """Take ``count`` consecutive numbers of counter ``name`` for ``year`` in one locked step.

    The counter row stays locked (PostgreSQL FOR UPDATE; SQLite's IMMEDIATE write transaction) until the caller's
    transaction ends, so another clerk's batch waits and then continues after the last number of this one.
    """
    if count < 1:
        return []
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        session.execute(pg_insert(Counter).values(name=name, year=year, last_no=0).on_conflict_do_nothing())
        row = session.scalars(
            select(Counter).where(Counter.name == name, Counter.year == year).with_for_update()
        ).one()
    else:
        row = session.get(Counter, (name, year))
        if row is None:
            row = Counter(name=name, year=year, last_no=0)
            session.add(row)
    first = row.last_no + 1
    row.last_no += count
    session.flush()
    return list(range(first, first + count))


def format_number(template: str, *, nomor: int, date, kode: str = "", unit: str = "") -> str:  # type: ignore[no-untyped-def]
    """Fill an office's number format, e.g. ``{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}``.

    Placeholders: {nomor}, {nomor:03d} style padding, {kode}, {unit}, {bulan}, {bulan_romawi}, {tahun}.
    """
    try:
        return template.format(nomor=nomor, kode=kode, unit=unit, bulan=date.month,
                           bulan_romawi=ROMAN_MONTHS[date.month - 1], tahun=date.year)
    except (KeyError, IndexError, ValueError) as exc:
        from kopdesk.models.errors import FieldError, ValidationError

        raise ValidationError([FieldError("letter_number_format", "Format nomor surat",
                                          f"tidak valid ({exc}); gunakan {{kode}}, {{nomor}}, {{unit}}, "
                                          "{bulan_romawi}, {bulan}, {tahun}", template)]) from None
