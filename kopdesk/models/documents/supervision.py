"""The supervision documents as plain data: the field sheet of a kecamatan and the berita acara of a closed round.

kopdesk.models.services.supervision.documents gathers them from the database; kopdesk.reports.pdf.field_sheet and
kopdesk.reports.pdf.berita_acara_round draw them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kopdesk.models.documents.letterhead import Letterhead, Signatory


@dataclass(frozen=True)
class RoundProgress:
    """The figures of a round: covered, visited, found (at the registered address), moved, not found, active."""

    covered: int
    visited: int
    found: int
    moved: int
    not_found: int
    active: int
    inactive: int

    @property
    def remaining(self) -> int:
        return self.covered - self.visited


@dataclass(frozen=True)
class SheetRow:
    """One cooperative on the field sheet: its registered address and its board (ketua etc.)."""

    cooperative_id: int
    name: str
    nik: str | None
    address: str
    kelurahan: str
    board: str


@dataclass(frozen=True)
class FieldSheet:
    """Lembar kerja pemutakhiran: the cooperatives of one kecamatan of a round, for the officer to fill in by hand.

    Attributes:
        kecamatan_code: as printed (dotted, "64.71.01").
        officers: the officers (PPKL) assigned to the kecamatan, in the order they were assigned.
    """

    round_name: str
    started_on: dt.date | None
    kecamatan_code: str
    kecamatan_name: str
    officers: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    letterhead: Letterhead


@dataclass(frozen=True)
class KecamatanResults:
    """The visits of a round in one kecamatan, counted by what they found."""

    kecamatan: str
    visited: int
    found: int
    moved: int
    not_found: int
    active: int


@dataclass(frozen=True)
class BeritaAcara:
    """Berita acara of a closed pemutakhiran round: what was checked, what was found, the status changes applied.

    Attributes:
        per_kecamatan: by kecamatan name.
        status_changes: (status label, number of cooperatives) of the changes the round applied, by status code.
        officers: every officer (PPKL) of the round, sorted by name.
        city: the office's city, for the place and date above the signature.
    """

    round_name: str
    started_on: dt.date | None
    closed_on: dt.date | None
    closed_by: str | None
    progress: RoundProgress
    per_kecamatan: tuple[KecamatanResults, ...]
    status_changes: tuple[tuple[str, int], ...]
    officers: tuple[str, ...]
    letterhead: Letterhead
    signatory: Signatory
    city: str


# The renderers a service is given (kopdesk.reports.pdf.field_sheet.write_field_sheet and
# kopdesk.reports.pdf.berita_acara_round.write_berita_acara): the document and a path in, the path written out.
FieldSheetRenderer = Callable[[FieldSheet, "str | Path"], Path]
BeritaAcaraRenderer = Callable[[BeritaAcara, "str | Path"], Path]
