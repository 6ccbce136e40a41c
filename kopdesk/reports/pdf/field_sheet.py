"""Lembar kerja pemutakhiran: the cooperatives of one kecamatan of a round for the officer to fill in by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from kopdesk.models.documents.supervision import FieldSheet
from kopdesk.models.formats import format_date
from kopdesk.reports.pdf._supervision_common import build_document, grid, styles

PAGE = landscape(A4)


def write_field_sheet(doc: FieldSheet, path: str | Path) -> Path:
    """Draw the field sheet ``doc`` to ``path`` (PDF, A4 landscape, written whole or not at all) and return the path."""
    rows, names, round_name, kec_name = doc.rows, doc.officers, doc.round_name, doc.kecamatan_name
    st = styles()
    cell, cellb = st["cell"], st["cellb"]
    story: list[Any] = [Spacer(1, 30 * mm),
                        Paragraph("LEMBAR KERJA PEMUTAKHIRAN DATA KOPERASI", st["title"]),
                        Paragraph(f"{round_name} — Kecamatan {kec_name} ({doc.kecamatan_code})", st["sub"]),
                        Paragraph(f"Petugas (PPKL): {', '.join(names) if names else '................................'}"
                                  f" &nbsp;&nbsp; Mulai: {format_date(doc.started_on)} &nbsp;&nbsp; "
                                  f"Jumlah koperasi: {len(rows)}", st["body"]),
                        Paragraph("Isi kolom berwarna dengan tangan: Y = ya, T = tidak. Alamat baru diisi bila koperasi "
                                  "pindah.", st["body"])]
    header = [Paragraph(h, cellb) for h in ("No", "Koperasi / NIK", "Alamat terdaftar", "Pengurus", "Tanggal",
                                            "Ditemukan (Y/T)", "Alamat baru", "Usaha aktif (Y/T)",
                                            "RAT th. lalu (Y/T)", "Narahubung / telepon", "Paraf")]
    data: list[list[Any]] = [header]
    for i, r in enumerate(rows, start=1):
        data.append([str(i), Paragraph(f"{r.name}<br/>NIK {r.nik or '-'}", cell),
                     Paragraph(f"{r.address}<br/>{r.kelurahan}", cell), Paragraph(r.board or "-", cell),
                     "", "", "", "", "", "", ""])
    if not rows:
        data.append(["", Paragraph("Tidak ada koperasi dalam putaran ini di kecamatan tersebut.", cell)] + [""] * 9)
    widths = [7, 44, 42, 36, 17, 19, 36, 16, 17, 26, 13]  # 273 mm: A4 landscape less the margins
    t = grid(data, [w * mm for w in widths])
    from reportlab.lib import colors

    t.setStyle([("BACKGROUND", (4, 1), (-1, -1), colors.HexColor("#fffbe6")), ("ROWBACKGROUNDS", (0, 1), (3, -1),
                [colors.white]), ("TOPPADDING", (0, 1), (-1, -1), 4), ("BOTTOMPADDING", (0, 1), (-1, -1), 9)])
    story.append(t)
    story.append(Spacer(1, 8 * mm))
    story.append(Paragraph("Petugas,<br/><br/><br/><br/>(" + (names[0] if names else "................................")
                           + ")", st["body"]))
    return build_document(path, story, head=doc.letterhead, pagesize=PAGE, margin=12 * mm, top=10 * mm,
                          bottom=12 * mm, footer_y=7 * mm, title=f"Lembar kerja pemutakhiran {kec_name}",
                          footer_text=f"{round_name} · Kec. {kec_name}")
