"""The settings page: office profile and user management, through the real main window."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from sqlalchemy import select

from kopdesk.models.errors import PermissionDenied
from kopdesk.models.office import OfficeProfile
from kopdesk.models.services.administration import auth, office
from kopdesk.models.user import User
from tests.conftest import make_user
from tests.support.pages import wait_loaded


def _png(path: Path) -> Path:
    raw = b"\x00\xff\x00\x00"
    data = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b""))
    path.write_bytes(data)
    return path


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _settings_page(w, qtbot):  # type: ignore[no-untyped-def]
    index = next(i for i, (m, n, _c) in enumerate(w._specs) if n == "SettingsPage")
    w.show_page_at(index)
    page = w.page(index)
    wait_loaded(qtbot, page)  # the profile and the accounts are read off the UI thread
    return page, index


def test_admin_edits_the_office_profile(qtbot, sqlite_db, open_window, tmp_path):
    admin = make_user(sqlite_db, "admin", "admin")
    w = open_window(sqlite_db, admin)
    page, _ = _settings_page(w, qtbot)
    page.edits["name"].setText("Dinas Koperasi dan UKM Kota Balikpapan")
    page.edits["signatory_name"].setText("Dr. H. Ahmad Fauzi, M.Si.")
    page.edits["signatory_nip"].setText("19700101 199003 1 00")  # 17 digits
    page.province.setCurrentIndex(page.province.findData("64"))
    page.kabkota.setCurrentIndex(page.kabkota.findData("6471"))
    (tmp_path / "bukan.png").write_text("bukan gambar")
    page.set_logo(str(tmp_path / "bukan.png"))
    assert not page.save_profile()
    assert "18 angka" in page.errors["signatory_nip"].text() and "PNG atau JPEG" in page.errors["logo"].text()
    with sqlite_db.read() as s:
        assert s.get(OfficeProfile, 1).name == ""
    page.edits["signatory_nip"].setText("19700101 199003 1 001")
    page.set_logo(str(_png(tmp_path / "logo.png")))
    with qtbot.waitSignal(w.ctx.signals.data_changed):
        assert page.save_profile(), (page.profile_message.text(), [e.text() for e in page.errors.values()])
    wait_loaded(qtbot, page)
    with sqlite_db.read() as s:
        p = s.get(OfficeProfile, 1)
        assert (p.name, p.signatory_nip, p.region_code, p.logo_name) == (
            "Dinas Koperasi dan UKM Kota Balikpapan", "197001011990031001", "6471", "logo.png")
        assert p.logo.startswith(b"\x89PNG")
    qtbot.waitUntil(lambda: w.office_label.text() == "Dinas Koperasi dan UKM Kota Balikpapan", timeout=10000)
    assert page.province.currentData() == "64" and page.kabkota.currentData() == "6471"  # read back


def test_admin_manages_users(qtbot, sqlite_db, open_window):
    admin = make_user(sqlite_db, "admin", "admin")
    w = open_window(sqlite_db, admin)
    page, _ = _settings_page(w, qtbot)
    assert page.add_user({"username": "siti", "full_name": "Siti Aminah", "role": "operator", "password": "rahasia-siti"})
    assert not page.add_user({"username": "siti", "full_name": "Lain", "role": "operator", "password": "rahasia-123"})
    assert "sudah dipakai" in page.user_message.text()
    wait_loaded(qtbot, page)
    row = next(r for r in range(page.users.rowCount()) if page.users.item(r, 0).text() == "siti")
    page.users.setCurrentCell(row, 0)
    assert page.reset_password("sandi-baru-99")
    with sqlite_db.transaction(None) as s:
        assert auth.authenticate(s, "siti", "sandi-baru-99").role == "operator"
    row = next(r for r in range(page.users.rowCount()) if page.users.item(r, 0).text() == "siti")
    page.users.setCurrentCell(row, 0)
    assert page.toggle_active()
    wait_loaded(qtbot, page)
    with sqlite_db.read() as s:
        assert s.scalar(select(User.active).where(User.username == "siti")) is False
    # the last active admin cannot be deactivated
    row = next(r for r in range(page.users.rowCount()) if page.users.item(r, 0).text() == "admin")
    page.users.setCurrentCell(row, 0)
    assert not page.toggle_active()
    assert "administrator" in page.user_message.text()


def test_settings_page_disabled_for_operators_and_refused_by_services(qtbot, sqlite_db, open_window):
    op = make_user(sqlite_db, "admin", "admin") and make_user(sqlite_db, "operator1", "operator")
    w = open_window(sqlite_db, op)
    index = next(i for i, (m, n, _c) in enumerate(w._specs) if n == "SettingsPage")
    assert not w._enabled(index) and w.page(index) is None
    with pytest.raises(PermissionDenied), sqlite_db.transaction(op) as s:
        office.update_profile(s, op, 1, {"name": "x"})
    with pytest.raises(PermissionDenied), sqlite_db.read() as s:
        office.list_users(s, op)


def test_backup_tab_backs_up_in_the_background(qtbot, sqlite_db, open_window):
    from kopdesk.models.services.administration import backup

    admin = make_user(sqlite_db, "admin", "admin")
    w = open_window(sqlite_db, admin)
    page, _ = _settings_page(w, qtbot)
    before = len(backup.list_backups())
    page.backup_now()
    qtbot.waitUntil(lambda: "Cadangan tersimpan" in page.backup_message.text(), timeout=10000)
    assert len(backup.list_backups()) == before + 1
    assert page.backup_list.rowCount() == before + 1
    newest = backup.list_backups()[0].path
    import sqlite3

    conn = sqlite3.connect(newest)
    assert conn.execute("SELECT count(*) FROM app_user").fetchone()[0] == 1
    conn.close()
