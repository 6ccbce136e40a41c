"""A save that loses a race with another clerk is a reported conflict (ConflictError), never a crash.

Found by the load harness: two clerks recording the first visit of the same cooperative at once hit the unique key
(IntegrityError), two clerks issuing a certificate to the same cooperative hit its version (StaleDataError).
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import ConflictError
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.services.supervision import pemutakhiran
from kopdesk.models.supervision import Visit


def _coop(db, actor):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        coop, _ = registry.create_cooperative(s, actor, {
            "name": "Koperasi Balapan", "nik": "6471010000000099", "legal_number": "9/BH/2001",
            "legal_date": "2001-01-01", "address": "Jl. Balap", "kabkota_code": "6471", "kecamatan_code": "647101",
            "jenis": "konsumen"})
        rnd = pemutakhiran.create_round(s, actor, "Putaran Balapan", cooperative_ids=[coop.id])
        return coop.id, rnd.id


def test_a_lost_create_race_is_a_conflict(db, admin):
    coop_id, round_id = _coop(db, admin)
    with db.transaction(admin) as s:
        pemutakhiran.record_visit(s, admin, round_id, coop_id, {"visit_date": dt.date.today(), "found_at_address": "Ya"})
    # The second clerk checked before the first committed, so its insert reaches the unique key.
    with pytest.raises(ConflictError) as err:
        with db.transaction(admin) as s:
            s.add(Visit(round_id=round_id, cooperative_id=coop_id, visit_date=dt.date.today(), found_at_address=True,
                        result="aktif"))
    assert "pengguna lain" in str(err.value)
    with db.read() as s:
        assert len(s.scalars(select(Visit)).all()) == 1


def test_a_lost_version_race_is_a_conflict(db, admin):
    coop_id, _ = _coop(db, admin)
    with pytest.raises(ConflictError):
        with db.transaction(admin) as s:
            coop = s.get(Cooperative, coop_id)
            # Another clerk's save lands between this clerk's read and write.
            s.execute(update(Cooperative).where(Cooperative.id == coop_id).values(version=Cooperative.version + 1)
                      .execution_options(synchronize_session=False))
            coop.notes = "menimpa?"
    with db.read() as s:
        assert s.get(Cooperative, coop_id).notes is None
