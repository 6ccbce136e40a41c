"""Fixtures of the registry UI tests: sample data, users and the real main window."""

from __future__ import annotations

import os
import tempfile

import pytest

# Window geometry and column layouts go to a throwaway folder, never the developer's own settings.
os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp(prefix="kopdesk-qsettings-"))


@pytest.fixture
def sample_db(sqlite_db):  # type: ignore[no-untyped-def]
    from kopdesk.models.services import registry_sample

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
        w.ctx.tasks.wait()
