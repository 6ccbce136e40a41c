"""The program's entry: a command (``python main.py COMMAND``) or, without one, the application window.

The command line lives in kopdesk.cli and the window in kopdesk.ui; this module only chooses between them, so that
a command never imports Qt.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence


def run(argv: Sequence[str]) -> int:
    """``python main.py [--db URL] [--demo] [COMMAND ...]``; without a command the window opens."""
    from kopdesk import logsetup

    # First of all, so that whatever fails after this (the window, any command, a bad argument) leaves a trace.
    logsetup.setup()
    logsetup.log_start(argv[1:])
    from kopdesk import cli

    args = cli.parse(list(argv[1:]))
    if args.command is not None:
        return cli.dispatch(args)
    from kopdesk.ui.app import start_gui

    return start_gui(args, list(argv))


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(run(sys.argv))
