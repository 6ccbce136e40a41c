"""``python main.py demo`` and ``demo --national`` end to end, and the refusal of a filled database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import kopdesk

ROOT = Path(kopdesk.__file__).resolve().parent.parent


def run(*args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ})


def test_demo_command_fills_once_then_refuses(tmp_path):
    path = str(tmp_path / "demo.sqlite")
    out = run("--db", path, "demo")
    assert out.returncode == 0, out.stderr
    assert "1641 koperasi" in out.stdout and "kopdesk123" in out.stdout
    again = run("--db", path, "demo")
    assert again.returncode == 2 and "sudah berisi 1641 koperasi" in again.stderr
    stats = run("--db", path, "stats", "64.71", "--book-year", "2023")
    assert stats.returncode == 0 and "Terdaftar            : 587" in stats.stdout


def test_demo_national_command(tmp_path):
    path = str(tmp_path / "national.sqlite")
    out = run("--db", path, "demo", "--national", "--count", "1500")
    assert out.returncode == 0, out.stderr
    assert "1500 koperasi di seluruh provinsi" in out.stdout
    stats = run("--db", path, "stats", "33", "--json")
    assert stats.returncode == 0, stats.stderr
    assert '"registered": ' in stats.stdout
