"""The query and start-up changes the registry workspace relies on (no window needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from kopdesk.models import queries
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import DatabaseUnavailable


def test_every_word_must_match_each_in_its_own_right(db):
    from tests.support import registry_sample

    registry_sample.fill(db, 400, "6471", officers_for=0)
    with db.read() as s:
        names = {i: (n + " " + a).lower() for i, n, a in s.execute(select(Cooperative.id, Cooperative.name, Cooperative.address))}
        for text in ("makmur jaya", "sejahtera bersama", "jaya ksp", "sudirman makmur"):
            words = text.split()
            expected = sorted(i for i, n in names.items() if all(w in n for w in words))
            got = sorted(queries.search_ids(s, queries.RegistryFilter(text=text, include_dissolved=True)))
            assert got == expected, text
            assert queries.count(s, queries.RegistryFilter(text=text, include_dissolved=True)) == len(expected)
        assert 0 < len(sorted(queries.search_ids(s, queries.RegistryFilter(text="makmur", include_dissolved=True)))) \
            > len(queries.search_ids(s, queries.RegistryFilter(text="makmur jaya", include_dissolved=True)))


def test_open_without_quick_check_still_refuses_a_file_that_is_not_sqlite(tmp_path: Path):
    from kopdesk.models.db import Database

    bad = tmp_path / "bukan.sqlite"
    bad.write_bytes(b"ini bukan basis data, hanya teks" * 100)
    with pytest.raises(DatabaseUnavailable, match="bukan basis data KopDesk"):
        Database.open(str(bad), integrity_check=False)
    assert bad.read_bytes().startswith(b"ini bukan")


def test_deferred_integrity_check_finds_damage(sqlite_db, tmp_path: Path):
    from kopdesk.models.db import Database
    from kopdesk.models.migrate import check_integrity, is_at_head

    assert is_at_head(sqlite_db.engine)
    check_integrity(sqlite_db)  # a healthy file passes
    path = Path(sqlite_db.url.database)
    sqlite_db.dispose()
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page * 3, min(len(data), page * 40), page):  # scribble over b-tree pages, keep the header
        data[offset:offset + 64] = b"\xff" * 64
    damaged = tmp_path / "rusak.sqlite"
    damaged.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable):
        db = Database.open(str(damaged), integrity_check=False)
        try:
            check_integrity(db)
        finally:
            db.dispose()
