"""The supervision documents' data, gathered from the database: the field sheet of a kecamatan of a round and the
berita acara of a closed round; and the use cases that write them through the renderer the caller passes in.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.codes import dotted, undotted
from kopdesk.models.cooperative import StatusChange
from kopdesk.models.documents.letterhead import Letterhead, Signatory
from kopdesk.models.documents.supervision import (
    BeritaAcara,
    BeritaAcaraRenderer,
    FieldSheet,
    FieldSheetRenderer,
    KecamatanResults,
)
from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.registry import regions
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.services.supervision.pemutakhiran import RoundNotClosed
from kopdesk.models.supervision import Visit
from kopdesk.models.vocab import STATUS

if TYPE_CHECKING:
    from kopdesk.models.db import Database

__all__ = ["RoundNotClosed", "berita_acara", "field_sheet", "office_letterhead", "write_berita_acara",
           "write_field_sheet"]


def office_letterhead(session: Session) -> tuple[Letterhead, Signatory, str]:
    """The letterhead, the signing official and the city of the office, with neutral fallbacks for an office
    profile not filled in yet (a supervision document is still printable then)."""
    p = session.get(OfficeProfile, 1)
    gov = (p.government if p else "") or "PEMERINTAH DAERAH"
    name = (p.name if p else "") or "DINAS KOPERASI DAN USAHA MIKRO"
    contact = " · ".join(x for x in ((p.phone if p else None), (p.email if p else None), (p.website if p else None)) if x)
    address = ", ".join(x for x in ((p.address if p else ""), (p.city if p else ""), (p.postal_code if p else None)) if x)
    sig = Signatory(title=(p.signatory_title if p else "") or "Kepala Dinas", name=(p.signatory_name if p else "") or
                    "(.................................)", rank=(p.signatory_rank if p else "") or "",
                    nip=(p.signatory_nip if p else "") or "")
    logo = p.logo if p else None
    return Letterhead(gov, name, address, contact, logo), sig, (p.city if p else "") or ""


def field_sheet(session: Session, round_id: int, kecamatan_code: str) -> FieldSheet:
    """The field sheet of one kecamatan (code dotted or not) of a round.

    Raises:
        NotFoundError: no such round or kecamatan.
    """
    rnd = pm.get_round(session, round_id)
    kec = regions.require_region(session, kecamatan_code)
    head, _sig, _city = office_letterhead(session)
    return FieldSheet(
        round_name=rnd.name, started_on=rnd.started_on, kecamatan_code=dotted(kecamatan_code), kecamatan_name=kec.name,
        officers=tuple(pm.officers(session, round_id).get(undotted(kecamatan_code), [])),
        rows=tuple(pm.field_sheet_rows(session, round_id, kecamatan_code)), letterhead=head)


def berita_acara(session: Session, round_id: int) -> BeritaAcara:
    """The berita acara of a closed round.

    Raises:
        RoundNotClosed: the round is still under way.
        NotFoundError: no such round.
    """
    rnd = pm.get_round(session, round_id)
    if rnd.status != "ditutup":
        raise RoundNotClosed(f"Putaran {rnd.name} belum ditutup; berita acara dibuat setelah putaran ditutup.",
                             round_id=round_id)
    visit_refs = [f"visit:{v}" for v in session.scalars(select(Visit.id).where(Visit.round_id == round_id))]
    changes: Counter[str] = Counter()
    for start in range(0, len(visit_refs), 500):
        changes.update(session.scalars(select(StatusChange.to_status).where(
            StatusChange.source == "pemutakhiran", StatusChange.source_ref.in_(visit_refs[start:start + 500]))))
    per_kec: dict[str, Counter[str]] = {}
    for kec, _coop, _nik, _date, _officer, result in pm.visits_for_report(session, round_id):
        per_kec.setdefault(kec or "(tanpa kecamatan)", Counter())[result] += 1
    head, sig, city = office_letterhead(session)
    return BeritaAcara(
        round_name=rnd.name, started_on=rnd.started_on, closed_on=rnd.closed_on, closed_by=rnd.closed_by,
        progress=pm.progress(session, round_id),
        per_kecamatan=tuple(KecamatanResults(
            kecamatan=kec, visited=sum(cnt.values()), found=cnt["aktif"] + cnt["tidak_aktif"] + cnt["ditemukan"],
            moved=cnt["pindah_alamat"], not_found=cnt["tidak_ditemukan"], active=cnt["aktif"])
            for kec, cnt in sorted(per_kec.items())),
        status_changes=tuple((STATUS.get(k, k), n) for k, n in sorted(changes.items())),
        officers=tuple(sorted({n for names in pm.officers(session, round_id).values() for n in names})),
        letterhead=head, signatory=sig, city=city)


def write_field_sheet(db: Database, round_id: int, kecamatan_code: str, path: str | Path, *,
                      render: FieldSheetRenderer) -> Path:
    """Read the field sheet of a kecamatan of a round, then draw it to ``path`` with ``render`` (after the read
    transaction ends); returns the path written."""
    with db.read() as s:
        doc = field_sheet(s, round_id, kecamatan_code)
    return render(doc, path)


def write_berita_acara(db: Database, round_id: int, path: str | Path, *, render: BeritaAcaraRenderer) -> Path:
    """Read the berita acara of a closed round, then draw it to ``path`` with ``render``; returns the path written.

    Raises:
        RoundNotClosed: the round is still under way (nothing is written).
    """
    with db.read() as s:
        doc = berita_acara(s, round_id)
    return render(doc, path)
