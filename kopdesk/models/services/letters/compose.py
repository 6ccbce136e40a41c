"""Composing a surat teguran: the office's wording (templates), its placeholders filled, addressee and shared parts.

This is the domain half of a letter: what it says, gathered from the office profile, the settings and the
cooperative. It produces the plain data of kopdesk.models.documents.letters; drawing it is a renderer's work
(kopdesk.reports.pdf.teguran), handed to the letters service by its caller.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from kopdesk.models.documents.letterhead import Signatory
from kopdesk.models.documents.letters import CommonParts
from kopdesk.models.errors import FieldError, ValidationError
from kopdesk.models.formats import format_date
from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.administration import settings
from kopdesk.models.services.administration.auth import Actor
from kopdesk.paths import resource

if TYPE_CHECKING:
    from kopdesk.models.services.letters.teguran import DueItem

PLACEHOLDERS = {
    "nama_koperasi": "nama koperasi",
    "nik": "NIK Koperasi",
    "nomor_badan_hukum": "nomor badan hukum",
    "tanggal_badan_hukum": "tanggal badan hukum",
    "alamat": "alamat koperasi",
    "ketua": "nama ketua pengurus",
    "tingkat": "Pertama/Kedua/Ketiga",
    "alasan": "daftar pelanggaran dengan faktanya (paragraf tersendiri)",
    "tahun_buku": "tahun buku yang belum RAT",
    "tanggal_kunjungan": "tanggal kunjungan yang tidak menemukan koperasi",
    "petugas": "petugas kunjungan",
    "batas_waktu": "batas waktu tanggapan",
    "jangka_waktu": "jumlah hari untuk menanggapi",
    "nomor_surat": "nomor surat ini",
    "nomor_surat_sebelumnya": "nomor surat teguran sebelumnya",
    "tanggal_surat_sebelumnya": "tanggal surat teguran sebelumnya",
    "nama_dinas": "nama dinas",
    "kota": "kota kedudukan dinas",
    "kontak": "kontak dinas",
}
"""The named placeholders a template may use, with what each stands for (shown to the administrator)."""

LEVEL_WORDS = {1: "Pertama", 2: "Kedua", 3: "Ketiga", 4: "Terakhir"}
"""The {tingkat} placeholder of each level."""


# ---------------------------------------------------------------------------------------------------------------
# The shared parts


def default_logo() -> bytes:
    return resource("images", "logo_default.png").read_bytes()


def common_from_office(session: Session, office: OfficeProfile) -> CommonParts:
    """The shared parts from the office profile and the teguran settings; refuses an incomplete profile."""
    errors = []
    for key, label in (("name", "Nama dinas"), ("city", "Kota kedudukan"), ("signatory_name", "Nama penandatangan"),
                       ("signatory_title", "Jabatan penandatangan")):
        if not (getattr(office, key) or "").strip():
            errors.append(FieldError(key, label, "belum diisi di Profil Instansi (Pengaturan)"))
    if errors:
        raise ValidationError(errors)
    addr = office.address or ""
    if office.postal_code:
        addr = f"{addr} {office.city.title() if office.city else ''} {office.postal_code}".strip()
    contact = "  ".join(x for x in (
        f"Telepon {office.phone}" if office.phone else "", f"Pos-el {office.email}" if office.email else "",
        f"Laman {office.website}" if office.website else "") if x)
    return CommonParts(
        government=office.government or "", office=office.name, address=addr, contact=contact, city=office.city,
        signatory=Signatory(title=office.signatory_title, name=office.signatory_name, rank=office.signatory_rank or "",
                            nip=office.signatory_nip or ""),
        tembusan=list(settings.get(session, "teguran.tembusan") or []),
        logo=office.logo or default_logo(),
    )


# ---------------------------------------------------------------------------------------------------------------
# Templates


def default_template(level: int) -> str:
    return resource("templates", f"teguran_{level}.txt").read_text(encoding="utf-8")


def load_template(session: Session, level: int) -> str:
    """The office's wording for a level: the override in settings, else the shipped default."""
    override = (settings.get(session, "teguran.templates") or {}).get(str(level))
    return override if override and override.strip() else default_template(level)


def check_template(text: str) -> list[str]:
    """Problems of a template as Indonesian messages (unknown placeholders, broken braces, missing Hal)."""
    problems = []
    try:
        names = {f for _, f, _, _ in string.Formatter().parse(text) if f is not None}
    except ValueError as exc:
        return [f"Kurung kurawal tidak seimbang: {exc}"]
    unknown = sorted(n for n in names if n not in PLACEHOLDERS)
    if unknown:
        problems.append("Isian tidak dikenal: " + ", ".join("{" + n + "}" for n in unknown)
                        + ". Yang tersedia: " + ", ".join("{" + n + "}" for n in PLACEHOLDERS))
    if not text.lstrip().lower().startswith("hal:"):
        problems.append("Baris pertama harus berbentuk 'Hal: ...' (perihal surat).")
    return problems


def save_template(session: Session, actor: Actor, level: int, text: str | None) -> None:
    """Store the office's wording of a level (administrators); None or empty restores the shipped default."""
    templates = dict(settings.get(session, "teguran.templates") or {})
    if text and text.strip():
        problems = check_template(text)
        if problems:
            raise ValidationError([FieldError("template", f"Templat teguran tingkat {level}", p) for p in problems])
        templates[str(level)] = text
    else:
        templates.pop(str(level), None)
    settings.put(session, actor, "teguran.templates", templates)


class _Safe(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def years_text(years: Sequence[int]) -> str:
    """Book years as a letter says them: "2023", "2022 dan 2024", "2021–2025"."""
    ys = list(years)
    if not ys:
        return "-"
    if len(ys) > 2 and ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    if len(ys) == 1:
        return str(ys[0])
    return ", ".join(str(y) for y in ys[:-1]) + f" dan {ys[-1]}"


def fill_template(text: str, item: DueItem, *, number: str, due: dt.date, coop: Any, office: OfficeProfile,
                  regions: dict[str, str], chair: str | None, letter_date: dt.date | None = None,
                  contact: str = "") -> tuple[str, list[list[str]]]:
    """The subject and the body blocks of one letter.

    Args:
        coop: the cooperative's legal_number, legal_date, rt_rw and region codes (a row or the ORM object).
    """
    facts = item.facts
    prev = facts.get("previous") or {}
    visit = facts.get("visit") or {}
    values = _Safe(
        nama_koperasi=item.name, nik=item.nik or "-", nomor_badan_hukum=(coop.legal_number or "-"),
        tanggal_badan_hukum=format_date(coop.legal_date) or "-", alamat=full_address(item.address, coop, regions),
        ketua=chair or "-", tingkat=LEVEL_WORDS.get(item.level, ""), alasan="{alasan}",
        tahun_buku=years_text(facts.get("missing_years") or []),
        tanggal_kunjungan=format_date(dt.date.fromisoformat(visit["date"])) if visit.get("date") else "-",
        petugas=visit.get("officer") or "-", batas_waktu=format_date(due),
        jangka_waktu=str((due - letter_date).days) if letter_date else "",
        nomor_surat=number, nomor_surat_sebelumnya=prev.get("number", "-"),
        tanggal_surat_sebelumnya=format_date(dt.date.fromisoformat(prev["date"])) if prev.get("date") else "-",
        nama_dinas=_title_case(office.name), kota=office.city or "",
        kontak=contact.strip() or _contact(office),
    )
    lines = text.replace("\r\n", "\n").split("\n")
    subject = ""
    if lines and lines[0].lower().startswith("hal:"):
        subject = lines[0][4:].strip().format_map(values)
        lines = lines[1:]
    blocks: list[list[str]] = []
    for para in "\n".join(lines).split("\n\n"):
        para = para.strip()
        if not para:
            continue
        if para == "{alasan}":
            for i, reason in enumerate(item.reasons, start=1):
                blocks.append(["li", f"{i}.", reason + ("." if not reason.endswith(".") else "")])
            continue
        blocks.append(["p", " ".join(x.strip() for x in para.split("\n")).format_map(values)])
    return subject, blocks


def _contact(office: OfficeProfile) -> str:
    parts = [p for p in (office.phone and f"telepon {office.phone}", office.email and f"pos-el {office.email}") if p]
    return " atau ".join(parts) if parts else "kantor kami pada jam kerja"


def _title_case(name: str) -> str:
    small = {"dan", "di", "ke", "dari", "untuk", "atau"}
    words = name.split()
    return " ".join(w if w.isupper() and len(w) <= 5 and w not in ("DINAS", "KOTA") else
                    (w.lower() if w.lower() in small and i else w.capitalize()) for i, w in enumerate(words))


# ---------------------------------------------------------------------------------------------------------------
# Address


def full_address(address: str, coop: Any, regions: dict[str, str]) -> str:
    parts = [address.strip().rstrip(",")] if address else []
    if getattr(coop, "rt_rw", None):
        parts.append(f"RT/RW {coop.rt_rw}")
    kel = regions.get(coop.kelurahan_code or "")
    kec = regions.get(coop.kecamatan_code or "")
    if kel:
        parts.append(f"Kelurahan {kel.title()}")
    if kec:
        parts.append(f"Kecamatan {kec.title()}")
    return ", ".join(parts)


def addressee_lines(item: DueItem, coop: Any, regions: dict[str, str], chair: str | None) -> list[str]:
    kab = regions.get(coop.kabkota_code or "", "")
    place = kab.replace("KABUPATEN ", "").replace("Kabupaten ", "").replace("KOTA ", "").replace("Kota ", "")
    lines = [f"Yth. Ketua Pengurus {item.name}"]
    if chair:
        lines.append(f"Sdr. {chair}")
    lines.append(full_address(item.address, coop, regions))
    lines.append("di –")
    lines.append(place.upper() if place else "Tempat")
    return lines
