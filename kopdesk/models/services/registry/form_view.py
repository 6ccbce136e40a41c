"""Read-side helpers of the cooperative form: everything one form shows, as plain data (no Qt).

The form loads one cooperative with :func:`load`, its lookups with :func:`lookups`, and its readable history with
:func:`history_rows`; saving goes through :mod:`kopdesk.models.services.registry.cooperatives`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import StatusChange
from kopdesk.models.formats import format_count, format_date, format_rupiah
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region
from kopdesk.models.services.administration import audit
from kopdesk.models.services.administration.auth import Actor, mask_citizen_nik
from kopdesk.models.services.registry.cooperatives import FIELDS, LABELS, get_cooperative
from kopdesk.models.supervision import Visit
from kopdesk.models.vocab import OFFICER_ROLES, RAT_STATUS, STATUS, STATUS_SOURCES

OFFICER_LABELS = {"role": "Jabatan", "name": "Nama", "sex": "Jenis kelamin", "citizen_nik": "NIK KTP",
                  "phone": "Telepon", "term_start": "Awal masa jabatan", "term_end": "Akhir masa jabatan"}
ENTITY_LABELS = {
    "cooperative": "Koperasi", "officer": "Pengurus/Pengawas", "rat_record": "RAT", "visit": "Kunjungan lapangan",
    "annual_report": "Data tahunan", "letter": "Surat", "certificate": "Sertifikat",
    "health_assessment": "Penilaian kesehatan", "merah_putih_profile": "Profil Koperasi Merah Putih",
    "merah_putih_outlet": "Gerai Koperasi Merah Putih",
}
ACTIONS = {"create": "menambah", "update": "mengubah", "delete": "menghapus"}
VISIT_RESULTS = {"aktif": "Aktif", "tidak_aktif": "Tidak aktif", "pindah_alamat": "Pindah alamat",
                 "tidak_ditemukan": "Tidak ditemukan"}


@dataclass
class FormData:
    """One cooperative as the form shows it.

    Attributes:
        values: field name (registry.FIELDS) to the stored value.
        officers: the board, each a dict of registry.OFFICER_FIELDS plus ``id``; citizen NIKs masked for
            roles without personal_data.view (``nik_masked`` then True).
    """

    id: int | None
    version: int
    values: dict[str, Any]
    officers: list[dict[str, Any]] = field(default_factory=list)
    rat: list[dict[str, Any]] = field(default_factory=list)
    visits: list[dict[str, Any]] = field(default_factory=list)
    status_changes: list[dict[str, Any]] = field(default_factory=list)
    nik_masked: bool = False


def load(session: Session, coop_id: int, actor: Actor | None) -> FormData:
    """Everything the form shows of one cooperative.

    Raises:
        NotFoundError: it does not exist (any more).
    """
    coop = get_cooperative(session, coop_id)
    values = {name: getattr(coop, name) for name in FIELDS}
    can_see = actor is not None and actor.can("personal_data.view")
    officers = [
        {"id": o.id, "role": o.role, "name": o.name, "sex": o.sex,
         "citizen_nik": o.citizen_nik if can_see else mask_citizen_nik(o.citizen_nik, actor),
         "phone": o.phone, "term_start": o.term_start, "term_end": o.term_end}
        for o in coop.officers
    ]
    rat = [
        {"book_year": r.book_year, "rat_date": r.rat_date, "report_received_date": r.report_received_date,
         "attendance": r.attendance, "has_minutes": r.has_minutes, "has_financials": r.has_financials,
         "has_lpj": r.has_lpj, "notes": r.notes}
        for r in session.scalars(select(RatRecord).where(RatRecord.cooperative_id == coop_id)
                                 .order_by(RatRecord.book_year.desc()))
    ]
    visits = [
        {"visit_date": v.visit_date, "officer_name": v.officer_name, "found_at_address": v.found_at_address,
         "business_active": v.business_active, "result": v.result, "new_address": v.new_address, "notes": v.notes}
        for v in session.scalars(select(Visit).where(Visit.cooperative_id == coop_id)
                                 .order_by(Visit.visit_date.desc(), Visit.id.desc()))
    ]
    changes = [
        {"effective_date": c.effective_date, "from": c.from_status, "to": c.to_status, "reason": c.reason,
         "source": c.source, "username": c.username, "changed_at": c.changed_at}
        for c in session.scalars(select(StatusChange).where(StatusChange.cooperative_id == coop_id)
                                 .order_by(StatusChange.effective_date.desc(), StatusChange.id.desc()))
    ]
    return FormData(coop.id, coop.version, values, officers, rat, visits, changes, nik_masked=not can_see)


def current_version(session: Session, coop_id: int) -> int:
    coop = get_cooperative(session, coop_id)
    return coop.version


def lookups(session: Session) -> dict[str, list[tuple[int, str]]]:
    """The choices of the kelompok and sector pickers: (id, name), active ones first in their order."""
    return {
        "kelompok_id": [(k.id, k.name) for k in session.scalars(
            select(Kelompok).order_by(Kelompok.active.desc(), Kelompok.sort_order, Kelompok.name))],
        "sector_id": [(s.id, s.name) for s in session.scalars(select(Sector).order_by(Sector.active.desc(), Sector.name))],
    }


def rat_state_label(row: dict[str, Any]) -> str:
    return RAT_STATUS["tepat_waktu"] if row.get("rat_date") else RAT_STATUS["belum"]


# ----------------------------------------------------------------------------------------------- readable history

def _parse_iso_date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 and text[4] == "-" else None
    except ValueError:
        return None


def display_value(session: Session, entity: str, name: str | None, value: str | None,
                  region_names: dict[str, str] | None = None) -> str:
    """A stored audit value as a clerk reads it: labels for codes, "14 Juli 2024", "Rp1.234.567", region names."""
    if value is None or value == "":
        return "(kosong)"
    if entity == "cooperative" and name in FIELDS:
        spec = FIELDS[name]
        if spec.choices:
            return spec.choices.get(value, value)
        if spec.kind in ("date", "past_date"):
            d = _parse_iso_date(value)
            return format_date(d) if d else value
        if spec.kind in ("money", "signed_money"):
            try:
                return format_rupiah(int(value))
            except ValueError:
                return value
        if spec.kind == "count":
            try:
                return format_count(int(value))
            except ValueError:
                return value
        if spec.kind == "region":
            names = region_names if region_names is not None else {}
            if value not in names:
                region = session.get(Region, value)
                names[value] = region.name if region else value
            return f"{names[value]} ({value})"
        if spec.kind == "fk":
            model = Kelompok if name == "kelompok_id" else Sector
            try:
                obj = session.get(model, int(value))
            except ValueError:
                obj = None
            return obj.name if obj else value
    if entity == "officer" and name == "role":
        return OFFICER_ROLES.get(value, value)
    if name and (name.endswith(("_date", "_on")) or name.startswith("term_")):
        d = _parse_iso_date(value)
        if d:
            return format_date(d)
    return value


def field_label(entity: str, name: str | None) -> str:
    if entity == "cooperative":
        return LABELS.get(name or "", name or "")
    if entity == "officer":
        return OFFICER_LABELS.get(name or "", name or "")
    return (name or "").replace("_", " ")


@dataclass(frozen=True)
class HistoryRow:
    """One readable line of the Riwayat tab."""

    id: int
    at: dt.datetime
    username: str
    what: str
    old: str
    new: str
    note: str


def history_rows(session: Session, coop_id: int, *, after_id: int = 0, limit: int = 500,
                 actor: Actor | None = None) -> list[HistoryRow]:
    """The audit trail of one cooperative, newest first, each line naming who, when, what, from and to.

    A board member's NIK KTP in the trail is masked unless ``actor`` may see personal data.
    """
    out: list[HistoryRow] = []
    region_names: dict[str, str] = {}
    for ident, line in audit.history(session, coop_id, after_id=after_id, limit=limit):
        entity_label = ENTITY_LABELS.get(line.entity, line.entity)
        if line.action == "update":
            label = field_label(line.entity, line.field)
            what = label if line.entity == "cooperative" else f"{entity_label}: {label}"
            old = display_value(session, line.entity, line.field, line.old_value, region_names)
            new = display_value(session, line.entity, line.field, line.new_value, region_names)
            if line.field == "citizen_nik" and line.entity == "officer":
                old = mask_citizen_nik(line.old_value, actor) or old
                new = mask_citizen_nik(line.new_value, actor) or new
        else:
            what = f"{ACTIONS.get(line.action, line.action).capitalize()} {entity_label.lower()}"
            old = line.old_value or ""
            new = ""
        out.append(HistoryRow(ident, line.at, line.username, what, old, new, line.note or ""))
    return out


def status_change_text(row: dict[str, Any]) -> str:
    """"Aktif → Tidak Aktif (Pemutakhiran (kunjungan lapangan))"."""
    start = STATUS.get(row["from"], row["from"]) if row.get("from") else "—"
    return f"{start} → {STATUS.get(row['to'], row['to'])} ({STATUS_SOURCES.get(row['source'], row['source'])})"
