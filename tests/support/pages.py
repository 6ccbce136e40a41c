"""Waiting for a page's background reads in GUI tests (kopdesk.ui.widgets.page.Page reads off the UI thread)."""

from __future__ import annotations

from typing import Any


def wait_loaded(qtbot: Any, page: Any, timeout: int = 10000) -> None:
    """Until every read the page started (and a refresh it has scheduled) has been shown."""
    qtbot.waitUntil(lambda: not page.is_loading(), timeout=timeout)
