"""A surat teguran as plain data (the office's shared parts and one letter's own content) and what draws it.

The letters service composes these from the database and stores them in the register (``Letter.facts``: "common"
and "render"), so a letter can be drawn again years later from exactly what was sent. The drawing itself is
the renderer's: kopdesk.reports.pdf.teguran satisfies :class:`LetterRenderer`, and the CLI and the UI hand it to
the service.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any, Protocol

from kopdesk.models.documents.letterhead import Letterhead, Signatory


@dataclass
class CommonParts:
    """What every letter of the office shares: letterhead, place, signatory, tembusan."""

    government: str
    office: str
    address: str
    contact: str
    city: str
    signatory: Signatory
    tembusan: list[str]
    logo: bytes | None = None

    def head(self) -> Letterhead:
        return Letterhead(self.government, self.office, self.address, self.contact, self.logo)

    def to_json(self) -> dict[str, Any]:
        """As stored in the register: the logo by its SHA-256 only (the bytes stay in the office profile)."""
        d = {k: v for k, v in asdict(self).items() if k != "logo"}
        d["logo_sha256"] = hashlib.sha256(self.logo).hexdigest() if self.logo else None
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any], logo: bytes | None) -> CommonParts:
        d = {k: v for k, v in d.items() if k != "logo_sha256"}
        d["signatory"] = Signatory(**d["signatory"])
        return cls(**d, logo=logo)


@dataclass
class LetterDoc:
    """One letter's own content, as stored in the register (enough to draw it again identically).

    Attributes:
        body: blocks ["p", text] (paragraph) or ["li", label, text] (numbered item).
        font_size: the body size the renderer chose when the letter was issued (0.0: its default), kept so a
            reprint lays out the same.
    """

    number: str
    date: dt.date
    nature: str
    attachments: str
    subject: str
    addressee: list[str]
    body: list[list[str]]
    level: int
    cooperative: str
    nik: str = ""
    font_size: float = 0.0

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["date"] = self.date.isoformat()
        return d

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> LetterDoc:
        d = dict(d)
        d["date"] = dt.date.fromisoformat(d["date"])
        return cls(**d)


class LetterRenderer(Protocol):
    """What the letters service needs from a renderer (kopdesk.reports.pdf.teguran, a module, satisfies it).

    Single-letter PDFs must be byte-for-byte reproducible: the register keeps each one's SHA-256, and a reprint
    from the stored :class:`CommonParts` and :class:`LetterDoc` has to hash the same.
    """

    def fit_font_size(self, common: CommonParts, doc: LetterDoc) -> float:
        """The body font size at which the letter fits its page."""
        ...

    def render_single(self, common: CommonParts, doc: LetterDoc, *, cancelled: bool = False) -> bytes:
        """One letter as its own PDF (``cancelled``: marked DIBATALKAN)."""
        ...

    def render_batch(self, common: CommonParts, docs: list[LetterDoc], *, combined: bool = True,
                     progress: Callable[[int, int], None] | None = None) -> tuple[bytes | None, list[bytes]]:
        """Every letter as its own PDF and, if ``combined``, all of them in one PDF ready to print.

        ``progress(done, total)`` may raise (e.g. Cancelled) to stop the batch.
        """
        ...
