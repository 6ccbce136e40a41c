"""Start-up pays only for what the first page needs: the window opens on the registry without the renderers, the
Excel and PDF libraries, QtPdf, or the entities no start-up query reads (checked in a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LATER = ["reportlab", "openpyxl", "xlsxwriter", "python_calamine", "PySide6.QtPdf", "PySide6.QtPdfWidgets"]
LATER_ENTITIES = ["kopdesk.models.certificate", "kopdesk.models.health", "kopdesk.models.supervision",
                  "kopdesk.models.teguran"]

START = r"""
import json, sys
from kopdesk.ui.app import import_database_layer
import_database_layer()
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from kopdesk.models.db import Database
from kopdesk.models.services.administration.auth import Actor
from kopdesk.ui.main_window import MainWindow
db = Database.open(sys.argv[1], integrity_check=False)
w = MainWindow(db, Actor(user_id=1, username="uji", role="admin", full_name="Uji"))
page = w.registry_page()
loop = QEventLoop()
page.count_shown.connect(loop.quit)
w.show()
QTimer.singleShot(30000, loop.quit)
loop.exec()
w.ctx.tasks.wait()
print(json.dumps({"rows": page.model.rowCount(), "count": page.count_label.text(), "modules": sorted(sys.modules)}))
"""

WRITE = r"""
import json, sys
from kopdesk.models.db import Database
from kopdesk.models import queries
from kopdesk.models.services.administration.auth import Actor
from kopdesk.models.services.registry import cooperatives as registry
db = Database.open(sys.argv[1], integrity_check=False)
admin = Actor(user_id=1, username="uji", role="admin", full_name="Uji")
with db.read() as s:
    ident = queries.search_ids(s, queries.RegistryFilter(), order="name", limit=1)[0]
    version = registry.get_cooperative(s, ident).version
with db.transaction(admin) as s:
    registry.update_cooperative(s, admin, ident, version, {"address": "Jl. Mulawarman No. 9"})
with db.read() as s:
    row = queries.rows_for_ids(s, [ident])[0]
print(json.dumps({"address": row.address, "modules": sorted(sys.modules)}))
"""


def _run(code: str, db_path: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", code, db_path], capture_output=True, text=True, cwd=ROOT, env=env,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_the_window_opens_on_the_registry_without_the_heavy_libraries(sample_db):
    path = str(sample_db.url.database)
    sample_db.dispose()
    result = _run(START, path)
    assert result["rows"] == 200 and result["count"].endswith("koperasi")
    modules = set(result["modules"])
    assert [m for m in LATER if m in modules] == []
    assert [m for m in LATER_ENTITIES if m in modules] == []
    # the other pages are listed but not imported until they are opened
    assert "kopdesk.ui.registry.registry_page" in modules
    assert not [m for m in modules if m.startswith(("kopdesk.ui.letters", "kopdesk.ui.certificates",
                                                     "kopdesk.ui.supervision", "kopdesk.reports"))]


def test_a_process_with_only_some_entities_loaded_reads_and_writes(sample_db):
    """Entities load with the modules that use them; a save with its audit trail works without the others."""
    path = str(sample_db.url.database)
    sample_db.dispose()
    result = _run(WRITE, path)
    assert result["address"] == "Jl. Mulawarman No. 9"
    assert [m for m in LATER_ENTITIES if m in set(result["modules"])] == []  # the save ran without them
    import sqlite3

    conn = sqlite3.connect(path)
    try:
        audited = conn.execute("SELECT count(*) FROM audit_entry WHERE entity = 'cooperative' AND field = 'address' "
                               "AND new_value = 'Jl. Mulawarman No. 9'").fetchone()[0]
    finally:
        conn.close()
    assert audited == 1


FOREIGN_KEYS = r"""
import importlib, json, sys
module = importlib.import_module("kopdesk.models." + sys.argv[1])
from kopdesk.models.base import Base
unresolved = []
for table in Base.metadata.tables.values():
    for fk in table.foreign_keys:
        try:
            fk.column
        except Exception as exc:
            unresolved.append(f"{table.name}.{fk.parent.name}: {type(exc).__name__}")
print(json.dumps(unresolved))
"""


def test_each_entity_module_brings_the_tables_its_foreign_keys_name():
    """Entities load with the modules that use them, so each must load what its foreign keys point at: a process
    that imported only cooperative once failed to save with NoReferencedTableError for 'kelompok'."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    for name in ("audit", "certificate", "cooperative", "health", "lookup", "office", "rat", "region", "supervision",
                 "teguran", "user"):
        proc = subprocess.run([sys.executable, "-c", FOREIGN_KEYS, name], capture_output=True, text=True, cwd=ROOT,
                              env=env, timeout=60)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert json.loads(proc.stdout) == [], name
