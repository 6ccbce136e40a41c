"""Resources are found through kopdesk.paths in development and in a frozen (PyInstaller) build."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from kopdesk import paths

ROOT = Path(__file__).resolve().parents[2]


def test_resources_resolve_in_development():
    assert paths.resources_dir() == ROOT / "resources"
    assert paths.resource("fonts", "LiberationSans-Regular.ttf").is_file()
    for name in ("kopdesk.svg", "kopdesk.png", "kopdesk.ico"):
        assert paths.resource("icons", name).is_file(), name
    assert (paths.migrations_dir() / "env.py").is_file()
    assert list((paths.migrations_dir() / "versions").glob("0001_*.py"))
    assert paths.bundle_dir() is None


def _frozen(code: str, *, meipass: Path | None, executable: Path | None = None) -> dict:
    """Run ``code`` in a fresh interpreter that looks like a PyInstaller build; it prints JSON."""
    prelude = "import sys\nsys.frozen = True\n"
    if meipass is not None:
        prelude += f"sys._MEIPASS = {str(meipass)!r}\n"
    if executable is not None:
        prelude += f"sys.executable = {str(executable)!r}\n"
    result = subprocess.run([sys.executable, "-c", prelude + code], cwd=ROOT, capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_frozen_paths_follow_meipass(tmp_path: Path):
    out = _frozen("import json\nfrom kopdesk import paths\n"
                  "print(json.dumps({'res': str(paths.resources_dir()), 'mig': str(paths.migrations_dir()),"
                  " 'font': str(paths.resource('fonts', 'x.ttf'))}))", meipass=tmp_path)
    assert out == {"res": str(tmp_path / "resources"), "mig": str(tmp_path / "kopdesk" / "models" / "migrations"),
                   "font": str(tmp_path / "resources" / "fonts" / "x.ttf")}


def test_frozen_without_meipass_uses_internal_beside_the_executable(tmp_path: Path):
    (tmp_path / "_internal").mkdir()
    out = _frozen("import json\nfrom kopdesk import paths\nprint(json.dumps({'res': str(paths.resources_dir())}))",
                  meipass=None, executable=tmp_path / "kopdesk")
    assert out == {"res": str(tmp_path / "_internal" / "resources")}


def test_frozen_layout_migrates_a_database(tmp_path: Path):
    """The migrations shipped as data files (as the spec collects them) bring a new database to head."""
    bundle = tmp_path / "bundle"
    shutil.copytree(ROOT / "kopdesk" / "models" / "migrations", bundle / "kopdesk" / "models" / "migrations",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "resources", bundle / "resources")
    shutil.copy2(ROOT / "requirements.txt", bundle / "requirements.txt")
    db_path = tmp_path / "frozen.sqlite"
    out = _frozen(
        "import json\nfrom kopdesk.models.db import Database\nfrom kopdesk.models import migrate\n"
        "from kopdesk.credits import font_credits, requirements_file\n"
        f"db = Database.open({str(db_path)!r}, seed=False)\n"
        "print(json.dumps({'rev': migrate.current_revision(db.engine), 'head': migrate.head_revision(),"
        " 'where': str(migrate.alembic_config().get_main_option('script_location')),"
        " 'fonts': [c.licence for c in font_credits()], 'reqs': str(requirements_file())}))",
        meipass=bundle)
    assert out["where"] == str(bundle / "kopdesk" / "models" / "migrations")
    assert out["rev"] == out["head"] and out["head"]
    assert "SIL Open Font License 1.1" in out["fonts"]
    assert out["reqs"] == str(bundle / "requirements.txt")
