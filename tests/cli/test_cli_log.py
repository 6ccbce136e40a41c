"""Every command writes the log; an unexpected failure leaves its traceback there and one Indonesian line on screen.

Each run gets its own KOPDESK_DATA_DIR, so the log read back is that run's alone.
"""

from __future__ import annotations

import logging.handlers
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import kopdesk
from kopdesk import logsetup

ROOT = Path(kopdesk.__file__).resolve().parent.parent


def run(data: Path, *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    """``python main.py ARGS`` (or ``python -c CODE``) run from the data folder, so a crash's core file lands there."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONFAULTHANDLER", "KOPDESK_DATABASE_URL")}
    env["KOPDESK_DATA_DIR"] = str(data)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])])
    data.mkdir(parents=True, exist_ok=True)
    command = [sys.executable, "-c", code] if code is not None else [sys.executable, str(ROOT / "main.py"), *args]
    return subprocess.run(command, cwd=data, env=env, capture_output=True, text=True, timeout=180)


def log_of(data: Path) -> str:
    return (data / "logs" / "kopdesk.log").read_text(encoding="utf-8")


def test_a_command_creates_the_log_with_version_and_masked_database(tmp_path):
    data = tmp_path / "data"
    out = run(data, "--db", str(tmp_path / "a.sqlite"), "db", "info")
    assert out.returncode == 0, out.stderr
    log = log_of(data)
    assert f"KopDesk {kopdesk.__version__} mulai" in log and "perintah: --db" in log
    assert f"basis data: sqlite:///{tmp_path / 'a.sqlite'}" in log

    refused = run(data, "--db", "postgresql://kopdesk:rahasia-sekali@127.0.0.1:1/kantor", "db", "info")
    assert refused.returncode == 2 and refused.stderr.startswith("Galat: Basis data tidak dapat dibuka")
    log = log_of(data)
    assert "postgresql+psycopg://kopdesk:***@127.0.0.1:1/kantor" in log
    assert "rahasia-sekali" not in log


def test_even_help_creates_the_log_and_about_names_its_folder(tmp_path):
    out = run(tmp_path / "data", "--version")
    assert out.returncode == 0
    assert "mulai" in log_of(tmp_path / "data")
    about = run(tmp_path / "data", "--db", str(tmp_path / "d.sqlite"), "about")
    assert about.returncode == 0 and f"Folder log: {tmp_path / 'data' / 'logs'}" in about.stdout


def test_an_unexpected_error_exits_1_with_one_line_and_its_traceback_in_the_log(tmp_path):
    """A damaged schema (a table gone) is no rule of the domain: the command fails unexpectedly."""
    data = tmp_path / "data"
    db = tmp_path / "rusak.sqlite"
    assert run(data, "--db", str(db), "db", "upgrade").returncode == 0
    with sqlite3.connect(db) as conn:
        conn.execute("DROP TABLE rat_record")
    out = run(data, "--db", str(db), "stats", "64.71")
    log_file = data / "logs" / "kopdesk.log"
    assert out.returncode == 1, out.stderr
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("Galat tak terduga (OperationalError") and str(log_file) in lines[0]
    assert "Traceback" not in out.stderr
    log = log_of(data)
    assert "ERROR kopdesk.cli" in log and "perintah stats gagal" in log
    assert "Traceback (most recent call last)" in log and "in _stats" in log and "no such table: rat_record" in log


def test_a_domain_error_exits_2_and_is_not_logged_as_an_error(tmp_path):
    data = tmp_path / "data"
    out = run(data, "--db", str(tmp_path / "b.sqlite"), "stats", "99.99")
    assert out.returncode == 2 and "tidak dikenal" in out.stderr
    log = log_of(data)
    assert "perintah stats ditolak" in log and "tidak dikenal" in log
    assert " ERROR " not in log and " CRITICAL " not in log and "Traceback" not in log


def test_a_windowed_build_without_console_streams_writes_into_the_log(tmp_path):
    """PyInstaller's windowed build on Windows starts with sys.stdout and sys.stderr set to None."""
    data = tmp_path / "data"
    code = (
        "import sys, warnings\n"
        "sys.stdout = sys.stderr = None\n"
        "from kopdesk.launcher import run\n"
        f"status = run(['main.py', '--db', {str(tmp_path / 'c.sqlite')!r}, 'db', 'info'])\n"
        "warnings.warn('kopdesk-uji: peringatan pustaka')\n"
        "sys.stderr.write('sebagian baris ')\n"
        "sys.stderr.flush()\n"
        "assert status == 0\n"
        "raise RuntimeError('kopdesk-uji: tak tertangkap')\n"
    )
    out = run(data, code=code)
    assert out.returncode == 1 and out.stdout == "" and out.stderr == ""
    log = log_of(data)
    assert "INFO kopdesk.stdout" in log and "Revisi" in log  # what `db info` printed
    assert "WARNING kopdesk.stderr" in log and "kopdesk-uji: peringatan pustaka" in log
    assert "sebagian baris" in log
    assert "CRITICAL kopdesk" in log and "RuntimeError: kopdesk-uji: tak tertangkap" in log
    assert log.count("Traceback (most recent call last)") == 1  # not a second time through the stand-in stderr


def test_a_hard_crash_leaves_the_python_stack_in_the_crash_file(tmp_path):
    data = tmp_path / "data"
    code = ("from kopdesk import logsetup\nlogsetup.setup()\n"
            "import faulthandler\n"
            "def crash_here():\n    faulthandler._sigsegv()\n"
            "crash_here()\n")
    out = run(data, code=code)
    assert out.returncode != 0
    dump = (data / "logs" / logsetup.CRASH_FILE_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in dump and "crash_here" in dump


def test_an_exception_in_a_thread_is_logged(tmp_path):
    data = tmp_path / "data"
    code = ("import threading\nfrom kopdesk import logsetup\nlogsetup.setup()\n"
            "def worker_fails():\n    raise ValueError('kopdesk-uji: utas')\n"
            "t = threading.Thread(target=worker_fails, name='uji-utas')\nt.start()\nt.join()\n")
    out = run(data, code=code)
    assert out.returncode == 0
    log = log_of(data)
    assert "kesalahan tak tertangani di utas uji-utas" in log and "in worker_fails" in log
    assert "ValueError: kopdesk-uji: utas" in out.stderr  # a developer's console still shows it


def test_logsetup_loads_without_qt(tmp_path):
    code = ("import sys\nfrom kopdesk import logsetup, launcher\nlogsetup.setup()\n"
            "sys.exit(1 if [m for m in sys.modules if m.startswith(('PySide6', 'shiboken6'))] else 0)\n")
    assert run(tmp_path / "data", code=code).returncode == 0


def test_the_log_rotates_in_utf8(tmp_path, monkeypatch):
    monkeypatch.setenv("KOPDESK_DATA_DIR", str(tmp_path / "data"))
    path = logsetup.setup()
    try:
        handler = next(h for h in logging.getLogger().handlers
                       if isinstance(h, logging.handlers.RotatingFileHandler) and Path(h.baseFilename) == path)
        assert handler.maxBytes == logsetup.MAX_BYTES and handler.backupCount == logsetup.BACKUP_COUNT
        assert handler.encoding == "utf-8"
        handler.maxBytes = 2000
        for i in range(60):
            logging.getLogger("kopdesk.uji").info("baris %d — koperasi Sejahtera Bersama", i)
        assert path.with_name("kopdesk.log.1").exists()
        assert "koperasi Sejahtera Bersama" in path.with_name("kopdesk.log.1").read_text(encoding="utf-8")
    finally:
        monkeypatch.undo()
        logsetup.setup()  # back to the session's log folder


@pytest.mark.parametrize(("raw", "masked"), [
    ("postgresql://kantor:s3cr3t@db.dinas.go.id:5432/kopdesk", "postgresql://kantor:***@db.dinas.go.id:5432/kopdesk"),
    ("postgresql://db/kopdesk?user=kantor&password=s3cr3t", "postgresql://db/kopdesk?user=kantor&password=***"),
    ("C:\\Data\\kopdesk.sqlite", "C:\\Data\\kopdesk.sqlite"),
])
def test_mask_url(raw, masked):
    assert logsetup.mask_url(raw) == masked
