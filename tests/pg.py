"""A real PostgreSQL for tests: KOPDESK_TEST_POSTGRES_URL, the local server, or a throwaway cluster.

Where none answers the tests skip with the reason, except under CI=true, where that is a failure.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator

DEFAULT_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def _answers(url: str) -> bool:
    from sqlalchemy import create_engine, text

    try:
        eng = create_engine(url, connect_args={"connect_timeout": 3})
        with eng.connect() as conn:
            conn.execute(text("SELECT 1"))
        eng.dispose()
        return True
    except Exception:
        return False


def _bindir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    if found:
        return os.path.dirname(found[-1])
    p = shutil.which("pg_ctl")
    return os.path.dirname(p) if p else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """initdb + pg_ctl on a free port under /tmp (toolchain.md §1); removed afterwards."""
    bindir = _bindir()
    if bindir is None:
        raise RuntimeError("pg_ctl tidak ditemukan (apt-get install postgresql)")
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    tmp = tempfile.mkdtemp(prefix="kopdesk-pg-")
    if prefix:
        shutil.chown(tmp, "postgres", "postgres")
    data, port = os.path.join(tmp, "data"), _free_port()

    def run(*args: str) -> None:
        subprocess.run(prefix + list(args), check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    run(f"{bindir}/initdb", "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync")
    opts = (f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={tmp} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    run(f"{bindir}/pg_ctl", "-D", data, "-l", os.path.join(tmp, "log"), "-o", opts, "-w", "-t", "60", "start")
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(f"{bindir}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(tmp, ignore_errors=True)


@contextlib.contextmanager
def server_url() -> Iterator[str | None]:
    """The admin URL of a PostgreSQL server that answers, or None."""
    url = os.environ.get("KOPDESK_TEST_POSTGRES_URL")
    if url:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://"):]
        yield url if _answers(url) else None
        return
    if _answers(DEFAULT_URL):
        yield DEFAULT_URL
        return
    if _bindir() is not None:
        try:
            with throwaway_cluster() as url:
                yield url
                return
        except (subprocess.CalledProcessError, RuntimeError, OSError):
            pass
    yield None


def create_database(admin_url: str, prefix: str = "kopdesk_test") -> str:
    """A new empty database on the server; returns its URL."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    eng.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = make_url(url).database
    eng = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with eng.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    eng.dispose()
