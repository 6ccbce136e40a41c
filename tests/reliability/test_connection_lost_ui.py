"""The PostgreSQL connection dies under the cooperative form: a clear message, typed values kept, Save again works."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, event, select, text

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.services.registry import cooperatives as registry

pytestmark = pytest.mark.usefixtures("qtbot")


def _terminate_app_backends(owner_url: str, database: str, role: str) -> int:
    """From an admin connection, end every backend of the app's role on its database (what a server restart does)."""
    admin = create_engine(owner_url)
    with admin.connect() as conn:
        n = conn.execute(text(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = :d AND usename = :r AND pid <> pg_backend_pid()"), {"d": database, "r": role}).scalar()
        conn.commit()
    admin.dispose()
    return int(n or 0)


@pytest.fixture
def form_on_pg(pg_db, qtbot):  # type: ignore[no-untyped-def]
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.registry.cooperative_form import CooperativeForm
    from kopdesk.ui.tasks import TaskRunner
    from tests.conftest import make_user

    admin = make_user(pg_db, "admin", "admin")
    with pg_db.transaction(admin) as s:
        coop, _ = registry.create_cooperative(s, admin, {
            "name": "Koperasi Putus Sambung", "nik": "6471010000000077", "legal_number": "7/BH/2001",
            "legal_date": "2001-01-01", "address": "Jl. Lama", "kabkota_code": "6471", "kecamatan_code": "647101",
            "jenis": "konsumen"})
        coop_id = coop.id
    ctx = AppContext(db=pg_db, actor=admin, tasks=TaskRunner(None))
    form = CooperativeForm(ctx, coop_id)
    qtbot.addWidget(form)
    form.show()
    yield form, coop_id
    form._loading = True
    form.done(0)


def _address(db, coop_id):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return s.scalar(select(Cooperative.address).where(Cooperative.id == coop_id))


def test_backend_terminated_while_the_form_is_open(form_on_pg, pg_db, pg_owner_url):
    """Connections ended while the clerk types: the pool notices at the next Save and reconnects; nothing lost."""
    form, coop_id = form_on_pg
    form.editors["address"].editor.setText("Jl. Baru No. 1")
    form.editors["members_male"].editor.setText("321")
    assert _terminate_app_backends(pg_owner_url, pg_db.url.database, pg_db.url.username) >= 1
    assert form.save() is True
    assert _address(pg_db, coop_id) == "Jl. Baru No. 1"


def test_backend_terminated_during_save(form_on_pg, pg_db, pg_owner_url):
    """The connection dies in the middle of the save: Indonesian message, the typed values stay, Save again works."""
    form, coop_id = form_on_pg
    form.editors["address"].editor.setText("Jl. Sesudah Putus No. 2")
    form.editors["members_male"].editor.setText("1.234")

    killed: list[int] = []

    def kill_own_backend(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        if not killed and statement.lstrip().upper().startswith("UPDATE COOPERATIVE"):
            pid = conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()
            killed.append(pid)
            admin = create_engine(pg_owner_url)
            with admin.connect() as c:
                c.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
            admin.dispose()

    event.listen(pg_db.engine, "before_cursor_execute", kill_own_backend)
    try:
        assert form.save() is False
    finally:
        event.remove(pg_db.engine, "before_cursor_execute", kill_own_backend)
    assert killed, "the save never reached the UPDATE"
    assert form.form_error.isVisible()
    message = form.form_error.text()
    assert "Koneksi ke basis data terputus" in message and "belum disimpan" in message
    # The clerk's typing is still there, and nothing was half-written.
    assert form.editors["address"].editor.text() == "Jl. Sesudah Putus No. 2"
    assert form.editors["members_male"].raw() in ("1.234", "1234")
    assert form.is_dirty()
    assert _address(pg_db, coop_id) == "Jl. Lama"
    # Save again: a new connection, the change is stored once, with its audit entry.
    assert form.save() is True
    assert _address(pg_db, coop_id) == "Jl. Sesudah Putus No. 2"
    assert not form.form_error.isVisible()
