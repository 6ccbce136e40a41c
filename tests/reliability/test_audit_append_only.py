"""The audit trail cannot be edited or deleted from the app, on SQLite (triggers) and PostgreSQL (role + trigger)."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from kopdesk.models.audit import AuditEntry
from kopdesk.models.services.registry import cooperatives as registry


def test_audit_rows_cannot_be_changed_or_removed(db, admin):
    with db.transaction(admin) as s:
        registry.create_cooperative(s, admin, {
            "name": "Koperasi Jejak", "nik": "6471010000000066", "legal_number": "66/BH/2001",
            "legal_date": "2001-01-01", "address": "Jl. Jejak", "kabkota_code": "6471", "kecamatan_code": "647101",
            "jenis": "konsumen"})
    with db.read() as s:
        rows = s.execute(select(AuditEntry.id, AuditEntry.username, AuditEntry.action)).all()
    assert rows
    for statement in ("UPDATE audit_entry SET username = 'hantu'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError), db.transaction(admin) as s:
            s.execute(text(statement))
    with pytest.raises(DBAPIError):  # nor through the ORM
        with db.transaction(admin) as s:
            s.delete(s.get(AuditEntry, rows[0].id))
    with db.read() as s:
        assert s.execute(select(AuditEntry.id, AuditEntry.username, AuditEntry.action)).all() == rows
