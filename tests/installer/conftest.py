"""Helpers for the installer tests: the repository root and installer/build.py as a module."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def build_module():  # type: ignore[no-untyped-def]
    """installer/build.py imported as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("kopdesk_installer_build", ROOT / "installer" / "build.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module
