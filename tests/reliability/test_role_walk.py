"""Every service that changes data checks the role: walked for admin, operator and pimpinan.

WRITE_SERVICES lists each write function with how to call it and the permission it needs. Each is called as each
role; PermissionDenied must come exactly when PERMISSIONS says the role lacks the permission, and a refused call
must leave the database (and the backups folder) exactly as it was. An allowed call either succeeds or raises a
DomainError (a later role may find the work already done); any other exception fails the walk with its traceback,
and every entry must succeed for at least one role. A meta-test fails when a public service function that writes is
neither listed here nor exempted with a reason.
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from kopdesk.models.cooperative import Cooperative
from kopdesk.models.errors import DomainError, PermissionDenied
from kopdesk.models.lookup import Kelompok
from kopdesk.models.rat import RatRecord
from kopdesk.models.services.administration import auth, backup, office, settings
from kopdesk.models.services.administration.auth import PERMISSIONS, Actor
from kopdesk.models.services.certificates import issuing as certificates
from kopdesk.models.services.exchange import lookups, ods_import
from kopdesk.models.services.letters import teguran
from kopdesk.models.services.registry import cooperatives as registry
from kopdesk.models.services.supervision import health, pemutakhiran
from kopdesk.models.services.supervision import rat as rat_compliance
from kopdesk.models.user import User
from tests.conftest import make_user
from tests.reliability.fingerprint import fingerprint
from tests.support.stress_ops import write_workbook

SERVICES = Path(__file__).resolve().parents[2] / "kopdesk" / "models" / "services"
TODAY = dt.date.today()
_n = itertools.count(1)


def _coop_data(nik: str, name: str) -> dict[str, Any]:
    return {"name": name, "nik": nik, "legal_number": f"{nik}/BH/2001", "legal_date": "2001-01-01",
            "address": "Jl. Peran", "kabkota_code": "6471", "kecamatan_code": "647101", "jenis": "konsumen"}


def _scores(s):  # type: ignore[no-untyped-def]
    return {a["code"]: 80 for a in health.get_scheme(s, "kkpkk_2021")["aspects"]}


def _version(s, cid):  # type: ignore[no-untyped-def]
    return s.scalar(select(Cooperative.version).where(Cooperative.id == cid))


def _newest_backup(c) -> Path:  # type: ignore[no-untyped-def]
    """The backup the walk's backup.backup made (a name that does not exist where it could make none)."""
    made = sorted(p for p in c["backups"].iterdir() if p.suffix == ".sqlite")
    return made[-1] if made else c["backups"] / "tidak-ada.sqlite"


S = "session"  # called as fn(session, actor, ctx) inside db.transaction(actor)
D = "db"  # called as fn(db, actor, ctx): the service opens its own transaction (or works on files)

# (qualified name, permission, kind, call)
WRITE_SERVICES: list[tuple[str, str, str, Callable[..., Any]]] = [
    ("auth.create_user", "users.manage", S, lambda s, a, c: auth.create_user(
        s, a, username=f"baru{next(_n)}", full_name="Pengguna Baru", role="operator", password="rahasia-123")),
    ("auth.update_user", "users.manage", S, lambda s, a, c: auth.update_user(s, a, c["user_id"], full_name=f"Nama {next(_n)}")),
    ("backup.backup", "backup", D, lambda db, a, c: backup.backup(db, c["backups"], actor=a)),
    ("backup.restore_database", "backup", D, lambda db, a, c: backup.restore_database(db, _newest_backup(c), actor=a)),
    ("issuing.issue", "documents.issue", S, lambda s, a, c: certificates.issue(s, a, [c["cert_coop"]], kind="nik")),
    ("issuing.revoke", "certificates.revoke", S, lambda s, a, c: certificates.revoke(s, a, c["serial"], "Salah cetak")),
    ("issuing.record_reprint", "documents.issue", S, lambda s, a, c: certificates.record_reprint(
        s, a, certificates.certificates_by_serials(s, [c["serial"]]))),
    ("health.record_assessment", "supervision.write", S, lambda s, a, c: health.record_assessment(
        s, a, c["coop"], TODAY.year - 1, "kkpkk_2021", _scores(s), assessed_on=TODAY)),
    ("ods_import.apply_import", "import", S, lambda s, a, c: ods_import.apply_import(s, a, ods_import.preview_import(s, c["wb"]))),
    ("ods_import.import_file", "import", D, lambda db, a, c: ods_import.import_file(db, a, c["wb2"])),
    ("lookups.add_kelompok_alias", "settings.manage", S, lambda s, a, c: lookups.add_kelompok_alias(
        s, a, c["kelompok"], f"Alias Peran {next(_n)}")),
    ("lookups.remove_kelompok_alias", "settings.manage", S, lambda s, a, c: lookups.remove_kelompok_alias(
        s, a, c["alias"])),
    ("office.update_profile", "settings.manage", S, lambda s, a, c: office.update_profile(
        s, a, office.get_profile(s).version, {"phone": f"0551-{next(_n)}"})),
    ("office.list_users", "users.manage", S, lambda s, a, c: office.list_users(s, a)),
    ("pemutakhiran.create_round", "supervision.write", S, lambda s, a, c: pemutakhiran.create_round(
        s, a, f"Putaran {next(_n)}", cooperative_ids=[c["coop"]])),
    ("pemutakhiran.assign_officer", "supervision.write", S, lambda s, a, c: pemutakhiran.assign_officer(
        s, a, c["round"], None, f"Petugas {next(_n)}")),
    ("pemutakhiran.remove_officer", "supervision.write", S, lambda s, a, c: pemutakhiran.remove_officer(s, a, c["officer"])),
    ("pemutakhiran.record_visit", "supervision.write", S, lambda s, a, c: pemutakhiran.record_visit(
        s, a, c["round"], c["coop"], {"visit_date": TODAY, "found_at_address": "Ya", "notes": f"v{next(_n)}"})),
    ("pemutakhiran.clear_visit", "supervision.write", S, lambda s, a, c: pemutakhiran.clear_visit(s, a, c["round"], c["coop"])),
    ("pemutakhiran.close_round", "supervision.write", S, lambda s, a, c: pemutakhiran.close_round(s, a, c["round_close"])),
    ("pemutakhiran.delete_round", "supervision.write", S, lambda s, a, c: pemutakhiran.delete_round(s, a, c["round_delete"])),
    ("rat.record_rat", "supervision.write", S, lambda s, a, c: rat_compliance.record_rat(
        s, a, c["rat_coop"], TODAY.year - 1, {"rat_date": dt.date(TODAY.year, 1, 15), "notes": f"r{next(_n)}"}, today=TODAY)),
    ("rat.delete_rat", "supervision.write", S, lambda s, a, c: rat_compliance.delete_rat(s, a, c["cert_coop"], TODAY.year - 1)),
    ("rat.bulk_mark", "supervision.write", S, lambda s, a, c: rat_compliance.bulk_mark(
        s, a, TODAY.year - 2, [rat_compliance.MarkRow(1, c["rat_nik"], rat_date=dt.date(TODAY.year - 1, 3, 1))], today=TODAY)),
    ("cooperatives.create_cooperative", "registry.write", S, lambda s, a, c: registry.create_cooperative(
        s, a, _coop_data(f"6471010{next(_n):09d}", f"Koperasi Peran {next(_n)}"))),
    ("cooperatives.update_cooperative", "registry.write", S, lambda s, a, c: registry.update_cooperative(
        s, a, c["rat_coop"], _version(s, c["rat_coop"]), {"notes": f"n{next(_n)}"})),
    ("cooperatives.change_status", "registry.write", S, lambda s, a, c: registry.change_status(
        s, a, c["status_coop"], "tidak_aktif", reason="Uji peran")),
    ("settings.put", "settings.manage", S, lambda s, a, c: settings.put(s, a, "teguran.response_days", 30 + next(_n))),
    ("teguran.issue", "documents.issue", S, lambda s, a, c: teguran.issue(s, a, [c["coop"]], renderer=None)),
    ("teguran.cancel", "documents.cancel", S, lambda s, a, c: teguran.cancel(s, a, c["letter"], "Salah alamat")),
    ("teguran.record_response", "documents.issue", S, lambda s, a, c: teguran.record_response(s, a, c["letter2"], TODAY)),
    ("teguran.record_delivery", "documents.issue", S, lambda s, a, c: teguran.record_delivery(s, a, c["letter2"], "dikirim", TODAY)),
    ("teguran.add_exemption", "documents.issue", S, lambda s, a, c: teguran.add_exemption(
        s, a, c["coop"], "Sedang proses penggabungan", TODAY + dt.timedelta(days=60))),
]

# Entries that no role can carry out on a backend, each with the reason; every other entry must succeed at least once.
NEVER_SUCCEED = {
    ("backup.backup", "postgresql"): "PostgreSQL is backed up on the server (pg_dump); the service refuses with BackupError",
    ("backup.restore_database", "postgresql"): "likewise: restore is for SQLite files only",
}

# Public service functions that write but are not user actions of their own, each with the reason.
EXEMPT = {
    "audit.write_entry": "writes only the audit entry of a change inside a service that checked the role",
    "auth.authenticate": "sign-in: anyone may try; it records the attempt (LoginAttempt)",
    "bootstrap.ensure_seeded": "seeds the regions when a database is opened (system, not a user action)",
    "issuing.take_numbers": "counter helper inside issuing.issue, which checks documents.issue",
    "numbering.take_numbers": "counter helper inside services that checked the role",
    "office.get_profile": "creates the one office profile row on first read (no user data)",
    "signing.trust_key": "registers the office's public key inside issuing.issue (checked there)",
}

WRITE_ATTRS = {"add", "add_all", "delete", "flush", "merge"}
WRITE_CALLS = {"insert", "update", "delete", "write_entry", "pg_insert", "require"}


def write_functions() -> set[str]:
    """Public top-level functions of the service modules that write to a session or check a permission."""
    found = set()
    for path in sorted(SERVICES.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
                continue
            for n in ast.walk(node):
                if not isinstance(n, ast.Call):
                    continue
                f = n.func
                if (isinstance(f, ast.Attribute) and f.attr in WRITE_ATTRS and isinstance(f.value, ast.Name)
                        and f.value.id in ("s", "session", "conn")) or (isinstance(f, ast.Name) and f.id in WRITE_CALLS):
                    found.add(f"{path.stem}.{node.name}")
                    break
    return found


def test_every_write_service_is_walked_or_exempted():
    listed = {name for name, *_ in WRITE_SERVICES}
    missing = write_functions() - listed - set(EXEMPT)
    assert not missing, f"service functions that write without a role-walk entry (add them to WRITE_SERVICES): {sorted(missing)}"
    stale = (listed | set(EXEMPT)) - write_functions()
    assert not stale, f"entries for functions that no longer write or exist: {sorted(stale)}"
    for name, perm, *_ in WRITE_SERVICES:
        assert any(perm in perms for perms in PERMISSIONS.values()), (name, perm)


@pytest.fixture
def world(db, tmp_path):  # type: ignore[no-untyped-def]
    """Users of the three roles and one of everything the write services act on."""
    admin = make_user(db, "admin", "admin")
    users = {"admin": admin, "operator": make_user(db, "operator1", "operator"),
             "pimpinan": make_user(db, "pimpinan1", "pimpinan")}
    system = Actor.system("uji")
    c: dict[str, Any] = {"backups": tmp_path / "cadangan"}
    c["backups"].mkdir()
    with db.transaction(system) as s:
        prof = office.get_profile(s)
        office.update_profile(s, system, prof.version, {"name": "Dinas Koperasi Uji", "city": "Tarakan",
                                                         "signatory_name": "Budi", "signatory_title": "Kepala Dinas"})
        ids = {}
        for key, nik in (("coop", "6471011000000001"), ("coop2", "6471011000000002"), ("cert_coop", "6471011000000003"),
                         ("rat_coop", "6471011000000004"), ("status_coop", "6471011000000005")):
            coop, _ = registry.create_cooperative(s, system, _coop_data(nik, f"Koperasi {key}"))
            s.flush()
            ids[key] = coop.id
        c.update(ids, rat_nik="6471011000000004")
        for year in range(TODAY.year - 3, TODAY.year):
            s.add(RatRecord(cooperative_id=ids["cert_coop"], book_year=year, rat_date=dt.date(year + 1, 3, 1)))
        s.flush()
        c["serial"] = certificates.issue(s, system, [ids["cert_coop"]], kind="nik")[0].serial
        rounds = [pemutakhiran.create_round(s, system, f"Putaran {k}", cooperative_ids=[ids["coop"]]).id for k in range(3)]
        c["round"], c["round_close"], c["round_delete"] = rounds
        c["officer"] = pemutakhiran.assign_officer(s, system, c["round"], None, "Petugas Hapus").id
        letters = teguran.issue(s, system, [ids["coop2"], ids["status_coop"]], renderer=None).letters
        c["letter"], c["letter2"] = letters[0]["id"], letters[1]["id"]
        c["user_id"] = s.scalar(select(User.id).where(User.username == "operator1"))
        c["kelompok"] = s.scalar(select(Kelompok.id).where(Kelompok.name == "Koperasi Wanita (Kopwan)"))
        c["alias"] = lookups.add_kelompok_alias(s, system, c["kelompok"], "Koperasi Ibu-Ibu").id
    c["wb"] = write_workbook(tmp_path / "a.xlsx", [("Koperasi Impor Peran", "6571019900000001")])
    c["wb2"] = write_workbook(tmp_path / "b.xlsx", [("Koperasi Impor Peran Dua", "6571019900000002")])
    return db, users, c


def _backups(c) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(p.name for p in c["backups"].iterdir())


@pytest.mark.parametrize("role_order", [("pimpinan", "operator", "admin")])
def test_role_walk(world, role_order, request):
    db, users, c = world
    backend = request.node.callspec.params["db"]
    findings: list[str] = []
    succeeded: set[str] = set()
    for name, perm, kind, call in WRITE_SERVICES:
        for role in role_order:
            actor = users[role]
            may = perm in PERMISSIONS[role]
            before, files = fingerprint(db), _backups(c)
            try:
                if kind == S:
                    with db.transaction(actor) as s:
                        call(s, actor, c)
                else:
                    call(db, actor, c)
                outcome: DomainError | None = None
            except DomainError as exc:  # anything else is a bug (or a wrong call here): it fails the walk
                outcome = exc
            except Exception as exc:
                raise AssertionError(f"{name} as {role}: {type(exc).__name__} is not a DomainError") from exc
            denied = isinstance(outcome, PermissionDenied)
            if denied != (not may):
                findings.append(f"{name} as {role}: {'refused' if denied else 'allowed'} ({outcome!r}), "
                                f"PERMISSIONS says {'allowed' if may else 'refused'}")
            if denied:
                if fingerprint(db) != before or _backups(c) != files:
                    findings.append(f"{name} as {role}: refused but something was written")
                assert "tidak berhak" in str(outcome)
            elif outcome is None:
                succeeded.add(name)
    assert not findings, "\n".join(findings)
    # The table is real: each entry's call goes through for some role, not only refused for another reason.
    expected = {name for name, *_ in WRITE_SERVICES} - {name for name, b in NEVER_SUCCEED if b == backend}
    assert not expected - succeeded, f"never succeeded for any role (fix the call data): {sorted(expected - succeeded)}"
    assert not succeeded & {name for name, b in NEVER_SUCCEED if b == backend}, "NEVER_SUCCEED is stale"
