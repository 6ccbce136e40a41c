"""Batch issue: cancel rolls back numbers and register; worker-process PDFs hash like a reprint; Excel export."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest
from sqlalchemy import func, select

from kopdesk.models.documents.letterhead import Signatory
from kopdesk.models.documents.letters import CommonParts, LetterDoc
from kopdesk.models.office import Counter
from kopdesk.models.progress import Cancelled
from kopdesk.models.services.letters import compose, teguran
from kopdesk.models.teguran import Letter
from kopdesk.reports.pdf import teguran as pdf
from tests.letters.conftest import TODAY, make_coop


def test_cancel_mid_batch_leaves_no_letter_no_number_no_file(office, admin, tmp_path):
    db = office
    ids = [make_coop(db, admin, name=f"Koperasi {i}") for i in range(3)]
    calls = []

    def cancelled() -> bool:
        calls.append(1)
        return len(calls) > 1

    out = tmp_path / "x.pdf"
    with pytest.raises(Cancelled):
        teguran.issue_batch(db, admin, ids, renderer=pdf, out_path=str(out), today=TODAY, cancelled=cancelled)
    assert not out.exists()
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Letter)) == 0
        assert s.scalar(select(func.coalesce(func.max(Counter.last_no), 0))) == 0
    r = teguran.issue_batch(db, admin, ids, renderer=pdf, out_path=str(out), today=TODAY)
    assert [x["number"].split("/")[1] for x in r.letters] == ["1", "2", "3"]


def _docs(n: int) -> tuple[CommonParts, list[LetterDoc]]:
    common = CommonParts("Pemerintah Kota Balikpapan", "Dinas Koperasi", "Jl. Sudirman 1", "", "Balikpapan",
                         Signatory("Kepala Dinas", "Drs. Rizal", "Pembina (IV/a)", "196807121994031005"),
                         ["Wali Kota"], compose.default_logo())
    body = [["p", "Koperasi belum melaksanakan RAT tahun buku 2024 dan 2025 sebagaimana diwajibkan. " * 3],
            ["li", "1.", "Tidak melaksanakan RAT."]]
    docs = [LetterDoc(f"518/{i}/DK/XI/2026", TODAY, "Penting", "–", "Teguran Pertama", [f"Yth. Ketua Koperasi {i}",
                      "Jl. A", "di –", "BALIKPAPAN"], body, 1, f"Koperasi {i}", f"64{i:014d}", 11.0)
            for i in range(n)]
    return common, docs


def test_worker_process_pdfs_are_identical_to_in_process_ones():
    common, docs = _docs(pdf.PARALLEL_MIN + 10)
    combined, singles = pdf.render_batch(common, docs, combined=True, workers=2)
    assert len(singles) == len(docs) and combined
    for i in (0, 77, len(docs) - 1):
        assert hashlib.sha256(singles[i]).digest() == hashlib.sha256(pdf.render_single(common, docs[i])).digest()
    # one letter per file, in order
    assert b"518/0/DK" not in singles[1]


def test_register_exports_to_excel(office, admin, tmp_path):
    from openpyxl import load_workbook

    from kopdesk.reports.excel.letters import HEADERS, export_register

    db = office
    ids = [make_coop(db, admin, name=f"Koperasi {c}", nik=f"647101000000{n:04d}") for n, c in enumerate("AB")]
    r = teguran.issue_batch(db, admin, ids, renderer=pdf, today=TODAY)
    with db.transaction(admin) as s:
        teguran.cancel(s, admin, r.letters[1]["id"], "Dobel")
    with db.read() as s:
        rows = teguran.register(s, year=2026)
    path = tmp_path / "agenda.xlsx"
    assert export_register(rows, str(path)) == 2
    ws = load_workbook(path).active
    values = list(ws.iter_rows(values_only=True))
    assert list(values[0]) == HEADERS
    assert values[1][1] == "518/1/DKUMKMP/XI/2026" and values[1][2] == dt.datetime(2026, 11, 23)
    assert values[2][8] == "Dibatalkan" and len(values[1][12]) == 64
    assert dataclasses.is_dataclass(rows[0])
