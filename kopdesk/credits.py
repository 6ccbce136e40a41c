"""Who made what KopDesk ships: the bundled fonts and libraries with their licences (Qt-free).

Used by the About dialog and by the installer build (which copies the package metadata, licence files included,
into the bundle so that the same lists work when frozen). Full texts the packages do not carry themselves (Qt's
LGPL, the Python licence) live in ``resources/licenses/``.
"""

from __future__ import annotations

import importlib.metadata as md
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from kopdesk.paths import bundle_dir, resource


def requirements_file() -> Path:
    """requirements.txt: beside the package in development, at the bundle's root when frozen (the spec puts it there)."""
    bundle = bundle_dir()
    return (bundle if bundle is not None else Path(__file__).resolve().parent.parent) / "requirements.txt"


def root_requirements() -> list[tuple[str, tuple[str, ...]]]:
    """(name, extras) of each distribution requirements.txt pins, e.g. ("psycopg", ("binary",))."""
    path = requirements_file()
    if not path.exists():
        return []
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.match(r"([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?", line)
        if match and not line.startswith("-"):
            extras = tuple(e.strip().lower() for e in (match.group(2) or "").split(",") if e.strip())
            found.append((_normal(match.group(1)), extras))
    return found


def root_distributions() -> list[str]:
    """The distribution names requirements.txt pins; their dependencies are found through the metadata."""
    return [name for name, _extras in root_requirements()]


# Full licence texts in resources/licenses/ for distributions whose wheels carry none.
EXTRA_LICENCE_FILES = {
    "pyside6-essentials": "LGPL-3.0.txt", "pyside6-pdf": "LGPL-3.0.txt", "shiboken6": "LGPL-3.0.txt",
}

_LICENCE_FILE = re.compile(r"(LICEN[CS]E|COPYING|NOTICE)", re.I)


@dataclass(frozen=True)
class Credit:
    """One bundled component: its name, version, licence (short) and where its full licence text is."""

    name: str
    version: str
    licence: str
    texts: tuple[Path, ...] = ()


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _licence_of(meta: md.PackageMetadata) -> str:
    expression = meta.get("License-Expression")
    if expression:
        return expression
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in (meta.get_all("Classifier") or [])
                   if c.startswith("License ::") and "OSI Approved" in c]
    if classifiers:
        return " / ".join(classifiers)
    text = (meta.get("License") or "").strip().splitlines()
    return text[0][:60] if text else "tidak diketahui"


def _requirement_names(dist: md.Distribution, extras: tuple[str, ...] = ()) -> list[str]:
    """The names a distribution requires, with those of the requested extras (other markers not evaluated)."""
    names = []
    for req in dist.requires or []:
        spec, _, marker = req.partition(";")
        extra = re.search(r"extra\s*==\s*[\"']([^\"']+)", marker)
        if extra and extra.group(1).lower() not in extras:
            continue
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
        if match:
            names.append(match.group(1))
    return names


def bundled_distributions() -> list[md.Distribution]:
    """The installed distributions kopdesk ships: those of requirements.txt and everything they need, by name."""
    seen: dict[str, md.Distribution] = {}
    todo: list[tuple[str, tuple[str, ...]]] = root_requirements()
    while todo:
        name, extras = todo.pop()
        name = _normal(name)
        if name in seen:
            continue
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            continue  # a dependency for another platform (e.g. colorama on Windows only)
        seen[name] = dist
        todo.extend((n, ()) for n in _requirement_names(dist, extras))
    return sorted(seen.values(), key=lambda d: _normal(d.metadata["Name"]))


def package_credits() -> list[Credit]:
    """The bundled libraries with version, licence and their licence files (from the package metadata)."""
    credits = []
    for dist in bundled_distributions():
        name = dist.metadata["Name"]
        texts = [Path(str(dist.locate_file(f))) for f in (dist.files or [])
                 if _LICENCE_FILE.search(f.name) and f.suffix not in (".py", ".pyc")]
        extra = EXTRA_LICENCE_FILES.get(_normal(name))
        if extra:
            texts.append(resource("licenses", extra))
        credits.append(Credit(name, dist.version, _licence_of(dist.metadata),
                              tuple(dict.fromkeys(p for p in texts if p.exists()))))
    py = resource("licenses", "Python-PSF-2.0.txt")
    credits.insert(0, Credit("Python", ".".join(map(str, sys.version_info[:3])), "PSF-2.0",
                             (py,) if py.exists() else ()))
    return credits


def _font_licence(text: str) -> str:
    if "SIL OPEN FONT LICENSE" in text.upper() or "OFL-1.1" in text:
        return "SIL Open Font License 1.1"
    if "Bitstream Vera" in text:
        return "Bitstream Vera License (DejaVu)"
    if "Apache License" in text:
        return "Apache-2.0"
    return "lihat berkas lisensi"


def font_credits() -> list[Credit]:
    """The fonts in resources/fonts, grouped by their licence file ``LICENSE-<Family>.txt``."""
    fonts_dir = resource("fonts")
    credits = []
    for licence_file in sorted(fonts_dir.glob("LICENSE-*.txt")):
        family = licence_file.stem.split("-", 1)[1]
        files = sorted(p.stem for p in fonts_dir.iterdir()
                       if p.suffix.lower() in (".ttf", ".otf") and p.stem.lower().startswith(family.lower()))
        if not files:
            continue
        credits.append(Credit(f"{family} ({', '.join(files)})", "", _font_licence(licence_file.read_text(
            encoding="utf-8", errors="replace")), (licence_file,)))
    return credits


def unlicensed_fonts() -> list[str]:
    """Font files in resources/fonts without a LICENSE-<Family>.txt beside them (a test keeps this empty)."""
    fonts_dir = resource("fonts")
    families = [p.stem.split("-", 1)[1].lower() for p in fonts_dir.glob("LICENSE-*.txt")]
    return sorted(p.name for p in fonts_dir.iterdir() if p.suffix.lower() in (".ttf", ".otf")
                  and not any(p.stem.lower().startswith(f) for f in families))
