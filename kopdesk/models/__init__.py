"""Domain entities and the data layer of kopdesk (Qt-free).

Each entity module registers its tables on ``Base.metadata`` when it is imported, and imports only what it needs,
so that the window's start loads only the entities its first page reads. :func:`load_all` imports every entity (for
migrations and anything that walks the whole schema); so does taking a name from this package
(``from kopdesk.models import Base, Cooperative``).
"""

from __future__ import annotations

import importlib
from typing import Any

# The entities and the module of each; add a line with a new entity.
_ENTITIES = {
    "AuditEntry": "audit",
    "Base": "base",
    "Certificate": "certificate",
    "AnnualReport": "cooperative",
    "Cooperative": "cooperative",
    "MerahPutihOutlet": "cooperative",
    "MerahPutihProfile": "cooperative",
    "Officer": "cooperative",
    "StatusChange": "cooperative",
    "HealthAspectScore": "health",
    "HealthAssessment": "health",
    "HealthEvidence": "health",
    "Kelompok": "lookup",
    "KelompokAlias": "lookup",
    "Sector": "lookup",
    "Counter": "office",
    "OfficeProfile": "office",
    "Setting": "office",
    "RatDeadline": "rat",
    "RatRecord": "rat",
    "Region": "region",
    "RoundCooperative": "supervision",
    "RoundOfficer": "supervision",
    "VerificationRound": "supervision",
    "Visit": "supervision",
    "DissolutionCase": "teguran",
    "EscalationExemption": "teguran",
    "Letter": "teguran",
    "LoginAttempt": "user",
    "User": "user",
}


def load_all() -> None:
    """Import every entity module, so that ``Base.metadata`` holds the whole schema."""
    from kopdesk.models import (  # noqa: F401 - imported for their tables
        audit,
        base,
        certificate,
        cooperative,
        health,
        lookup,
        office,
        rat,
        region,
        supervision,
        teguran,
        user,
    )


def __getattr__(name: str) -> Any:
    """``from kopdesk.models import Cooperative``: the entity, with every entity loaded."""
    module = _ENTITIES.get(name)
    if module is None:
        raise AttributeError(f"module 'kopdesk.models' has no attribute {name!r}")
    load_all()
    return getattr(importlib.import_module(f"kopdesk.models.{module}"), name)
