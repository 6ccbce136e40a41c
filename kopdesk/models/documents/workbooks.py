"""The registry's workbooks as plain data: the export in the ODS layout, the input template, and a kab/kota
office's workbook for the province.

kopdesk.models.services.exchange.ods_export and .consolidation gather them; kopdesk.reports.excel.registry writes
them. The rows of an export are a one-shot stream of batches read from an open session, so that a registry of
hundreds of thousands of cooperatives is written in constant memory: the service calls the writer while its
session is open.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kopdesk.models.documents.recap import Report

# How a column's cells are written: text, a code kept as text (NIK, NIB, NPWP: never a number in Excel), a date,
# or a whole number.
TEXT, CODE, DATE, NUMBER = "text", "code", "date", "number"


@dataclass(frozen=True)
class SheetColumn:
    """One column of a registry workbook.

    Attributes:
        field: the cooperative field it holds (the ODS layout's name); the writer sizes columns by it.
        kind: TEXT, CODE, DATE or NUMBER.
        choices: what an input workbook offers in a drop-down list (empty: free entry).
        minimum, maximum: the bounds an input workbook enforces for a DATE or NUMBER column (None: no bound).
    """

    field: str
    header: str
    kind: str = TEXT
    choices: tuple[str, ...] = ()
    minimum: int | dt.date | None = None
    maximum: int | dt.date | None = None


@dataclass(frozen=True)
class RegistrySheet:
    """Cooperatives as rows of a sheet.

    Attributes:
        total: how many rows are expected (for progress; the writer counts what it writes).
        batches: the rows in batches, each row's values in the order of ``columns`` as they are shown (labels, not
            codes; dotted region codes; dates as dates); None or "" for an empty cell. One pass only.
    """

    columns: tuple[SheetColumn, ...]
    total: int
    batches: Iterable[Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class RegistryExport:
    """A registry export: the sheet, and what it was made from (the Parameter sheet, after the report's name and the
    number of rows written)."""

    sheet: RegistrySheet
    title: str
    parameters: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class InputTemplate:
    """The input workbook an office sends to cooperatives and imports back.

    Attributes:
        rows: how many rows below the header carry the drop-down lists and checks.
    """

    columns: tuple[SheetColumn, ...]
    rows: int


@dataclass(frozen=True)
class OfficeWorkbook:
    """A kab/kota office's workbook for the province: metadata (format, office, region, date, figures), the recap
    and the registry of the kab/kota."""

    metadata: tuple[tuple[str, str | int], ...]
    recap: Report
    registry: RegistrySheet


# The writers a service is given (kopdesk.reports.excel.registry): the document and a path in; the file is written
# whole or not at all.
RegistryExportWriter = Callable[[RegistryExport, "str | Path"], int]  # returns the number of rows written
InputTemplateWriter = Callable[[InputTemplate, "str | Path"], None]
OfficeWorkbookWriter = Callable[[OfficeWorkbook, "str | Path"], None]
