"""An import killed with SIGKILL while its write transaction is open leaves the database exactly as before."""

from __future__ import annotations

import os
import pty
import select as sel
import signal
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest

from kopdesk.models.services.exchange import ods_import
from tests.reliability.fingerprint import fingerprint

ROOT = Path(__file__).resolve().parents[2]
ROWS = 12_000  # more than one write batch (5 000), so the kill lands between two batches of one transaction


def big_workbook(path: Path, rows: int = ROWS) -> Path:
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(["Nama Koperasi", "NIK", "Nomor Badan Hukum", "Tanggal Badan Hukum", "Alamat", "Kabupaten",
               "Kecamatan", "Jenis", "Status"])
    for i in range(rows):
        nik = f"6571017{i:09d}"
        ws.append([f"Koperasi Besar {i}", nik, f"{nik}/BH/2010", "14/07/2010", f"Jl. Besar {i}", "Kota Tarakan",
                   "Tarakan Barat", "Konsumen", "Aktif"])
    wb.save(path)
    return path


def kill_while_saving(url: str, path: Path, timeout: float = 240) -> str:
    """Run the command-line import under a terminal (so it reports progress) and SIGKILL it once it is saving."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "--db", url, "import", "ods", str(path)],
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=slave, env=env, cwd=ROOT)
    os.close(slave)
    seen = ""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = sel.select([master], [], [], 0.5)
            if ready:
                try:
                    seen += os.read(master, 4096).decode(errors="replace")
                except OSError:
                    break
            # The first batch is written and the transaction is still open: kill now.
            if "Menyimpan koperasi baru" in seen and "5000/" in seen.split("Menyimpan koperasi baru")[-1]:
                proc.send_signal(signal.SIGKILL)
                break
            if proc.poll() is not None:
                break
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    assert proc.returncode == -signal.SIGKILL, f"the import ended before it was killed: {seen[-500:]}"
    return seen


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_import_killed_halfway_leaves_the_database_as_before(backend, request, tmp_path):
    db = request.getfixturevalue("sqlite_db" if backend == "sqlite" else "pg_db")
    from tests.conftest import make_user

    make_user(db, "admin", "admin")
    # Something already there, so "as before" is not "empty": a first small import through the same command.
    small = tmp_path / "kecil.xlsx"
    from tests.support.stress_ops import write_workbook

    write_workbook(small, [(f"Koperasi Awal {i}", f"65710160000000{i:02d}") for i in range(5)])
    url = db.url.render_as_string(hide_password=False)
    from kopdesk.models.services.administration.auth import Actor

    ods_import.import_file(db, Actor.system(), small)
    before = fingerprint(db)
    assert before["cooperative"] == 5
    big = big_workbook(tmp_path / "besar.xlsx")
    db.dispose()
    seen = kill_while_saving(url, big)
    assert "Menyimpan koperasi baru" in seen
    after = fingerprint(db)
    assert after == before
    # And the database still works: the same import, run to the end, saves every row.
    _, result = ods_import.import_file(db, Actor.system(), big)
    assert result is not None and result.created == ROWS
