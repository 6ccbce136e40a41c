"""Where kopdesk finds its resources and keeps the user's data, in development and when frozen (Qt-free)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from kopdesk import APP_ID, ORG_NAME


def bundle_dir() -> Path | None:
    """The folder of a frozen (PyInstaller) build holding the collected data, or None when not frozen.

    PyInstaller sets ``sys._MEIPASS`` (the ``_internal`` folder of a one-folder build); should a launcher set only
    ``sys.frozen``, the data is looked for beside the executable.
    """
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base)
    if getattr(sys, "frozen", False):
        exe_dir = Path(sys.executable).resolve().parent
        internal = exe_dir / "_internal"
        return internal if internal.is_dir() else exe_dir
    return None


def resources_dir() -> Path:
    """The folder holding fonts, icons, templates, licences and translations.

    In a PyInstaller bundle the data lies under ``sys._MEIPASS``; in development beside the package.
    """
    bundle = bundle_dir()
    if bundle is not None:
        return bundle / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    """The path of one resource file, e.g. ``resource("fonts", "DejaVuSans.ttf")``."""
    return resources_dir().joinpath(*parts)


def migrations_dir() -> Path:
    """The Alembic script folder, inside the package so that it ships with it (as data files when frozen)."""
    bundle = bundle_dir()
    if bundle is not None:
        return bundle / "kopdesk" / "models" / "migrations"
    return Path(__file__).resolve().parent / "models" / "migrations"


def user_data_dir() -> Path:
    """The per-user data folder (database, backups, keys); KOPDESK_DATA_DIR overrides it."""
    override = os.environ.get("KOPDESK_DATA_DIR")
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir as _udd

        path = Path(_udd(APP_ID, ORG_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def logs_dir() -> Path:
    """Where the log file and the crash dump are written: the user's log folder; KOPDESK_DATA_DIR/logs overrides it.

    On Windows this is ``%LOCALAPPDATA%\\KopDesk\\kopdesk\\Logs``; the clerk reaches it through Bantuan → Buka folder
    log.
    """
    override = os.environ.get("KOPDESK_DATA_DIR")
    if override:
        path = Path(override) / "logs"
    else:
        from platformdirs import user_log_dir as _uld

        path = Path(_uld(APP_ID, ORG_NAME))
    path.mkdir(parents=True, exist_ok=True)
    return path


def default_database_path() -> Path:
    """The embedded SQLite database used when no other database is named."""
    return user_data_dir() / "kopdesk.sqlite"


def demo_database_path() -> Path:
    """The SQLite file ``--demo`` uses when no database is named, so demo data never mixes with the office's own."""
    return user_data_dir() / "kopdesk-demo.sqlite"


def backups_dir() -> Path:
    """Where automatic and manual SQLite backups are kept."""
    path = user_data_dir() / "backups"
    path.mkdir(parents=True, exist_ok=True)
    return path


def keys_dir() -> Path:
    """Where the office's signing key lives: per user, never in the shared database."""
    path = user_data_dir() / "keys"
    path.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass
    return path
