"""Kemendagri region codes as text: with and without dots, and their level (pure functions, no database)."""

from __future__ import annotations


def undotted(code: str) -> str:
    """A region code without dots or spaces: "64.71.01" -> "647101"."""
    return "".join(ch for ch in str(code) if ch.isdigit())


def dotted(code: str | None) -> str:
    """A region code as people write it: "6471011001" -> "64.71.01.1001"."""
    if not code:
        return ""
    c = undotted(code)
    return ".".join(p for p in (c[0:2], c[2:4], c[4:6], c[6:10]) if p)


def level_of(code: str) -> int:
    """The level of a region code by its length (2, 4, 6 or 10 digits)."""
    return {2: 1, 4: 2, 6: 3, 10: 4}.get(len(undotted(code)), 0)
