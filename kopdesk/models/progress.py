"""Progress reporting and cancellation for long work, without Qt."""

from __future__ import annotations

from collections.abc import Callable

Progress = Callable[[int, int, str], None]
"""Called as ``progress(done, total, text)``."""

CancelCheck = Callable[[], bool]


class Cancelled(Exception):
    """The user cancelled a long job; whatever it did was rolled back."""


def NO_PROGRESS(done: int, total: int, text: str) -> None:
    """A progress callback that ignores everything."""


def NEVER_CANCELLED() -> bool:
    return False


def check(cancelled: CancelCheck) -> None:
    """Raise :class:`Cancelled` when the user asked to stop."""
    if cancelled():
        raise Cancelled()
