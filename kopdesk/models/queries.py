"""Registry list queries: one filter, shared by the registry table, exports, reports and the command line.

The table holds only ids (:func:`search_ids`) and fetches the visible rows by id (:func:`rows_for_ids`), so the
registry stays instant at national scale. Text search uses the FTS5 trigram index on SQLite and pg_trgm on
PostgreSQL (migration 0002).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, exists, false, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region, level_of, undotted
from kopdesk.models.vocab import REGISTERED_STATUSES

# Keep in step with migration 0002.
PG_SEARCH_EXPR = (
    "lower(cooperative.name || ' ' || coalesce(cooperative.nik, '') || ' ' || "
    "coalesce(cooperative.legal_number, '') || ' ' || coalesce(cooperative.address, ''))"
)
_REGION_COLUMN = {1: Cooperative.province_code, 2: Cooperative.kabkota_code, 3: Cooperative.kecamatan_code,
                  4: Cooperative.kelurahan_code}


@dataclass(frozen=True)
class RegistryFilter:
    """What the clerk asked to see.

    Attributes:
        text: words searched in name, NIK, legal entity number and address (every word must match).
        region_code: a province, kab/kota, kecamatan or kelurahan code (dotted or not).
        rat_book_year, rat_state: with rat_state "held" or "missing", the cooperatives that did (not) report
            a RAT for that book year.
        include_dissolved: dissolved cooperatives are hidden unless asked for or filtered by status.
    """

    text: str = ""
    statuses: tuple[str, ...] = ()
    jenis: tuple[str, ...] = ()
    pola: tuple[str, ...] = ()
    kelompok_ids: tuple[int, ...] = ()
    region_code: str | None = None
    rat_book_year: int | None = None
    rat_state: str | None = None
    nik_statuses: tuple[str, ...] = ()
    merah_putih: bool | None = None
    include_dissolved: bool = False
    ids: tuple[int, ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def with_(self, **changes: Any) -> RegistryFilter:
        return replace(self, **changes)


def _fts_query(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def _like_escape(token: str) -> str:
    return token.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def text_clauses(session: Session, text_: str, *, scan_in_order: bool = False) -> list[ColumnElement[bool]]:
    """Conditions that make every word of ``text_`` match name, NIK, legal number or address.

    Args:
        scan_in_order: on SQLite, write the FTS condition so that it cannot drive the query (``id + 0 IN ...``):
            the planner then walks the sort index and stops after the first page, which is faster than sorting
            every match when a word matches thousands of cooperatives (see :func:`search_ids`).
    """
    dialect = session.get_bind().dialect.name
    id_column = Cooperative.id + 0 if scan_in_order else Cooperative.id
    clauses: list[ColumnElement[bool]] = []
    long_words, short_words = _words(text_)
    if dialect != "sqlite":
        for token in long_words + short_words:
            pattern = f"%{_like_escape(token.lower())}%"
            clauses.append(literal_column(PG_SEARCH_EXPR).like(pattern, escape="\\"))
        return clauses
    if long_words:
        # One FTS5 query for all words of three characters or more: "a" AND "b" matches the rows where each word
        # is in some column, so the index intersects the words instead of SQLite looking up every row of each.
        clauses.append(id_column.in_(
            select(literal_column("rowid")).select_from(text("cooperative_fts"))
            .where(text("cooperative_fts MATCH :q").bindparams(bindparam("q", _fts_match(long_words), unique=True)))
        ))
    for token in short_words:  # trigrams need three characters: a plain LIKE, over the same four columns
        pattern = f"%{_like_escape(token)}%"
        clauses.append(or_(Cooperative.name.ilike(pattern, escape="\\"), Cooperative.nik.like(pattern, escape="\\"),
                           Cooperative.legal_number.ilike(pattern, escape="\\"),
                           Cooperative.address.ilike(pattern, escape="\\")))
    return clauses


def _words(text_: str) -> tuple[list[str], list[str]]:
    """The searched words (NUL characters dropped): those of three characters or more, and the shorter ones."""
    words = [w for w in (t.replace("\x00", "") for t in text_.split()) if w]
    return [w for w in words if len(w) >= 3], [w for w in words if len(w) < 3]


def _fts_match(words: list[str]) -> str:
    """An FTS5 query matching the rows that contain every word (each in any column)."""
    return " AND ".join(_fts_query(w) for w in words)


def where_clauses(session: Session, f: RegistryFilter, *, scan_in_order: bool = False) -> list[ColumnElement[bool]]:
    """The SQL conditions of a filter, on the ``cooperative`` table."""
    c = Cooperative
    out: list[ColumnElement[bool]] = []
    if f.ids is not None:
        out.append(c.id.in_(f.ids) if f.ids else false())
    if f.text.strip():
        out.extend(text_clauses(session, f.text, scan_in_order=scan_in_order))
    if f.statuses:
        out.append(c.status.in_(f.statuses))
    elif not f.include_dissolved:
        out.append(c.status.in_(REGISTERED_STATUSES))
    if f.jenis:
        out.append(c.jenis.in_(f.jenis))
    if f.pola:
        out.append(c.pola.in_(f.pola))
    if f.kelompok_ids:
        out.append(c.kelompok_id.in_(f.kelompok_ids))
    if f.region_code:
        code = undotted(f.region_code)
        column = _REGION_COLUMN.get(level_of(code))
        out.append(column == code if column is not None else false())
    if f.nik_statuses:
        out.append(c.nik_status.in_(f.nik_statuses))
    if f.merah_putih is not None:
        out.append(c.is_merah_putih.is_(f.merah_putih))
    if f.rat_book_year and f.rat_state in ("held", "missing"):
        has_rat = exists().where(RatRecord.cooperative_id == c.id, RatRecord.book_year == f.rat_book_year)
        out.append(has_rat if f.rat_state == "held" else ~has_rat)
    return out


SORT_COLUMNS: dict[str, Any] = {
    "name": Cooperative.name, "nik": Cooperative.nik, "legal_number": Cooperative.legal_number,
    "legal_date": Cooperative.legal_date, "jenis": Cooperative.jenis, "pola": Cooperative.pola,
    "status": Cooperative.status, "kabkota": Cooperative.kabkota_code, "kecamatan": Cooperative.kecamatan_code,
    "kelurahan": Cooperative.kelurahan_code, "address": Cooperative.address, "members": Cooperative.members_male
    + Cooperative.members_female, "nik_status": Cooperative.nik_status, "id": Cooperative.id,
    "updated_at": Cooperative.updated_at,
}


def search_ids(session: Session, f: RegistryFilter, *, order: str = "name", descending: bool = False,
               limit: int | None = None, offset: int = 0) -> list[int]:
    """The ids of the matching cooperatives in display order (ties broken by id)."""
    column = SORT_COLUMNS.get(order, Cooperative.name)
    q = select(Cooperative.id).where(and_(*_search_clauses(
        session, f, allow_scan=limit is not None and order in _INDEXED_SORTS)))
    q = q.order_by(column.desc() if descending else column.asc(), Cooperative.id.desc() if descending else Cooperative.id)
    if limit is not None:
        q = q.limit(limit).offset(offset)
    return list(session.scalars(q))


_INDEXED_SORTS = {"name", "legal_number", "id"}


def _search_clauses(session: Session, f: RegistryFilter, *, allow_scan: bool) -> list[ColumnElement[bool]]:
    """The conditions of :func:`search_ids`: on SQLite the text search is asked of the FTS index once, first.

    Few matches: their ids go into the query, which sorts them. Very many (see :func:`_fts_first`): the query
    walks the sort index to the first page instead of sorting every match (when there is a page limit).
    """
    plan = _fts_first(session, f.text)
    if plan is None:
        return where_clauses(session, f)
    if plan == "scan":
        return where_clauses(session, f, scan_in_order=allow_scan)
    short = " ".join(_words(f.text)[1])
    return [*where_clauses(session, f.with_(text=short)), Cooperative.id.in_(plan) if plan else false()]


def _fts_first(session: Session, text_: str) -> list[int] | str | None:
    """On SQLite, the ids matching every word of three characters or more (one FTS5 query), when there are at most
    sqrt(20 × table size) of them (about 2,450 of 300,000; measured in bench/bench_national.py); "scan" when there
    are more and every word is long; None when the index cannot answer alone."""
    if session.get_bind().dialect.name != "sqlite":
        return None
    long_words, short_words = _words(text_)
    if not long_words:
        return None
    size = int(session.scalar(select(func.max(Cooperative.id))) or 0)
    cap = int((20 * size) ** 0.5) + 1
    ids = list(session.scalars(text("SELECT rowid FROM cooperative_fts WHERE cooperative_fts MATCH :q LIMIT :cap"),
                               {"q": _fts_match(long_words), "cap": cap}))
    if len(ids) < cap:
        return ids
    return None if short_words else "scan"


def count(session: Session, f: RegistryFilter) -> int:
    """How many cooperatives match the filter."""
    return int(session.scalar(select(func.count()).select_from(Cooperative).where(and_(*where_clauses(session, f)))) or 0)


@dataclass(frozen=True)
class RegistryRow:
    """One row of the registry table, plain data safe to pass between threads."""

    id: int
    name: str
    nik: str | None
    legal_number: str | None
    legal_date: dt.date | None
    jenis: str
    pola: str
    status: str
    nik_status: str
    address: str
    kabkota: str
    kecamatan: str
    kelurahan: str
    members: int
    is_merah_putih: bool
    version: int


def rows_for_ids(session: Session, ids: list[int]) -> list[RegistryRow]:
    """The display rows of the given cooperatives, in the order of ``ids``."""
    if not ids:
        return []
    kab = Region.__table__.alias("kab")
    kec = Region.__table__.alias("kec")
    kel = Region.__table__.alias("kel")
    c = Cooperative
    q = (
        select(c.id, c.name, c.nik, c.legal_number, c.legal_date, c.jenis, c.pola, c.status, c.nik_status, c.address,
               kab.c.name, kec.c.name, kel.c.name, c.members_male + c.members_female, c.is_merah_putih, c.version)
        .outerjoin(kab, kab.c.code == c.kabkota_code)
        .outerjoin(kec, kec.c.code == c.kecamatan_code)
        .outerjoin(kel, kel.c.code == c.kelurahan_code)
        .where(c.id.in_(ids))
    )
    by_id = {r[0]: RegistryRow(*[("" if v is None and i in (9, 10, 11, 12) else v) for i, v in enumerate(r)])
             for r in session.execute(q)}
    return [by_id[i] for i in ids if i in by_id]
