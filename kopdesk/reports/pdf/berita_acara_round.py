"""Berita acara of a closed pemutakhiran round: what was checked, what was found, and the status changes applied."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer
from sqlalchemy import select

from kopdesk.models.cooperative import StatusChange
from kopdesk.models.errors import DomainError
from kopdesk.models.formats import format_count, format_date
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.models.supervision import Visit
from kopdesk.models.vocab import STATUS
from kopdesk.reports.pdf._layout import draw_signature
from kopdesk.reports.pdf._supervision_common import build_document, grid, office, styles

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


class RoundNotClosed(DomainError):
    code = "round_not_closed"


def write_berita_acara(db: Any, round_id: int, path: str | Path, **_: Any) -> Path:
    """Write the berita acara of a closed round to ``path`` (PDF, A4) and return the path.

    Raises:
        RoundNotClosed: the round is still under way.
    """
    with db.read() as s:
        rnd = pm.get_round(s, round_id)
        if rnd.status != "ditutup":
            raise RoundNotClosed(f"Putaran {rnd.name} belum ditutup; berita acara dibuat setelah putaran ditutup.")
        prog = pm.progress(s, round_id)
        visits = pm.visits_for_report(s, round_id)
        officers = pm.officers(s, round_id)
        visit_ids = [f"visit:{v}" for v in s.scalars(select(Visit.id).where(Visit.round_id == round_id))]
        changes: Counter[str] = Counter()
        for start in range(0, len(visit_ids), 500):
            for to in s.scalars(select(StatusChange.to_status).where(StatusChange.source == "pemutakhiran",
                                                                     StatusChange.source_ref.in_(visit_ids[start:start + 500]))):
                changes[to] += 1
        head, sig, city = office(s)
        name, started, closed, closed_by = rnd.name, rnd.started_on, rnd.closed_on, rnd.closed_by
    st = styles()
    per_kec: dict[str, Counter[str]] = {}
    for kec, _coop, _nik, _date, _officer, result in visits:
        per_kec.setdefault(kec or "(tanpa kecamatan)", Counter())[result] += 1
    day = DAYS[closed.weekday()] if closed else ""
    story: list[Any] = [
        Spacer(1, 30 * mm),
        Paragraph("BERITA ACARA HASIL PEMUTAKHIRAN DATA KOPERASI", st["title"]),
        Paragraph(name, st["sub"]),
        Paragraph(f"Pada hari ini {day}, tanggal {format_date(closed)}, putaran pemutakhiran data koperasi "
                  f"\u201c{name}\u201d yang dimulai tanggal {format_date(started)} dinyatakan selesai dan ditutup. "
                  "Petugas lapangan telah mengunjungi koperasi di alamat yang terdaftar dengan hasil sebagai berikut:",
                  st["body"]),
    ]
    figures = [["Uraian", "Jumlah"],
               ["Koperasi dalam cakupan", format_count(prog.covered)],
               ["Koperasi yang diperiksa (dikunjungi)", format_count(prog.visited)],
               ["Ditemukan di alamat terdaftar", format_count(prog.found)],
               ["Pindah alamat (ditemukan di alamat baru)", format_count(prog.moved)],
               ["Tidak ditemukan di alamat terdaftar", format_count(prog.not_found)],
               ["Menjalankan kegiatan usaha", format_count(prog.active)],
               ["Tidak menjalankan kegiatan usaha", format_count(prog.inactive)],
               ["Belum dikunjungi", format_count(prog.remaining)]]
    story.append(grid(figures, [120 * mm, 40 * mm], font_size=9))
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph("Rincian per kecamatan:", st["body"]))
    rows = [["Kecamatan", "Diperiksa", "Ditemukan", "Pindah", "Tidak ditemukan", "Usaha aktif"]]
    for kec, cnt in sorted(per_kec.items()):
        found = cnt["aktif"] + cnt["tidak_aktif"] + cnt["ditemukan"]
        rows.append([kec, format_count(sum(cnt.values())), format_count(found), format_count(cnt["pindah_alamat"]),
                     format_count(cnt["tidak_ditemukan"]), format_count(cnt["aktif"])])
    story.append(grid(rows, [55 * mm, 22 * mm, 22 * mm, 20 * mm, 28 * mm, 22 * mm], font_size=9))
    story.append(Spacer(1, 4 * mm))
    applied = ", ".join(f"{format_count(n)} koperasi menjadi {STATUS.get(k, k)}" for k, n in sorted(changes.items()))
    story.append(Paragraph("Sesuai hasil tersebut, status koperasi dalam registri diperbarui: "
                           + (applied or "tidak ada perubahan status") + ". Setiap perubahan dicatat dalam riwayat "
                           "status koperasi dengan kunjungan lapangan sebagai sumbernya.", st["body"]))
    names = sorted({n for v in officers.values() for n in v})
    if names:
        story.append(Paragraph("Petugas lapangan (PPKL): " + ", ".join(names) + ".", st["body"]))
    story.append(Paragraph(f"Berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya. "
                           f"Ditutup oleh: {closed_by or '-'}.", st["body"]))

    class _Sig(Spacer):
        def draw(self) -> None:  # the official's block, drawn where the flowable lands
            draw_signature(self.canv, sig, x=95 * mm, y=self.height - 2 * mm,
                           place_date=f"{city + ', ' if city else ''}{format_date(closed)}", font_size=10)

    story.append(KeepTogether([Spacer(1, 6 * mm), _Sig(1, 55 * mm)]))
    return build_document(path, story, head=head, pagesize=A4, margin=20 * mm, top=12 * mm, bottom=15 * mm,
                          footer_y=8 * mm, title=f"Berita acara {name}", footer_text=f"Berita acara {name}")
