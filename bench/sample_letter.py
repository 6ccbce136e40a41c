"""Render the sample letter shown in docs/letters.md (docs/img/letter.png and docs/img/letter.pdf).

Usage: python bench/sample_letter.py   (needs pdftoppm)
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("KOPDESK_DATA_DIR", tempfile.mkdtemp(prefix="kopdesk-sample-"))


def main() -> None:
    from kopdesk.models.db import Database
    from kopdesk.models.services.administration.auth import Actor
    from kopdesk.models.services.letters import teguran
    from kopdesk.reports.pdf import teguran as letter_pdf
    from tests.letters.conftest import TODAY, add_visit, fill_office, make_coop

    db = Database.open(str(Path(tempfile.mkdtemp()) / "sample.sqlite"))
    fill_office(db)
    actor = Actor.system()
    cid = make_coop(db, actor, name="Koperasi Konsumen Karya Bersama", rat_years=(2022,), chair="H. Sulaiman",
                    nik="6471010000000042")
    add_visit(db, actor, cid, found=False, business=False, on=dt.date(2025, 10, 6), officer="Sri Wahyuni, S.E.")
    out = ROOT / "docs" / "img"
    out.mkdir(parents=True, exist_ok=True)
    teguran.issue_batch(db, actor, [cid], renderer=letter_pdf, out_path=str(out / "letter.pdf"), today=TODAY)
    subprocess.run(["pdftoppm", "-r", "100", "-png", "-singlefile", str(out / "letter.pdf"), str(out / "letter")],
                   check=True)
    print(out / "letter.png")


if __name__ == "__main__":
    main()
