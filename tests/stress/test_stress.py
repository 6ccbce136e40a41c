"""The load harness in its small form: clerks in separate processes, conflicts on purpose, then the proofs."""

from __future__ import annotations

from tests.support import stress


def test_stress_on_postgresql(pg_db, pg_template_url):
    # pg_db empties the shared database first, so earlier tests' cooperatives cannot collide with the harness's.
    pg_db.dispose()
    report = stress.run(pg_template_url, clerks=6, seconds=8)
    print(report.text())
    assert report.errors == []
    assert report.problems == []
    assert report.successes["edit"] > 0 and report.conflicts > 0
    for op in ("rat", "visit", "letter", "certificate", "import"):
        assert report.successes[op] > 0, op


def test_stress_on_sqlite_with_four_processes(sqlite_db):
    url = sqlite_db.url.render_as_string(hide_password=False)
    sqlite_db.dispose()
    report = stress.run(url, clerks=4, seconds=6)
    print(report.text())
    assert report.errors == [] and report.problems == []
    assert report.successes["edit"] > 0


def test_verify_detects_a_lost_update(sqlite_db):
    """The proof must fail when a save reported as successful is missing, and when two saves share a version."""
    stress.prepare(sqlite_db, 1)
    outcomes = [
        {"op": "edit", "ok": True, "conflict": False, "facts": {"coop": 1, "version": 1, "marker": "x#1"}, "error": None},
        {"op": "edit", "ok": True, "conflict": False, "facts": {"coop": 1, "version": 1, "marker": "y#1"}, "error": None},
    ]
    problems = stress.verify(sqlite_db, outcomes, 0)
    assert any("lost update" in p for p in problems)
    assert any("dilaporkan berhasil" in p for p in problems)


def test_verify_detects_missing_documents_and_gaps(sqlite_db):
    """The document proofs fail on a reported letter/certificate that is not there, and on a gap in the serials."""
    from sqlalchemy import update

    from kopdesk.models.office import Counter
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.certificates import issuing as certificates
    from tests.support import stress_ops

    stress.prepare(sqlite_db, 1)
    system = Actor.system("t")
    with sqlite_db.transaction(system) as s:
        certificates.issue(s, system, stress_ops._ids(sqlite_db, stress_ops.CERT_PREFIX, 1), kind="nik")
    outcomes = [{"op": "letter", "ok": True, "conflict": False, "error": None,
                 "facts": {"letters": [{"id": 999, "number": "999/X/2026"}]}},
                {"op": "certificate", "ok": True, "conflict": False, "error": None, "facts": {"serials": ["NIK.2026.000009"]}}]
    problems = stress_ops.verify_documents(sqlite_db, outcomes, 0)
    assert any("999/X/2026" in p for p in problems)
    assert any("NIK.2026.000009" in p for p in problems)
    with sqlite_db.transaction(system) as s:
        s.execute(update(Counter).where(Counter.name == "certificate.nik").values(last_no=Counter.last_no + 1))
    assert any("penghitung" in p for p in stress_ops.verify_documents(sqlite_db, [], 0))
