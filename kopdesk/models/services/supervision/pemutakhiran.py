"""Pemutakhiran: field verification rounds, officers per kecamatan, visits, progress, and closing with status rules.

Status rules applied when a round is closed (brief §0, §11; each change goes through
:func:`kopdesk.models.services.registry.cooperatives.change_status` with source ``pemutakhiran`` and the visit as its source):

1. Not found at the registered address and no new address known -> ``tidak_ditemukan``.
2. Found (at the registered or a new address) and the business is not running -> ``tidak_aktif``.
3. Found and the business is running, while registered as ``tidak_aktif`` or ``tidak_ditemukan`` -> ``aktif``
   ("aktif kembali").
4. A cooperative in ``proses_pembubaran`` or ``dibubarkan`` is never changed by a round: the dissolution process
   decides; the preview lists it as skipped.
5. Found with the business state left blank, or not visited at all: no change.
6. A visit that found the cooperative at a new address also sets that address in the registry.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import and_, delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kopdesk.models.base import utcnow
from kopdesk.models.cooperative import Cooperative, Officer
from kopdesk.models.documents.supervision import RoundProgress, SheetRow
from kopdesk.models.errors import ConflictError, DomainError, FieldError, NotFoundError, ValidationError
from kopdesk.models.formats import format_date, parse_date
from kopdesk.models.office import OfficeProfile
from kopdesk.models.region import Region, level_of, undotted
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.supervision import RoundCooperative, RoundOfficer, VerificationRound, Visit
from kopdesk.models.vocab import REGISTERED_STATUSES, STATUS

ROUND_STATUS = {"berjalan": "Berjalan", "ditutup": "Ditutup"}
VISIT_RESULT = {"aktif": "Aktif (usaha berjalan)", "tidak_aktif": "Tidak aktif", "pindah_alamat": "Pindah alamat",
                "tidak_ditemukan": "Tidak ditemukan", "ditemukan": "Ditemukan"}
MAX_PHOTO_BYTES = 10 * 1024 * 1024


class RoundClosed(DomainError):
    code = "round_closed"


class RoundNotClosed(DomainError):
    """The round is still under way (its berita acara is made once it is closed)."""

    code = "round_not_closed"


# ------------------------------------------------------------------------------------------------------- rounds

def create_round(session: Session, actor: Actor, name: str, *, region_code: str | None = None,
                 kecamatan_codes: Iterable[str] | None = None, cooperative_ids: Iterable[int] | None = None,
                 started_on: dt.date | None = None, notes: str | None = None,
                 today: dt.date | None = None) -> VerificationRound:
    """Start a round over the registered cooperatives of a region, of some kecamatan, or of a list of ids.

    Args:
        region_code: the region covered (default: the office's region); ignored when ids are given.
        kecamatan_codes: limit the round to these kecamatan.
        cooperative_ids: an explicit list (e.g. the registry's current filter).

    Raises:
        ValidationError: no name, or no cooperative in the scope.
    """
    require(actor, "supervision.write")
    today = today or dt.date.today()
    name = (name or "").strip()
    errors: list[FieldError] = []
    if not name:
        errors.append(FieldError("name", "Nama putaran", "wajib diisi"))
    elif len(name) > 200:
        errors.append(FieldError("name", "Nama putaran", "terlalu panjang (paling banyak 200 karakter)"))
    started_on = started_on or today
    if started_on > today + dt.timedelta(days=366):
        errors.append(FieldError("started_on", "Tanggal mulai", "terlalu jauh di masa depan"))
    if errors:
        raise ValidationError(errors)
    c = Cooperative
    q = select(c.id).where(c.status.in_(REGISTERED_STATUSES))
    if cooperative_ids is not None:
        ids = sorted({int(i) for i in cooperative_ids})
        found = set(session.scalars(select(c.id).where(c.id.in_(ids), c.status.in_(REGISTERED_STATUSES)))) if ids else set()
        coop_ids = [i for i in ids if i in found]
    else:
        region_code = region_code or session.scalar(select(OfficeProfile.region_code).where(OfficeProfile.id == 1))
        if region_code:
            code = undotted(region_code)
            col = {1: c.province_code, 2: c.kabkota_code, 3: c.kecamatan_code, 4: c.kelurahan_code}.get(level_of(code))
            if col is None or session.get(Region, code) is None:
                raise ValidationError([FieldError("region_code", "Wilayah", f"kode {region_code} tidak dikenal")])
            q = q.where(col == code)
        if kecamatan_codes:
            kecs = [undotted(k) for k in kecamatan_codes]
            q = q.where(c.kecamatan_code.in_(kecs))
        coop_ids = list(session.scalars(q.order_by(c.id)))
    if not coop_ids:
        raise ValidationError([FieldError("scope", "Cakupan", "tidak ada koperasi terdaftar dalam cakupan ini")])
    rnd = VerificationRound(name=name, region_code=undotted(region_code) if region_code else None, status="berjalan",
                            started_on=started_on, notes=notes)
    session.add(rnd)
    session.flush()
    for start in range(0, len(coop_ids), 5000):
        session.execute(insert(RoundCooperative), [{"round_id": rnd.id, "cooperative_id": i}
                                                   for i in coop_ids[start:start + 5000]])
    return rnd


def get_round(session: Session, round_id: int) -> VerificationRound:
    rnd = session.get(VerificationRound, round_id)
    if rnd is None:
        raise NotFoundError("Putaran pemutakhiran tidak ditemukan.", round_id=round_id)
    return rnd


def _open_round(session: Session, round_id: int) -> VerificationRound:
    rnd = get_round(session, round_id)
    if rnd.status == "ditutup":
        raise RoundClosed(f"Putaran {rnd.name} sudah ditutup pada {format_date(rnd.closed_on)}; "
                          "data kunjungannya tidak dapat diubah lagi.", round_id=round_id)
    return rnd


def assign_officer(session: Session, actor: Actor, round_id: int, kecamatan_code: str | None, officer_name: str,
                   officer_nip: str | None = None) -> RoundOfficer:
    """Assign a field officer (PPKL) to a kecamatan of a round (several officers per kecamatan are allowed)."""
    require(actor, "supervision.write")
    _open_round(session, round_id)
    errors: list[FieldError] = []
    officer_name = (officer_name or "").strip()
    if not officer_name:
        errors.append(FieldError("officer_name", "Nama petugas", "wajib diisi"))
    nip = "".join(ch for ch in (officer_nip or "") if ch.isdigit()) or None
    if officer_nip and (nip is None or len(nip) != 18):
        errors.append(FieldError("officer_nip", "NIP petugas", "harus 18 angka", officer_nip))
    kec = undotted(kecamatan_code) if kecamatan_code else None
    if kec and (session.get(Region, kec) is None or level_of(kec) != 3):
        errors.append(FieldError("kecamatan_code", "Kecamatan", f"kode {kecamatan_code} bukan kecamatan yang dikenal"))
    if errors:
        raise ValidationError(errors)
    row = RoundOfficer(round_id=round_id, kecamatan_code=kec, officer_name=officer_name, officer_nip=nip)
    session.add(row)
    session.flush()
    return row


def remove_officer(session: Session, actor: Actor, officer_id: int) -> None:
    require(actor, "supervision.write")
    row = session.get(RoundOfficer, officer_id)
    if row is None:
        return
    _open_round(session, row.round_id)
    session.delete(row)
    session.flush()


def officers(session: Session, round_id: int) -> dict[str | None, list[str]]:
    """The officers of a round by kecamatan code."""
    out: dict[str | None, list[str]] = {}
    for kec, name in session.execute(select(RoundOfficer.kecamatan_code, RoundOfficer.officer_name)
                                     .where(RoundOfficer.round_id == round_id).order_by(RoundOfficer.id)):
        out.setdefault(kec, []).append(name)
    return out


# ------------------------------------------------------------------------------------------------------- visits

def derive_result(found_at_address: bool, new_address: str | None, business_active: bool | None) -> str:
    """The visit's result code: tidak_ditemukan, pindah_alamat, aktif, tidak_aktif or ditemukan (business unknown)."""
    if not found_at_address and not new_address:
        return "tidak_ditemukan"
    if not found_at_address:
        return "pindah_alamat"
    if business_active is None:
        return "ditemukan"
    return "aktif" if business_active else "tidak_aktif"


VISIT_FIELDS = {
    "visit_date": "Tanggal kunjungan", "officer_name": "Petugas", "found_at_address": "Ditemukan di alamat",
    "new_address": "Alamat baru", "business_active": "Usaha berjalan", "rat_held_last_year": "RAT tahun lalu",
    "sign_board": "Papan nama", "contact_person": "Narahubung", "contact_phone": "Telepon narahubung",
    "notes": "Catatan", "photo_path": "Foto",
}


def _bool(value: Any) -> bool | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("ya", "y", "1", "true", "benar", "yes", "v"):
        return True
    if text in ("tidak", "t", "0", "false", "salah", "no", "n"):
        return False
    raise ValueError("isi dengan Ya atau Tidak")


def record_visit(session: Session, actor: Actor, round_id: int, coop_id: int, data: dict[str, Any], *,
                 today: dt.date | None = None) -> Visit:
    """Enter (or correct) the visit of one cooperative in a round.

    Args:
        data: visit_date*, found_at_address* (Ya/Tidak), officer_name, new_address, business_active,
            rat_held_last_year, sign_board, contact_person, contact_phone, notes, photo_path (a file to attach).

    Raises:
        ValidationError: every bad field, named in Indonesian; RoundClosed; NotFoundError.
    """
    require(actor, "supervision.write")
    today = today or dt.date.today()
    rnd = _open_round(session, round_id)
    in_round = session.scalar(select(func.count()).select_from(RoundCooperative).where(
        RoundCooperative.round_id == round_id, RoundCooperative.cooperative_id == coop_id))
    if not in_round:
        raise NotFoundError("Koperasi ini tidak termasuk putaran pemutakhiran tersebut.", cooperative_id=coop_id)
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}

    def err(name: str, message: str, value: Any = None) -> None:
        errors.append(FieldError(name, VISIT_FIELDS.get(name, name), message, value))

    for name in set(data) - set(VISIT_FIELDS):
        err(name, "kolom tidak dikenal")
    try:
        visit_date = parse_date(data.get("visit_date"))
        if visit_date is None:
            err("visit_date", "wajib diisi")
        elif visit_date > today:
            err("visit_date", "tidak boleh di masa depan", data.get("visit_date"))
        elif rnd.started_on and visit_date < rnd.started_on:
            err("visit_date", f"sebelum putaran dimulai ({format_date(rnd.started_on)})", data.get("visit_date"))
        clean["visit_date"] = visit_date
    except (ValueError, TypeError):
        err("visit_date", "bukan tanggal yang benar (contoh: 14/10/2025)", data.get("visit_date"))
    for name in ("found_at_address", "business_active", "rat_held_last_year", "sign_board"):
        try:
            clean[name] = _bool(data.get(name))
        except ValueError as exc:
            err(name, str(exc), data.get(name))
    if "found_at_address" in clean and clean["found_at_address"] is None:
        err("found_at_address", "wajib diisi (Ya atau Tidak)")
    for name, limit in (("officer_name", 150), ("new_address", 300), ("contact_person", 150), ("contact_phone", 40),
                        ("notes", 4000)):
        value = data.get(name)
        text = str(value).strip() if value is not None else ""
        if len(text) > limit:
            err(name, f"terlalu panjang (paling banyak {limit} karakter)")
        clean[name] = text or None
    if clean.get("found_at_address") and clean.get("new_address"):
        err("new_address", "hanya diisi bila koperasi tidak ditemukan di alamat terdaftar")
    if clean.get("found_at_address") is False and not clean.get("new_address") and clean.get("business_active"):
        err("business_active", "tidak dapat dinilai bila koperasi tidak ditemukan")
    photo: bytes | None = None
    photo_name: str | None = None
    if data.get("photo_path"):
        path = Path(str(data["photo_path"]))
        try:
            if path.stat().st_size > MAX_PHOTO_BYTES:
                err("photo_path", "berkas lebih besar dari 10 MB", str(path))
            else:
                photo, photo_name = path.read_bytes(), path.name
        except OSError:
            err("photo_path", "berkas tidak dapat dibaca", str(path))
    if errors:
        raise ValidationError(errors)
    visit = session.scalar(select(Visit).where(Visit.round_id == round_id, Visit.cooperative_id == coop_id))
    if visit is None:
        visit = Visit(round_id=round_id, cooperative_id=coop_id)
        session.add(visit)
    for key, value in clean.items():
        setattr(visit, key, value)
    if photo is not None:
        visit.photo, visit.photo_name = photo, photo_name
    visit.result = derive_result(bool(clean["found_at_address"]), clean.get("new_address"), clean.get("business_active"))
    visit.recorded_at = utcnow()
    session.flush()
    return visit


def clear_visit(session: Session, actor: Actor, round_id: int, coop_id: int) -> bool:
    """Remove a visit entered by mistake (the cooperative counts as not visited again)."""
    require(actor, "supervision.write")
    _open_round(session, round_id)
    visit = session.scalar(select(Visit).where(Visit.round_id == round_id, Visit.cooperative_id == coop_id))
    if visit is None:
        return False
    session.delete(visit)
    session.flush()
    return True


# ---------------------------------------------------------------------------------------------- progress, lists

def progress(session: Session, round_id: int) -> RoundProgress:
    covered = session.scalar(select(func.count()).select_from(RoundCooperative).where(RoundCooperative.round_id == round_id)) or 0
    counts = dict(session.execute(select(Visit.result, func.count()).where(Visit.round_id == round_id)
                                  .group_by(Visit.result)).all())
    active = session.scalar(select(func.count()).select_from(Visit).where(
        Visit.round_id == round_id, Visit.business_active.is_(True))) or 0
    inactive = session.scalar(select(func.count()).select_from(Visit).where(
        Visit.round_id == round_id, Visit.business_active.is_(False))) or 0
    visited = sum(counts.values())
    found = counts.get("aktif", 0) + counts.get("tidak_aktif", 0) + counts.get("ditemukan", 0)
    return RoundProgress(int(covered), int(visited), int(found), int(counts.get("pindah_alamat", 0)),
                         int(counts.get("tidak_ditemukan", 0)), int(active), int(inactive))


@dataclass(frozen=True)
class RoundInfo:
    id: int
    name: str
    status: str
    region_code: str | None
    started_on: dt.date | None
    closed_on: dt.date | None
    version: int
    progress: RoundProgress


def list_rounds(session: Session) -> list[RoundInfo]:
    """Every round, newest first, with its figures."""
    out = []
    for r in session.scalars(select(VerificationRound).order_by(VerificationRound.id.desc())):
        out.append(RoundInfo(r.id, r.name, r.status, r.region_code, r.started_on, r.closed_on, r.version,
                             progress(session, r.id)))
    return out


def last_closed_round(session: Session) -> RoundInfo | None:
    r = session.scalar(select(VerificationRound).where(VerificationRound.status == "ditutup")
                       .order_by(VerificationRound.closed_on.desc(), VerificationRound.id.desc()).limit(1))
    if r is None:
        return None
    return RoundInfo(r.id, r.name, r.status, r.region_code, r.started_on, r.closed_on, r.version, progress(session, r.id))


@dataclass(frozen=True)
class GridRow:
    """One cooperative of a round with its visit (None fields when not visited), plain data for the entry grid."""

    cooperative_id: int
    name: str
    nik: str | None
    kecamatan_code: str | None
    kecamatan: str
    address: str
    status: str
    visit_date: dt.date | None = None
    officer_name: str | None = None
    found_at_address: bool | None = None
    new_address: str | None = None
    business_active: bool | None = None
    rat_held_last_year: bool | None = None
    contact_person: str | None = None
    notes: str | None = None
    result: str | None = None


def grid_rows(session: Session, round_id: int, *, kecamatan_code: str | None = None) -> list[GridRow]:
    """The cooperatives of a round with their visits, by kecamatan then name."""
    c = Cooperative
    kec = Region.__table__.alias("kec")
    q = (select(c.id, c.name, c.nik, c.kecamatan_code, kec.c.name, c.address, c.status, Visit.visit_date,
                Visit.officer_name, Visit.found_at_address, Visit.new_address, Visit.business_active,
                Visit.rat_held_last_year, Visit.contact_person, Visit.notes, Visit.result)
         .join(RoundCooperative, and_(RoundCooperative.cooperative_id == c.id, RoundCooperative.round_id == round_id))
         .outerjoin(kec, kec.c.code == c.kecamatan_code)
         .outerjoin(Visit, and_(Visit.cooperative_id == c.id, Visit.round_id == round_id)))
    if kecamatan_code:
        q = q.where(c.kecamatan_code == undotted(kecamatan_code))
    rows = session.execute(q.order_by(c.kecamatan_code, c.name, c.id)).all()
    return [GridRow(r[0], r[1], r[2], r[3], r[4] or "(tanpa kecamatan)", r[5] or "", r[6], *r[7:]) for r in rows]


# ------------------------------------------------------------------------------------------------------ closing

@dataclass(frozen=True)
class PlannedChange:
    """A status (or address) change that closing the round will make, or a skip and why."""

    cooperative_id: int
    name: str
    visit_id: int
    from_status: str
    to_status: str | None
    reason: str
    new_address: str | None = None
    skipped: bool = False


@dataclass(frozen=True)
class ClosePreview:
    round_id: int
    version: int
    changes: list[PlannedChange]
    skipped: list[PlannedChange]
    unchanged: int
    not_visited: int

    def count_by_target(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for ch in self.changes:
            if ch.to_status:
                out[ch.to_status] = out.get(ch.to_status, 0) + 1
        return out


def _rule(status: str, visit: Visit, round_name: str) -> tuple[str | None, str]:
    when = format_date(visit.visit_date)
    if visit.result == "tidak_ditemukan":
        return "tidak_ditemukan", f"Tidak ditemukan di alamat terdaftar saat pemutakhiran {round_name} ({when})"
    if visit.business_active is False:
        return "tidak_aktif", f"Usaha tidak berjalan saat pemutakhiran {round_name} ({when})"
    if visit.business_active is True and status in ("tidak_aktif", "tidak_ditemukan"):
        return "aktif", f"Aktif kembali: usaha berjalan saat pemutakhiran {round_name} ({when})"
    return None, ""


def close_preview(session: Session, round_id: int) -> ClosePreview:
    """What closing the round would change, without changing anything."""
    rnd = get_round(session, round_id)
    changes: list[PlannedChange] = []
    skipped: list[PlannedChange] = []
    unchanged = 0
    q = (select(Visit, Cooperative.name, Cooperative.status, Cooperative.address)
         .join(Cooperative, Cooperative.id == Visit.cooperative_id)
         .where(Visit.round_id == round_id).order_by(Cooperative.name, Cooperative.id))
    for visit, name, status, address in session.execute(q):
        target, reason = _rule(status, visit, rnd.name)
        if target == status:
            target = None
        moved = visit.result == "pindah_alamat" and visit.new_address and visit.new_address != address
        if status in ("proses_pembubaran", "dibubarkan"):
            if target or moved:
                skipped.append(PlannedChange(visit.cooperative_id, name, visit.id, status, target,
                                             f"Status {STATUS[status]}: tidak diubah oleh pemutakhiran", skipped=True))
            else:
                unchanged += 1
            continue
        if target is None and not moved:
            unchanged += 1
            continue
        if moved and not reason:
            reason = f"Pindah alamat (pemutakhiran {rnd.name}, {format_date(visit.visit_date)})"
        changes.append(PlannedChange(visit.cooperative_id, name, visit.id, status, target, reason,
                                     visit.new_address if moved else None))
    prog = progress(session, round_id)
    return ClosePreview(rnd.id, rnd.version, changes, skipped, unchanged, prog.remaining)


def close_round(session: Session, actor: Actor, round_id: int, expected: ClosePreview | None = None, *,
                closed_on: dt.date | None = None) -> ClosePreview:
    """Close a round and apply its status rules, exactly as the preview the clerk confirmed showed.

    Args:
        expected: the preview the clerk confirmed; if the changes differ now (another clerk entered a visit since),
            nothing is written.

    Raises:
        ConflictError: the planned changes are no longer those of ``expected``.
        RoundClosed: it is already closed.
    """
    require(actor, "supervision.write")
    closed_on = closed_on or dt.date.today()
    rnd = get_round(session, round_id)
    session.refresh(rnd, with_for_update=True)
    if rnd.status == "ditutup":
        _open_round(session, round_id)
    preview = close_preview(session, round_id)
    if expected is not None and (_signature(preview) != _signature(expected)):
        raise ConflictError("verification_round", round_id)
    for ch in preview.changes:
        if ch.new_address:
            coop = registry.get_cooperative(session, ch.cooperative_id, for_update=True)
            coop.address = ch.new_address[:300]
        if ch.to_status:
            registry.change_status(session, actor, ch.cooperative_id, ch.to_status, reason=ch.reason,
                                   effective_date=closed_on, source="pemutakhiran", source_ref=f"visit:{ch.visit_id}")
    rnd.status = "ditutup"
    rnd.closed_on = closed_on
    rnd.closed_by = actor.username
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("verification_round", round_id) from None
    return preview


def _signature(p: ClosePreview) -> tuple[Any, ...]:
    return (tuple((c.cooperative_id, c.to_status, c.new_address) for c in p.changes),
            tuple(c.cooperative_id for c in p.skipped), p.unchanged, p.not_visited)


# ------------------------------------------------------------------------------------------ field sheet content

def field_sheet_rows(session: Session, round_id: int, kecamatan_code: str) -> list[SheetRow]:
    """The cooperatives of a round in one kecamatan with their registered address and board (ketua etc.)."""
    kec = undotted(kecamatan_code)
    c = Cooperative
    kel = Region.__table__.alias("kel")
    rows = session.execute(
        select(c.id, c.name, c.nik, c.address, kel.c.name)
        .join(RoundCooperative, and_(RoundCooperative.cooperative_id == c.id, RoundCooperative.round_id == round_id))
        .outerjoin(kel, kel.c.code == c.kelurahan_code)
        .where(c.kecamatan_code == kec).order_by(c.name, c.id)).all()
    boards: dict[int, list[str]] = {}
    ids = [r[0] for r in rows]
    order = {"ketua": 0, "sekretaris": 1, "bendahara": 2}
    for start in range(0, len(ids), 500):
        for cid, role, name in session.execute(select(Officer.cooperative_id, Officer.role, Officer.name)
                                               .where(Officer.cooperative_id.in_(ids[start:start + 500]),
                                                      Officer.role.in_(list(order)))
                                               .order_by(Officer.cooperative_id, Officer.id)):
            boards.setdefault(cid, []).append((order[role], f"{role.title()}: {name}"))  # type: ignore[arg-type]
    return [SheetRow(r[0], r[1], r[2], r[3] or "", r[4] or "",
                     "; ".join(t for _, t in sorted(boards.get(r[0], [])))) for r in rows]  # type: ignore[misc]


def visits_for_report(session: Session, round_id: int) -> list[tuple[Any, ...]]:
    """(kecamatan name, cooperative name, nik, visit date, officer, result) of every visit, for the berita acara."""
    kec = Region.__table__.alias("kec")
    return [tuple(r) for r in session.execute(
        select(kec.c.name, Cooperative.name, Cooperative.nik, Visit.visit_date, Visit.officer_name, Visit.result)
        .join(Cooperative, Cooperative.id == Visit.cooperative_id)
        .outerjoin(kec, kec.c.code == Cooperative.kecamatan_code)
        .where(Visit.round_id == round_id).order_by(kec.c.name, Cooperative.name))]


def delete_round(session: Session, actor: Actor, round_id: int) -> None:
    """Remove a round that is still open (e.g. created by mistake), with its visits."""
    require(actor, "supervision.write")
    _open_round(session, round_id)
    session.execute(delete(Visit).where(Visit.round_id == round_id))
    session.execute(delete(RoundOfficer).where(RoundOfficer.round_id == round_id))
    session.execute(delete(RoundCooperative).where(RoundCooperative.round_id == round_id))
    session.delete(get_round(session, round_id))
    session.flush()


def photo_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
