"""Substring search index over the registry, and an append-only audit trail.

SQLite: an external-content FTS5 table with the trigram tokenizer, kept in sync by triggers.
PostgreSQL: pg_trgm and a GIN index on the same search text (kopdesk.models.queries.PG_SEARCH_EXPR).
Both: triggers that refuse UPDATE and DELETE on audit_entry.

Revision ID: 0002
Revises: 0001
"""
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# Keep in step with kopdesk.models.queries.PG_SEARCH_EXPR.
PG_SEARCH_EXPR = (
    "lower(name || ' ' || coalesce(nik, '') || ' ' || coalesce(legal_number, '') || ' ' || coalesce(address, ''))"
)

SQLITE_FTS = [
    """CREATE VIRTUAL TABLE cooperative_fts USING fts5(
        name, nik, legal_number, address, content='cooperative', content_rowid='id', tokenize='trigram')""",
    """CREATE TRIGGER cooperative_fts_ai AFTER INSERT ON cooperative BEGIN
        INSERT INTO cooperative_fts(rowid, name, nik, legal_number, address)
        VALUES (new.id, new.name, new.nik, new.legal_number, new.address); END""",
    """CREATE TRIGGER cooperative_fts_ad AFTER DELETE ON cooperative BEGIN
        INSERT INTO cooperative_fts(cooperative_fts, rowid, name, nik, legal_number, address)
        VALUES ('delete', old.id, old.name, old.nik, old.legal_number, old.address); END""",
    """CREATE TRIGGER cooperative_fts_au AFTER UPDATE OF name, nik, legal_number, address ON cooperative BEGIN
        INSERT INTO cooperative_fts(cooperative_fts, rowid, name, nik, legal_number, address)
        VALUES ('delete', old.id, old.name, old.nik, old.legal_number, old.address);
        INSERT INTO cooperative_fts(rowid, name, nik, legal_number, address)
        VALUES (new.id, new.name, new.nik, new.legal_number, new.address); END""",
    "INSERT INTO cooperative_fts(cooperative_fts) VALUES ('rebuild')",
    """CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
    """CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry BEGIN
        SELECT RAISE(ABORT, 'audit_entry is append-only'); END""",
]

PG = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX ix_cooperative_search_trgm ON cooperative USING gin (({PG_SEARCH_EXPR}) gin_trgm_ops)",
    """CREATE OR REPLACE FUNCTION kopdesk_audit_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'audit_entry is append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry
       FOR EACH ROW EXECUTE FUNCTION kopdesk_audit_append_only()""",
]


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in SQLITE_FTS if dialect == "sqlite" else PG:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("cooperative_fts_ai", "cooperative_fts_ad", "cooperative_fts_au",
                     "audit_entry_no_update", "audit_entry_no_delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS cooperative_fts")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_entry_append_only ON audit_entry")
        op.execute("DROP FUNCTION IF EXISTS kopdesk_audit_append_only()")
        op.execute("DROP INDEX IF EXISTS ix_cooperative_search_trgm")
