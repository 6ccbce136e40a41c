"""``backup create``, ``backup list`` and ``backup restore``: backups of the embedded SQLite database."""

from __future__ import annotations

import argparse
from pathlib import Path

from kopdesk.cli import CommandError


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("backup", help="cadangan basis data SQLite: buat, daftar, pulihkan")
    bsub = p.add_subparsers(dest="backup_command", metavar="AKSI", required=True)
    create = bsub.add_parser("create", help="buat cadangan sekarang")
    create.add_argument("file", nargs="?", type=Path, help="berkas tujuan (bawaan: nama bertanggal di folder cadangan)")
    create.add_argument("--dir", type=Path, help="folder cadangan (bawaan: folder data pengguna/backups)")
    create.add_argument("--keep", type=int, help="simpan hanya sekian cadangan terbaru")
    create.set_defaults(handler=_create)
    lst = bsub.add_parser("list", help="daftar cadangan, terbaru lebih dulu")
    lst.add_argument("--dir", type=Path)
    lst.set_defaults(handler=_list)
    res = bsub.add_parser("restore", help="pulihkan basis data dari berkas cadangan (berkas lama disimpan di sampingnya)")
    res.add_argument("file", nargs="?", type=Path, help="berkas cadangan (bawaan: yang terbaru)")
    res.add_argument("--dir", type=Path)
    res.set_defaults(handler=_restore)


def _create(args: argparse.Namespace) -> int:
    from kopdesk.cli import open_database
    from kopdesk.models.services.administration import backup

    db = open_database(args)
    try:
        info = backup.backup(db, args.dir, keep=args.keep, target=args.file)
    finally:
        db.dispose()
    print(f"Cadangan dibuat: {info.path} ({info.size / 1_048_576:.1f} MB)")
    return 0


def _list(args: argparse.Namespace) -> int:
    from kopdesk.models.services.administration import backup

    backups = backup.list_backups(args.dir)
    if not backups:
        print("Belum ada cadangan.")
        return 0
    for b in backups:
        print(f"{b.label():40}  {b.path}")
    return 0


def _restore(args: argparse.Namespace) -> int:
    from kopdesk.models.db import resolve_url
    from kopdesk.models.services.administration import backup

    url = resolve_url(getattr(args, "db", None))
    if url.get_backend_name() != "sqlite" or not url.database:
        raise CommandError("Pemulihan dari cadangan hanya untuk berkas SQLite.")
    source = args.file
    if source is None:
        newest = backup.newest_backup(args.dir)
        if newest is None:
            raise CommandError("Tidak ada berkas cadangan untuk dipulihkan.")
        source = newest.path
    kept = backup.restore(source, Path(url.database))
    print(f"Basis data {url.database} dipulihkan dari {source}.")
    if kept is not None:
        print(f"Berkas sebelumnya disimpan sebagai {kept}.")
    return 0
