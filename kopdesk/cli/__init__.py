"""The command line of kopdesk (Qt-free): ``python main.py COMMAND ...``; no command opens the window.

Each command group lives in its own module with ``register(subparsers)``; the handlers call the same services
as the window and exit non-zero with a clear Indonesian message on bad input.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from kopdesk import __version__

log = logging.getLogger(__name__)

# Command modules, each with register(subparsers). Add a line for a new command group.
COMMAND_MODULES = [
    "kopdesk.cli.db_commands",
    "kopdesk.cli.demo_commands",
    "kopdesk.cli.stats_commands",
    "kopdesk.cli.backup_commands",
    "kopdesk.cli.supervision_commands",
    "kopdesk.cli.about_commands",
    "kopdesk.cli.certificates_commands",
    "kopdesk.cli.letters_commands",
    "kopdesk.cli.report_commands",
]


class CommandError(Exception):
    """A command refused its input; the message is shown as it is and the exit status is 2."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python main.py",
        description="KopDesk: registri koperasi, RAT, pemutakhiran, teguran, sertifikat dan laporan Dinas Koperasi. "
                    "Tanpa perintah, aplikasi desktop dibuka.",
    )
    parser.add_argument("--version", action="version", version=f"KopDesk {__version__}")
    parser.add_argument("--db", metavar="URL",
                        help="basis data: URL SQLAlchemy (postgresql://...) atau path berkas SQLite; "
                             "bawaan: KOPDESK_DATABASE_URL atau berkas di folder data pengguna")
    parser.add_argument("--demo", action="store_true",
                        help="buka aplikasi dengan data contoh, di berkas demo tersendiri (kopdesk-demo.sqlite) kecuali --db "
                             "diberikan; data contoh diisi bila basis data masih kosong")
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", title="perintah")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def parse(argv: Sequence[str]) -> argparse.Namespace:
    return build_parser().parse_args(list(argv))


def dispatch(args: argparse.Namespace) -> int:
    """Run a parsed command.

    Returns:
        The command's exit status; 2 with an Indonesian message when it refused its input or a domain rule refused
        it; 1 with one line naming the log file, where the traceback is, when something unexpected failed.
    """
    from kopdesk import logsetup
    from kopdesk.models.errors import DomainError

    try:
        return int(args.handler(args) or 0)
    except (CommandError, DomainError) as exc:
        log.info("perintah %s ditolak: %s", args.command, exc)
        print(f"Galat: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        log.info("perintah %s dibatalkan", args.command)
        print("Dibatalkan.", file=sys.stderr)
        return 130
    except Exception as exc:
        logsetup.log_exception(exc, f"perintah {args.command} gagal", log)
        print(f"Galat tak terduga ({logsetup.first_line(exc)}). Rinciannya dicatat di {logsetup.log_file()}; "
              "kirimkan berkas itu ke pengelola KopDesk.", file=sys.stderr)
        return 1


def main(argv: Sequence[str] | None = None) -> int:
    from kopdesk import logsetup

    logsetup.setup()
    args = parse(sys.argv[1:] if argv is None else argv)
    if args.command is None:
        print("Tidak ada perintah. Jalankan 'python main.py' tanpa argumen untuk membuka aplikasi, "
              "atau 'python main.py --help'.", file=sys.stderr)
        return 2
    return dispatch(args)


def open_database(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The database named by --db (or the default), migrated to head."""
    from kopdesk.models.db import Database, resolve_url

    url = resolve_url(getattr(args, "db", None))
    log.info("basis data: %s", url.render_as_string(hide_password=True))
    return Database.open(url)
