"""A cooperative's status history read back: what its status was on a given day (posisi per tanggal).

The registry writes the history (:func:`kopdesk.models.services.registry.cooperatives.change_status`); the recaps,
RAT compliance and the demo read it through :func:`status_as_of`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import desc, select

from kopdesk.models.cooperative import Cooperative, StatusChange


def status_as_of(as_of: dt.date) -> Any:
    """A correlated scalar subquery: a cooperative's status on ``as_of`` from its status history (NULL before its
    first recorded change)."""
    return (
        select(StatusChange.to_status)
        .where(StatusChange.cooperative_id == Cooperative.id, StatusChange.effective_date <= as_of)
        .order_by(desc(StatusChange.effective_date), desc(StatusChange.id))
        .limit(1)
        .scalar_subquery()
    )
