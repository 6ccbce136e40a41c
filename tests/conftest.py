"""Test fixtures: a kopdesk database on SQLite (always) and on PostgreSQL (a real server), and actors."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Window geometry and column layouts go to a throwaway folder, never the developer's own settings.
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="kopdesk-qsettings-"))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

# Property tests explore new examples on a developer's machine, but CI replays a fixed sequence so that main stays
# green for the code it was checked with; a failure found locally is fixed at its root, then kept as an example.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
_hypothesis_settings.register_profile("dev", print_blob=True)
_hypothesis_settings.load_profile("ci" if IN_CI else "dev")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        if "qtbot" in fixtures or "qapp" in fixtures:
            item.add_marker(pytest.mark.gui)


# A skip hides a test that did not run. On a developer's machine a missing tool (makensis, a PostgreSQL server) may
# skip its tests; CI installs everything (.ci/run), so there a skip means a check silently stopped running. Under
# CI=true a skip whose reason does not start with one of these prefixes fails the test. Each entry says why CI
# accepts it; keep the list empty unless a skip truly cannot be avoided on CI's Linux machine.
CI_ALLOWED_SKIPS: dict[str, str] = {}

_forbidden_skips: list[tuple[str, str]] = []


def skip_reason(report: pytest.TestReport) -> str:
    """The reason pytest gives for a skip ("Skipped: " stripped)."""
    longrepr = report.longrepr
    text = longrepr[2] if isinstance(longrepr, tuple) else str(longrepr)
    return text.removeprefix("Skipped: ")


def ci_allows_skip(reason: str) -> bool:
    return any(reason.startswith(prefix) for prefix in CI_ALLOWED_SKIPS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    report = yield
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = skip_reason(report)
        if not ci_allows_skip(reason):
            _forbidden_skips.append((report.nodeid, reason))
            report.outcome = "failed"
            report.longrepr = (f"CI=true: this test skipped ({reason}); CI must run every test. Install what it "
                               "needs in .ci/run, or add the reason to CI_ALLOWED_SKIPS in tests/conftest.py "
                               "with why CI cannot run it.")
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _forbidden_skips:
        terminalreporter.section("skips that CI=true does not allow", sep="=", red=True, bold=True)
        for nodeid, reason in _forbidden_skips:
            terminalreporter.line(f"{nodeid}: {reason}")


@pytest.fixture(scope="session", autouse=True)
def _isolated_user_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Keep tests away from the real user's data folder (database, backups, keys)."""
    old = os.environ.get("KOPDESK_DATA_DIR")
    os.environ["KOPDESK_DATA_DIR"] = str(tmp_path_factory.mktemp("userdata"))
    yield
    if old is None:
        os.environ.pop("KOPDESK_DATA_DIR", None)
    else:
        os.environ["KOPDESK_DATA_DIR"] = old


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated and seeded SQLite database, built once and copied per test."""
    from kopdesk.models.db import Database

    path = tmp_path_factory.mktemp("template") / "template.sqlite"
    db = Database.open(str(path))
    db.dispose()
    import sqlite3

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return path


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path):  # type: ignore[no-untyped-def]
    from kopdesk.models.db import Database

    path = tmp_path / "kopdesk.sqlite"
    shutil.copyfile(sqlite_template, path)
    db = Database.open(str(path))
    yield db
    db.dispose()


@pytest.fixture(scope="session")
def pg_admin_url() -> Iterator[str]:
    from tests.pg import server_url

    with server_url() as url:
        if url is None:
            # Under CI=true this skip fails the test (pytest_runtest_makereport above): PostgreSQL is required there.
            pytest.skip("Tidak ada server PostgreSQL: set KOPDESK_TEST_POSTGRES_URL, jalankan server lokal di "
                        "127.0.0.1:5432, atau pasang paket postgresql untuk klaster sementara")
        yield url


APP_ROLE = "kopdesk_app_test"


@pytest.fixture(scope="session")
def pg_owner_url(pg_admin_url: str) -> Iterator[str]:
    """A database migrated and seeded once per test session, as its owner."""
    from kopdesk.models.db import Database
    from tests.pg import create_database, drop_database

    url = create_database(pg_admin_url)
    db = Database.open(url)
    db.dispose()
    yield url
    drop_database(pg_admin_url, url)


@pytest.fixture(scope="session")
def pg_template_url(pg_owner_url: str) -> str:
    """The same database as the least-privilege application role (README: PostgreSQL roles).

    The services are tested as this role, so a service that needs more than data access fails here.
    """
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    from kopdesk.models.pg_roles import grant_app_role

    owner = create_engine(pg_owner_url)
    grant_app_role(owner, APP_ROLE, create_login=True)
    owner.dispose()
    return make_url(pg_owner_url).set(username=APP_ROLE, password=None).render_as_string(hide_password=False)


KEEP_TABLES = {"region", "alembic_version"}


@pytest.fixture
def pg_db(pg_owner_url: str, pg_template_url: str):  # type: ignore[no-untyped-def]
    """The session's PostgreSQL database as the application role, emptied of all but the regions before each test."""
    from sqlalchemy import create_engine, text

    from kopdesk.models import Base
    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.bootstrap import ensure_seeded

    tables = [t.name for t in Base.metadata.sorted_tables if t.name not in KEEP_TABLES]
    owner = create_engine(pg_owner_url)
    with owner.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
    owner.dispose()
    db = Database(pg_template_url, pool_size=10)
    ensure_seeded(db)
    yield db
    db.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest):  # type: ignore[no-untyped-def]
    """The same test on SQLite and on PostgreSQL."""
    return request.getfixturevalue("sqlite_db" if request.param == "sqlite" else "pg_db")


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    return make_user(db, "admin", "admin")


@pytest.fixture
def operator(db):  # type: ignore[no-untyped-def]
    make_user(db, "admin", "admin")
    return make_user(db, "operator1", "operator")


def make_user(db, username: str, role: str, password: str = "rahasia-123"):  # type: ignore[no-untyped-def]
    """Create a user (the first one as the first admin) and return its Actor."""
    from sqlalchemy import select

    from kopdesk.models.services.administration import auth
    from kopdesk.models.user import User

    with db.transaction(auth.Actor.system()) as s:
        existing = s.scalar(select(User).where(User.username == username))
        if existing is not None:
            return auth.Actor.of(existing)
        first = auth.user_count(s) == 0
        user = auth.create_user(s, auth.Actor.system(), username=username, full_name=username.title(), role=role,
                                password=password, first_admin=first and role == "admin")
        return auth.Actor.of(user)


@pytest.fixture
def sample_db(sqlite_db):  # type: ignore[no-untyped-def]
    from tests.support import registry_sample

    registry_sample.fill(sqlite_db, 450, "6471", officers_for=450)
    return sqlite_db


@pytest.fixture
def open_window(qtbot):  # type: ignore[no-untyped-def]
    """open_window(db, actor) -> the main window with its registry page's first page shown."""
    from PySide6.QtCore import QCoreApplication

    QCoreApplication.setOrganizationName("KopDeskTest")
    QCoreApplication.setApplicationName("KopDeskTest")
    windows = []

    def make(db, actor):  # type: ignore[no-untyped-def]
        from kopdesk.ui.main_window import MainWindow

        w = MainWindow(db, actor)
        qtbot.addWidget(w)
        page = w.registry_page()
        with qtbot.waitSignals([page.results_shown, page.count_shown], timeout=10000):
            w.show()
        windows.append(w)
        return w

    yield make
    for w in windows:
        for form in list(w.forms.values()):
            form._loading = True
            form.done(0)
        assert w.ctx.tasks.wait(), "a background task was still running after the test"
