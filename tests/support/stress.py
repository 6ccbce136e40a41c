"""A load harness: simulated clerks in separate processes work against one database, then the run is proven.

Each clerk is a process with its own engine and user. It loops until its deadline over the operations of
:data:`OPERATIONS`, each a plain function ``op(db, actor, rng, state) -> Outcome``, and writes what it saw (the
saves that reported success, the conflicts it was told about) to a JSON file. :func:`verify` then proves, from
the database alone, that every reported success is there, that nothing was silently overwritten, that document
numbers are unique and gapless, and that the audit trail has one entry per change.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import os
import random
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from kopdesk.models.audit import AuditEntry
from kopdesk.models.cooperative import Cooperative
from kopdesk.models.db import Database
from kopdesk.models.errors import ConflictError, DomainError
from kopdesk.models.services.administration.auth import Actor

HOT_SET = 12  # edits concentrate on a few cooperatives so that conflicts happen on purpose


@dataclass
class Outcome:
    """What one operation reported to its clerk."""

    op: str
    ok: bool
    conflict: bool = False
    facts: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


def op_edit(db: Database, actor: Actor, rng: random.Random, state: dict[str, Any], *,
            together: Any = None) -> Outcome:
    """Load a cooperative, think a moment, save a new note with a unique marker (conflicts expected).

    Args:
        together: a multiprocessing Barrier shared by all clerks: they all load the first hot cooperative, wait
            until every one has it open, then all save, so that all but one are told of a conflict.
    """
    from kopdesk.models.services.registry.cooperatives import update_cooperative

    coop_id = state["hot_ids"][0] if together is not None else rng.choice(state["hot_ids"])
    with db.read() as s:
        version = s.scalar(select(Cooperative.version).where(Cooperative.id == coop_id))
    if together is not None:
        together.wait(timeout=300)
    else:
        time.sleep(rng.random() * 0.01)  # a clerk's think time, which lets other clerks' saves come in between
    marker = f"{actor.username}#{state['n']}"
    try:
        with db.transaction(actor) as s:
            update_cooperative(s, actor, coop_id, version, {"notes": marker})
    except ConflictError as exc:
        return Outcome("edit", False, conflict=True, facts={"coop": coop_id, "version": version,
                                                            "named": len(exc.changes)})
    return Outcome("edit", True, facts={"coop": coop_id, "version": version, "marker": marker})


OPERATIONS: dict[str, tuple[Callable[..., Outcome], int]] = {"edit": (op_edit, 6)}
"""name -> (operation, weight). Issues that add services register their operations here."""


def register_operation(name: str, fn: Callable[..., Outcome], weight: int) -> None:
    OPERATIONS[name] = (fn, weight)


def _clerk(url: str, username: str, seconds: float, seed: int, out: str, ops: list[str], together: Any = None) -> None:
    import tests.support.stress_ops  # noqa: F401 - registers the operations of later services

    db = Database(url, pool_size=2)
    rng = random.Random(seed)
    with db.read() as s:
        from kopdesk.models.user import User

        user = s.scalar(select(User).where(User.username == username))
        actor = Actor.of(user)
        hot = list(s.scalars(select(Cooperative.id).where(Cooperative.nik.like("6471019%")).order_by(Cooperative.id).limit(HOT_SET)))
    state: dict[str, Any] = {"hot_ids": hot, "n": 0}
    names = [o for o in ops if o in OPERATIONS]
    weights = [OPERATIONS[o][1] for o in names]
    outcomes: list[dict[str, Any]] = []
    if together is not None and "edit" in names:
        # All clerks open the same cooperative and save it at once: a conflict on every run, however slow the
        # machine (the random edits below meet only by chance).
        together.wait(timeout=300)
        outcomes.append(asdict(op_edit(db, actor, rng, state, together=together)))
    deadline = time.monotonic() + seconds
    # Every operation once first (in this clerk's own order), then by weight until the deadline: on a busy machine
    # a clerk may get through only a few operations, and a kind that never ran would prove nothing.
    first = rng.sample(names, len(names))
    while first or time.monotonic() < deadline:
        state["n"] += 1
        name = first.pop() if first else rng.choices(names, weights)[0]
        try:
            outcome = OPERATIONS[name][0](db, actor, rng, state)
        except DomainError as exc:
            outcome = Outcome(name, False, error=f"{type(exc).__name__}: {exc}")
        except Exception as exc:
            outcome = Outcome(name, False, error=f"UNEXPECTED {type(exc).__name__}: {exc}")
        outcomes.append(asdict(outcome))
    db.dispose()
    Path(out).write_text(json.dumps(outcomes))


@dataclass
class Report:
    """The run's figures and what :func:`verify` found."""

    clerks: int
    seconds: float
    ops: Counter[str]
    successes: Counter[str]
    conflicts: int
    errors: list[str]
    problems: list[str]

    @property
    def ops_per_second(self) -> float:
        return sum(self.ops.values()) / self.seconds if self.seconds else 0.0

    def text(self) -> str:
        lines = [f"{self.clerks} petugas, {self.seconds:.1f} s, {sum(self.ops.values())} operasi, "
                 f"{self.ops_per_second:.1f} operasi/detik, {self.conflicts} konflik dilaporkan"]
        for name in sorted(self.ops):
            lines.append(f"  {name:<12} {self.ops[name]:>6} dicoba, {self.successes[name]:>6} berhasil")
        lines += [f"  GALAT: {e}" for e in self.errors[:20]]
        lines += [f"  MASALAH: {p}" for p in self.problems] or ["  Bukti: semua pemeriksaan lolos."]
        return "\n".join(lines)


def prepare(db: Database, clerks: int, cooperatives: int = 40) -> list[str]:
    """Users for the clerks and a few cooperatives to work on (idempotent)."""
    from kopdesk.models.services.administration import auth
    from kopdesk.models.services.registry import cooperatives as registry
    from kopdesk.models.user import User

    names = [f"petugas{i:02d}" for i in range(1, clerks + 1)]
    system = Actor.system("stress")
    with db.transaction(system) as s:
        existing = set(s.scalars(select(User.username)))
        if not existing:
            auth.create_user(s, None, username="admin", full_name="Admin", role="admin", password="stress-123",
                             first_admin=True)
        for name in names:
            if name not in existing:
                s.add(User(username=name, full_name=name.title(), role="operator",
                           password_hash=auth.hash_password("stress-123"), active=True))
        # The harness's own cooperatives have their own NIK range, so a database with other data still works.
        have = set(s.scalars(select(Cooperative.nik).where(Cooperative.nik.like("6471019%"))))
        for i in range(cooperatives):
            nik = f"6471019{i:09d}"
            if nik in have:
                continue
            registry.create_cooperative(s, system, {
                "name": f"Koperasi Uji Beban {i:03d}", "nik": nik, "legal_number": f"{i}/BH/2001",
                "legal_date": "2001-01-01", "address": f"Jl. Uji No. {i}", "kabkota_code": "6471",
                "kecamatan_code": "647101", "jenis": "konsumen"})
    from tests.support import stress_ops

    stress_ops.prepare_extra(db, clerks)
    return names


def run(url: str, *, clerks: int = 20, seconds: float = 60.0, ops: list[str] | None = None, seed: int = 1,
        workdir: str | None = None) -> Report:
    """Start the clerks as processes, wait for them, and verify the database."""
    import tempfile

    import tests.support.stress_ops  # noqa: F401

    db = Database.open(url)
    names = prepare(db, clerks)
    with db.read() as s:
        audit_before = s.scalar(select(func.max(AuditEntry.id))) or 0
    db.dispose()
    ops = ops or list(OPERATIONS)
    work = Path(workdir or tempfile.mkdtemp(prefix="kopdesk-stress-"))
    ctx = mp.get_context("spawn")
    started = time.monotonic()
    procs = []
    together = ctx.Barrier(len(names)) if len(names) > 1 else None
    for i, name in enumerate(names):
        out = str(work / f"{name}.json")
        p = ctx.Process(target=_clerk, args=(url, name, seconds, seed * 1000 + i, out, ops, together))
        p.start()
        procs.append((p, out))
    for p, _ in procs:
        p.join(timeout=seconds + 120)
        if p.is_alive():
            p.kill()
    elapsed = time.monotonic() - started
    outcomes: list[dict[str, Any]] = []
    errors: list[str] = []
    for p, out in procs:
        if not os.path.exists(out):
            errors.append(f"petugas berhenti tanpa laporan (kode keluar {p.exitcode})")
            continue
        outcomes += json.loads(Path(out).read_text())
    db = Database(url)
    try:
        problems = verify(db, outcomes, audit_before)
    finally:
        db.dispose()
    errors += [o["error"] for o in outcomes if o.get("error") and o["error"].startswith("UNEXPECTED")]
    return Report(
        clerks=clerks, seconds=elapsed, ops=Counter(o["op"] for o in outcomes),
        successes=Counter(o["op"] for o in outcomes if o["ok"]), conflicts=sum(1 for o in outcomes if o["conflict"]),
        errors=errors, problems=problems,
    )


VERIFIERS: list[Callable[[Database, list[dict[str, Any]], int], list[str]]] = []
"""Extra proofs registered by the operations of later services."""


def verify(db: Database, outcomes: list[dict[str, Any]], audit_before: int) -> list[str]:
    """Prove the run from the database; return the problems found (empty = all proven)."""
    problems: list[str] = []
    edits = [o for o in outcomes if o["op"] == "edit"]
    ok = [o for o in edits if o["ok"]]
    with db.read() as s:
        notes = s.execute(
            select(AuditEntry.new_value, AuditEntry.username, AuditEntry.entity_id)
            .where(AuditEntry.id > audit_before, AuditEntry.entity == "cooperative", AuditEntry.field == "notes")
        ).all()
        final = dict(s.execute(select(Cooperative.id, Cooperative.notes)).all())
        versions = dict(s.execute(select(Cooperative.id, Cooperative.version)).all())
    written = Counter(n[0] for n in notes)
    # 1. Every save that reported success is in the database (its audit entry, exactly once).
    for o in ok:
        if written[o["facts"]["marker"]] != 1:
            problems.append(f"simpanan {o['facts']['marker']} dilaporkan berhasil tetapi tercatat {written[o['facts']['marker']]} kali")
    # 2. Nothing silently overwritten: per cooperative, each loaded version led to at most one successful save,
    #    and the final value is the last successful save.
    by_coop: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for o in ok:
        by_coop[o["facts"]["coop"]].append(o)
    for coop, saves in by_coop.items():
        loaded = Counter(o["facts"]["version"] for o in saves)
        dupes = [v for v, n in loaded.items() if n > 1]
        if dupes:
            problems.append(f"koperasi {coop}: dua simpanan berhasil dari versi yang sama {dupes} (lost update)")
        last = max(saves, key=lambda o: o["facts"]["version"])
        if final.get(coop) != last["facts"]["marker"]:
            problems.append(f"koperasi {coop}: nilai akhir {final.get(coop)!r} bukan simpanan terakhir {last['facts']['marker']!r}")
    # 3. One audit entry per change: no audited note change that no clerk was told succeeded.
    reported = {o["facts"]["marker"] for o in ok}
    extra = [n[0] for n in notes if n[0] not in reported]
    if extra:
        problems.append(f"{len(extra)} perubahan di jejak audit tanpa simpanan yang dilaporkan berhasil")
    for verifier in VERIFIERS:
        problems += verifier(db, outcomes, audit_before)
    del versions
    return problems


def main(argv: list[str] | None = None) -> int:  # pragma: no cover - the bench entry point
    import argparse

    p = argparse.ArgumentParser(description="Uji beban KopDesk: banyak petugas sekaligus, lalu pembuktian.")
    p.add_argument("--db", required=True, help="URL basis data (PostgreSQL) atau path SQLite")
    p.add_argument("--clerks", type=int, default=20)
    p.add_argument("--seconds", type=float, default=60)
    p.add_argument("--ops", help="operasi dipisah koma (bawaan: semua)")
    args = p.parse_args(argv)
    from kopdesk.models.db import resolve_url

    report = run(resolve_url(args.db).render_as_string(hide_password=False), clerks=args.clerks,
                 seconds=args.seconds, ops=args.ops.split(",") if args.ops else None)
    print(report.text())
    return 1 if report.problems or report.errors else 0
