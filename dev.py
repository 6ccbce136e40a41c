#!/usr/bin/env python3
"""Set everything up and run kopdesk or its tests, with one command (no other tool needed but Python 3.11+).

    python3 dev.py run [--demo] [-- app arguments]   set up .venv, then start the application
    python3 dev.py test [pytest arguments]            set up .venv, then lint (ruff, mypy) and run the whole test suite
    python3 dev.py bench NAME                         set up .venv, then run bench/NAME.py

Setting up means: a virtual environment in .venv (or $KOPDESK_VENV) with the pinned requirements, reinstalled
only when a requirements file changed; on Debian/Ubuntu the system libraries Qt and the PDF checks need are
installed with apt-get when they are missing.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("KOPDESK_VENV", ROOT / ".venv"))
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")

APT_PACKAGES = [
    "libegl1", "libgl1", "libglib2.0-0", "libfontconfig1", "libdbus-1-3", "libxkbcommon0", "libxkbcommon-x11-0",
    "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-shm0", "libxcb-sync1", "libxcb-xfixes0", "libxcb-xkb1",
    "fonts-dejavu-core", "poppler-utils",
]
# Only the tests need these (the installer checks); under CI=true a test that skips for a missing tool fails.
TEST_APT_PACKAGES = ["nsis", "desktop-file-utils"]

# Lint before the tests, so CI fails on a new violation (configuration in pyproject.toml).
LINT_STEPS = [
    ["ruff", "check", "--quiet", "kopdesk", "tests", "bench", "installer", "main.py", "dev.py"],
]


def say(text: str) -> None:
    print(f"[kopdesk] {text}", flush=True)


def ensure_system_packages(packages: list[str]) -> None:
    """On Debian/Ubuntu install the missing ones of ``packages`` (what Qt, pdftoppm and the tests need)."""
    if not sys.platform.startswith("linux") or not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        return
    missing = []
    for pkg in packages:
        r = subprocess.run(["dpkg-query", "-W", "-f=${Status}", pkg], capture_output=True, text=True)
        if "install ok installed" not in r.stdout:
            missing.append(pkg)
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else (["sudo"] if shutil.which("sudo") else None)
    if sudo is None:
        say("Paket sistem belum terpasang (jalankan sebagai root): apt-get install " + " ".join(missing))
        return
    say("Memasang paket sistem: " + " ".join(missing))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run([*sudo, "apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run([*sudo, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing], check=True, env=env)


def ensure_venv(requirements: str) -> None:
    """Create .venv and install the pinned requirements when they changed since the last install."""
    if not PY.exists():
        say(f"Membuat lingkungan Python di {VENV}")
        venv.EnvBuilder(with_pip=True).create(VENV)
    files = [ROOT / requirements] + [ROOT / f for f in ("requirements.txt",) if f != requirements]
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in files if p.exists())).hexdigest()
    stamp = VENV / f".installed-{requirements}"
    if stamp.exists() and stamp.read_text() == digest:
        return
    say(f"Memasang paket Python dari {requirements}")
    env = {**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "--upgrade", "pip"], check=True, env=env)
    subprocess.run([str(PY), "-m", "pip", "install", "-q", "-r", str(ROOT / requirements)], check=True, env=env)
    stamp.write_text(digest)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "bench"):
        print(__doc__)
        return 2
    command, rest = argv[0], argv[1:]
    ensure_system_packages(APT_PACKAGES + (TEST_APT_PACKAGES if command == "test" else []))
    ensure_venv("requirements.txt" if command == "run" else "requirements-dev.txt")
    if command == "run":
        if rest and rest[0] == "--":
            rest = rest[1:]
        return subprocess.call([str(PY), str(ROOT / "main.py"), *rest], cwd=ROOT)
    if command == "bench":
        if not rest:
            print("Benchmark: " + ", ".join(p.stem for p in sorted((ROOT / "bench").glob("*.py"))))
            return 2
        return subprocess.call([str(PY), str(ROOT / "bench" / f"{rest[0]}.py"), *rest[1:]], cwd=ROOT)
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    if "--no-lint" in rest:
        rest = [a for a in rest if a != "--no-lint"]
    else:
        for step in LINT_STEPS:
            say("Memeriksa: " + " ".join(step))
            if subprocess.call([str(PY), "-m", *step], cwd=ROOT, env=env) != 0:
                say("Pemeriksaan gagal: perbaiki temuan di atas (atau jalankan tes saja dengan --no-lint).")
                return 1
    code = subprocess.call([str(PY), "-m", "pytest", "-p", "no:cacheprovider", *rest], cwd=ROOT, env=env)
    if code == 5:
        say("Tidak ada tes yang dijalankan.")
        return 1
    return code


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
