"""The command line: help, version, database selection, users, stats, and clear errors on bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import kopdesk

ROOT = Path(kopdesk.__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None, input: str | None = None) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "main.py", *args], cwd=ROOT, capture_output=True, text=True, env=full_env,
                          input=input, timeout=120)


def test_help_lists_commands_and_version():
    out = run("--help")
    assert out.returncode == 0
    for command in ("demo", "db", "users", "stats"):
        assert command in out.stdout
    version = run("--version")
    assert version.returncode == 0 and kopdesk.__version__ in version.stdout


def test_db_upgrade_users_add_and_stats_on_a_path(tmp_path):
    path = str(tmp_path / "cli.sqlite")
    assert run("--db", path, "db", "upgrade").returncode == 0
    add = run("--db", path, "users", "add", "admin", "--role", "admin", "--name", "Admin Dinas",
              "--password-env", "KD_PW", env={"KD_PW": "rahasia-123"})
    assert add.returncode == 0, add.stderr
    again = run("--db", path, "users", "add", "admin", "--role", "operator", "--password-env", "KD_PW",
                env={"KD_PW": "rahasia-123"})
    assert again.returncode == 2 and "sudah dipakai" in again.stderr
    stats = run("--db", path, "stats", "64.71", "--json")
    assert stats.returncode == 0, stats.stderr
    data = json.loads(stats.stdout)
    assert set(data) >= {"region", "registered", "by_status", "by_jenis", "by_child_region", "rat_held", "certified"}
    assert data["region"]["name"] == "Kota Balikpapan" and len(data["by_child_region"]) == 6


def test_database_from_environment_variable(tmp_path):
    path = str(tmp_path / "env.sqlite")
    out = run("db", "info", env={"KOPDESK_DATABASE_URL": path})
    assert out.returncode == 0 and path in out.stdout


def test_bad_input_exits_non_zero_with_indonesian_message(tmp_path):
    path = str(tmp_path / "bad.sqlite")
    unknown = run("--db", path, "stats", "99.99")
    assert unknown.returncode == 2 and "tidak dikenal" in unknown.stderr
    bad_date = run("--db", path, "stats", "64", "--as-of", "kemarin")
    assert bad_date.returncode == 2 and "tidak valid" in bad_date.stderr
    foreign = tmp_path / "foreign.txt"
    foreign.write_text("bukan basis data")
    refused = run("--db", str(foreign), "db", "info")
    assert refused.returncode == 2 and "bukan basis data KopDesk" in refused.stderr


def test_demo_flag_uses_a_separate_file_unless_a_database_is_named(monkeypatch):
    from kopdesk import cli
    from kopdesk.paths import default_database_path, demo_database_path
    from kopdesk.ui.app import database_url_for

    monkeypatch.delenv("KOPDESK_DATABASE_URL", raising=False)
    assert database_url_for(cli.parse(["--demo"])) == str(demo_database_path())
    assert demo_database_path() != default_database_path()
    assert database_url_for(cli.parse([])) is None  # the office's own file
    assert database_url_for(cli.parse(["--demo", "--db", "/tmp/x.sqlite"])) == "/tmp/x.sqlite"
    monkeypatch.setenv("KOPDESK_DATABASE_URL", "postgresql://u@h/kopdesk")
    assert database_url_for(cli.parse(["--demo"])) is None  # the named server, filled when empty
