#!/usr/bin/env python3
"""Build KopDesk for distribution, offline, with the Python that has requirements.txt + requirements-build.txt.

    python installer/build.py                 bundle dist/KopDesk/ (PyInstaller), then on Linux the .tar.gz and .deb
    python installer/build.py --no-bundle     reuse dist/KopDesk/, only package it again
    python installer/build.py --nsis          (Windows, or Linux for a check) also compile the NSIS installer
                                              around dist/KopDesk/ into dist/KopDesk-Setup-<version>.exe
    python installer/build.py --nsis-check    compile the NSIS script around a stand-in payload (CI on Linux)
    python installer/build.py --fast          gzip level 1 for the archives (CI: faster, a little larger)

Outputs in dist/: KopDesk/ (the one-folder bundle), KopDesk-<version>-linux-x86_64.tar.gz,
kopdesk_<version>_amd64.deb, KopDesk-Setup-<version>.exe. Prints the sizes at the end.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kopdesk import APP_NAME, __version__  # noqa: E402

DIST = ROOT / "dist"
WORK = ROOT / "build"
BUNDLE = DIST / APP_NAME
NSI = ROOT / "installer" / "kopdesk.nsi"

DEB_DEPENDS = [
    # What the bundled Qt (xcb and offscreen platforms) links from the system; glibc >= 2.34 for the wheels.
    "libc6 (>= 2.34)", "libegl1", "libgl1", "libfontconfig1", "libfreetype6", "libglib2.0-0", "libdbus-1-3",
    "libxkbcommon0", "libxkbcommon-x11-0", "libx11-xcb1", "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0",
    "libxcb-keysyms1", "libxcb-randr0", "libxcb-render-util0", "libxcb-shape0", "libxcb-xfixes0", "libxcb-xkb1",
]

DESKTOP_ENTRY = f"""[Desktop Entry]
Type=Application
Version=1.0
Name={APP_NAME}
GenericName=Registri Koperasi
GenericName[en]=Cooperative registry
Comment=Registri koperasi, RAT, teguran, sertifikat dan laporan Dinas Koperasi
Comment[en]=Cooperative registry, annual meetings, letters, certificates and reports
Exec=/opt/kopdesk/kopdesk %F
TryExec=/opt/kopdesk/kopdesk
Icon=kopdesk
Terminal=false
Categories=Office;Database;
Keywords=koperasi;dinas;RAT;registri;
StartupWMClass=kopdesk
"""


def say(text: str) -> None:
    print(f"[build] {text}", flush=True)


def human(n: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit in ("B", "KB") else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GB"


def tree_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def bundle() -> None:
    """PyInstaller one-folder build into dist/KopDesk/."""
    say(f"PyInstaller: {APP_NAME} {__version__}")
    subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
                    "--distpath", str(DIST), "--workpath", str(WORK / "pyinstaller"),
                    str(ROOT / "installer" / "kopdesk.spec")], check=True, cwd=ROOT)


def check_libraries() -> None:
    """Every library a bundled ELF file needs is in the bundle or one PyInstaller leaves to the system.

    Catches a plugin whose dependencies could not be collected (it would fail, or load a mismatched system copy,
    on the clerk's PC). Linux only; needs objdump (binutils), which PyInstaller needs anyway.
    """
    from PyInstaller.depend.dylib import include_library

    files = [p for p in BUNDLE.rglob("*.so*") if p.is_file()] + [BUNDLE / "kopdesk"]
    present = {p.name for p in BUNDLE.rglob("*.so*")}
    missing: dict[str, list[str]] = {}
    for path in files:
        dump = subprocess.run(["objdump", "-p", str(path)], capture_output=True, text=True).stdout
        for needed in (line.split()[1] for line in dump.splitlines() if line.strip().startswith("NEEDED")):
            if needed not in present and include_library(needed) and not needed.startswith("ld-linux"):
                missing.setdefault(needed, []).append(str(path.relative_to(BUNDLE)))
    if missing:
        for lib, users in sorted(missing.items()):
            say(f"missing {lib}, needed by {', '.join(users[:3])}")
        raise SystemExit("The bundle lacks libraries its files need (see above).")
    say(f"libraries: {len(files)} ELF files, every needed library bundled or left to the system")


def tarball(level: int) -> Path:
    """dist/KopDesk-<version>-linux-<arch>.tar.gz with the folder KopDesk/ inside."""
    out = DIST / f"{APP_NAME}-{__version__}-linux-{platform.machine()}.tar.gz"
    say(f"tar.gz: {out.name}")
    out.unlink(missing_ok=True)
    subprocess.run(["tar", "--owner=0", "--group=0", "-I", f"gzip -{level}", "-cf", str(out), "-C", str(DIST),
                    APP_NAME], check=True)
    return out


def _copy_tree_linked(src: Path, dst: Path) -> None:
    """Copy a tree by hard links where possible (fast, no extra space), else by copying."""
    def link_or_copy(s: str, d: str) -> None:
        try:
            os.link(s, d)
        except OSError:
            shutil.copy2(s, d)
    shutil.copytree(src, dst, symlinks=True, copy_function=link_or_copy)


def deb(level: int) -> Path:
    """dist/kopdesk_<version>_<arch>.deb: /opt/kopdesk, /usr/bin/kopdesk, the menu entry and the icon."""
    arch = subprocess.run(["dpkg", "--print-architecture"], capture_output=True, text=True,
                          check=True).stdout.strip()
    out = DIST / f"kopdesk_{__version__}_{arch}.deb"
    say(f"deb: {out.name}")
    root = WORK / "debroot"
    shutil.rmtree(root, ignore_errors=True)
    _copy_tree_linked(BUNDLE, root / "opt" / "kopdesk")
    (root / "usr" / "bin").mkdir(parents=True)
    (root / "usr" / "bin" / "kopdesk").symlink_to("/opt/kopdesk/kopdesk")
    apps = root / "usr" / "share" / "applications"
    apps.mkdir(parents=True)
    (apps / "kopdesk.desktop").write_text(DESKTOP_ENTRY, encoding="utf-8")
    icons = root / "usr" / "share" / "icons" / "hicolor"
    for sub, name in (("256x256", "kopdesk.png"), ("scalable", "kopdesk.svg")):
        (icons / sub / "apps").mkdir(parents=True)
        shutil.copy2(ROOT / "resources" / "icons" / name, icons / sub / "apps" / name)
    doc = root / "usr" / "share" / "doc" / "kopdesk"
    doc.mkdir(parents=True)
    (doc / "copyright").write_text(
        "KopDesk bundles third-party fonts and libraries; their licences are in /opt/kopdesk/_internal/resources/"
        "licenses, /opt/kopdesk/_internal/resources/fonts and the *.dist-info folders, and are listed in the "
        "application under Bantuan > Tentang KopDesk.\n", encoding="utf-8")
    installed_kb = tree_size(root) // 1024
    (root / "DEBIAN").mkdir()
    (root / "DEBIAN" / "control").write_text(
        f"Package: kopdesk\n"
        f"Version: {__version__}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: KopDesk <kopdesk@localhost>\n"
        f"Installed-Size: {installed_kb}\n"
        f"Depends: {', '.join(DEB_DEPENDS)}\n"
        f"Section: misc\n"
        f"Priority: optional\n"
        f"Description: Registri koperasi untuk Dinas Koperasi\n"
        f" KopDesk keeps the registry of cooperatives of a Dinas Koperasi: legal identity, board, members,\n"
        f" RAT compliance, field updates, health assessments, warning letters, certificates and reports.\n"
        f" The user's database stays in ~/.local/share/kopdesk across upgrades and removal.\n",
        encoding="utf-8")
    out.unlink(missing_ok=True)
    subprocess.run(["dpkg-deb", "--build", "--root-owner-group", "-Zgzip", f"-z{level}", str(root), str(out)],
                   check=True, stdout=subprocess.DEVNULL)
    shutil.rmtree(root, ignore_errors=True)
    return out


def stand_in_payload() -> Path:
    """A tiny tree shaped like the Windows bundle, so that makensis can check the script on Linux."""
    payload = WORK / "nsis-payload" / APP_NAME
    shutil.rmtree(payload.parent, ignore_errors=True)
    (payload / "_internal").mkdir(parents=True)
    for exe in (f"{APP_NAME}.exe", "kopdesk-cli.exe"):
        (payload / exe).write_bytes(b"MZ stand-in for the Windows-built bundle\n")
    (payload / "_internal" / "README.txt").write_text("stand-in payload\n", encoding="utf-8")
    return payload


def nsis(payload: Path) -> Path:
    """Compile installer/kopdesk.nsi around ``payload`` into dist/KopDesk-Setup-<version>.exe."""
    makensis = shutil.which("makensis")
    if makensis is None:
        raise SystemExit("makensis tidak ditemukan: apt-get install nsis (Linux) atau pasang NSIS 3 (Windows).")
    DIST.mkdir(exist_ok=True)
    out = DIST / f"{APP_NAME}-Setup-{__version__}.exe"
    say(f"NSIS: {out.name} around {payload}")
    flag = "/" if os.name == "nt" else "-"
    subprocess.run([makensis, f"{flag}V2", f"{flag}DVERSION={__version__}", f"{flag}DPAYLOAD={payload}",
                    f"{flag}DOUTFILE={out}", str(NSI)], check=True)
    with open(out, "rb") as fh:
        if fh.read(2) != b"MZ":
            raise SystemExit(f"{out} is not a Windows executable")
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-bundle", action="store_true", help="reuse dist/KopDesk/")
    parser.add_argument("--no-packages", action="store_true", help="no .tar.gz/.deb")
    parser.add_argument("--nsis", action="store_true", help="compile the NSIS installer around dist/KopDesk/")
    parser.add_argument("--nsis-check", action="store_true", help="compile the NSIS script around a stand-in")
    parser.add_argument("--fast", action="store_true", help="gzip level 1 for the archives")
    args = parser.parse_args(argv)
    level = 1 if args.fast else 6
    timings: list[tuple[str, float, Path]] = []

    def step(name: str, fn, *a) -> Path | None:  # type: ignore[no-untyped-def]
        started = time.perf_counter()
        result = fn(*a)
        timings.append((name, time.perf_counter() - started, result if isinstance(result, Path) else BUNDLE))
        return result

    if not args.no_bundle and not args.nsis_check:
        step("bundle", bundle)
    linux = sys.platform.startswith("linux")
    if linux and not args.nsis_check and BUNDLE.is_dir():
        check_libraries()
    if linux and not args.no_packages and not args.nsis_check:
        if not BUNDLE.is_dir():
            raise SystemExit(f"{BUNDLE} belum ada: jalankan tanpa --no-bundle.")
        step("tar.gz", tarball, level)
        if shutil.which("dpkg-deb"):
            step("deb", deb, level)
        else:
            say("dpkg-deb tidak ada: .deb dilewati (apt-get install dpkg-dev)")
    if args.nsis:
        step("nsis", nsis, BUNDLE)
    if args.nsis_check:
        step("nsis (stand-in)", nsis, stand_in_payload())

    for name, seconds, path in timings:
        size = tree_size(path) if path.is_dir() else path.stat().st_size
        say(f"{name:16s} {seconds:6.1f} s  {human(size):>9s}  {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
