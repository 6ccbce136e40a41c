#!/usr/bin/env bash
# CI step for the installer (issue 8): build the frozen Linux bundle, .tar.gz and .deb, smoke-test the frozen
# executable, and compile the NSIS script against a stand-in payload.
#
#   bash .ci/installer.sh [VENV]        VENV: where to install requirements.txt + requirements-build.txt
#                                       (default /tmp/kopdesk-build-venv; reused when the requirements are unchanged)
# About 1-2 minutes with warm package caches (PyInstaller ~25-45 s, archives ~10 s with --fast).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive PIP_DISABLE_PIP_VERSION_CHECK=1
VENV="${1:-${VENV:-/tmp/kopdesk-build-venv}}"
started=$(date +%s)

echo "== installer: system packages"
missing=()
command -v makensis >/dev/null 2>&1 || missing+=(nsis)
command -v objdump >/dev/null 2>&1 || missing+=(binutils)
command -v dpkg-deb >/dev/null 2>&1 || missing+=(dpkg-dev)
if [ ${#missing[@]} -gt 0 ]; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

echo "== installer: build environment $VENV"
PYTHON=$(command -v python3.11 || command -v python3)
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
stamp="$VENV/.installed-build"
digest=$(cat requirements.txt requirements-build.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  "$VENV/bin/pip" install -q -r requirements.txt -r requirements-build.txt
  echo "$digest" > "$stamp"
fi

echo "== installer: bundle, .tar.gz, .deb"
"$VENV/bin/python" installer/build.py --fast

echo "== installer: smoke test of the frozen executable"
EXE=dist/KopDesk/kopdesk
tmp=$(mktemp -d /tmp/kopdesk-smoke.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
export KOPDESK_DATA_DIR="$tmp/data" QT_QPA_PLATFORM=offscreen
want="KopDesk $("$VENV/bin/python" -c 'import kopdesk; print(kopdesk.__version__)')"
got=$("$EXE" --version)
[ "$got" = "$want" ] || { echo "--version printed '$got', expected '$want'"; exit 1; }
echo "--version: $got"
"$EXE" --db "$tmp/upgrade.sqlite" db upgrade
"$EXE" --db "$tmp/demo.sqlite" demo
echo "demo: exit 0"
"$EXE" --db "$tmp/licences.sqlite" about >"$tmp/about.txt"
grep -q "SIL Open Font License" "$tmp/about.txt" || { echo "about: font licence missing"; cat "$tmp/about.txt"; exit 1; }
grep -q "PySide6" "$tmp/about.txt" || { echo "about: PySide6 missing from the licences"; exit 1; }
echo "about: licences listed ($(grep -c . "$tmp/about.txt") lines)"
KOPDESK_SMOKE_TEST=500 timeout 60 "$EXE" --db "$tmp/window.sqlite" 2> >(grep -v propagateSizeHints >&2)
echo "main window: opened offscreen and closed"
if command -v xvfb-run >/dev/null 2>&1; then
  KOPDESK_SMOKE_TEST=500 QT_QPA_PLATFORM=xcb timeout 60 xvfb-run -a -s "-screen 0 1280x800x24" \
    "$EXE" --db "$tmp/window-xcb.sqlite"
  echo "main window: opened under Xvfb (xcb) and closed"
fi
deb=$(ls dist/kopdesk_*_*.deb)
dpkg-deb -x "$deb" "$tmp/deb"
got=$("$tmp/deb/opt/kopdesk/kopdesk" --version)
[ "$got" = "$want" ] || { echo "the .deb's program printed '$got'"; exit 1; }
echo "deb: $(basename "$deb") unpacks and runs ($got)"

echo "== installer: NSIS script (stand-in payload)"
"$VENV/bin/python" installer/build.py --nsis-check
echo "== installer: done in $(( $(date +%s) - started )) s"
