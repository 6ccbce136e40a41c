"""Licences of what the installer ships, and the emblem files."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image

from kopdesk import credits

ROOT = Path(__file__).resolve().parents[2]


def _requirement_names(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[\[=<>~! ;]", line, maxsplit=1)[0].lower().replace("_", "-"))
    return names


def test_every_runtime_requirement_is_credited():
    wanted = _requirement_names(ROOT / "requirements.txt")
    assert wanted and set(credits.root_distributions()) == wanted
    listed = {c.name.lower().replace("_", "-") for c in credits.package_credits()}
    assert wanted <= listed
    assert "psycopg-binary" in listed  # pulled in through the extra of psycopg[binary]
    assert "pytest" not in listed and "hypothesis" not in listed  # test tools are not shipped


def test_every_bundled_package_has_a_licence_and_its_text():
    found = {c.name.lower().replace("_", "-"): c for c in credits.package_credits()}
    assert "pyside6-essentials" in found and "sqlalchemy" in found and "python" in found
    for name, c in found.items():
        assert c.licence and c.licence != "tidak diketahui", name
        assert c.texts and all(p.is_file() for p in c.texts), name
    assert found["pyside6-essentials"].texts[0].name == "LGPL-3.0.txt"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in found["pyside6-essentials"].texts[0].read_text(encoding="utf-8")


def test_every_font_has_a_licence_file():
    assert credits.unlicensed_fonts() == []
    fonts = credits.font_credits()
    assert fonts and all(c.texts for c in fonts)
    assert any(c.licence == "SIL Open Font License 1.1" and "LiberationSans-Regular" in c.name for c in fonts)


def test_icons_are_generated_from_one_geometry():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_icons", ROOT / "installer" / "make_icons.py")
    make_icons = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_icons)  # type: ignore[union-attr]
    icons = ROOT / "resources" / "icons"
    assert (icons / "kopdesk.svg").read_text(encoding="utf-8") == make_icons.svg(), "run installer/make_icons.py"
    ico = Image.open(icons / "kopdesk.ico")
    assert {(16, 16), (32, 32), (48, 48), (256, 256)} <= set(ico.info["sizes"])
    png = Image.open(icons / "kopdesk.png")
    assert png.size == (256, 256) and png.mode == "RGBA"
    assert png.getpixel((0, 0))[3] == 0 and png.getpixel((128, 40))[3] == 255  # transparent corner, opaque tile
