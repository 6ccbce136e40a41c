"""Escalation rules of surat teguran on SQLite and PostgreSQL: grounds, intervals, levels, exemptions, cancel."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import InvalidTransition, PermissionDenied, ValidationError
from kopdesk.models.services.administration import settings
from kopdesk.models.services.letters import teguran
from kopdesk.models.teguran import DissolutionCase, Letter
from tests.conftest import make_user
from tests.letters.conftest import TODAY, add_visit, make_coop

D = dt.timedelta


def queue(db, today=TODAY):  # type: ignore[no-untyped-def]
    with db.read() as s:
        return {i.cooperative_id: i for i in teguran.compute_queue(s, today=today)}


def issue(db, actor, sel, today=TODAY):  # type: ignore[no-untyped-def]
    with db.transaction(actor) as s:
        return teguran.issue(s, actor, sel, renderer=None, today=today)


def test_missing_rat_for_the_last_overdue_book_year_is_due_teguran_i_with_the_missing_years(office, admin):
    db = office
    late = make_coop(db, admin, name="Koperasi A", rat_years=(2023,))
    ok = make_coop(db, admin, name="Koperasi B", rat_years=(2023, 2024, 2025))
    q = queue(db)
    assert ok not in q
    item = q[late]
    assert item.level == 1 and item.grounds == ["tidak_rat"]
    assert item.facts["missing_years"] == [2024, 2025]
    assert "2024 dan 2025" in item.reasons[0]


def test_book_year_whose_deadline_has_not_passed_is_not_counted(office, admin):
    db = office
    # On 1 March 2026 book year 2025 is not due yet (primer deadline 30 April 2026); 2024 is held.
    cid = make_coop(db, admin, rat_years=(2022, 2023, 2024))
    assert cid not in queue(db, dt.date(2026, 3, 1))
    assert queue(db, dt.date(2026, 5, 1))[cid].facts["missing_years"] == [2025]


def test_years_before_the_legal_date_are_not_demanded(office, admin):
    db = office
    cid = make_coop(db, admin, legal_date="2025-02-01")
    assert queue(db)[cid].facts["missing_years"] == [2025]


def test_visit_not_found_and_no_business_are_grounds_with_the_visit_facts(office, admin):
    db = office
    cid = make_coop(db, admin, rat_years=(2023, 2024, 2025))
    add_visit(db, admin, cid, found=False, business=False, on=dt.date(2025, 10, 6), officer="Sri Wahyuni")
    item = queue(db)[cid]
    assert item.grounds == ["tidak_ditemukan", "tidak_aktif_usaha"]
    assert item.facts["visit"] == {"date": "2025-10-06", "officer": "Sri Wahyuni", "found": False,
                                   "business_active": False}
    assert "6 Oktober 2025" in item.reasons[0] and "Sri Wahyuni" in item.reasons[0]


def test_a_later_visit_that_found_it_clears_the_ground(office, admin):
    db = office
    cid = make_coop(db, admin, rat_years=(2023, 2024, 2025))
    add_visit(db, admin, cid, found=False, on=dt.date(2025, 10, 6))
    add_visit(db, admin, cid, found=True, business=True, on=dt.date(2026, 1, 10))
    assert cid not in queue(db)


def test_grounds_are_switched_by_the_settings(office, admin):
    db = office
    cid = make_coop(db, admin)
    with db.transaction(admin) as s:
        settings.put(s, admin, "teguran.grounds", ["tidak_ditemukan"])
    assert cid not in queue(db)


def test_escalation_waits_for_the_deadline_then_goes_to_ii_with_no_response_as_ground(office, admin):
    db = office
    cid = make_coop(db, admin)
    r = issue(db, admin, [(cid, 1)])
    assert [x["level"] for x in r.letters] == [1]
    due = r.letters[0]["due_date"]
    assert due == TODAY + D(days=30)
    assert cid not in queue(db, due)  # still within the deadline
    item = queue(db, due + D(days=1))[cid]
    assert item.level == 2 and "tidak_menanggapi" in item.grounds
    assert item.facts["previous"]["number"] == r.letters[0]["number"]


def test_response_days_per_level_from_settings(office, admin):
    db = office
    cid = make_coop(db, admin)
    with db.transaction(admin) as s:
        settings.put(s, admin, "teguran.response_days", [14, 21, 30])
    r1 = issue(db, admin, [cid])
    assert r1.letters[0]["due_date"] == TODAY + D(days=14)
    r2 = issue(db, admin, [cid], today=TODAY + D(days=15))
    assert r2.letters[0]["level"] == 2 and r2.letters[0]["due_date"] == TODAY + D(days=15 + 21)


def test_the_same_level_is_never_issued_twice(office, admin):
    db = office
    cid = make_coop(db, admin)
    first = issue(db, admin, [(cid, 1)])
    again = issue(db, admin, [(cid, 1)])
    assert len(first.letters) == 1 and again.letters == []
    assert again.skipped and again.skipped[0][0] == cid
    # a stale selection after the deadline: the due level is II now, so a "level I" click is refused
    later = issue(db, admin, [(cid, 1)], today=TODAY + D(days=40))
    assert later.letters == [] and "Teguran II" in later.skipped[0][1]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Letter)) == 1


def test_full_escalation_to_dissolution_proposal(office, admin):
    db = office
    cid = make_coop(db, admin)
    day = TODAY
    levels = []
    for _ in range(4):
        r = issue(db, admin, [cid], today=day)
        levels.append(r.letters[0]["level"])
        day = r.letters[0]["due_date"] + D(days=1)
    assert levels == [1, 2, 3, 4]
    with db.read() as s:
        case = s.scalars(select(DissolutionCase).where(DissolutionCase.cooperative_id == cid)).one()
        assert case.stage == "usulan" and case.ground == "tidak_rat_3_tahun"
        assert s.get(Cooperative, cid).status == "proses_pembubaran"
    assert cid not in queue(db, day + D(days=100))


def test_received_dissolution_notice_starts_the_objection_and_decree_clocks(office, admin):
    db = office
    cid = make_coop(db, admin)
    day, last = TODAY, None
    for _ in range(4):
        last = issue(db, admin, [cid], today=day).letters[0]
        day = last["due_date"] + D(days=1)
    with db.transaction(admin) as s:
        teguran.record_delivery(s, admin, last["id"], "diterima", dt.date(2027, 3, 31))
    with db.read() as s:
        case = s.scalars(select(DissolutionCase)).one()
        assert (case.notice_date, case.objection_deadline, case.decree_due) == (
            dt.date(2027, 3, 31), dt.date(2027, 5, 31), dt.date(2027, 7, 31))


def test_cancelled_letter_keeps_its_number_and_no_longer_counts(office, admin):
    db = office
    cid = make_coop(db, admin)
    r = issue(db, admin, [cid])
    with db.transaction(admin) as s:
        teguran.cancel(s, admin, r.letters[0]["id"], "Salah alamat")
    with db.read() as s:
        letter = s.get(Letter, r.letters[0]["id"])
        assert letter.status == "dibatalkan" and letter.number == r.letters[0]["number"] and letter.seq == 1
    assert queue(db)[cid].level == 1
    r2 = issue(db, admin, [cid])
    assert r2.letters[0]["number"].startswith("518/2/")  # never reuses a cancelled number
    with db.transaction(admin) as s, pytest.raises(InvalidTransition):
        teguran.cancel(s, admin, r.letters[0]["id"], "lagi")
    with db.transaction(admin) as s, pytest.raises(ValidationError):
        teguran.cancel(s, admin, r2.letters[0]["id"], "  ")


def test_response_resolved_closes_the_episode_unresolved_continues_without_no_response_ground(office, admin):
    db = office
    a = make_coop(db, admin, name="Koperasi A")
    b = make_coop(db, admin, name="Koperasi B")
    r = issue(db, admin, [a, b])
    ids = {x["cooperative_id"]: x["id"] for x in r.letters}
    with db.transaction(admin) as s:
        teguran.record_response(s, admin, ids[a], TODAY + D(days=5), "RAT dijadwalkan", resolved=True)
        teguran.record_response(s, admin, ids[b], TODAY + D(days=5), "Mohon waktu", resolved=False)
    q = queue(db, TODAY + D(days=31))
    assert q[a].level == 1  # new episode: the RAT record is still missing
    assert q[b].level == 2 and "tidak_menanggapi" not in q[b].grounds
    with db.transaction(admin) as s, pytest.raises(ValidationError):
        teguran.record_response(s, admin, ids[a], TODAY - D(days=1))


def test_exemption_shows_in_the_queue_and_blocks_issue(office, admin):
    db = office
    cid = make_coop(db, admin)
    with db.transaction(admin) as s:
        teguran.add_exemption(s, admin, cid, "Proses penggabungan dengan KSU Mandiri", TODAY + D(days=60), today=TODAY)
    item = queue(db)[cid]
    assert item.exempt == {"reason": "Proses penggabungan dengan KSU Mandiri", "until": (TODAY + D(days=60)).isoformat()}
    r = issue(db, admin, [cid])
    assert r.letters == [] and "dikecualikan" in r.skipped[0][1]
    assert queue(db, TODAY + D(days=61))[cid].exempt is None


def test_pimpinan_cannot_issue_or_cancel(office, admin):
    db = office
    cid = make_coop(db, admin)
    boss = make_user(db, "kadis", "pimpinan")
    with db.transaction(boss) as s, pytest.raises(PermissionDenied):
        teguran.issue(s, boss, [cid], renderer=None, today=TODAY)


def test_dissolved_and_dissolving_cooperatives_are_not_in_the_queue(office, admin):
    db = office
    cid = make_coop(db, admin, status="proses_pembubaran")
    assert cid not in queue(db)


def test_registry_status_not_found_or_inactive_is_a_ground_without_a_visit(office, admin):
    db = office
    lost = make_coop(db, admin, name="Koperasi Hilang", rat_years=(2023, 2024, 2025), status="tidak_ditemukan")
    idle = make_coop(db, admin, name="Koperasi Diam", rat_years=(2023, 2024, 2025), status="tidak_aktif")
    q = queue(db)
    assert q[lost].grounds == ["tidak_ditemukan"] and "status registri" in q[lost].reasons[0]
    assert q[idle].grounds == ["tidak_aktif_usaha"]


def test_the_queue_holds_only_the_cooperatives_of_the_region_the_office_governs(office, admin):
    """A kota office writes to its own cooperatives, not to those of a neighbour also in the database."""
    from kopdesk.models.office import OfficeProfile
    from kopdesk.models.services.registry import cooperatives as registry

    db = office
    ours = make_coop(db, admin, name="Koperasi Balikpapan", rat_years=(2023,))
    with db.transaction(admin) as s:
        theirs, _ = registry.create_cooperative(s, admin, {
            "name": "Koperasi Tarakan", "nik": "6571010000000777", "legal_number": "1/BH/2015",
            "legal_date": "2015-03-14", "address": "Jl. Yos Sudarso 1", "kabkota_code": "6571", "jenis": "konsumen",
            "status": "aktif"}, today=TODAY)
        theirs_id = theirs.id
    assert {ours, theirs_id} <= set(queue(db))  # no governed region set: every region
    with db.transaction(admin) as s:
        s.get(OfficeProfile, 1).region_code = "6471"
    q = queue(db)
    assert ours in q and theirs_id not in q
    with db.read() as s:
        everywhere = {i.cooperative_id for i in teguran.compute_queue(s, today=TODAY, region_code=None)}
    assert theirs_id in everywhere
