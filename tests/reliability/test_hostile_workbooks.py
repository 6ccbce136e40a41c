"""Hostile workbooks never crash the import, never write half of it, and every bad cell is named by row and column."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import xlsxwriter
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st

from kopdesk.models.errors import DomainError
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.exchange import ods_import
from tests.reliability.fingerprint import fingerprint
from tests.support.stress_ops import IMPORT_HEADER

GOOD = ["Koperasi Tangguh {i}", "65710150000000{i:02d}", "{i}/BH/TGH/2010", "14/07/2010", "Jl. Tangguh {i}",
        "Kota Tarakan", "Tarakan Barat", "Konsumen", "Aktif"]

HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**15, max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=60),
    st.sampled_from(["=1+1", "=HYPERLINK(\"http://x\",\"klik\")", "+62 811", "-", "@SUM(A1)", "=A1/0", "#N/A",
                     "a" * 5000, "\x07\x1b[31m\x00", "\u202eKoperasi", "'; DROP TABLE cooperative; --", "  ",
                     "31/02/2020", "14 Juli 2024", "9999999999999999999999", "1e309", "NaN"]),
    st.tuples(st.just("formula"), st.sampled_from(["=1+1", "=A1", "=1/0", "=NOW()"])),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)),
)


@st.composite
def workbooks(draw):  # type: ignore[no-untyped-def]
    header = list(IMPORT_HEADER)
    if draw(st.booleans()):  # a damaged header row too
        header[draw(st.integers(0, len(header) - 1))] = draw(HOSTILE)
    n = draw(st.integers(0, 5))
    rows = []
    for i in range(n):
        row = [g.format(i=i) for g in GOOD]
        for _ in range(draw(st.integers(0, 3))):
            row[draw(st.integers(0, len(row) - 1))] = draw(HOSTILE)
        rows.append(row)
    merges = draw(st.lists(st.tuples(st.integers(0, n + 1), st.integers(0, 8), st.integers(0, 2), st.integers(0, 2)),
                           max_size=2))
    empty = draw(st.integers(0, 9)) == 0
    return {"header": header, "rows": rows, "merges": merges, "empty": empty}


def _put(ws, r: int, c: int, value) -> None:  # type: ignore[no-untyped-def]
    if value is None:
        return
    if isinstance(value, tuple):
        ws.write_formula(r, c, value[1])
    elif isinstance(value, bool):
        ws.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        ws.write_number(r, c, value)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, c, dt.datetime.combine(value, dt.time()), DATE)
    else:
        ws.write_string(r, c, value)


DATE = None


def write(path: Path, spec: dict) -> Path:  # type: ignore[type-arg]
    global DATE
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_numbers": False})
    DATE = wb.add_format({"num_format": "dd/mm/yyyy"})
    ws = wb.add_worksheet("ODS")
    if not spec["empty"]:
        for c, v in enumerate(spec["header"]):
            _put(ws, 0, c, v)
        for r, row in enumerate(spec["rows"], start=1):
            for c, v in enumerate(row):
                _put(ws, r, c, v)
        used: set[tuple[int, int]] = set()
        for r, c, h, w in spec["merges"]:
            if h == 0 and w == 0:
                continue
            cells = {(rr, cc) for rr in range(r, r + h + 1) for cc in range(c, c + w + 1)}
            if cells & used:
                continue
            used |= cells
            ws.merge_range(r, c, r + h, c + w, "")
    wb.close()
    return path


@pytest.fixture
def base(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.conftest import make_user

    make_user(sqlite_db, "admin", "admin")
    return sqlite_db


def check_import(db, path: Path) -> None:  # type: ignore[no-untyped-def]
    before = fingerprint(db)
    try:
        _, result = ods_import.import_file(db, Actor.system(), path)
    except (ods_import.ImportRejected, ods_import.ImportFileError, DomainError) as exc:
        event(f"refused: {type(exc).__name__}")
        assert str(exc).strip(), "a refusal must say why"
        assert fingerprint(db) == before, f"a refused import wrote something: {exc}"
        if isinstance(exc, ods_import.ImportRejected):
            assert "Baris " in str(exc)
            with db.read() as s:
                preview = ods_import.preview_import(s, path)
            invalid = [r for r in preview.rows if r.action == ods_import.INVALID]
            assert invalid
            for r in invalid:
                assert r.issues, f"row {r.row} invalid without a reason"
                for issue in r.issues:
                    assert issue.row == r.row and issue.row > preview.header_row
                    assert issue.column >= 1 or str(issue.header).strip(), issue
                    assert issue.text().startswith(f"Baris {issue.row}, kolom ")
        return
    assert result is not None
    event(f"imported: {result.created} new")
    after = fingerprint(db)
    assert after["cooperative"] == before["cooperative"] + result.created


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow, HealthCheck.data_too_large])
@given(spec=workbooks())
@example(spec={"header": IMPORT_HEADER, "rows": [[g.format(i=1) for g in GOOD[:1]] + [("formula", "=1+1")] + GOOD[2:]],
               "merges": [], "empty": False})
@example(spec={"header": IMPORT_HEADER, "rows": [[g.format(i=1) for g in GOOD], [g.format(i=2) for g in GOOD]],
               "merges": [(1, 0, 1, 2)], "empty": False})
@example(spec={"header": IMPORT_HEADER, "rows": [], "merges": [], "empty": True})
@example(spec={"header": IMPORT_HEADER, "rows": [[g.format(i=0) for g in GOOD[:5]] + [("formula", "=1+1")] + GOOD[6:]],
               "merges": [], "empty": False})  # a formula among the region cells (found by this test)
def test_hostile_workbooks(base, tmp_path_factory, spec):
    path = write(tmp_path_factory.mktemp("wb") / "hostile.xlsx", spec)
    check_import(base, path)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".xlsx", ".xls", ".ods", ".csv"]))
@example(data=b"PK\x03\x04" + b"\x00" * 100, suffix=".xlsx")
@example(data=b"", suffix=".ods")
def test_a_file_that_is_not_a_workbook(base, tmp_path_factory, data, suffix):
    path = tmp_path_factory.mktemp("nb") / f"bukan{suffix}"
    path.write_bytes(data)
    before = fingerprint(base)
    with pytest.raises(DomainError) as err:
        ods_import.import_file(base, Actor.system(), path)
    assert path.name in str(err.value) or "buku kerja" in str(err.value)
    assert fingerprint(base) == before


def test_hostile_rows_on_postgresql_write_nothing(pg_db, tmp_path):
    """The same refusal on PostgreSQL: a good row and a formula row -> rejected, nothing written."""
    from tests.conftest import make_user

    make_user(pg_db, "admin", "admin")
    spec = {"header": IMPORT_HEADER, "rows": [[g.format(i=1) for g in GOOD],
                                               [g.format(i=2) for g in GOOD[:1]] + ["=1+1"] + GOOD[2:]],
            "merges": [], "empty": False}
    before = fingerprint(pg_db)
    with pytest.raises(ods_import.ImportRejected) as err:
        ods_import.import_file(pg_db, Actor.system(), write(tmp_path / "x.xlsx", spec))
    assert "Baris 3, kolom B" in str(err.value)
    assert fingerprint(pg_db) == before
