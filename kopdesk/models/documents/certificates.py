"""A printed certificate: the page's data, the issuing office's block, and the renderer that draws them."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from kopdesk.models.documents.letterhead import Letterhead, Signatory
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress


@dataclass(frozen=True)
class PrintData:
    """One certificate as its page shows it (read from a stored Certificate row; a reprint is identical).

    Attributes:
        facts: the signed facts under their short keys (kopdesk.models.services.certificates.issuing.FACT_LABELS).
        payload: the signed text the QR code carries.
        check_code: the short code printed under the QR, for a person to type.
    """

    serial: str
    kind: str
    facts: dict[str, Any]
    payload: str
    check_code: str
    issued_on: dt.date
    valid_until: dt.date | None


@dataclass(frozen=True)
class CertificateOffice:
    """The issuing office as the certificate shows it: its kop, who signs, and the city before the date."""

    letterhead: Letterhead
    signatory: Signatory
    city: str


class CertificateRenderer(Protocol):
    """Draws certificates into one PDF (kopdesk.reports.pdf.certificate.render_certificates).

    Called as ``renderer(target, pages, office, progress=..., cancelled=...)``: ``target`` is a path (the file
    appears whole or not at all) or a BytesIO; it returns the number of pages and raises
    kopdesk.models.progress.Cancelled when ``cancelled()`` turns true.
    """

    def __call__(self, target: str | io.BytesIO, pages: Sequence[PrintData], office: CertificateOffice, /, *,
                 progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> int: ...
