"""Registry benchmark: keystroke → first page of results shown, and process start → registry shown.

    QT_QPA_PLATFORM=offscreen python bench/bench_registry.py [--count 300000] [--db PATH]

Builds (once, cached at --db) a SQLite registry of --count cooperatives spread over every kelurahan of Indonesia
with tests.support.registry_sample (three book years of RAT), then prints:
  * start → registry shown: a fresh process that opens the database (migration check included), builds the main
    window for a signed-in user and waits until the first page and the count are painted; wall clock from the parent.
  * keystroke → first page shown: in process, the last key of a search term typed into the search box until the
    view holds the new first page and has repainted (view.grab()); with the page's debounce (30 ms for 3+ characters,
    250 ms for 1–2) and without it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = r"""
import time, sys, os
t0 = float(sys.argv[2])
# in the order of kopdesk.ui.app.start_gui: the database layer, then Qt
from kopdesk.models.db import Database
import kopdesk.models.queries
from kopdesk.models.services.administration.auth import Actor
t_models = time.time()
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QTimer
t_qt = time.time()
app = QApplication([])
app.setOrganizationName("KopDeskBench")
db = Database.open(sys.argv[1], integrity_check=False)
t_db = time.time()
from kopdesk.ui.main_window import MainWindow
w = MainWindow(db, Actor(user_id=1, username="bench", role="operator", full_name="Bench"))
page = w.registry_page()
t_win = time.time()
HEAVY = ("reportlab", "openpyxl", "xlsxwriter", "python_calamine", "PySide6.QtPdf", "cryptography")
state = {"rows": False, "count": False}
def done():
    if state["rows"] and state["count"]:
        w.grab()
        t = time.time()
        ms = lambda x: f"{(x - t0) * 1000:.0f}"
        print(f"{ms(t)} {ms(t_db)} {ms(t_qt)} {ms(t_models)} {ms(t_win)} {page.model.rowCount()} {page.count_label.text()!r}"
              f" {','.join(m for m in HEAVY if m in sys.modules) or '-'}")
        app.quit()
page.results_shown.connect(lambda n: (state.__setitem__("rows", True), done()))
page.count_shown.connect(lambda n: (state.__setitem__("count", True), done()))
w.show()
app.exec()
w.ctx.tasks.wait()
"""


def build(path: Path, count: int) -> None:
    from kopdesk.models.db import Database
    from tests.support import registry_sample

    t = time.perf_counter()
    db = Database.open(str(path))
    registry_sample.fill(db, count, None, officers_for=2000, with_rat_years=3)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("ANALYZE")
    db.dispose()
    print(f"built {count:,} cooperatives in {time.perf_counter() - t:.1f} s -> {path}")


def start_times(path: Path, runs: int) -> None:
    out = []
    for i in range(runs + 1):
        proc = subprocess.run([sys.executable, "-c", CHILD, str(path), repr(time.time())], capture_output=True,
                              text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
        line = proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else proc.stderr[-400:]
        if i == 0:
            print(f"  (warm-up) {line}")
            continue
        out.append(line)
    def med(i: int) -> float:
        return statistics.median(float(x.split()[i]) for x in out)

    totals = [float(x.split()[0]) for x in out]
    print(f"start → registry shown (first page + count painted): median {statistics.median(totals):.0f} ms, "
          f"min {min(totals):.0f}, max {max(totals):.0f} (n={runs})")
    print(f"  milestones (median, ms from process start): kopdesk models imported {med(3):.0f}, PySide6 imported "
          f"{med(2):.0f}, database open {med(1):.0f}, window built {med(4):.0f}, registry painted {med(0):.0f}")
    base = []
    for _ in range(runs):
        t = time.time()
        subprocess.run([sys.executable, "-c", "from PySide6.QtWidgets import QApplication, QMainWindow, QTableView;"
                        "a = QApplication([]); w = QMainWindow(); w.setCentralWidget(QTableView()); w.show(); w.grab()"],
                       capture_output=True)
        base.append((time.time() - t) * 1000)
    print(f"  floor on this machine now: bare PySide6 window painted {statistics.median(base):.0f} ms (median, n={runs})")
    print(f"  last run: {out[-1]}")


def keystrokes(path: Path, repeats: int) -> None:
    from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication([])
    app.setOrganizationName("KopDeskBench")
    db = Database.open(str(path))
    w = MainWindow(db, Actor(user_id=1, username="bench", role="operator", full_name="Bench"))
    w.resize(1440, 860)
    w.show()
    page = w.registry_page()

    def wait_for(signal, ms: int = 20000, trigger=lambda: None) -> None:  # type: ignore[no-untyped-def]
        """Call trigger() and wait for the signal; a figure measured past a timeout would be wrong, so raise."""
        loop = QEventLoop()
        fired: list[bool] = []
        connection = signal.connect(lambda *_a: (fired.append(True), loop.quit()))
        QTimer.singleShot(ms, loop.quit)
        trigger()
        if not fired:
            loop.exec()
        QObject.disconnect(connection)
        if not fired:
            raise TimeoutError(f"{signal} did not fire within {ms} ms")

    wait_for(page.count_shown)

    def one(term: str, debounce: bool) -> tuple[float, int]:
        page.search.blockSignals(True)
        page.search.setText(term[:-1])
        page.search.blockSignals(False)
        page._debounce.stop()

        def type_last_key() -> None:
            QTest.keyClick(page.search, term[-1])
            if not debounce:
                page.refresh()

        t = time.perf_counter()
        wait_for(page.results_shown, 20000, type_last_key)
        page.view.grab()
        ms = (time.perf_counter() - t) * 1000
        wait_for(page.count_shown, 5000) if page.count_label.text() == "Mencari…" else None
        return ms, page.model.rowCount()

    print(f"keystroke → first page shown and repainted (median of {repeats}):")
    for term in ["makmur", "sejahtera jaya", "ksp", "647101", "BH/64", "zzqx", "ma"]:
        with_d = sorted(one(term, True)[0] for _ in range(repeats))
        without = []
        rows = 0
        for _ in range(repeats):
            ms, rows = one(term, False)
            without.append(ms)
        page.search.clear()
        wait_for(page.count_shown, 20000)
        print(f"  {term!r:18} {statistics.median(with_d):7.1f} ms with debounce, "
              f"{statistics.median(without):6.1f} ms query+paint ({rows} rows in first page, {page_count(db, term)})")
    # sort and deep scroll
    t = time.perf_counter()
    wait_for(page.results_shown, 20000, lambda: page.view.sortByColumn(1, Qt.SortOrder.DescendingOrder))
    page.view.grab()
    print(f"sort the whole registry by NIK (descending), first page shown: {(time.perf_counter() - t) * 1000:.0f} ms")
    t = time.perf_counter()
    for _ in range(10):
        page.model.fetchMore()
    print(f"scroll: 10 further pages of 200 rows via fetchMore: {(time.perf_counter() - t) * 1000 / 10:.1f} ms per page")
    w.ctx.tasks.wait()


def page_count(db, term: str) -> str:
    from kopdesk.models import queries
    from kopdesk.models.formats import format_count

    with db.read() as s:
        return f"{format_count(queries.count(s, queries.RegistryFilter(text=term)))} koperasi"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--count", type=int, default=300_000)
    ap.add_argument("--db", default=str(Path(tempfile.gettempdir()) / "kopdesk-bench-registry.sqlite"))
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--only", choices=["start", "keys"])
    args = ap.parse_args()
    path = Path(args.db)
    os.environ.setdefault("KOPDESK_DATA_DIR", tempfile.mkdtemp())
    if not path.exists():
        build(path, args.count)
    if args.only != "keys":
        start_times(path, args.runs)
    if args.only != "start":
        keystrokes(path, 3)


if __name__ == "__main__":
    main()
