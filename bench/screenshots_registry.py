"""Screenshots of the registry and the cooperative form on sample data: docs/img/registry.png, docs/img/form.png.

    QT_QPA_PLATFORM=offscreen python bench/screenshots_registry.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[1] / "docs" / "img")
    out.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp())
    os.environ["KOPDESK_DATA_DIR"] = str(tmp)
    from PySide6.QtCore import QEventLoop, QTimer
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
    w.show()
    page = w.registry_page()

    def wait(signal, ms: int = 5000) -> None:
        loop = QEventLoop()
        signal.connect(loop.quit)
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    wait(page.count_shown)
    page.search.setText("makmur")
    wait(page.results_shown)
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
    page.refresh()
    wait(page.results_shown)
    wait(page.count_shown)
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
