"""Domain entities and the data layer of kopdesk (Qt-free).

Importing this package registers every entity on ``Base.metadata``.
"""

from kopdesk.models.audit import AuditEntry
from kopdesk.models.base import Base
from kopdesk.models.certificate import Certificate
from kopdesk.models.cooperative import (
    AnnualReport,
    Cooperative,
    MerahPutihOutlet,
    MerahPutihProfile,
    Officer,
    StatusChange,
)
from kopdesk.models.health import HealthAspectScore, HealthAssessment, HealthEvidence
from kopdesk.models.lookup import Kelompok, KelompokAlias, Sector
from kopdesk.models.office import Counter, OfficeProfile, Setting
from kopdesk.models.rat import RatDeadline, RatRecord
from kopdesk.models.region import Region
from kopdesk.models.supervision import RoundCooperative, RoundOfficer, VerificationRound, Visit
from kopdesk.models.teguran import DissolutionCase, EscalationExemption, Letter
from kopdesk.models.user import LoginAttempt, User

__all__ = [
    "AnnualReport",
    "AuditEntry",
    "Base",
    "Certificate",
    "Cooperative",
    "Counter",
    "DissolutionCase",
    "EscalationExemption",
    "HealthAspectScore",
    "HealthAssessment",
    "HealthEvidence",
    "Kelompok",
    "KelompokAlias",
    "Letter",
    "LoginAttempt",
    "MerahPutihOutlet",
    "MerahPutihProfile",
    "OfficeProfile",
    "Officer",
    "RatDeadline",
    "RatRecord",
    "Region",
    "RoundCooperative",
    "RoundOfficer",
    "Sector",
    "Setting",
    "StatusChange",
    "User",
    "VerificationRound",
    "Visit",
]
