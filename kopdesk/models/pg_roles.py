"""A least-privilege PostgreSQL role for the application: data access only, no DDL, an append-only audit trail.

The database owner runs the migrations (``python main.py --db postgresql://owner@host/kopdesk db upgrade``) and
grants the clerks' role with ``db grant-app-role ROLE``; the clerks' PCs then connect as that role.
"""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

_ROLE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def grant_statements(role: str) -> list[str]:
    """The SQL that gives ``role`` exactly what the application needs on the current schema and future tables."""
    if not _ROLE.match(role):
        raise ValueError(f"nama peran PostgreSQL tidak valid: {role!r}")
    return [
        f'REVOKE ALL ON SCHEMA public FROM "{role}"',
        f'GRANT USAGE ON SCHEMA public TO "{role}"',
        f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"',
        # The audit trail: read and append only (the triggers refuse changes as well).
        f'REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM "{role}"',
        f'REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON alembic_version FROM "{role}"',
        f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{role}"',
        f'ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO "{role}"',
    ]


def grant_app_role(engine: Engine, role: str, *, create_login: bool = False) -> None:
    """Apply :func:`grant_statements` as the owner (optionally creating the role as a LOGIN role)."""
    with engine.begin() as conn:
        if create_login:
            if not _ROLE.match(role):
                raise ValueError(f"nama peran PostgreSQL tidak valid: {role!r}")
            # Tolerates a concurrent creation of the same role (several test runs on one server).
            conn.execute(text(
                "DO $$ BEGIN "
                f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE; '
                "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"))
        for statement in grant_statements(role):
            conn.execute(text(statement))
