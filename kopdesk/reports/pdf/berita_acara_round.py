"""Berita acara of a closed pemutakhiran round: what was checked, what was found, and the status changes applied."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from kopdesk.models.documents.supervision import BeritaAcara
from kopdesk.models.formats import format_count, format_date
from kopdesk.reports.pdf._layout import draw_signature
from kopdesk.reports.pdf._supervision_common import build_document, grid, styles

DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")


def write_berita_acara(doc: BeritaAcara, path: str | Path) -> Path:
    """Draw the berita acara ``doc`` to ``path`` (PDF, A4, written whole or not at all) and return the path."""
    st = styles()
    name, closed, prog, sig, city = doc.round_name, doc.closed_on, doc.progress, doc.signatory, doc.city
    day = DAYS[closed.weekday()] if closed else ""
    story: list[Any] = [
        Spacer(1, 30 * mm),
        Paragraph("BERITA ACARA HASIL PEMUTAKHIRAN DATA KOPERASI", st["title"]),
        Paragraph(name, st["sub"]),
        Paragraph(f"Pada hari ini {day}, tanggal {format_date(closed)}, putaran pemutakhiran data koperasi "
                  f"\u201c{name}\u201d yang dimulai tanggal {format_date(doc.started_on)} dinyatakan selesai dan "
                  "ditutup. Petugas lapangan telah mengunjungi koperasi di alamat yang terdaftar dengan hasil sebagai "
                  "berikut:", st["body"]),
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
    for k in doc.per_kecamatan:
        rows.append([k.kecamatan, format_count(k.visited), format_count(k.found), format_count(k.moved),
                     format_count(k.not_found), format_count(k.active)])
    story.append(grid(rows, [55 * mm, 22 * mm, 22 * mm, 20 * mm, 28 * mm, 22 * mm], font_size=9))
    story.append(Spacer(1, 4 * mm))
    applied = ", ".join(f"{format_count(n)} koperasi menjadi {label}" for label, n in doc.status_changes)
    story.append(Paragraph("Sesuai hasil tersebut, status koperasi dalam registri diperbarui: "
                           + (applied or "tidak ada perubahan status") + ". Setiap perubahan dicatat dalam riwayat "
                           "status koperasi dengan kunjungan lapangan sebagai sumbernya.", st["body"]))
    if doc.officers:
        story.append(Paragraph("Petugas lapangan (PPKL): " + ", ".join(doc.officers) + ".", st["body"]))
    story.append(Paragraph(f"Berita acara ini dibuat dengan sebenarnya untuk dipergunakan sebagaimana mestinya. "
                           f"Ditutup oleh: {doc.closed_by or '-'}.", st["body"]))

    class _Sig(Spacer):
        def draw(self) -> None:  # the official's block, drawn where the flowable lands
            draw_signature(self.canv, sig, x=95 * mm, y=self.height - 2 * mm,
                           place_date=f"{city + ', ' if city else ''}{format_date(closed)}", font_size=10)

    story.append(KeepTogether([Spacer(1, 6 * mm), _Sig(1, 55 * mm)]))
    return build_document(path, story, head=doc.letterhead, pagesize=A4, margin=20 * mm, top=12 * mm, bottom=15 * mm,
                          footer_y=8 * mm, title=f"Berita acara {name}", footer_text=f"Berita acara {name}")
