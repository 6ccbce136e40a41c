"""Domain errors: each carries a code, parameters and a default Indonesian message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


class DomainError(Exception):
    """A rule of the domain refused an action.

    Attributes:
        code: a stable identifier such as ``"validation"`` or ``"conflict"``.
        params: the facts behind the error, for messages and tests.
    """

    code = "domain"

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class FieldError:
    """One field that failed validation, with the reason in Indonesian."""

    field: str
    label: str
    message: str
    value: Any = None
    row: int | None = None

    def text(self) -> str:
        where = f"Baris {self.row}, " if self.row is not None else ""
        return f"{where}{self.label}: {self.message}"


class ValidationError(DomainError):
    """One or more fields are invalid; nothing was written."""

    code = "validation"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("; ".join(e.text() for e in self.errors) or "Data tidak valid", errors=self.errors)

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name]


@dataclass(frozen=True)
class ChangeMade:
    """A change someone else saved, named in a conflict."""

    field: str
    label: str
    old: Any
    new: Any
    by: str
    at: Any


class ConflictError(DomainError):
    """Someone else saved the record first; the caller's changes were not written."""

    code = "conflict"

    def __init__(self, entity: str, entity_id: int, changes: list[ChangeMade] | None = None) -> None:
        self.entity = entity
        self.entity_id = entity_id
        self.changes = list(changes or [])
        if self.changes:
            who = sorted({c.by for c in self.changes})
            fields = ", ".join(dict.fromkeys(c.label for c in self.changes))
            msg = (f"Data ini sudah diubah oleh {', '.join(who)} sejak Anda membukanya "
                   f"({fields}). Perubahan Anda belum disimpan.")
        else:
            msg = "Data ini sudah diubah atau dihapus oleh pengguna lain sejak Anda membukanya. Perubahan Anda belum disimpan."
        super().__init__(msg, entity=entity, entity_id=entity_id, changes=self.changes)


class NotFoundError(DomainError):
    code = "not_found"


class PermissionDenied(DomainError):
    code = "permission_denied"


class AuthenticationError(DomainError):
    code = "authentication"


class DatabaseUnavailable(DomainError):
    """The database cannot be reached or is not a kopdesk database."""

    code = "database_unavailable"


class InvalidTransition(DomainError):
    code = "invalid_transition"
