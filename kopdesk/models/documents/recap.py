"""A report as plain data: columns, rows of cells and what it was built from.

kopdesk.models.services.reporting.report_data builds a :class:`Report` from the registry; the PDF and Excel
renderers (kopdesk.reports.pdf.recap, kopdesk.reports.excel.recap), the report page, the home page and the command
line all draw the same one, so their numbers cannot disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from kopdesk.models.codes import dotted
from kopdesk.models.formats import format_count, format_percent

if TYPE_CHECKING:
    from kopdesk.models.queries import RegistryFilter

COUNT, PERCENT = "count", "percent"


@dataclass(frozen=True)
class Column:
    label: str
    kind: str = COUNT  # count | percent


@dataclass
class Cell:
    """One number of a report and the cooperatives behind it (None for derived numbers such as percentages)."""

    value: int | Decimal | None
    ids: tuple[int, ...] | None = None

    @property
    def filter(self) -> RegistryFilter | None:
        """The registry filter that opens the cooperatives behind this number (None for a derived number)."""
        if self.ids is None:
            return None
        # The filter type lives with the registry queries; the renderers that read this module never ask for it.
        from kopdesk.models.queries import RegistryFilter

        return RegistryFilter(ids=self.ids, include_dissolved=True)

    def text(self, kind: str = COUNT, *, zero: str = "0") -> str:
        if kind == PERCENT:
            return format_percent(self.value)
        if not self.value:
            return zero
        return format_count(int(self.value))


@dataclass
class ReportRow:
    no: int | None
    label: str
    cells: list[Cell]
    code: str | None = None
    is_total: bool = False


@dataclass
class Report:
    """A report as rows of cells, with what it was built from (shown on the Parameter sheet and under the title)."""

    key: str
    title: str
    region_code: str
    region_name: str
    row_header: str
    columns: list[Column]
    rows: list[ReportRow]
    total: ReportRow | None
    period_text: str
    parameters: dict[str, str] = field(default_factory=dict)
    office: str = ""
    signatory: dict[str, str] = field(default_factory=dict)
    source: str = "KopDesk"

    def all_rows(self) -> list[ReportRow]:
        return self.rows + ([self.total] if self.total is not None else [])

    def table(self) -> list[list[str]]:
        """Header and rows as printed (decimal comma, thousands dot; Progres 0 printed as "-")."""
        out = [["No", self.row_header, *[c.label for c in self.columns]]]
        for row in self.all_rows():
            out.append([str(row.no) if row.no else "", row.label,
                        *[cell.text(col.kind, zero="-" if col.label == "Progres" else "0")
                          for cell, col in zip(row.cells, self.columns)]])
        return out

    def to_json(self) -> dict[str, Any]:
        def val(cell: Cell, col: Column) -> Any:
            if cell.value is None:
                return None
            return float(cell.value) if col.kind == PERCENT else int(cell.value)

        return {
            "report": self.key, "title": self.title, "region": {"code": dotted(self.region_code), "name": self.region_name},
            "period": self.period_text, "parameters": self.parameters,
            "columns": [c.label for c in self.columns],
            "rows": [{"no": r.no, "label": r.label, "code": dotted(r.code) if r.code else None, "total": r.is_total,
                      "values": [val(c, col) for c, col in zip(r.cells, self.columns)]} for r in self.all_rows()],
        }
