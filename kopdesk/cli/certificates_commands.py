"""``certificates``: issue, verify, revoke, reprint and list certificates; export or trust public keys."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from kopdesk.cli import CommandError, open_database

# Exit status of ``certificates verify``: 0 only for a valid certificate.
EXIT_BY_STATUS = {"valid": 0, "invalid": 1, "revoked": 3, "expired": 4}


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("certificates", help="sertifikat NIK dan predikat kesehatan: terbitkan, verifikasi, cabut")
    cs = p.add_subparsers(dest="certificates_command", metavar="SUBPERINTAH", required=True)

    iss = cs.add_parser("issue", help="terbitkan sertifikat (satu atau banyak) ke satu berkas PDF")
    iss.add_argument("--nik", action="append", default=[], metavar="NIK", help="NIK Koperasi (boleh berulang)")
    iss.add_argument("--nik-file", metavar="BERKAS", help="berkas teks berisi satu NIK per baris")
    iss.add_argument("--all-eligible", action="store_true",
                     help="semua koperasi yang memenuhi syarat dan belum memegang sertifikat berlaku jenis ini")
    iss.add_argument("--region", metavar="WILAYAH", help="dengan --all-eligible: hanya wilayah ini (mis. 64.71)")
    iss.add_argument("--kind", choices=("nik", "predikat"), default="nik",
                     help="jenis sertifikat: nik (bawaan) atau predikat (kesehatan)")
    iss.add_argument("--date", metavar="TANGGAL", help="tanggal terbit (YYYY-MM-DD); bawaan: hari ini")
    iss.add_argument("-o", "--output", required=True, metavar="PDF", help="berkas PDF keluaran")
    iss.set_defaults(handler=_issue)

    ver = cs.add_parser("verify", help="periksa keaslian: teks hasil pindai, kode cek, atau berkas gambar/PDF; "
                                       "status keluar 0 hanya bila sah (1 tidak sah, 3 dicabut, 4 kedaluwarsa)")
    ver.add_argument("code", metavar="TEKS_ATAU_GAMBAR")
    ver.add_argument("--public-key", action="append", default=[], metavar="PEM",
                     help="kunci publik tambahan yang dipercaya (berkas PEM dari export-key)")
    ver.add_argument("--offline", action="store_true",
                     help="tanpa basis data: hanya tanda tangan dan masa berlaku yang diperiksa")
    ver.add_argument("--json", action="store_true", help="keluaran JSON")
    ver.set_defaults(handler=_verify)

    rev = cs.add_parser("revoke", help="cabut sertifikat dengan alasan")
    rev.add_argument("serial", metavar="NOMOR_SERI")
    rev.add_argument("--reason", required=True, metavar="ALASAN")
    rev.set_defaults(handler=_revoke)

    rep = cs.add_parser("reprint", help="cetak ulang sertifikat (isi sama persis) ke satu berkas PDF")
    rep.add_argument("serials", nargs="+", metavar="NOMOR_SERI")
    rep.add_argument("-o", "--output", required=True, metavar="PDF")
    rep.set_defaults(handler=_reprint)

    lst = cs.add_parser("list", help="daftar sertifikat (terbaru dulu)")
    lst.add_argument("--search", default="", metavar="TEKS", help="cari nomor seri, kode cek, NIK atau nama")
    lst.add_argument("--status", choices=("berlaku", "dicabut"))
    lst.add_argument("--kind", choices=("nik", "predikat"))
    lst.add_argument("--limit", type=int, default=200)
    lst.add_argument("--json", action="store_true")
    lst.set_defaults(handler=_list)

    exp = cs.add_parser("export-key", help="simpan kunci publik instansi (PEM) untuk PC lain atau pemeriksa")
    exp.add_argument("-o", "--output", required=True, metavar="PEM")
    exp.set_defaults(handler=_export_key)

    tr = cs.add_parser("trust-key", help="percayai kunci publik PC lain milik instansi (disimpan di pengaturan bersama)")
    tr.add_argument("pem", metavar="PEM")
    tr.add_argument("--label", default="", metavar="NAMA")
    tr.set_defaults(handler=_trust_key)


def _actor():  # type: ignore[no-untyped-def]
    from kopdesk.models.services.administration.auth import Actor

    return Actor.system()


def _issue(args: argparse.Namespace) -> int:
    from kopdesk.models.formats import parse_date
    from kopdesk.models.services.certificates.printing import issue_to_pdf
    from kopdesk.reports.pdf.certificate import render_certificates

    niks = list(args.nik)
    if args.nik_file:
        try:
            niks += [line.strip() for line in Path(args.nik_file).read_text(encoding="utf-8").splitlines() if line.strip()]
        except OSError as exc:
            raise CommandError(f"berkas NIK {args.nik_file} tidak dapat dibaca: {exc.strerror}") from None
    if args.region and not args.all_eligible:
        raise CommandError("--region hanya berlaku bersama --all-eligible")
    try:
        issued_on = parse_date(args.date) if args.date else None
    except ValueError:
        raise CommandError(f"tanggal --date tidak valid: {args.date!r} (contoh: 2026-11-23)") from None
    out = Path(args.output)
    if not out.parent.exists():
        raise CommandError(f"folder {out.parent} tidak ada")
    db = open_database(args)
    ids: list[int] = []
    if args.all_eligible:
        from kopdesk.models.services.certificates import issuing as cs

        with db.read() as s:
            ids = cs.eligible_cooperative_ids(s, kind=args.kind, region_code=args.region, as_of=issued_on)
        if not ids and not niks:
            print("Tidak ada koperasi yang memenuhi syarat dan belum bersertifikat.")
            return 0
    elif not niks:
        raise CommandError("sebutkan paling sedikit satu --nik, --nik-file atau --all-eligible")

    def progress(done: int, total: int, text: str) -> None:
        print(f"\r  {text}   ", end="", file=sys.stderr, flush=True)

    serials = issue_to_pdf(db, _actor(), niks, str(out), render_certificates, kind=args.kind, issued_on=issued_on,
                           cooperative_ids=ids, progress=progress)
    print(file=sys.stderr)
    print(f"{len(serials)} sertifikat diterbitkan ({serials[0]} s.d. {serials[-1]}) ke {out}")
    return 0


def _verify(args: argparse.Namespace) -> int:
    from kopdesk.models.services.certificates import issuing as cs
    from kopdesk.models.services.certificates import signing

    text = args.code
    source = "teks"
    if text.strip().lower().endswith(cs.IMAGE_SUFFIXES) and not cs.looks_like_image(text):
        raise CommandError(f"berkas {text} tidak ditemukan")
    if cs.looks_like_image(text):
        payload = cs.payload_from_image(text)
        if payload is None:
            raise CommandError(f"tidak ada kode QR sertifikat KopDesk yang terbaca di {text}")
        text, source = payload, f"gambar {Path(args.code).name}"
    extra = [signing.load_public_key(p) for p in args.public_key]
    if args.offline:
        v = cs.verify(None, text, extra_keys=extra)
    else:
        db = open_database(args)
        with db.read() as s:
            v = cs.verify(s, text, extra_keys=extra)
    if args.json:
        print(json.dumps({**v.to_json(), "source": source}, ensure_ascii=False, indent=2))
    else:
        print(f"{v.verdict}: {v.message}")
        for label, value in v.certificate_rows:
            print(f"  {label:<22}: {value}")
        if v.check_code:
            print(f"  {'Kode cek':<22}: {v.check_code}")
        if v.rows:
            print(f"\n  {'Data':<22}  {'Pada sertifikat':<42}  Registri saat ini")
            for r in v.rows:
                mark = "  ≠" if r.differs else ""
                print(f"  {r.label:<22}  {r.on_certificate[:42]:<42}  {r.current if r.current is not None else '–'}{mark}")
        for note in v.notes:
            print(f"  Catatan: {note}")
    return EXIT_BY_STATUS[v.status]


def _revoke(args: argparse.Namespace) -> int:
    from kopdesk.models.services.certificates import issuing as cs

    db = open_database(args)
    actor = _actor()
    with db.transaction(actor) as s:
        cert = cs.revoke(s, actor, args.serial, args.reason)
        serial = cert.serial
    print(f"Sertifikat {serial} dicabut: {args.reason}")
    return 0


def _reprint(args: argparse.Namespace) -> int:
    from kopdesk.models.services.certificates import issuing as cs
    from kopdesk.models.services.certificates.printing import reprint_to_pdf
    from kopdesk.reports.pdf.certificate import render_certificates

    db = open_database(args)
    n = reprint_to_pdf(db, _actor(), args.serials, args.output, render_certificates)
    print(f"{n} sertifikat dicetak ulang ke {args.output}")
    with db.read() as s:
        revoked = [c.serial for c in cs.certificates_by_serials(s, args.serials) if c.status == "dicabut"]
    if revoked:
        print(f"Perhatian: sertifikat berikut sudah dicabut: {', '.join(revoked)}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    from kopdesk.models.formats import format_date
    from kopdesk.models.services.certificates import issuing as cs

    db = open_database(args)
    with db.read() as s:
        rows = cs.list_certificates(s, text=args.search, kind=args.kind, status=args.status, limit=args.limit)
    if args.json:
        print(json.dumps([{"serial": r.serial, "kind": r.kind, "cooperative": r.cooperative_name, "nik": r.nik,
                           "issued_on": r.issued_on.isoformat(),
                           "valid_until": r.valid_until.isoformat() if r.valid_until else None,
                           "status": r.status, "check_code": r.check_code, "revoked_reason": r.revoked_reason}
                          for r in rows], ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        status = cs.CERT_STATUS.get(r.status, r.status)
        print(f"{r.serial:<17} {r.check_code:<10} {r.nik or '':<17} {format_date(r.issued_on):<18} {status:<8} "
              f"{r.cooperative_name}")
    print(f"({len(rows)} sertifikat)", file=sys.stderr)
    return 0


def _export_key(args: argparse.Namespace) -> int:
    from kopdesk.models.services.certificates import signing

    key = signing.office_key()
    path = signing.export_public_key(args.output, key)
    print(f"Kunci publik {key.key_id} disimpan di {path}")
    return 0


def _trust_key(args: argparse.Namespace) -> int:
    from kopdesk.models.services.administration.auth import require
    from kopdesk.models.services.certificates import signing

    public = signing.load_public_key(args.pem)
    db = open_database(args)
    actor = _actor()
    with db.transaction(actor) as s:
        require(actor, "settings.manage")
        added = signing.trust_key(s, public, args.label or Path(args.pem).stem)
    kid = signing.key_id_of(public)
    print(f"Kunci {kid} {'ditambahkan ke' if added else 'sudah ada di'} daftar kunci tepercaya.")
    return 0
