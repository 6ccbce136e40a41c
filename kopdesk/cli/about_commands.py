"""``about``: version, the database that would be used, the log folder, and the licences of what KopDesk ships.

The same lists as Bantuan → Tentang KopDesk; CI runs it on the frozen build to check that the licence metadata
was bundled.
"""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("about", help="versi, basis data, dan lisensi huruf serta pustaka yang disertakan")
    p.set_defaults(handler=_about)


def _about(args: argparse.Namespace) -> int:
    from kopdesk import APP_NAME, __version__
    from kopdesk.credits import font_credits, package_credits
    from kopdesk.logsetup import log_dir
    from kopdesk.models.db import describe_url, resolve_url

    print(f"{APP_NAME} {__version__}")
    print(f"Basis data: {describe_url(resolve_url(getattr(args, 'db', None)))}")
    print(f"Folder log: {log_dir()}")
    print()
    print("Huruf (font):")
    for c in font_credits():
        print(f"  {c.name}: {c.licence}")
    print()
    print("Pustaka:")
    for c in package_credits():
        print(f"  {c.name} {c.version}: {c.licence}")
    return 0
