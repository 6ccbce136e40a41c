"""What every page and dialog needs: the database, the signed-in user, the task runner, and a way to navigate."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from kopdesk.models.db import Database
from kopdesk.models.queries import RegistryFilter
from kopdesk.models.services.administration.auth import Actor
from kopdesk.ui.tasks import TaskRunner


class AppSignals(QObject):
    """Application-wide notifications.

    Signals:
        data_changed(str, object): something was saved; (entity, ids or None) so pages refresh what they show.
        open_registry(object): show the registry filtered by a RegistryFilter (the home page and reports use it).
        open_cooperative(int): open the form of one cooperative.
        database_lost(str): the connection dropped; the message for the status bar.
    """

    data_changed = Signal(str, object)
    open_registry = Signal(object)
    open_cooperative = Signal(int)
    database_lost = Signal(str)


@dataclass
class AppContext:
    """The open session of the application.

    Attributes:
        db: the database.
        actor: the signed-in user; pages ask ``actor.can(permission)`` to enable actions.
        tasks: the one TaskRunner for background work.
        signals: application-wide signals.
    """

    db: Database
    actor: Actor
    tasks: TaskRunner
    signals: AppSignals = field(default_factory=AppSignals)
    extra: dict[str, Any] = field(default_factory=dict)

    def can(self, permission: str) -> bool:
        return self.actor.can(permission)

    def show_registry(self, f: RegistryFilter) -> None:
        self.signals.open_registry.emit(f)
