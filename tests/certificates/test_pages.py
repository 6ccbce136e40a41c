"""The Sertifikat and Verifikasi Sertifikat pages, offscreen: issue in the background, revoke, scan, open an image."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kopdesk.models.services.certificates import issuing as cs
from kopdesk.ui.context import AppContext
from kopdesk.ui.tasks import TaskRunner
from tests.certificates.conftest import TODAY, make_coops, render_png, setup_office
from tests.conftest import make_user
from tests.support.pages import wait_loaded


@pytest.fixture
def ctx(qtbot, sqlite_db):  # type: ignore[no-untyped-def]
    admin = make_user(sqlite_db, "admin", "admin")
    setup_office(sqlite_db, admin)
    c = AppContext(db=sqlite_db, actor=admin, tasks=TaskRunner())
    yield c
    assert c.tasks.wait(30000), "a background task was still running after the test"


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):  # type: ignore[no-untyped-def]
    shown: list[str] = []
    for module in ("kopdesk.ui.certificates.certificates_page", "kopdesk.ui.certificates.verification_page"):
        monkeypatch.setattr(f"{module}.show_error", lambda parent, exc, title="": shown.append(f"error: {exc}"),
                            raising=False)
    monkeypatch.setattr("kopdesk.ui.certificates.certificates_page.info", lambda parent, text, title="": shown.append(text))
    return shown


def test_register_issues_in_background_revokes_and_verification_page_answers(qtbot, ctx, tmp_path, no_message_boxes):
    from kopdesk.ui.certificates.certificates_page import CertificatesPage
    from kopdesk.ui.certificates.verification_page import VerificationPage

    make_coops(ctx.db, ctx.actor, 3)
    page = CertificatesPage(ctx)
    qtbot.addWidget(page)
    page.resize(1100, 600)
    pdf = tmp_path / "batch.pdf"
    page.start_issue(["6471010000000001", "6471010000000002", "6471010000000003"], "nik", TODAY, str(pdf))
    qtbot.waitUntil(lambda: page.last_result is not None or page.last_error is not None, timeout=60000)
    assert page.last_error is None and len(page.last_result) == 3 and pdf.exists()
    wait_loaded(qtbot, page)  # the register is read again off the UI thread
    assert page.table.rowCount() == 3
    serials = {page.table.item(r, 0).text() for r in range(3)}
    assert serials == {f"NIK.{TODAY.year}.00000{i}" for i in (1, 2, 3)}

    # a reprint through the page, in the background as well
    page.last_result = None
    again = tmp_path / "ulang.pdf"
    page.start_reprint(["NIK.2026.000001"], str(again))
    qtbot.waitUntil(lambda: page.last_result is not None or page.last_error is not None, timeout=30000)
    assert page.last_error is None and page.last_result == 1 and again.exists()

    # a bad NIK: nothing issued, the clerk gets the Indonesian message
    page.last_error = None
    page.start_issue(["999"], "nik", TODAY, str(tmp_path / "x.pdf"))
    qtbot.waitUntil(lambda: page.last_error is not None, timeout=30000)
    assert "tidak ada di registri" in str(page.last_error) and not (tmp_path / "x.pdf").exists()

    assert not page.revoke("NIK.2026.000002", "")  # a reason is required
    assert page.revoke("NIK.2026.000002", "Koperasi dibubarkan")
    wait_loaded(qtbot, page)
    status_col = 6
    statuses = {page.table.item(r, 0).text(): page.table.item(r, status_col).text() for r in range(3)}
    assert statuses["NIK.2026.000002"] == "Dicabut"
    page.grab().save(str(tmp_path / "register.png"))

    verify = VerificationPage(ctx)
    qtbot.addWidget(verify)
    verify.resize(1000, 700)
    with ctx.db.read() as s:
        payloads = {c.serial: c.payload for c in cs.certificates_by_serials(s, sorted(serials))}
    verify.input.setText(payloads["NIK.2026.000001"])
    with qtbot.waitSignal(verify.verified, timeout=10000):  # verified off the UI thread
        qtbot.keyClick(verify.input, Qt.Key.Key_Return)
    assert verify.result is not None and verify.result.status == "valid"
    assert "SAH" in verify.verdict.text() and "#1B7F3B" in verify.verdict.styleSheet()
    assert verify.table.rowCount() >= 6 and verify.table.item(0, 2).text() == "Koperasi Konsumen Karya Bersama 1"

    verify.input.setText(payloads["NIK.2026.000002"])
    with qtbot.waitSignal(verify.verified, timeout=10000):
        qtbot.keyClick(verify.input, Qt.Key.Key_Return)
    assert verify.result.status == "revoked" and "DICABUT" in verify.verdict.text()

    p = payloads["NIK.2026.000003"]
    verify.input.setText(p[:20] + ("A" if p[20] != "A" else "B") + p[21:])
    with qtbot.waitSignal(verify.verified, timeout=10000):
        qtbot.keyClick(verify.input, Qt.Key.Key_Return)
    assert verify.result.status == "invalid" and "TIDAK SAH" in verify.verdict.text()
    assert "#B3261E" in verify.verdict.styleSheet()

    # an image of the printed certificate (page 1 of the PDF)
    png = render_png(pdf, tmp_path / "scan", dpi=150)
    verify.result = None
    verify.check_image(str(png))
    qtbot.waitUntil(lambda: verify.result is not None, timeout=30000)
    assert verify.result.status == "valid" and verify.result.serial == "NIK.2026.000001"
    verify.grab().save(str(tmp_path / "verify.png"))
    # what the clerk was told: the batch, the reprint, the unknown NIK, the missing reason, and nothing else
    assert len(no_message_boxes) == 4
    assert no_message_boxes[0].startswith("3 sertifikat diterbitkan")
    assert no_message_boxes[1] == f"1 sertifikat dicetak ulang ke {again}."
    assert "999 tidak ada di registri" in no_message_boxes[2] and "Alasan pencabutan" in no_message_boxes[3]
