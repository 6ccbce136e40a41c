"""Screenshots of the supervision pages on a Balikpapan-like data set: docs/img/home.png and the others.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python bench/screenshots_supervision.py [OUT_DIR]
Also prints how long the demo supervision step and the home figures take.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

JENIS = [("jasa", "konvensional", 19), ("konsumen", "konvensional", 354), ("pemasaran", "konvensional", 14),
         ("simpan_pinjam", "konvensional", 15), ("simpan_pinjam", "syariah", 5), ("produsen", "konvensional", 33)]
ACTIVE = {"647102": 36, "647104": 62, "647106": 143, "647105": 82, "647103": 76, "647101": 40}


def balikpapan(db) -> None:  # type: ignore[no-untyped-def]
    """587 registered, 440 active by the seed's kecamatan and type figures (one active without kecamatan)."""
    from kopdesk.models.cooperative import Cooperative, StatusChange
    from kopdesk.models.office import OfficeProfile
    from kopdesk.models.services.administration.auth import Actor

    reg = dt.date(2015, 3, 1)
    kecs = [k for k, n in ACTIVE.items() for _ in range(n)] + [None]
    types = [(j, p) for j, p, n in JENIS for _ in range(n)]
    rows = [(k, "aktif", *types[i]) for i, k in enumerate(kecs)]
    rows += [(list(ACTIVE)[i % 6], "tidak_aktif", "konsumen", "konvensional") for i in range(587 - 440)]
    with db.transaction(Actor.system("demo")) as s:
        p = s.get(OfficeProfile, 1)
        p.region_code, p.city = "6471", "Balikpapan"
        p.government, p.name = "Pemerintah Kota Balikpapan", "Dinas Koperasi, UMKM dan Perindustrian"
        coops = [Cooperative(name=f"Koperasi {j.replace('_', ' ').title()} {i:03d}", nik=f"6471{i:012d}",
                             address=f"Jl. Contoh No. {i}", province_code="64", kabkota_code="6471", kecamatan_code=k,
                             jenis=j, pola=pl, status=st, registered_on=reg, status_date=reg, legal_date=dt.date(2010, 1, 1))
                 for i, (k, st, j, pl) in enumerate(rows, start=1)]
        s.add_all(coops)
        s.flush()
        s.add_all([StatusChange(cooperative_id=c.id, to_status=c.status, effective_date=reg, source="demo",
                                username="demo") for c in coops])


def wait_until(condition: Callable[[], bool], what: str, timeout_s: float = 60) -> None:
    """Let Qt run until ``condition()`` holds (the page shows its data), or fail: never a screenshot of a page
    still loading, however the page loads (on the UI thread today, through the task runner later)."""
    from PySide6.QtTest import QTest

    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what}: not shown within {timeout_s:.0f} s")
        QTest.qWait(20)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "img",
                    help="folder for home.png, pemutakhiran.png, rat.png and kesehatan.png (default: docs/img)")
    out = ap.parse_args().out

    from PySide6.QtWidgets import QApplication

    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.demo.supervision import add_supervision
    from kopdesk.models.services.reporting import home
    from kopdesk.ui.context import AppContext
    from kopdesk.ui.reports.home_page import HomePage
    from kopdesk.ui.supervision.kesehatan_page import KesehatanPage
    from kopdesk.ui.supervision.pemutakhiran_page import PemutakhiranPage
    from kopdesk.ui.supervision.rat_page import RatPage
    from kopdesk.ui.tasks import TaskRunner

    _app = QApplication.instance() or QApplication(sys.argv[:1])  # kept alive until the end
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.open(str(Path(tmp) / "shots.sqlite"))
        balikpapan(db)
        t0 = time.perf_counter()
        summary = add_supervision(db)
        print(f"add_supervision: {time.perf_counter() - t0:.2f} s — {summary}")
        t0 = time.perf_counter()
        with db.read() as s:
            home.figures(s)
        print(f"home.figures: {(time.perf_counter() - t0) * 1000:.0f} ms")
        ctx = AppContext(db=db, actor=Actor.system("admin"), tasks=TaskRunner())
        # What each page shows once loaded: the figures, the closed round's visits, the book year's RAT, the list.
        shown: dict[str, Callable[[Any], bool]] = {
            "home": lambda p: p.figures is not None and p.figures.round_checked == summary.checked,
            "pemutakhiran": lambda p: p.model.rowCount() == summary.checked,
            "rat": lambda p: p.summary is not None and p.summary.book_year == summary.rat_book_year,
            "kesehatan": lambda p: p.by_predikat.rowCount() == summary.assessed,
        }
        for cls, name, size in ((HomePage, "home", (1100, 760)), (PemutakhiranPage, "pemutakhiran", (1280, 760)),
                                (RatPage, "rat", (1280, 700)), (KesehatanPage, "kesehatan", (1280, 700))):
            page = cls(ctx)
            page.resize(*size)
            if isinstance(page, RatPage):
                page.year.setValue(summary.rat_book_year)
            page.show()
            wait_until(lambda p=page, n=name: shown[n](p), name)
            wait_until(lambda: not ctx.tasks.busy, f"{name}: background work")
            page.grab().save(str(out / f"{name}.png"))
            page.close()
            print(f"saved {out / (name + '.png')}")
        ctx.tasks.wait()
        db.dispose()


if __name__ == "__main__":
    main()
    sys.stdout.flush()
    os._exit(0)  # skip PySide's teardown at interpreter exit (it can abort after the pages are gone)
