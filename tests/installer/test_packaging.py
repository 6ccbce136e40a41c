"""The NSIS script and the Linux packages: version from kopdesk/__init__.py, languages, shortcuts, user data kept."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from kopdesk import __version__

ROOT = Path(__file__).resolve().parents[2]
NSI = ROOT / "installer" / "kopdesk.nsi"


def test_nsis_default_version_is_the_package_version():
    text = NSI.read_text(encoding="utf-8")
    match = re.search(r'!ifndef VERSION\s+!define VERSION "([^"]+)"', text)
    assert match, "kopdesk.nsi must define a default VERSION"
    assert match.group(1) == __version__, "update !define VERSION in installer/kopdesk.nsi"
    assert "KopDesk-Setup-${VERSION}.exe" in text


def test_nsis_script_has_languages_shortcuts_and_keeps_user_data():
    text = NSI.read_text(encoding="utf-8")
    assert '!insertmacro MUI_LANGUAGE "Indonesian"' in text and '!insertmacro MUI_LANGUAGE "English"' in text
    assert 'CreateShortcut "$SMPROGRAMS\\${APPNAME}\\${APPNAME}.lnk"' in text
    assert 'CreateShortcut "$DESKTOP\\${APPNAME}.lnk"' in text
    assert 'WriteUninstaller "$INSTDIR\\uninstall.exe"' in text
    removals = [line.strip() for line in text.splitlines() if re.match(r"\s*(RMDir|Delete)\b", line)]
    assert removals
    # Never the user's data folder, and never the install folder recursively (it could be a shared folder).
    assert not [r for r in removals if "APPDATA" in r.upper() or "PROFILE" in r.upper()]
    assert 'RMDir /r "$INSTDIR"' not in removals


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis not installed (apt-get install nsis)")
def test_nsis_compiles_around_a_stand_in_payload(build_module, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(build_module, "DIST", tmp_path / "dist")
    monkeypatch.setattr(build_module, "WORK", tmp_path / "build")
    out = build_module.nsis(build_module.stand_in_payload())
    assert out.name == f"KopDesk-Setup-{__version__}.exe"
    data = out.read_bytes()
    assert data[:2] == b"MZ" and b"Nullsoft" in data


needs_dpkg_deb = pytest.mark.skipif(shutil.which("dpkg-deb") is None, reason="dpkg-deb not installed")


@pytest.fixture
def deb(build_module, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The .deb built around a stand-in bundle."""
    bundle = tmp_path / "dist" / "KopDesk"
    (bundle / "_internal").mkdir(parents=True)
    (bundle / "kopdesk").write_text("#!/bin/sh\necho KopDesk stand-in\n", encoding="utf-8")
    (bundle / "kopdesk").chmod(0o755)
    monkeypatch.setattr(build_module, "DIST", tmp_path / "dist")
    monkeypatch.setattr(build_module, "WORK", tmp_path / "build")
    monkeypatch.setattr(build_module, "BUNDLE", bundle)
    return build_module.deb(1)


def _extracted_desktop_file(deb: Path, tmp_path: Path) -> Path:
    extracted = tmp_path / "x"
    subprocess.run(["dpkg-deb", "-x", str(deb), str(extracted)], check=True)
    return extracted / "usr/share/applications/kopdesk.desktop"


@needs_dpkg_deb
def test_deb_has_program_menu_entry_and_icon(deb: Path, tmp_path: Path):
    listing = subprocess.run(["dpkg-deb", "-c", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./opt/kopdesk/kopdesk", "./usr/share/applications/kopdesk.desktop",
                 "./usr/share/icons/hicolor/256x256/apps/kopdesk.png", "./usr/share/icons/hicolor/scalable/apps/kopdesk.svg",
                 "./usr/bin/kopdesk -> /opt/kopdesk/kopdesk"):
        assert path in listing, path
    assert subprocess.run(["dpkg-deb", "-f", str(deb), "Version"], capture_output=True, text=True,
                          check=True).stdout.strip() == __version__
    desktop = _extracted_desktop_file(deb, tmp_path).read_text(encoding="utf-8")
    assert "Exec=/opt/kopdesk/kopdesk" in desktop and "Icon=kopdesk" in desktop


@needs_dpkg_deb
@pytest.mark.skipif(shutil.which("desktop-file-validate") is None,
                    reason="desktop-file-validate not installed (apt-get install desktop-file-utils)")
def test_deb_desktop_entry_is_valid(deb: Path, tmp_path: Path):
    check = subprocess.run(["desktop-file-validate", str(_extracted_desktop_file(deb, tmp_path))],
                           capture_output=True, text=True)
    assert check.returncode == 0 and not check.stdout.strip(), check.stdout + check.stderr
