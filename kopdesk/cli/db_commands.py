"""``db upgrade``, ``db info`` and ``users add``."""

from __future__ import annotations

import argparse
import getpass
import os

from kopdesk.cli import CommandError, open_database


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    db = sub.add_parser("db", help="basis data: migrasi dan informasi")
    dbsub = db.add_subparsers(dest="db_command", metavar="AKSI", required=True)
    up = dbsub.add_parser("upgrade", help="bawa skema basis data ke versi terbaru")
    up.set_defaults(handler=_upgrade)
    info = dbsub.add_parser("info", help="tampilkan basis data yang dipakai dan versi skemanya")
    info.set_defaults(handler=_info)
    grant = dbsub.add_parser("grant-app-role", help="PostgreSQL: beri peran aplikasi hak minimum (jalankan sebagai pemilik)")
    grant.add_argument("role", help="nama peran PostgreSQL yang dipakai PC petugas")
    grant.add_argument("--create", action="store_true", help="buat peran LOGIN bila belum ada")
    grant.set_defaults(handler=_grant)

    users = sub.add_parser("users", help="pengguna aplikasi")
    usub = users.add_subparsers(dest="users_command", metavar="AKSI", required=True)
    add = usub.add_parser("add", help="tambah pengguna (admin, operator atau pimpinan)")
    add.add_argument("username")
    add.add_argument("--role", choices=["admin", "operator", "pimpinan"], required=True)
    add.add_argument("--name", dest="full_name", help="nama lengkap (bawaan: sama dengan nama pengguna)")
    add.add_argument("--nip")
    add.add_argument("--password-env", metavar="VAR",
                     help="ambil kata sandi dari variabel lingkungan ini (tanpa itu kata sandi ditanyakan)")
    add.set_defaults(handler=_users_add)
    lst = usub.add_parser("list", help="daftar pengguna")
    lst.set_defaults(handler=_users_list)


def _upgrade(args: argparse.Namespace) -> int:
    from kopdesk.models.migrate import current_revision

    db = open_database(args)
    print(f"Basis data {db.describe()} pada revisi {current_revision(db.engine)} (terbaru).")
    return 0


def _grant(args: argparse.Namespace) -> int:
    from kopdesk.models.pg_roles import grant_app_role

    db = open_database(args)
    if db.is_sqlite:
        raise CommandError("grant-app-role hanya untuk PostgreSQL")
    try:
        grant_app_role(db.engine, args.role, create_login=args.create)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    print(f"Peran {args.role} kini boleh membaca dan mengubah data, tanpa mengubah skema atau jejak audit.")
    return 0


def _info(args: argparse.Namespace) -> int:
    from sqlalchemy import func, select

    from kopdesk.models.cooperative import Cooperative
    from kopdesk.models.migrate import current_revision

    db = open_database(args)
    with db.read() as s:
        n = s.scalar(select(func.count()).select_from(Cooperative))
    print(f"Basis data : {db.describe()}\nRevisi     : {current_revision(db.engine)}\nKoperasi   : {n}")
    return 0


def _users_add(args: argparse.Namespace) -> int:
    from kopdesk.models.services.administration import auth

    if args.password_env:
        password = os.environ.get(args.password_env)
        if not password:
            raise CommandError(f"variabel lingkungan {args.password_env} kosong atau tidak ada")
    else:
        password = getpass.getpass("Kata sandi: ")
        if password != getpass.getpass("Ulangi kata sandi: "):
            raise CommandError("kedua kata sandi tidak sama")
    db = open_database(args)
    actor = auth.Actor.system()
    with db.transaction(actor) as s:
        first = auth.user_count(s) == 0 and args.role == "admin"
        user = auth.create_user(s, actor, username=args.username, full_name=args.full_name or args.username,
                                role=args.role, password=password, nip=args.nip, first_admin=first)
        print(f"Pengguna {user.username} ({user.role}) ditambahkan.")
    return 0


def _users_list(args: argparse.Namespace) -> int:
    from sqlalchemy import select

    from kopdesk.models.user import User

    db = open_database(args)
    with db.read() as s:
        for u in s.scalars(select(User).order_by(User.username)):
            print(f"{u.username:<20} {u.role:<9} {'aktif' if u.active else 'nonaktif':<9} {u.full_name}")
    return 0
