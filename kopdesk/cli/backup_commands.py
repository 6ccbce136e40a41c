"""``backup [FILE]`` and ``restore FILE``: SQLite backups from the command line (the same service as the window)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="cadangkan basis data SQLite (ke FILE, atau ke folder cadangan)")
    p.add_argument("file", nargs="?", help="berkas tujuan; tanpa ini: folder cadangan, 14 terakhir disimpan")
    p.set_defaults(handler=_backup)
    r = sub.add_parser("restore", help="pulihkan basis data SQLite dari berkas cadangan (diperiksa dan dimigrasi)")
    r.add_argument("file", help="berkas cadangan KopDesk")
    r.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.services import backup

    db = open_database(args)
    try:
        path = backup.backup_to(db, args.file) if args.file else backup.backup_now(db)
    finally:
        db.dispose()
    print(f"Cadangan tersimpan: {path} ({path.stat().st_size:,} bita)".replace(",", "."))
    return 0


def _restore(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.services import backup

    db = open_database(args)
    try:
        safety = backup.restore(db, args.file)
    finally:
        db.dispose()
    print(f"Basis data dipulihkan dari {args.file}. Salinan basis data sebelumnya: {safety}")
    return 0
