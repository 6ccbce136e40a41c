"""The registry: create, edit and change the status of cooperatives, with validation, audit and conflicts.

Every function takes the caller's session (one transaction per user action, see kopdesk.models.db) and the
acting user, checks the user's role, validates everything before anything is written, and raises
:class:`ValidationError` with Indonesian messages per field, or :class:`ConflictError` when someone else saved
the cooperative since the caller loaded it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from kopdesk.models.audit import AuditEntry
from kopdesk.models.base import utcnow
from kopdesk.models.cooperative import Cooperative, Officer, StatusChange
from kopdesk.models.db_errors import unique_key
from kopdesk.models.errors import (
    ChangeMade,
    ConflictError,
    FieldError,
    InvalidTransition,
    NotFoundError,
    ValidationError,
)
from kopdesk.models.formats import parse_date, parse_int
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.region import Region, undotted
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.vocab import (
    FORM,
    GRADES,
    JENIS,
    MEMBERSHIP_SCOPE,
    NIK_STATUS,
    OFFICER_ROLES,
    POLA,
    SEX,
    STATUS,
    STATUS_SOURCES,
)


@dataclass(frozen=True)
class Field:
    """How one cooperative field is labelled, typed and checked."""

    label: str
    kind: str  # text | date | past_date | count | money | signed_money | bool | choice | region | fk | float
    required: bool = False
    choices: dict[str, str] | None = None
    max_len: int | None = None


FIELDS: dict[str, Field] = {
    "name": Field("Nama koperasi", "text", True, max_len=200),
    "nik": Field("NIK Koperasi", "nik"),
    "legal_number": Field("Nomor badan hukum", "text", True, max_len=100),
    "legal_date": Field("Tanggal badan hukum", "past_date", True),
    "ad_amendment_number": Field("Nomor perubahan AD", "text", max_len=100),
    "ad_amendment_date": Field("Tanggal perubahan AD", "past_date"),
    "nib": Field("NIB", "digits", max_len=20),
    "npwp": Field("NPWP", "digits", max_len=25),
    "address": Field("Alamat", "text", True, max_len=300),
    "rt_rw": Field("RT/RW", "text", max_len=20),
    "postal_code": Field("Kode pos", "digits", max_len=5),
    "province_code": Field("Provinsi", "region"),
    "kabkota_code": Field("Kabupaten/Kota", "region", True),
    "kecamatan_code": Field("Kecamatan", "region"),
    "kelurahan_code": Field("Kelurahan/Desa", "region"),
    "latitude": Field("Lintang", "float"),
    "longitude": Field("Bujur", "float"),
    "phone": Field("Telepon", "phone", max_len=40),
    "email": Field("Surel", "email", max_len=120),
    "website": Field("Situs web", "text", max_len=200),
    "form": Field("Bentuk", "choice", True, FORM),
    "membership_scope": Field("Wilayah keanggotaan", "choice", True, MEMBERSHIP_SCOPE),
    "jenis": Field("Jenis koperasi", "choice", True, JENIS),
    "pola": Field("Pola pengelolaan", "choice", True, POLA),
    "kelompok_id": Field("Kelompok koperasi", "fk"),
    "sector_id": Field("Sektor usaha", "fk"),
    "business_scale": Field("Skala usaha (KUK)", "text", max_len=60),
    "is_merah_putih": Field("Koperasi Merah Putih", "bool"),
    "members_male": Field("Anggota laki-laki", "count"),
    "members_female": Field("Anggota perempuan", "count"),
    "employees": Field("Karyawan", "count"),
    "managers": Field("Manajer", "count"),
    "own_capital": Field("Modal sendiri", "money"),
    "external_capital": Field("Modal luar", "money"),
    "assets": Field("Aset", "money"),
    "business_volume": Field("Volume usaha", "money"),
    "shu": Field("SHU", "signed_money"),
    "figures_year": Field("Tahun data keuangan", "year"),
    "status": Field("Status", "choice", True, STATUS),
    "status_reason": Field("Alasan status", "text", max_len=300),
    "status_date": Field("Tanggal status", "past_date"),
    "registered_on": Field("Tanggal terdaftar", "past_date"),
    "nik_status": Field("Status NIK", "choice", True, NIK_STATUS),
    "nik_certified_on": Field("Tanggal bersertifikat NIK", "past_date"),
    "certificate_valid_until": Field("Sertifikat berlaku s.d.", "date"),
    "grade": Field("Grade", "choice", False, {g: g for g in GRADES}),
    "grade_override": Field("Grade ditetapkan manual", "bool"),
    "notes": Field("Catatan", "text", max_len=4000),
}
LABELS = {k: f.label for k, f in FIELDS.items()}
OFFICER_FIELDS = {"role", "name", "sex", "citizen_nik", "phone", "term_start", "term_end"}

DEFAULTS: dict[str, Any] = {
    "form": "primer", "membership_scope": "kabkota", "pola": "konvensional", "status": "aktif",
    "nik_status": "tidak_ada", "is_merah_putih": False, "grade_override": False, "address": "",
}

# Allowed status transitions (brief §0, §6); "dibubarkan" is final.
TRANSITIONS: dict[str, set[str]] = {
    "aktif": {"tidak_aktif", "tidak_ditemukan", "proses_pembubaran"},
    "tidak_aktif": {"aktif", "tidak_ditemukan", "proses_pembubaran"},
    "tidak_ditemukan": {"aktif", "tidak_aktif", "proses_pembubaran"},
    "proses_pembubaran": {"aktif", "tidak_aktif", "dibubarkan"},
    "dibubarkan": set(),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^[0-9+()\-\s./]{5,40}$")


def normalize_nik(value: object) -> str | None:
    """A NIK Koperasi as stored: the digits without dots, spaces or dashes; None when empty."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = re.sub(r"[\s.\-]", "", str(value))
    return text or None


def validate(session: Session, data: dict[str, Any], *, existing: Cooperative | None = None,
             today: dt.date | None = None, row: int | None = None) -> tuple[dict[str, Any], list[FieldError]]:
    """Check and convert the fields of a cooperative.

    Args:
        data: field name to value; values may be text as typed or read from Excel.
        existing: the cooperative being edited (None when creating); its values fill in what ``data`` lacks.
        row: a row number to name in messages (imports).

    Returns:
        The cleaned values of the fields in ``data`` (plus derived region codes), and warnings.

    Raises:
        ValidationError: every invalid field, each with its reason in Indonesian.
    """
    today = today or dt.date.today()
    errors: list[FieldError] = []
    warnings: list[FieldError] = []
    clean: dict[str, Any] = {}

    def err(name: str, message: str, value: Any = None) -> None:
        errors.append(FieldError(name, LABELS.get(name, name), message, value, row))

    unknown = set(data) - set(FIELDS)
    for name in sorted(unknown):
        err(name, "kolom tidak dikenal")

    for name, value in data.items():
        spec = FIELDS.get(name)
        if spec is None:
            continue
        if isinstance(value, str):
            value = value.strip()
            if any(ord(ch) < 32 and ch not in "\n\t" for ch in value):
                err(name, "berisi karakter kendali yang tidak boleh", value)
                continue
        empty = value is None or value == ""
        if empty:
            if spec.required:
                err(name, "wajib diisi")
            else:
                clean[name] = False if spec.kind == "bool" else (0 if spec.kind in ("count", "money", "signed_money") else None)
            continue
        try:
            clean[name] = _convert(session, name, spec, value, today, warnings, row)
        except ValueError as exc:
            err(name, str(exc), value)

    # Region chain: fill parents from the lowest code given and check that each belongs to the one above.
    if not errors or not any(e.field.endswith("_code") for e in errors):
        _check_regions(session, clean, data, existing, err)

    merged = {**({k: getattr(existing, k) for k in FIELDS} if existing is not None else DEFAULTS), **clean}
    for name, spec in FIELDS.items():
        if spec.required and name not in data and (merged.get(name) is None or merged.get(name) == ""):
            err(name, "wajib diisi")
    if merged.get("jenis") != "simpan_pinjam" and merged.get("pola") == "syariah" and "pola" in data:
        pass  # syariah konsumen/jasa cooperatives exist; nothing to check
    nik = clean.get("nik")
    if nik:
        q = select(Cooperative.id, Cooperative.name).where(Cooperative.nik == nik)
        if existing is not None and existing.id is not None:
            q = q.where(Cooperative.id != existing.id)
        other = session.execute(q).first()
        if other is not None:
            err("nik", f"NIK {nik} sudah dipakai oleh {other.name}", nik)
    if errors:
        raise ValidationError(errors)
    return clean, warnings


def _convert(session: Session, name: str, spec: Field, value: Any, today: dt.date,
             warnings: list[FieldError], row: int | None) -> Any:
    kind = spec.kind
    if kind == "text":
        text = str(value)
        if spec.max_len and len(text) > spec.max_len:
            raise ValueError(f"terlalu panjang ({len(text)} karakter, paling banyak {spec.max_len})")
        return text
    if kind == "nik":
        nik = normalize_nik(value)
        assert nik is not None
        if not nik.isdigit():
            raise ValueError("hanya boleh berisi angka (titik dan spasi diabaikan)")
        rule = settings.get(session, "nik.length")
        if not rule["min"] <= len(nik) <= rule["max"]:
            warnings.append(FieldError(name, spec.label, f"biasanya {rule['min']}–{rule['max']} angka, ini {len(nik)} angka", nik, row))
        if len(nik) > 20:
            raise ValueError("terlalu panjang (paling banyak 20 angka)")
        return nik
    if kind == "digits":
        text = re.sub(r"[\s.\-]", "", str(int(value)) if isinstance(value, float) and value.is_integer() else str(value))
        if not text.isdigit():
            raise ValueError("hanya boleh berisi angka")
        if spec.max_len and len(text) > spec.max_len:
            raise ValueError(f"terlalu panjang (paling banyak {spec.max_len} angka)")
        return text
    if kind in ("date", "past_date"):
        try:
            date = parse_date(value)
        except (ValueError, TypeError):
            raise ValueError("bukan tanggal yang benar (contoh: 14/07/2024)") from None
        if date is not None and kind == "past_date" and date > today:
            raise ValueError("tidak boleh di masa depan")
        if date is not None and date.year < 1900:
            raise ValueError("tahun tidak masuk akal")
        return date
    if kind in ("count", "money", "signed_money", "year"):
        try:
            number = parse_int(value)
        except (ValueError, TypeError):
            raise ValueError("harus berupa angka bulat") from None
        if number is None:
            return 0 if kind != "year" else None
        if kind == "year":
            if not 1900 <= number <= today.year + 1:
                raise ValueError("tahun tidak masuk akal")
            return number
        if kind != "signed_money" and number < 0:
            raise ValueError("tidak boleh negatif")
        if abs(number) > 10**17:
            raise ValueError("terlalu besar")
        return number
    if kind == "float":
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise ValueError("harus berupa angka") from None
        limit = 90 if name == "latitude" else 180
        if not -limit <= number <= limit:
            raise ValueError(f"harus antara -{limit} dan {limit}")
        return number
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("ya", "y", "1", "true", "benar", "yes"):
            return True
        if text in ("tidak", "t", "0", "false", "salah", "no"):
            return False
        raise ValueError("isi dengan Ya atau Tidak")
    if kind == "choice":
        assert spec.choices is not None
        text = str(value).strip()
        if text in spec.choices:
            return text
        by_label = {v.lower(): k for k, v in spec.choices.items()}
        by_key = {k.replace("_", " "): k for k in spec.choices}
        key = by_label.get(text.lower()) or by_key.get(text.lower().replace("_", " "))
        if key:
            return key
        raise ValueError(f"harus salah satu dari: {', '.join(spec.choices.values())}")
    if kind == "region":
        code = undotted(str(value))
        if not code:
            raise ValueError("kode wilayah tidak valid")
        return code
    if kind == "fk":
        model = Kelompok if name == "kelompok_id" else Sector
        try:
            ident = int(value)
            if isinstance(value, bool) or not 0 < ident < 2**31:
                raise ValueError("tidak ada dalam daftar")
        except (TypeError, ValueError, OverflowError):
            if isinstance(value, (int, float, bool)):
                raise ValueError("tidak ada dalam daftar") from None
            ident = session.scalar(select(model.id).where(func.lower(model.name) == str(value).strip().lower()))
            if ident is None:
                raise ValueError(f"{value!r} tidak ada dalam daftar") from None
        if session.get(model, ident) is None:
            raise ValueError("tidak ada dalam daftar")
        return ident
    if kind == "email":
        if not _EMAIL.match(str(value)):
            raise ValueError("alamat surel tidak valid")
        return str(value)
    if kind == "phone":
        if not _PHONE.match(str(value)):
            raise ValueError("nomor telepon tidak valid")
        return str(value)
    raise ValueError("jenis isian tidak dikenal")  # pragma: no cover


_LEVEL_FIELDS = {1: "province_code", 2: "kabkota_code", 3: "kecamatan_code", 4: "kelurahan_code"}


def _check_regions(session: Session, clean: dict[str, Any], data: dict[str, Any], existing: Cooperative | None,
                   err: Any) -> None:
    touched = [f for f in _LEVEL_FIELDS.values() if f in data]
    if not touched:
        return
    current = {f: (clean[f] if f in clean else (getattr(existing, f) if existing is not None else None))
               for f in _LEVEL_FIELDS.values()}
    # Changing a higher level without naming the lower ones clears them (a new kab/kota has other kecamatan).
    for level in (1, 2, 3):
        field = _LEVEL_FIELDS[level]
        if field in data and existing is not None and clean.get(field) != getattr(existing, field):
            for lower in range(level + 1, 5):
                if _LEVEL_FIELDS[lower] not in data:
                    current[_LEVEL_FIELDS[lower]] = None
    regions: dict[int, Region] = {}
    for level, field in _LEVEL_FIELDS.items():
        code = current.get(field)
        if not code:
            continue
        region = session.get(Region, code)
        if region is None or region.level != level:
            err(field, f"kode {code} bukan {FIELDS[field].label.lower()} yang dikenal", code)
            return
        regions[level] = region
    # Fill the parents of the lowest region given, then check that every given level agrees.
    lowest = max(regions) if regions else None
    if lowest is None:
        return
    region: Region | None = regions[lowest]
    chain: dict[int, str] = {}
    while region is not None:
        chain[region.level] = region.code
        region = session.get(Region, region.parent_code) if region.parent_code else None
    for level, field in _LEVEL_FIELDS.items():
        if level > lowest:
            current[field] = None
            continue
        if current.get(field) and current[field] != chain.get(level):
            child_field = _LEVEL_FIELDS[lowest]
            err(child_field, f"{regions[lowest].name} tidak termasuk {FIELDS[field].label.lower()} "
                             f"{regions[level].name}", current[child_field])
            return
        current[field] = chain.get(level)
    for field, value in current.items():
        clean[field] = value


def get_cooperative(session: Session, coop_id: int, *, for_update: bool = False) -> Cooperative:
    """The cooperative with this id.

    Args:
        for_update: lock the row for the rest of the transaction (PostgreSQL ``FOR UPDATE``; SQLite's write
            transactions are already exclusive), so that a version check cannot race another clerk's save.

    Raises:
        NotFoundError: it does not exist (any more).
    """
    coop = session.get(Cooperative, coop_id, with_for_update=for_update or None, populate_existing=for_update)
    if coop is None:
        raise NotFoundError("Koperasi tidak ditemukan; mungkin sudah dihapus.", cooperative_id=coop_id)
    return coop


def create_cooperative(session: Session, actor: Actor, data: dict[str, Any], *,
                       officers: list[dict[str, Any]] | None = None, source: str = "manual",
                       today: dt.date | None = None) -> tuple[Cooperative, list[FieldError]]:
    """Register a new cooperative, with its first status in the history.

    Returns:
        The new cooperative and the warnings (e.g. an unusual NIK length).
    """
    require(actor, "registry.write")
    today = today or dt.date.today()
    clean, warnings = validate(session, {**{k: v for k, v in DEFAULTS.items() if k not in data}, **data}, today=today)
    officer_rows = _validate_officers(officers or [], today) if officers else []
    coop = Cooperative(**{**DEFAULTS, **clean})
    coop.registered_on = coop.registered_on or today
    coop.status_date = coop.status_date or coop.registered_on
    coop.officers = [Officer(**o) for o in officer_rows]
    session.add(coop)
    _flush(session, coop)
    session.add(StatusChange(
        cooperative_id=coop.id, from_status=None, to_status=coop.status, effective_date=coop.registered_on,
        reason=coop.status_reason or "Pendaftaran di registri", source="awal" if source == "manual" else source,
        user_id=actor.user_id, username=actor.username,
    ))
    session.flush()
    return coop, warnings


def update_cooperative(session: Session, actor: Actor, coop_id: int, expected_version: int,
                       changes: dict[str, Any], *, officers: list[dict[str, Any]] | None = None,
                       status_reason: str | None = None, today: dt.date | None = None) -> tuple[Cooperative, list[FieldError]]:
    """Save a clerk's edits of one cooperative.

    Args:
        expected_version: the version the clerk loaded; if someone saved since, nothing is written.
        changes: only the fields the clerk changed.
        officers: when given, the complete new list of board members (rows with an ``id`` are kept and updated).
        status_reason: required when ``changes`` includes a new status.

    Raises:
        ConflictError: someone else saved first; it names what they changed.
        ValidationError, InvalidTransition, PermissionDenied.
    """
    require(actor, "registry.write")
    today = today or dt.date.today()
    coop = get_cooperative(session, coop_id, for_update=True)
    if coop.version != expected_version:
        raise conflict_for(session, coop, expected_version)
    new_status = changes.pop("status", None) if "status" in changes else None
    clean, warnings = validate(session, changes, existing=coop, today=today)
    for key, value in clean.items():
        setattr(coop, key, value)
    if officers is not None:
        _replace_officers(coop, _validate_officers(officers, today))
        coop.updated_at = utcnow()  # bumps the version, so concurrent board edits conflict too
    if new_status is not None and new_status != coop.status:
        _apply_status(session, actor, coop, new_status, reason=status_reason or clean.get("status_reason") or "",
                      effective_date=today, source="manual", source_ref=None)
    _flush(session, coop, expected_version)
    return coop, warnings


def change_status(session: Session, actor: Actor, coop_id: int, new_status: str, *, reason: str,
                  effective_date: dt.date | None = None, source: str = "manual", source_ref: str | None = None,
                  expected_version: int | None = None) -> StatusChange:
    """Move a cooperative to another status, if the lifecycle allows it, and record why in its history."""
    require(actor, "registry.write" if source in ("manual", "import") else "supervision.write")
    coop = get_cooperative(session, coop_id, for_update=True)
    if expected_version is not None and coop.version != expected_version:
        raise conflict_for(session, coop, expected_version)
    change = _apply_status(session, actor, coop, new_status, reason=reason,
                           effective_date=effective_date or dt.date.today(), source=source, source_ref=source_ref)
    _flush(session, coop, expected_version)
    return change


def _apply_status(session: Session, actor: Actor, coop: Cooperative, new_status: str, *, reason: str,
                  effective_date: dt.date, source: str, source_ref: str | None) -> StatusChange:
    if new_status not in STATUS:
        raise ValidationError([FieldError("status", "Status", f"harus salah satu dari: {', '.join(STATUS.values())}", new_status)])
    if new_status == coop.status:
        raise InvalidTransition(f"Status koperasi sudah {STATUS[new_status]}.", status=new_status)
    if new_status not in TRANSITIONS[coop.status]:
        raise InvalidTransition(
            f"Status tidak dapat diubah dari {STATUS[coop.status]} menjadi {STATUS[new_status]}.",
            from_status=coop.status, to_status=new_status)
    if not reason or not reason.strip():
        raise ValidationError([FieldError("status_reason", "Alasan status", "wajib diisi saat status diubah")])
    if source not in STATUS_SOURCES:
        raise ValueError(source)
    change = StatusChange(cooperative_id=coop.id, from_status=coop.status, to_status=new_status,
                          effective_date=effective_date, reason=reason.strip()[:300], source=source,
                          source_ref=source_ref, user_id=actor.user_id, username=actor.username)
    session.add(change)
    coop.status = new_status
    coop.status_reason = reason.strip()[:300]
    coop.status_date = effective_date
    return change


def _validate_officers(rows: list[dict[str, Any]], today: dt.date) -> list[dict[str, Any]]:
    errors: list[FieldError] = []
    out: list[dict[str, Any]] = []
    for i, row in enumerate(rows, start=1):
        where = f"Pengurus baris {i}"
        clean: dict[str, Any] = {k: row.get(k) for k in OFFICER_FIELDS | {"id"} if k in row}
        name = (row.get("name") or "").strip()
        if not name:
            errors.append(FieldError("officers", where, "nama wajib diisi"))
        clean["name"] = name
        if row.get("role") not in OFFICER_ROLES:
            errors.append(FieldError("officers", where, f"jabatan harus salah satu dari: {', '.join(OFFICER_ROLES.values())}", row.get("role")))
        if row.get("sex") not in (None, "", *SEX):
            errors.append(FieldError("officers", where, "jenis kelamin harus L atau P", row.get("sex")))
        clean["sex"] = row.get("sex") or None
        nik = re.sub(r"\s", "", str(row.get("citizen_nik") or ""))
        if nik and not re.fullmatch(r"\d{16}", nik):
            errors.append(FieldError("officers", where, "NIK KTP harus 16 angka", nik))
        clean["citizen_nik"] = nik or None
        try:
            start = parse_date(row.get("term_start"))
            end = parse_date(row.get("term_end"))
        except ValueError:
            errors.append(FieldError("officers", where, "tanggal masa jabatan tidak valid"))
            continue
        if start and end and end < start:
            errors.append(FieldError("officers", where, "akhir masa jabatan sebelum awalnya"))
        if start and start > today:
            errors.append(FieldError("officers", where, "awal masa jabatan tidak boleh di masa depan"))
        clean["term_start"], clean["term_end"] = start, end
        clean["phone"] = (row.get("phone") or None)
        out.append(clean)
    if errors:
        raise ValidationError(errors)
    return out


def _replace_officers(coop: Cooperative, rows: list[dict[str, Any]]) -> None:
    by_id = {o.id: o for o in coop.officers}
    keep: list[Officer] = []
    for row in rows:
        ident = row.pop("id", None)
        officer = by_id.get(ident) if ident else None
        if officer is None:
            officer = Officer(**row)
        else:
            for key, value in row.items():
                if getattr(officer, key) != value:
                    setattr(officer, key, value)
        keep.append(officer)
    coop.officers = keep


def _flush(session: Session, coop: Cooperative, expected_version: int | None = None) -> None:
    coop_id, nik = coop.id, coop.nik  # read before the flush: after a failed flush the instance cannot be loaded
    try:
        session.flush()
    except StaleDataError:
        raise ConflictError("cooperative", coop_id) from None
    except IntegrityError as exc:
        if unique_key(exc) == ("cooperative", ("nik",)):
            raise ValidationError([FieldError("nik", LABELS["nik"], "sudah dipakai koperasi lain", nik)]) from None
        raise


def conflict_for(session: Session, coop: Cooperative, expected_version: int) -> ConflictError:
    """The conflict error for a clerk who loaded ``expected_version``: what others changed since, by whom."""
    # The entries written in the same flush as the clerk's version share its timestamp; later ones are newer.
    baseline_at = session.scalar(
        select(AuditEntry.at).where(
            AuditEntry.entity == "cooperative", AuditEntry.entity_id == str(coop.id),
            AuditEntry.entity_version <= expected_version)
        .order_by(AuditEntry.id.desc()).limit(1)
    )
    q = select(AuditEntry).where(AuditEntry.cooperative_id == coop.id)
    if baseline_at is not None:
        q = q.where(AuditEntry.at > baseline_at)
    entries = session.scalars(q.order_by(AuditEntry.id)).all()
    changes = [
        ChangeMade(field=e.field or e.entity, label=LABELS.get(e.field or "", e.field or _ENTITY_LABELS.get(e.entity, e.entity)),
                   old=e.old_value, new=e.new_value, by=e.username, at=e.at)
        for e in entries
    ]
    return ConflictError("cooperative", coop.id, changes)


_ENTITY_LABELS = {"officer": "Pengurus/Pengawas", "rat_record": "RAT", "visit": "Kunjungan", "letter": "Surat",
                  "certificate": "Sertifikat", "health_assessment": "Penilaian kesehatan"}
