"""The national-scale demo set: bulk loaded on SQLite (executemany) and PostgreSQL (COPY, as the app role)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from kopdesk.models.cooperative import Cooperative, StatusChange
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.demo import data as demo
from kopdesk.reports.pdf import teguran as letter_pdf


def test_national_set_bulk_load_keeps_search_consistent(db):
    """A small national set: every province, ten book years, searchable by name and NIK at once."""
    from kopdesk.models import queries

    summary = demo.generate_national(db, count=3000, seed=7, chunk=700)
    assert "3000 koperasi" in summary
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 3000
        provinces = set(s.scalars(select(Cooperative.province_code).distinct()))
        assert len(provinces) >= 30
        years = set(s.scalars(select(RatRecord.book_year).distinct()))
        assert years == set(range(2016, 2026))
        assert s.scalar(select(func.count()).select_from(StatusChange)) >= 3000
        name, nik = s.execute(select(Cooperative.name, Cooperative.nik).where(Cooperative.nik.is_not(None))
                              .where(Cooperative.status == "aktif").limit(1)).one()
        last_word = name.split()[-1]
        ids = queries.search_ids(s, queries.RegistryFilter(text=nik), limit=100)
        assert len(ids) == 1
        target = s.scalar(select(Cooperative.id).where(Cooperative.nik == nik))
        found = queries.search_ids(s, queries.RegistryFilter(text=name), limit=100)
        assert target in found
        # Every word must match (each word is its own condition, with its own bound value).
        for row in s.execute(select(Cooperative.name, Cooperative.nik, Cooperative.legal_number, Cooperative.address)
                             .where(Cooperative.id.in_(found))):
            haystack = " ".join(v or "" for v in row).lower()
            assert all(word.lower() in haystack for word in name.split()), (name, row)
        assert len(found) <= queries.count(s, queries.RegistryFilter(text=last_word))
        missing = queries.search_ids(s, queries.RegistryFilter(statuses=("aktif",), rat_book_year=2025,
                                                               rat_state="missing"), limit=100)
        assert missing and not s.scalar(select(func.count()).select_from(RatRecord).where(
            RatRecord.cooperative_id.in_(missing), RatRecord.book_year == 2025))
    # The search index follows later edits too (its triggers are back after the bulk load).
    if db.is_sqlite:
        with db.read() as s:
            triggers = s.scalar(text("SELECT count(*) FROM sqlite_master WHERE type='trigger' "
                                     "AND name LIKE 'cooperative_fts%'"))
            assert triggers == 3
            fts = s.scalar(text("SELECT count(*) FROM cooperative_fts"))
            assert fts == 3000


def test_first_page_of_a_common_word_is_the_same_by_either_plan(db):
    """On SQLite a word matching thousands walks the name index to the first page; the page must equal the sort."""
    from kopdesk.models import queries

    demo.generate_national(db, count=2000, seed=11)
    with db.read() as s:
        for text_ in ("Koperasi Konsumen", "KSP", "Koperasi"):
            f = queries.RegistryFilter(text=text_)
            if db.is_sqlite:
                assert queries._fts_first(s, text_) == "scan"
            everything = queries.search_ids(s, f)  # no limit: always the sorted plan
            assert len(everything) > 200
            for desc in (False, True):
                page = queries.search_ids(s, f, limit=50, offset=20, descending=desc)
                assert page == queries.search_ids(s, f, descending=desc)[20:70]
        if db.is_sqlite:
            assert queries._fts_first(s, "zqxw") == []
            rare = queries._fts_first(s, "Koperasi Konsumen Makmur")
            assert isinstance(rare, list) and 0 < len(rare) < 200
            f = queries.RegistryFilter(text="Koperasi Konsumen Makmur")
            assert queries.search_ids(s, f, limit=10) == queries.search_ids(s, f)[:10]
            assert queries.count(s, f) == len(rare) - s.scalar(select(func.count()).select_from(Cooperative).where(
                Cooperative.id.in_(rare), Cooperative.status == "dibubarkan"))


def test_cancelled_generation_leaves_nothing_behind(db):
    from kopdesk.models.progress import Cancelled
    from kopdesk.models.user import User

    seen = []
    with pytest.raises(Cancelled):
        demo.generate(db, cancelled=lambda: len(seen) > 0, progress=lambda d, n, t: seen.append(t),
                      letter_renderer=letter_pdf)
    calls = []

    def stop_after_first_chunk() -> bool:
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(Cancelled):
        demo.generate_national(db, count=1000, chunk=400, cancelled=stop_after_first_chunk)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Cooperative)) == 0
        assert s.scalar(select(func.count()).select_from(RatRecord)) == 0
        assert s.scalar(select(func.count()).select_from(User)) == 0
        if db.is_sqlite:  # the indexes and triggers dropped for the bulk load are back (rolled back with it)
            names = set(s.scalars(text("SELECT name FROM sqlite_master WHERE tbl_name = 'cooperative'")))
            assert {"ix_cooperative_recap", "ix_cooperative_name", "cooperative_fts_ai"} <= names
    assert demo.ensure_demo(db, letter_renderer=letter_pdf) is not None  # and the database can still be filled
