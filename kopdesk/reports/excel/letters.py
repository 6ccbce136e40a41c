"""The register of letters (buku agenda surat keluar) as an Excel file (xlsxwriter, no Qt)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from kopdesk.models.vocab import LETTER_DELIVERY, LETTER_LEVELS

HEADERS = ["No.", "Nomor Surat", "Tanggal", "Tingkat", "NIK Koperasi", "Nama Koperasi", "Hal", "Batas Tanggapan",
           "Status", "Pengiriman", "Tanggal Tanggapan", "Selesai", "SHA-256 PDF"]


def export_register(rows: Sequence[Any], path: str) -> int:
    """Write the register rows (kopdesk.models.services.letters.teguran.RegisterRow) to ``path``; returns the row count."""

    from kopdesk.models.fileio import atomic_workbook

    with atomic_workbook(path, {"constant_memory": True}) as wb:
        ws = wb.add_worksheet("Buku Agenda")
        bold = wb.add_format({"bold": True, "bg_color": "#DDE6F0", "border": 1})
        date = wb.add_format({"num_format": "dd/mm/yyyy"})
        for col, (h, w) in enumerate(zip(HEADERS, (5, 28, 12, 18, 18, 40, 45, 14, 12, 20, 14, 8, 66))):
            ws.write(0, col, h, bold)
            ws.set_column(col, col, w)
        for i, r in enumerate(rows, start=1):
            ws.write_number(i, 0, i)
            ws.write_string(i, 1, r.number)
            ws.write_datetime(i, 2, _dt(r.letter_date), date)
            ws.write_string(i, 3, LETTER_LEVELS.get(r.level, str(r.level)))
            ws.write_string(i, 4, r.nik or "")
            ws.write_string(i, 5, r.cooperative)
            ws.write_string(i, 6, r.subject)
            if r.due_date:
                ws.write_datetime(i, 7, _dt(r.due_date), date)
            ws.write_string(i, 8, "Dibatalkan" if r.status == "dibatalkan" else "Terbit")
            ws.write_string(i, 9, LETTER_DELIVERY.get(r.delivery_status, r.delivery_status))
            if r.response_date:
                ws.write_datetime(i, 10, _dt(r.response_date), date)
            ws.write_string(i, 11, "Ya" if r.resolved else "")
            ws.write_string(i, 12, r.pdf_sha256 or "")
        ws.freeze_panes(1, 0)
    return len(rows)


def _dt(d: dt.date) -> dt.datetime:
    return dt.datetime(d.year, d.month, d.day)
