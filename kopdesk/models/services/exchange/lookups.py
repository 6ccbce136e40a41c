"""The kelompok and sektor lists as the import reads them, and the kelompok aliases administrators edit.

A kelompok is found by its name or by one of its aliases (short name, abbreviation), compared by
:func:`kopdesk.models.services.exchange.normalize.lookup_key`; a sektor by its name alone. No key may lead to two
entries, so adding an alias that another kelompok already answers to is refused.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.errors import FieldError, NotFoundError, ValidationError
from kopdesk.models.lookup import Kelompok, KelompokAlias, Sector
from kopdesk.models.services.administration.auth import Actor, require
from kopdesk.models.services.exchange.normalize import Refused, lookup_key, lookup_name


@dataclass
class KelompokEntry:
    """A kelompok with its aliases, for the settings page."""

    id: int
    name: str
    aliases: list[tuple[int, str]] = field(default_factory=list)  # (alias id, alias)


def kelompok_with_aliases(session: Session) -> list[KelompokEntry]:
    """Every kelompok in list order, each with its aliases."""
    entries = {i: KelompokEntry(i, n) for i, n in
               session.execute(select(Kelompok.id, Kelompok.name).order_by(Kelompok.sort_order, Kelompok.name))}
    for ident, kelompok_id, alias in session.execute(
            select(KelompokAlias.id, KelompokAlias.kelompok_id, KelompokAlias.alias).order_by(KelompokAlias.alias)):
        if kelompok_id in entries:
            entries[kelompok_id].aliases.append((ident, alias))
    return list(entries.values())


def kelompok_keys(session: Session) -> dict[str, set[int]]:
    """Key -> the kelompok ids answering to it (names and aliases); more than one id means the key is ambiguous."""
    out: dict[str, set[int]] = defaultdict(set)
    for ident, name in session.execute(select(Kelompok.id, Kelompok.name)):
        out[lookup_key(name)].add(ident)
    for kelompok_id, alias in session.execute(select(KelompokAlias.kelompok_id, KelompokAlias.alias)):
        out[lookup_key(alias)].add(kelompok_id)
    return dict(out)


def sector_keys(session: Session) -> dict[str, set[int]]:
    """Key -> the sektor ids answering to it."""
    out: dict[str, set[int]] = defaultdict(set)
    for ident, name in session.execute(select(Sector.id, Sector.name)):
        out[lookup_key(name)].add(ident)
    return dict(out)


def _error(message: str, value: str) -> ValidationError:
    return ValidationError([FieldError("alias", "Alias", message, value)])


def add_kelompok_alias(session: Session, actor: Actor, kelompok_id: int, alias: str) -> KelompokAlias:
    """Let the import find ``kelompok_id`` by ``alias`` as well (administrators; audited).

    Raises:
        ValidationError: empty, a number, or already the name or alias of a kelompok.
        NotFoundError: no such kelompok.
    """
    require(actor, "settings.manage")
    kelompok = session.get(Kelompok, kelompok_id)
    if kelompok is None:
        raise NotFoundError(f"Kelompok koperasi {kelompok_id} tidak ada.", id=kelompok_id)
    try:
        text = lookup_name(alias)
    except Refused as exc:
        raise _error(str(exc), str(alias)) from None
    holders = kelompok_keys(session).get(lookup_key(text), set())
    if holders:
        names = ", ".join(sorted(session.scalars(select(Kelompok.name).where(Kelompok.id.in_(holders)))))
        raise _error(f"«{text}» sudah dipakai oleh kelompok {names}", text)
    entry = KelompokAlias(kelompok_id=kelompok.id, alias=text)
    session.add(entry)
    session.flush()
    return entry


def remove_kelompok_alias(session: Session, actor: Actor, alias_id: int) -> None:
    """Stop finding a kelompok by this alias (administrators; audited).

    Raises:
        NotFoundError: no such alias.
    """
    require(actor, "settings.manage")
    entry = session.get(KelompokAlias, alias_id)
    if entry is None:
        raise NotFoundError(f"Alias {alias_id} tidak ada.", id=alias_id)
    session.delete(entry)
    session.flush()
