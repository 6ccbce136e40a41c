"""The registry out in the ODS layout: the rows of a RegistryFilter selection (so they can be imported back, here or
upward) and the input template an office sends to cooperatives.

The rows are read in batches from the caller's session while the writer it is given (kopdesk.reports.excel.registry)
streams them to the file, so memory stays flat at any size; cancelling stops between batches and the writer
leaves no file behind.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from kopdesk import __version__
from kopdesk.models.codes import dotted, undotted
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.documents.workbooks import (
    CODE,
    DATE,
    NUMBER,
    TEXT,
    InputTemplate,
    InputTemplateWriter,
    RegistryExport,
    RegistryExportWriter,
    RegistrySheet,
    SheetColumn,
)
from kopdesk.models.formats import format_date
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Progress, check
from kopdesk.models.queries import RegistryFilter, count, where_clauses
from kopdesk.models.region import Region
from kopdesk.models.services.exchange.ods_import import ODS_COLUMNS
from kopdesk.models.vocab import FORM, JENIS, NIK_STATUS, POLA, STATUS

DATE_FIELDS = {"legal_date", "nik_certified_on", "certificate_valid_until"}
NUMBER_FIELDS = {"members_male", "members_female", "managers", "employees", "own_capital", "external_capital",
                 "assets", "business_volume", "shu", "figures_year"}
CODE_FIELDS = {"nik", "nib", "npwp"}  # digits that must stay text (a leading zero, 16 digits beyond Excel's precision)
LABELLED = {"jenis": JENIS, "pola": POLA, "status": STATUS, "nik_status": NIK_STATUS, "form": FORM}
BATCH = 5000
EXPORT_TITLE = "Ekspor registri koperasi (tata letak ODS)"


def _kind(field: str) -> str:
    if field in DATE_FIELDS:
        return DATE
    if field in NUMBER_FIELDS:
        return NUMBER
    return CODE if field in CODE_FIELDS else TEXT


def export_columns() -> tuple[SheetColumn, ...]:
    """The columns of an export: every column of the ODS layout, in its order."""
    return tuple(SheetColumn(field, header, _kind(field)) for field, header, _a in ODS_COLUMNS)


def _query(session: Session, f: RegistryFilter) -> Any:
    c = Cooperative
    prov, kab = Region.__table__.alias("prov"), Region.__table__.alias("kab")
    kec, kel = Region.__table__.alias("kec"), Region.__table__.alias("kel")
    named = {"province": prov.c.name, "kabkota": kab.c.name, "kecamatan": kec.c.name, "kelurahan": kel.c.name,
             "region_code": c.kelurahan_code, "kelompok_id": Kelompok.name, "sector_id": Sector.name}
    cols: list[Any] = [named[field] if field in named else getattr(c, field) for field, _h, _a in ODS_COLUMNS]
    cols += [c.kecamatan_code, c.kabkota_code]  # the region code of a cooperative known only to its kecamatan
    return (select(*cols)
            .outerjoin(prov, prov.c.code == c.province_code).outerjoin(kab, kab.c.code == c.kabkota_code)
            .outerjoin(kec, kec.c.code == c.kecamatan_code).outerjoin(kel, kel.c.code == c.kelurahan_code)
            .outerjoin(Kelompok, Kelompok.id == c.kelompok_id).outerjoin(Sector, Sector.id == c.sector_id)
            .where(and_(*where_clauses(session, f))).order_by(c.kabkota_code, c.name, c.id))


def _batches(session: Session, f: RegistryFilter, total: int, progress: Progress,
             cancelled: CancelCheck) -> Iterator[list[list[Any]]]:
    fields = [field for field, _h, _a in ODS_COLUMNS]
    n = len(fields)
    code_at = fields.index("region_code")
    labelled = [(i, LABELLED[field]) for i, field in enumerate(fields) if field in LABELLED]
    done = 0
    result = session.execute(_query(session, f).execution_options(yield_per=BATCH))
    for part in result.partitions():
        batch = []
        for row in part:
            values = list(row[:n])
            for i, labels in labelled:
                v = values[i]
                if v is not None:
                    values[i] = labels.get(v, v)
            values[code_at] = dotted(values[code_at] or row[n] or row[n + 1])
            batch.append(values)
        yield batch
        done += len(batch)
        check(cancelled)
        progress(done, total, "Mengekspor registri…")
    progress(done, total, "Selesai")


def registry_sheet(session: Session, f: RegistryFilter, *, progress: Progress = NO_PROGRESS,
                   cancelled: CancelCheck = NEVER_CANCELLED) -> RegistrySheet:
    """The cooperatives of ``f`` in the ODS layout, by kab/kota then name; the rows stream from ``session``, which
    must stay open until they are written.

    Raises:
        Cancelled: ``cancelled`` said so (checked first and after every batch).
    """
    total = count(session, f)
    check(cancelled)
    progress(0, total, "Mengekspor registri…")
    return RegistrySheet(export_columns(), total, _batches(session, f, total, progress, cancelled))


def export_parameters(f: RegistryFilter, *, today: dt.date | None = None) -> tuple[tuple[str, str], ...]:
    """What an export was made from, as the Parameter sheet shows it."""
    return (("Wilayah", dotted(f.region_code) if f.region_code else "semua"), ("Pencarian", f.text or "-"),
            ("Status", ", ".join(STATUS.get(s, s) for s in f.statuses) or "terdaftar (tanpa yang dibubarkan)"),
            ("Jenis", ", ".join(JENIS.get(j, j) for j in f.jenis) or "semua"),
            ("Dibuat", format_date(today or dt.date.today())), ("Aplikasi", f"KopDesk {__version__}"))


def export_registry(session: Session, f: RegistryFilter, path: str | Path, *, write: RegistryExportWriter,
                    progress: Progress = NO_PROGRESS, cancelled: CancelCheck = NEVER_CANCELLED) -> int:
    """The cooperatives of ``f`` to an .xlsx file in the ODS layout, written by ``write``
    (kopdesk.reports.excel.registry.write_registry_export); returns the number of rows.

    Raises:
        Cancelled: nothing is left at ``path``.
    """
    sheet = registry_sheet(session, f, progress=progress, cancelled=cancelled)
    return write(RegistryExport(sheet, EXPORT_TITLE, export_parameters(f)), path)


# ---------------------------------------------------------------------------------------------------------------
# The input template


def input_template(session: Session, region_code: str | None = None, *, rows: int = 2000,
                   today: dt.date | None = None) -> InputTemplate:
    """The columns of the input workbook with their drop-down lists (jenis, pola, bentuk, status, status NIK,
    kelompok, sektor, and the kab/kota and kecamatan of ``region_code``) and the bounds of dates and numbers."""
    today = today or dt.date.today()
    code = undotted(region_code) if region_code else None
    choices: dict[str, list[str]] = {
        "jenis": list(JENIS.values()), "pola": list(POLA.values()), "form": list(FORM.values()),
        "status": list(STATUS.values())[:4], "nik_status": list(NIK_STATUS.values()),
        "kelompok_id": list(session.scalars(select(Kelompok.name).where(Kelompok.active.is_(True))
                                            .order_by(Kelompok.sort_order))),
        "sector_id": list(session.scalars(select(Sector.name).order_by(Sector.name))),
    }
    if code:
        level = len(code)
        choices["kabkota"] = list(session.scalars(select(Region.name).where(
            Region.code == code if level == 4 else Region.parent_code == code[:2]).order_by(Region.code)))
        if level >= 4:
            choices["kecamatan"] = list(session.scalars(select(Region.name).where(
                Region.parent_code == code[:4]).order_by(Region.code)))
    columns = []
    for field, header, _a in ODS_COLUMNS:
        if field in ("region_code", "province"):
            continue  # the import derives both from the names below
        kind = CODE if field == "legal_number" else _kind(field)
        lo: int | dt.date | None = None
        hi: int | dt.date | None = None
        if kind == DATE:
            lo, hi = dt.date(1900, 1, 1), dt.date(2100, 12, 31) if field == "certificate_valid_until" else today
        elif kind == NUMBER:
            lo = -10**15 if field == "shu" else 0
        columns.append(SheetColumn(field, header, kind, tuple(choices.get(field, ())), lo, hi))
    return InputTemplate(tuple(columns), rows)


def write_input_template(session: Session, path: str | Path, region_code: str | None = None, *,
                         write: InputTemplateWriter, rows: int = 2000) -> None:
    """The input workbook for ``region_code`` to ``path``, written by ``write``
    (kopdesk.reports.excel.registry.write_input_template)."""
    write(input_template(session, region_code, rows=rows), path)
