"""A database's fingerprint: the row count of every table and a hash of every cooperative row (all columns)."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select, text

from kopdesk.models import Base
from kopdesk.models.cooperative import Cooperative


def fingerprint(db) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out: dict[str, object] = {}
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            out[table.name] = s.scalar(select(func.count()).select_from(table))
        h = hashlib.sha256()
        cols = list(Cooperative.__table__.columns)
        for row in s.execute(select(*cols).order_by(Cooperative.id)):
            h.update(repr(tuple(row)).encode())
        out["cooperative_sha256"] = h.hexdigest()
        if db.is_sqlite:  # the search index and its triggers are part of a SQLite registry too
            out["sqlite_schema"] = sorted(s.execute(text("SELECT type, name FROM sqlite_master")).all())
            out["fts_rows"] = s.scalar(text("SELECT count(*) FROM cooperative_fts"))
    return out
