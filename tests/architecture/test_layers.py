"""The layer rules hold over every import in kopdesk/, function-local ones included (tests/architecture/imports.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import kopdesk
from tests.architecture.imports import all_imports, package_cycles, violations

ROOT = Path(kopdesk.__file__).resolve().parent.parent

TOP_PACKAGES = ["kopdesk.models", "kopdesk.reports", "kopdesk.ui", "kopdesk.cli", "kopdesk.launcher",
                "kopdesk.paths", "kopdesk.credits", "kopdesk.logsetup"]
SERVICE_PACKAGES = sorted(f"kopdesk.models.services.{p.name}" for p in (ROOT / "kopdesk/models/services").iterdir()
                          if (p / "__init__.py").exists())


def test_every_import_keeps_the_layers() -> None:
    assert violations(all_imports(ROOT)) == []


def test_the_rule_sees_an_import_inside_a_function(tmp_path: Path) -> None:
    """A synthetic tree: a service that imports a renderer inside a function, and one that imports Qt lazily."""
    pkg = tmp_path / "kopdesk" / "models" / "services"
    pkg.mkdir(parents=True)
    for d in (tmp_path / "kopdesk", tmp_path / "kopdesk" / "models", pkg):
        (d / "__init__.py").write_text("")
    (pkg / "sneaky.py").write_text(
        "def render(data):\n"
        "    from kopdesk.reports.pdf import teguran\n"
        "    return teguran.render_single(data)\n\n"
        "class Late:\n"
        "    def show(self):\n"
        "        import importlib\n"
        "        return importlib.import_module('PySide6.QtWidgets')\n")
    (pkg / "relative.py").write_text("def f():\n    from ...reports import excel\n")
    found = violations(all_imports(tmp_path))
    assert len(found) == 4, found  # the renderer, Qt (two rules: the domain's and Qt's own), the relative import
    assert any("sneaky.py:2" in v and "kopdesk.reports.pdf.teguran" in v and "in a function" in v for v in found)
    assert any("sneaky.py:8" in v and "PySide6.QtWidgets" in v for v in found)
    assert any("relative.py:2" in v and "kopdesk.reports.excel" in v for v in found)


def test_a_renderer_that_opens_a_session_is_caught(tmp_path: Path) -> None:
    pkg = tmp_path / "kopdesk" / "reports"
    pkg.mkdir(parents=True)
    (tmp_path / "kopdesk" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "bad.py").write_text("def write(db):\n    from kopdesk.models.services.administration import settings\n"
                                "    from sqlalchemy import select\n")
    found = violations(all_imports(tmp_path))
    assert len(found) == 2, found


def test_packages_form_no_cycle() -> None:
    imports = all_imports(ROOT)
    assert package_cycles(imports, TOP_PACKAGES) == []
    assert package_cycles(imports, SERVICE_PACKAGES) == []


def test_the_cycle_check_finds_a_cycle(tmp_path: Path) -> None:
    for name, body in (("a", "from kopdesk.b import x\n"), ("b", "def f():\n    from kopdesk.a import y\n")):
        (tmp_path / "kopdesk" / name).mkdir(parents=True)
        (tmp_path / "kopdesk" / name / "__init__.py").write_text(body)
    (tmp_path / "kopdesk" / "__init__.py").write_text("")
    assert package_cycles(all_imports(tmp_path), ["kopdesk.a", "kopdesk.b"]) == [["kopdesk.a", "kopdesk.b", "kopdesk.a"]]


def test_core_reports_and_cli_load_without_qt() -> None:
    """Importing every module of the headless layers loads no Qt (the import graph, not only the source text)."""
    mods = sorted({i.module for i in all_imports(ROOT)
                   if i.module.split(".")[1] in ("models", "reports", "cli", "launcher", "paths", "credits", "logsetup")})
    code = ("import importlib, sys\n"
            f"for m in {mods!r}:\n    importlib.import_module(m)\n"
            "bad = [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))]\n"
            "print(','.join(bad))\nsys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_product_ships_no_test_code() -> None:
    names = {p.stem for p in (ROOT / "kopdesk").rglob("*.py")}
    assert not names & {"stress", "stress_ops", "registry_sample"}
    assert not [i for i in all_imports(ROOT) if i.target.split(".")[0] in ("tests", "bench", "pytest", "hypothesis")]
