"""Lembar kerja pemutakhiran: the cooperatives of one kecamatan of a round for the officer to fill in by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from kopdesk.models.formats import format_date
from kopdesk.models.region import dotted, undotted
from kopdesk.models.services.registry import regions
from kopdesk.models.services.supervision import pemutakhiran as pm
from kopdesk.reports.pdf._supervision_common import build_document, grid, office, styles

PAGE = landscape(A4)


def write_field_sheet(db: Any, round_id: int, kecamatan_code: str, path: str | Path, **_: Any) -> Path:
    """Write the field sheet of one kecamatan of a round to ``path`` (PDF, A4 landscape) and return the path."""
    with db.read() as s:
        rnd = pm.get_round(s, round_id)
        kec = regions.require_region(s, kecamatan_code)
        rows = pm.field_sheet_rows(s, round_id, kecamatan_code)
        names = pm.officers(s, round_id).get(undotted(kecamatan_code), [])
        head, _sig, _city = office(s)
        round_name, started = rnd.name, rnd.started_on
        kec_name = kec.name
    st = styles()
    cell, cellb = st["cell"], st["cellb"]
    story: list[Any] = [Spacer(1, 30 * mm),
                        Paragraph("LEMBAR KERJA PEMUTAKHIRAN DATA KOPERASI", st["title"]),
                        Paragraph(f"{round_name} — Kecamatan {kec_name} ({dotted(kecamatan_code)})", st["sub"]),
                        Paragraph(f"Petugas (PPKL): {', '.join(names) if names else '................................'}"
                                  f" &nbsp;&nbsp; Mulai: {format_date(started)} &nbsp;&nbsp; Jumlah koperasi: {len(rows)}",
                                  st["body"]),
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
    return build_document(path, story, head=head, pagesize=PAGE, margin=12 * mm, top=10 * mm, bottom=12 * mm,
                          footer_y=7 * mm, title=f"Lembar kerja pemutakhiran {kec_name}",
                          footer_text=f"{round_name} · Kec. {kec_name}")
