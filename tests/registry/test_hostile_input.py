"""Hostile input never crashes the search or the validation services, and never writes half a record."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import ValidationError
from kopdesk.models.queries import RegistryFilter, count, search_ids
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.services.registry.cooperatives import FIELDS

SYNTAX = st.sampled_from(['"', "'", "%", "_", "\\", "*", "(", ")", ":", "^", "-", "NEAR", "AND", "OR", "NOT",
                          "'; DROP TABLE cooperative; --", '" OR 1=1 --', "\x00", "{", "}", "[", "]", "+", "~"])
SEARCH_TEXT = st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=6).map(" ".join)


@pytest.fixture
def seeded(db, admin):  # type: ignore[no-untyped-def]
    with db.transaction(admin) as s:
        registry.create_cooperative(s, admin, {
            "name": 'Koperasi "Maju" 100% Jaya_Abadi', "nik": "6471010000000009", "legal_number": "01/BH/2000",
            "legal_date": "2000-01-01", "address": "Jl. O'Neil (belakang pasar)", "kabkota_code": "6471",
            "jenis": "jasa"}, today=dt.date(2026, 1, 1))
    return db


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=SEARCH_TEXT)
def test_search_with_sql_and_fts_syntax_never_errors(seeded, text):
    with seeded.read() as s:
        ids = search_ids(s, RegistryFilter(text=text), limit=50)
        n = count(s, RegistryFilter(text=text))
    assert len(ids) <= n <= 1


@pytest.mark.parametrize("text", ['"Maju"', "100%", "Jaya_Abadi", "O'Neil", "(belakang", "maju jaya", "6471010000000009"])
def test_search_finds_names_with_special_characters(seeded, text):
    with seeded.read() as s:
        assert count(s, RegistryFilter(text=text)) == 1


HOSTILE = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**20, max_value=10**20), st.floats(allow_nan=True),
    st.text(max_size=400), st.just("=HYPERLINK(\"http://x\")"), st.just("a" * 5000), st.just("\x07\x1b[31m"),
    st.dates(min_value=dt.date(1, 1, 1)), st.binary(max_size=20), st.lists(st.integers(), max_size=3),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(sorted(FIELDS)), HOSTILE, min_size=1, max_size=8))
@example(data={"ad_amendment_date": None, "sector_id": 9.223372036854776e+18})
@example(data={"kelompok_id": True})
@example(data={"ad_amendment_date": None, "nib": float("inf")})
@example(data={"nik": float("nan")})
def test_validation_of_hostile_values_reports_fields_or_saves_whole_records(sqlite_db, data):
    from kopdesk.models.services.administration.auth import Actor

    actor = Actor.system()
    with sqlite_db.read() as s:
        before = s.scalar(select(func.count()).select_from(Cooperative))
    try:
        with sqlite_db.transaction(actor) as s:
            registry.create_cooperative(s, actor, data, today=dt.date(2026, 1, 1))
    except ValidationError as exc:
        assert exc.errors and all(e.field and e.label and e.message for e in exc.errors)
        with sqlite_db.read() as s:
            assert s.scalar(select(func.count()).select_from(Cooperative)) == before
        return
    with sqlite_db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == before + 1
