"""Screenshots of the registry and the cooperative form on sample data: docs/img/registry.png, docs/img/form.png.

    QT_QPA_PLATFORM=offscreen python bench/screenshots_registry.py [OUT_DIR]

The form's tabs go to $KOPDESK_SCREENSHOT_EXTRA (default: the temporary folder) as form_<tab>.png.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def wait_for_all(signals: list[Any], trigger: Callable[[], object], timeout_ms: int = 20000) -> None:
    """Call ``trigger()`` and return once every signal has fired; a screenshot of a page still loading is wrong."""
    from PySide6.QtCore import QEventLoop, QObject, QTimer

    loop = QEventLoop()
    pending = set(range(len(signals)))

    def fired(i: int) -> None:
        pending.discard(i)
        if not pending:
            loop.quit()

    connections = [sig.connect(lambda *_args, i=i: fired(i)) for i, sig in enumerate(signals)]
    QTimer.singleShot(timeout_ms, loop.quit)
    trigger()
    if pending:
        loop.exec()
    for connection in connections:
        QObject.disconnect(connection)
    if pending:
        raise TimeoutError(f"no {', '.join(str(signals[i]) for i in sorted(pending))} within {timeout_ms} ms")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", type=Path, default=ROOT / "docs" / "img",
                    help="folder for registry.png and form.png (default: docs/img)")
    out = ap.parse_args().out
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    os.environ["KOPDESK_DATA_DIR"] = str(tmp)
    from PySide6.QtWidgets import QApplication

    from kopdesk.models.db import Database
    from kopdesk.models.office import OfficeProfile
    from kopdesk.models.services.administration import auth
    from tests.support import registry_sample

    app = QApplication([])
    app.setOrganizationName("KopDeskScreens")
    db = Database.open(str(tmp / "k.sqlite"))
    registry_sample.fill(db, 5000, "6471", officers_for=5000)
    with db.transaction(auth.Actor.system()) as s:
        office = s.get(OfficeProfile, 1)
        office.name = "Dinas Koperasi, UMKM dan Perindustrian Kota Balikpapan"
        office.region_code = "6471"
    with db.transaction(None) as s:
        admin = auth.create_user(s, None, username="rina", full_name="Rina Puspitasari", role="admin",
                                 password="rahasia-123", first_admin=True)
        actor = auth.Actor.of(admin)
    from kopdesk.ui.main_window import MainWindow

    w = MainWindow(db, actor)
    w.resize(1440, 860)
    page = w.registry_page()
    shown = [page.results_shown, page.count_shown]
    wait_for_all(shown, w.show)
    wait_for_all(shown, lambda: page.search.setText("makmur"))
    ident = page.model.rows[0].id
    # two clerks worked on this cooperative, so that its history has something to show
    from kopdesk.models.services.registry import cooperatives as registry

    with db.transaction(actor) as s:
        budi = auth.Actor.of(auth.create_user(s, actor, username="budi", full_name="Budi Santoso", role="operator",
                                              password="rahasia-123"))
    from kopdesk.models.cooperative import Cooperative

    with db.read() as s:
        version = s.get(Cooperative, ident).version
    with db.transaction(budi) as s:
        registry.update_cooperative(s, budi, ident, version, {"status": "tidak_aktif", "phone": "0542 871234"},
                                    status_reason="Kantor tutup saat kunjungan Maret; usaha berhenti sejak 2024")
    with db.transaction(actor) as s:
        registry.update_cooperative(s, actor, ident, version + 1, {"members_male": 245, "own_capital": 4_950_000_000,
                                                                    "nik": "6471010020417", "nik_status": "belum_bersertifikat"})
    wait_for_all(shown, page.refresh)
    w.grab().save(str(out / "registry.png"))
    form = w.open_cooperative(ident)
    form.resize(1060, 760)
    form.grab().save(str(out / "form.png"))
    extra = Path(os.environ.get("KOPDESK_SCREENSHOT_EXTRA", tempfile.gettempdir()))
    for i, name in enumerate(["identitas", "alamat", "pengurus", "keuangan", "rat", "pemutakhiran", "riwayat"]):
        form.tabs.setCurrentIndex(i)
        form.grab().save(str(extra / f"form_{name}.png"))
    form.tabs.setCurrentIndex(0)
    form._loading = True
    form.close()
    w.ctx.tasks.wait()
    print("screenshots in", out)


if __name__ == "__main__":
    main()
