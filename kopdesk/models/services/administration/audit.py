"""The audit trail: written automatically for every audited entity in the same flush, and read back as history.

A session listener looks at each flush. For every new, changed or deleted entity whose class sets
``__audited__``, it writes one ``audit_entry`` row per changed column (or one for a created or deleted record),
naming the actor kept in ``session.info["actor"]``. A change without an actor is refused, so no service can
forget to say who acted.
"""

from __future__ import annotations

import datetime as dt
import decimal
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from kopdesk.models.audit import AuditEntry
from kopdesk.models.base import Base, utcnow
from kopdesk.models.errors import PermissionDenied


def format_value(value: Any) -> str | None:
    """A value as the audit trail stores it: ISO dates, plain numbers, 'ya'/'tidak' for booleans."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, (bytes, bytearray, memoryview)):
        return f"<berkas {len(value)} bita>"
    return str(value)


def _columns(obj: Base) -> list[str]:
    mapper = inspect(obj).mapper
    return [attr.key for attr in mapper.column_attrs if attr.key not in type(obj).__audit_exclude__]


def _entity_id(obj: Base) -> str:
    # After a flush of a new object its key is not registered yet, but the primary key values are set.
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return "/".join(str(p) for p in identity)


def _actor_fields(session: Session) -> tuple[int | None, str]:
    actor = session.info.get("actor")
    if actor is None:
        raise PermissionDenied("Perubahan data memerlukan pengguna yang jelas (actor) untuk jejak audit.")
    return getattr(actor, "user_id", None), getattr(actor, "username", str(actor))


@event.listens_for(Session, "after_flush")
def _write_audit(session: Session, flush_context: UOWTransaction) -> None:
    rows: list[dict[str, Any]] = []
    now = utcnow()
    note = session.info.get("audit_note")
    actor: tuple[int | None, str] | None = None

    def base(obj: Base, action: str) -> dict[str, Any]:
        nonlocal actor
        if actor is None:
            actor = _actor_fields(session)
        return {
            "at": now, "user_id": actor[0], "username": actor[1], "action": action,
            "entity": obj.__tablename__, "entity_id": _entity_id(obj),
            "cooperative_id": obj.audit_cooperative_id(), "field": None, "old_value": None, "new_value": None,
            "note": note, "entity_version": getattr(obj, "version", None),
        }

    for obj in session.new:
        if getattr(obj, "__audited__", False):
            rows.append(base(obj, "create"))
    for obj in session.dirty:
        if not getattr(obj, "__audited__", False) or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for key in _columns(obj):
            hist = state.attrs[key].history
            if not hist.has_changes():
                continue
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if format_value(old) == format_value(new):
                continue
            row = base(obj, "update")
            row.update(field=key, old_value=format_value(old), new_value=format_value(new))
            rows.append(row)
    for obj in session.deleted:
        if getattr(obj, "__audited__", False):
            row = base(obj, "delete")
            row["old_value"] = getattr(obj, "name", None) and str(obj.name)
            rows.append(row)
    if rows:
        session.connection().execute(insert(AuditEntry.__table__), rows)


def write_entry(session: Session, *, action: str, entity: str, entity_id: str | int, cooperative_id: int | None = None,
                field: str | None = None, old: Any = None, new: Any = None, note: str | None = None) -> None:
    """Write one audit entry by hand, for changes made in bulk outside the ORM (imports, closing a round)."""
    user_id, username = _actor_fields(session)
    session.execute(insert(AuditEntry.__table__), [{
        "at": utcnow(), "user_id": user_id, "username": username, "action": action, "entity": entity,
        "entity_id": str(entity_id), "cooperative_id": cooperative_id, "field": field,
        "old_value": format_value(old), "new_value": format_value(new), "note": note, "entity_version": None,
    }])


@dataclass(frozen=True)
class HistoryLine:
    """One line of a cooperative's readable history."""

    at: dt.datetime
    username: str
    action: str
    entity: str
    field: str | None
    old_value: str | None
    new_value: str | None
    note: str | None


def history(session: Session, cooperative_id: int, *, after_id: int = 0, limit: int = 200) -> list[tuple[int, HistoryLine]]:
    """The audit trail of one cooperative, newest first, in pages (``after_id`` = the last id of the previous page)."""
    q = select(AuditEntry).where(AuditEntry.cooperative_id == cooperative_id)
    if after_id:
        q = q.where(AuditEntry.id < after_id)
    q = q.order_by(AuditEntry.id.desc()).limit(limit)
    return [
        (e.id, HistoryLine(e.at, e.username, e.action, e.entity, e.field, e.old_value, e.new_value, e.note))
        for e in session.scalars(q)
    ]
