"""The layer rule: kopdesk.models, kopdesk.reports and kopdesk.cli never import PySide6."""

from __future__ import annotations

import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import kopdesk

ROOT = Path(kopdesk.__file__).resolve().parent.parent


def _modules(package: str) -> list[str]:
    path = ROOT / package.replace(".", "/")
    return [package] + [f"{package}.{m.name}" for m in pkgutil.walk_packages([str(path)], "") if "migrations" not in m.name]


def test_core_and_reports_import_without_qt():
    mods = _modules("kopdesk.models") + _modules("kopdesk.reports") + _modules("kopdesk.cli")
    code = ("import importlib, sys\n"
            f"for m in {mods!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith('PySide6')]\n"
            "print(','.join(bad))\nsys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_pyside6_only_under_ui():
    offenders = []
    for path in (ROOT / "kopdesk").rglob("*.py"):
        rel = path.relative_to(ROOT / "kopdesk")
        if rel.parts[0] == "ui":
            continue
        if re.search(r"^\s*(from|import)\s+PySide6", path.read_text(encoding="utf-8"), re.M):
            offenders.append(str(rel))
    assert offenders == []
