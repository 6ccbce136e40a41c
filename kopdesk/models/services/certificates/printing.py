"""Printing certificates: what a page shows, the office block, and issue or reprint into one PDF in one transaction.

The drawing is not done here: every function takes the renderer (a
:class:`kopdesk.models.documents.certificates.CertificateRenderer`, in the program
kopdesk.reports.pdf.certificate.render_certificates) from its caller, the window or the command line.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence

from sqlalchemy.orm import Session

from kopdesk.models.certificate import Certificate
from kopdesk.models.db import Database
from kopdesk.models.documents.certificates import CertificateOffice, CertificateRenderer, PrintData
from kopdesk.models.documents.letterhead import Letterhead, Signatory
from kopdesk.models.fileio import atomic_path
from kopdesk.models.office import OfficeProfile
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.certificates import issuing


def print_data(certs: Sequence[Certificate]) -> list[PrintData]:
    """The pages of stored certificates, exactly as first printed (the facts are the signed ones)."""
    return [PrintData(serial=c.serial, kind=c.kind, facts=json.loads(c.facts), payload=c.payload,
                      check_code=c.check_code, issued_on=c.issued_on, valid_until=c.valid_until) for c in certs]


def office_from_profile(profile: OfficeProfile | None) -> CertificateOffice:
    """The certificate's office block from the office profile (None: blanks, the page still prints)."""
    if profile is None:
        return CertificateOffice(Letterhead("", "", ""), Signatory("", ""), "")
    contact = " · ".join(x for x in (f"Telp. {profile.phone}" if profile.phone else "", profile.email or "",
                                     profile.website or "") if x)
    address = profile.address + (f" {profile.postal_code}" if profile.postal_code else "")
    return CertificateOffice(
        Letterhead(profile.government, profile.name, address, contact, profile.logo),
        Signatory(profile.signatory_title, profile.signatory_name, profile.signatory_rank or "",
                  profile.signatory_nip or ""),
        profile.city,
    )


def write_certificates(session: Session, certs: Sequence[Certificate], target: str | io.BytesIO,
                       renderer: CertificateRenderer, *, progress: Progress = NO_PROGRESS,
                       cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    """Render stored certificates with the office's profile into ``target``; returns the number of pages."""
    office = office_from_profile(session.get(OfficeProfile, 1))
    return renderer(target, print_data(certs), office, progress=progress, cancelled=cancelled)


def issue_to_pdf(db: Database, actor: Actor, niks: Sequence[str], target: str, renderer: CertificateRenderer, *,
                 kind: str = "nik", issued_on: dt.date | None = None, cooperative_ids: Sequence[int] | None = None,
                 progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> list[str]:
    """One user action: issue certificates to the cooperatives with these NIKs (and ids) and print them into one PDF.

    The PDF is written inside the transaction to a temporary file and moved into place after the commit, so a
    failure or a cancel leaves neither a used serial number nor a half-written file.

    Returns:
        The serials issued, in order.

    Raises:
        ValidationError: a NIK not in the registry, or a cooperative that may not receive the certificate.
        Cancelled: ``cancelled()`` turned true; nothing was kept.
        WriteFailed: the PDF could not be written (nothing was kept either).
    """
    with atomic_path(target) as tmp:
        with db.transaction(actor) as s:
            ids = list(cooperative_ids or []) + (issuing.cooperative_ids_for_niks(s, list(niks)) if niks else [])
            certs = issuing.issue(s, actor, ids, kind=kind, issued_on=issued_on, progress=progress,
                                  cancelled=cancelled)
            write_certificates(s, certs, str(tmp), renderer, progress=progress, cancelled=cancelled)
            serials = [c.serial for c in certs]
    return serials


def reprint_to_pdf(db: Database, actor: Actor, serials: Sequence[str], target: str, renderer: CertificateRenderer, *,
                   progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    """Print stored certificates again, identical to the first print, and note the reprint in the audit trail.

    As with :func:`issue_to_pdf`, the file appears only when the audit entries are committed.

    Returns:
        The number of pages.
    """
    with atomic_path(target) as tmp:
        with db.transaction(actor) as s:
            certs = issuing.certificates_by_serials(s, list(serials))
            issuing.record_reprint(s, actor, certs)  # first: it checks the right to print before any drawing
            n = write_certificates(s, certs, str(tmp), renderer, progress=progress, cancelled=cancelled)
    return n
