"""Demo data: the field reports of the brief as a registry, and a national-scale set for benchmarks (no Qt).

:func:`generate` fills an empty database with cooperatives of Kota Balikpapan (July 2024), the five kab/kota of
Kalimantan Utara (June 2019) and Kota Palangka Raya (July 2024) whose counts reproduce every figure of the field
reports exactly (brief §0, §8, §10), with plausible names, addresses in real kelurahan, boards with terms, several
book years of RAT and yearly figures, and a status history whose "as of" figures agree with the current ones.
It also creates the demo users (admin, operator, pimpinan; password ``kopdesk123``) and the office profile.

The work is a list of steps (:data:`STEPS`); a later issue adds its own with :func:`add_step` (for example a
closed pemutakhiran round or health assessments) and finds the cooperatives of each region in
``DemoContext.coops``.

:func:`generate_national` writes 300,000 cooperatives over every province with ten book years of RAT in bulk
(executemany on SQLite, COPY on PostgreSQL), as the least-privilege application role.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from kopdesk.models.cooperative import AnnualReport, Cooperative, Officer, StatusChange
from kopdesk.models.documents.letters import LetterRenderer
from kopdesk.models.errors import DomainError
from kopdesk.models.lookup import Kelompok, Sector
from kopdesk.models.office import OfficeProfile
from kopdesk.models.progress import NEVER_CANCELLED, NO_PROGRESS, CancelCheck, Cancelled, Progress
from kopdesk.models.rat import RatRecord
from kopdesk.models.region import Region
from kopdesk.models.services.administration import audit as audit_service
from kopdesk.models.services.administration import auth
from kopdesk.models.user import User

DEMO_PASSWORD = "kopdesk123"
DEMO_USERS = [
    ("admin", "Rina Apriani, S.Kom.", "admin", "198804122014032003"),
    ("operator", "Muhammad Rizki Ramadhan", "operator", "199201082019031007"),
    ("pimpinan", "Drs. Hendra Wijaya Kusuma, M.Si.", "pimpinan", "197203151998031005"),
]


class DemoRefused(DomainError):
    """The database already holds cooperatives; demo data is written only into an empty registry."""

    code = "demo_refused"


# --------------------------------------------------------------------------------------------------------------
# The figures of the field reports (brief §0, §8, §10). Everything below is derived from these tables.
# --------------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AreaSpec:
    """One office's cooperatives as a field report gives them.

    Attributes:
        as_of: the date of the report; every record and status change of the area is dated on or before it.
        rat_years: the RAT book years of the history; ``rat_counts`` fixes the count of some of them exactly.
    """

    key: str
    kabkota: str
    as_of: dt.date
    rat_years: tuple[int, ...]
    rat_counts: dict[int, int]
    area_code: str  # telephone area code
    lat: float
    lon: float
    legal_region: str  # the Roman numeral of old "…/BH/XVII/…" numbers


BALIKPAPAN = AreaSpec("balikpapan", "6471", dt.date(2024, 7, 14), tuple(range(2018, 2026)),
                      {2023: 70, 2024: 76, 2025: 81}, "0542", -1.2379, 116.8529, "XVII")
KALTARA_AS_OF = dt.date(2019, 6, 30)
PALANGKA_RAYA = AreaSpec("palangka_raya", "6271", dt.date(2024, 7, 30), tuple(range(2018, 2026)),
                         {2023: 52}, "0536", -2.2161, 113.9135, "XII")

# Balikpapan, July 2024: 587 registered, 440 active by type and by kecamatan (one active without kecamatan:
# the source sums to 439).
BALIKPAPAN_REGISTERED = 587
BALIKPAPAN_ACTIVE_BY_TYPE = [("jasa", "konvensional", 19), ("konsumen", "konvensional", 354),
                             ("pemasaran", "konvensional", 14), ("simpan_pinjam", "konvensional", 15),
                             ("simpan_pinjam", "syariah", 5), ("produsen", "konvensional", 33)]
BALIKPAPAN_ACTIVE_BY_KECAMATAN = {"647102": 36, "647104": 62, "647106": 143, "647105": 82, "647103": 76,
                                  "647101": 40, None: 1}
BALIKPAPAN_OTHER = {"tidak_aktif": 135, "proses_pembubaran": 12}
BALIKPAPAN_DISSOLVED = 9
BALIKPAPAN_CERTIFIED = 48

# Kalimantan Utara, June 2019: (kab/kota, aktif, tidak aktif, bersertifikat NIK, progres in June 2019).
KALTARA = [("6501", 109, 70, 41, 5), ("6502", 75, 29, 4, 0), ("6503", 157, 88, 5, 2), ("6504", 20, 8, 4, 2),
           ("6571", 113, 78, 16, 3)]
KALTARA_AREAS = {
    "6501": AreaSpec("bulungan", "6501", KALTARA_AS_OF, tuple(range(2014, 2019)), {}, "0552", 2.8375, 117.3653, "XVII"),
    "6502": AreaSpec("malinau", "6502", KALTARA_AS_OF, tuple(range(2014, 2019)), {}, "0553", 3.5857, 116.6475, "XVII"),
    "6503": AreaSpec("nunukan", "6503", KALTARA_AS_OF, tuple(range(2014, 2019)), {}, "0556", 4.1370, 117.6655, "XVII"),
    "6504": AreaSpec("tana_tidung", "6504", KALTARA_AS_OF, tuple(range(2014, 2019)), {}, "0552", 3.5516, 117.0935, "XVII"),
    "6571": AreaSpec("tarakan", "6571", KALTARA_AS_OF, tuple(range(2014, 2019)), {}, "0551", 3.3000, 117.6333, "XVII"),
}

# Palangka Raya, July 2024: 298 = 177 aktif + 99 tidak aktif + 22 to be dissolved; 52 held the RAT for 2023.
PALANGKA_RAYA_STATUS = {"aktif": 177, "tidak_aktif": 99, "proses_pembubaran": 22}
PALANGKA_RAYA_CERTIFIED = 31

# --------------------------------------------------------------------------------------------------------------
# Vocabulary for plausible records.
# --------------------------------------------------------------------------------------------------------------

WORDS = ["Makmur", "Sejahtera", "Mandiri", "Sentosa", "Bersama", "Jaya", "Abadi", "Maju", "Berkah", "Amanah",
         "Mitra", "Karya", "Harapan", "Bina", "Usaha", "Sumber Rezeki", "Cahaya", "Bahagia", "Lestari", "Tunas",
         "Mekar", "Damai", "Setia", "Gotong Royong", "Rukun", "Mulia", "Permata", "Bintang", "Samudra", "Sinar",
         "Utama", "Perkasa", "Sakti", "Barokah", "Sehati", "Serumpun", "Mufakat", "Kencana", "Harmoni", "Pelita",
         "Bumi", "Tepian", "Nusantara", "Borneo", "Mahakam", "Khatulistiwa", "Beriman", "Benuanta", "Paguntaka",
         "Isen Mulang", "Huma Betang", "Tambun Bungai", "Kahayan", "Kayan", "Sesayap", "Sebuku", "Etam",
         "Ruhui Rahayu", "Sejati", "Dharma", "Wira", "Bhakti", "Swadaya", "Madani", "Insan", "Teladan"]
ISLAMIC = ["Al-Ikhlas", "Amanah Ummah", "Ar-Rahman", "Al-Falah", "Nurul Iman", "Baitul Makmur", "Al-Hikmah",
           "Darussalam", "Al-Barokah", "Ukhuwah", "Mitra Umat", "Tamwil Muhammadiyah", "At-Taqwa"]
COMPANY = ["Borneo Energi Lestari", "Mahakam Sarana Utama", "Teluk Balikpapan Logistik", "Kaltim Indo Perkasa",
           "Samudra Petro Mandiri", "Nusantara Cipta Karya", "Benua Etam Sejahtera", "Kahayan Agro Lestari",
           "Kayan Hidro Persada", "Tarakan Marine Services", "Khatulistiwa Sawit Makmur", "Bumi Borneo Semesta",
           "Sinar Kalimantan Abadi", "Tepian Mahakam Konstruksi", "Pelabuhan Semayang Jaya"]
INSTITUTION = ["Guru SD Kecamatan {kec}", "Dinas Kesehatan {city}", "RSUD {city}", "SMP Negeri {n} {city}",
               "SMA Negeri {n} {city}", "Pegawai Kantor Kecamatan {kec}", "Pegawai Pemerintah {city}",
               "Dinas Pendidikan {city}", "Kantor Kementerian Agama {city}", "Puskesmas {kec}",
               "Pegawai Kantor Pajak Pratama {city}", "Badan Pusat Statistik {city}"]
STREETS = ["Jl. Jenderal Sudirman", "Jl. Ahmad Yani", "Jl. MT Haryono", "Jl. Soekarno-Hatta", "Jl. Mulawarman",
           "Jl. Pattimura", "Jl. Letjend Suprapto", "Jl. Gajah Mada", "Jl. Diponegoro", "Jl. Imam Bonjol",
           "Jl. Pangeran Antasari", "Jl. Cut Nyak Dien", "Jl. RE Martadinata", "Jl. Kartini", "Jl. Pramuka",
           "Jl. Veteran", "Jl. Mayjend Sutoyo", "Jl. Sultan Hasanuddin", "Jl. Gunung Sari", "Jl. Cendana",
           "Jl. Mangga", "Jl. Kenanga", "Jl. Melati", "Jl. Anggrek", "Jl. Flamboyan", "Jl. Merdeka",
           "Jl. Pembangunan", "Jl. Manunggal", "Jl. Transad", "Jl. Tjilik Riwut", "Jl. G. Obos", "Jl. RTA Milono",
           "Jl. Yos Sudarso", "Jl. Kusuma Bangsa", "Jl. Sengkawit", "Jl. Agatis", "Jl. Sei Sesayap"]
MALE = ["Ahmad", "Muhammad", "Budi", "Agus", "Rudi", "Hendra", "Andi", "Syahrul", "Fajar", "Rizky", "Dedi",
        "Yusuf", "Hasan", "Arif", "Bambang", "Eko", "Irfan", "Joko", "Slamet", "Wahyu", "Hadi", "Supriyadi",
        "Akhmad", "Gusti", "Abdul", "Darmawan", "Firman", "Heri", "Imam", "Kurniawan", "La Ode", "Andi Baso",
        "Daeng", "Juliansyah", "Rahmadi", "Aspiannor", "Syamsuddin", "Yohanes", "Markus", "Stefanus"]
FEMALE = ["Siti", "Nur", "Sri", "Dewi", "Rina", "Yuliana", "Fitri", "Ratna", "Wulandari", "Aisyah", "Rahmawati",
          "Lestari", "Novita", "Maria", "Kartika", "Hartini", "Endang", "Nurul", "Puspita", "Herlina", "Mahrita",
          "Noorhayati", "Rusmini", "Elisabeth", "Theresia", "Wahyuni", "Sari", "Indah", "Megawati", "Anisa"]
SURNAMES = ["Saputra", "Pratama", "Setiawan", "Hidayat", "Santoso", "Wijaya", "Kusuma", "Nugroho", "Rahman",
            "Hakim", "Syahputra", "Gunawan", "Susanto", "Hermawan", "Firmansyah", "Ramadhan", "Kurniawati",
            "Handayani", "Anggraini", "Permatasari", "Lumbantobing", "Simanjuntak", "Pasaribu", "Tambunan",
            "Rantelangi", "Bakri", "Tarigan", "Lahang", "Ipui", "Ngau", "Laing", "Jalung", "Bilung", "Udau",
            "Djaya", "Nahan", "Mihing", "Tundjung", "Kenedi", "Sitepu", ""]

TYPE_WEIGHTS = [("konsumen", "konvensional", 60), ("simpan_pinjam", "konvensional", 12),
                ("simpan_pinjam", "syariah", 4), ("produsen", "konvensional", 10), ("pemasaran", "konvensional", 5),
                ("jasa", "konvensional", 9)]
KELOMPOK_BY_TYPE = {
    ("konsumen", "konvensional"): ["Koperasi Pegawai Republik Indonesia (KPRI)", "Koperasi Karyawan (Kopkar)",
                                   "Koperasi Wanita (Kopwan)", "Koperasi Sekolah/Siswa", "Koperasi Serba Usaha (KSU)",
                                   "Koperasi Angkatan Darat", "Koperasi Kepolisian", "Koperasi Pensiunan/Purnawirawan",
                                   "Koperasi Pondok Pesantren (Kopontren)", "Koperasi Mahasiswa", "Lainnya"],
    ("simpan_pinjam", "konvensional"): ["Koperasi Simpan Pinjam (KSP)"],
    ("simpan_pinjam", "syariah"): ["KSPPS/BMT"],
    ("produsen", "konvensional"): ["Pertanian", "Perkebunan", "Peternakan", "Perikanan", "Nelayan",
                                   "Koperasi Unit Desa (KUD)"],
    ("pemasaran", "konvensional"): ["Koperasi Pedagang Pasar (Koppas)", "Koperasi Unit Desa (KUD)", "Lainnya"],
    ("jasa", "konvensional"): ["Lainnya", "Koperasi Serba Usaha (KSU)"],
}
SECTOR_BY_JENIS = {
    "konsumen": ["Perdagangan Besar dan Eceran"], "simpan_pinjam": ["Jasa Keuangan"],
    "produsen": ["Pertanian, Kehutanan dan Perikanan", "Industri Pengolahan"],
    "pemasaran": ["Perdagangan Besar dan Eceran"],
    "jasa": ["Jasa Lainnya", "Transportasi dan Pergudangan", "Penyediaan Akomodasi dan Makan Minum"],
}
INACTIVE_REASONS = ["Tidak melaksanakan RAT dan tidak ada kegiatan usaha", "Pengurus tidak aktif",
                    "Tidak ditemukan kegiatan usaha saat pembinaan", "Tidak melaporkan RAT tiga tahun terakhir"]
DISSOLUTION_REASON = "Tidak menyelenggarakan Rapat Anggota 3 tahun berturut-turut (Permenkop 9/2018)"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


# --------------------------------------------------------------------------------------------------------------
# Steps
# --------------------------------------------------------------------------------------------------------------

@dataclass
class DemoContext:
    """What the steps share.

    Attributes:
        coops: per area key ("balikpapan", "kaltara", "palangka_raya") the ids of its cooperatives, with the
            facts later steps need (status, jenis, kecamatan).
        summary: one line per step for the summary the command prints.
        letter_renderer: draws the demo's issued letters (kopdesk.reports.pdf.teguran, passed in by the caller).
    """

    session: Session
    actor: auth.Actor
    rng: random.Random
    today: dt.date
    seed: int
    letter_renderer: LetterRenderer
    coops: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    summary: list[str] = field(default_factory=list)
    serial: int = 0
    lookups: dict[str, dict[str, int]] = field(default_factory=dict)


Step = Callable[[DemoContext], None]


def _step_users(ctx: DemoContext) -> None:
    s = ctx.session
    made = []
    for username, full_name, role, nip in DEMO_USERS:
        if s.scalar(select(User.id).where(func.lower(User.username) == username)):
            continue
        first = auth.user_count(s) == 0 and role == "admin"
        auth.create_user(s, ctx.actor, username=username, full_name=full_name, role=role, password=DEMO_PASSWORD,
                         nip=nip, first_admin=first)
        made.append(username)
    ctx.summary.append(f"pengguna {', '.join(made) or '(sudah ada)'} (kata sandi {DEMO_PASSWORD})")


def _step_office(ctx: DemoContext) -> None:
    office = ctx.session.get(OfficeProfile, 1)
    if office is None:
        office = OfficeProfile(id=1)
        ctx.session.add(office)
    office.government = "PEMERINTAH KOTA BALIKPAPAN"
    office.name = "DINAS KOPERASI, USAHA MIKRO, KECIL, MENENGAH DAN PERINDUSTRIAN"
    office.address = "Jl. Jenderal Sudirman No. 1, Klandasan Ulu, Balikpapan Kota"
    office.city = "Balikpapan"
    office.postal_code = "76112"
    office.phone = "(0542) 421046"
    office.email = "dkumkmp@balikpapan.go.id"
    office.website = "dkumkmp.balikpapan.go.id"
    office.region_code = "6471"
    office.unit_code = "DKUMKMP"
    office.classification_code = "518"
    office.letter_number_format = "{kode}/{nomor}/{unit}/{bulan_romawi}/{tahun}"
    office.signatory_name = "Drs. Hendra Wijaya Kusuma, M.Si."
    office.signatory_title = "Kepala Dinas Koperasi, Usaha Mikro, Kecil, Menengah dan Perindustrian Kota Balikpapan"
    office.signatory_rank = "Pembina Utama Muda (IV/c)"
    office.signatory_nip = "197203151998031005"
    ctx.session.flush()
    ctx.summary.append("profil instansi DKUMKMP Kota Balikpapan")


def _step_balikpapan(ctx: DemoContext) -> None:
    spec = BALIKPAPAN
    types = [(j, p) for j, p, n in BALIKPAPAN_ACTIVE_BY_TYPE for _ in range(n)]
    kecs = [k for k, n in BALIKPAPAN_ACTIVE_BY_KECAMATAN.items() for _ in range(n)]
    ctx.rng.shuffle(types)
    ctx.rng.shuffle(kecs)
    plan = [{"status": "aktif", "jenis": j, "pola": p, "kecamatan": k} for (j, p), k in zip(types, kecs)]
    kec_codes = sorted(k for k in BALIKPAPAN_ACTIVE_BY_KECAMATAN if k)
    for status, n in [*BALIKPAPAN_OTHER.items(), ("dibubarkan", BALIKPAPAN_DISSOLVED)]:
        for _ in range(n):
            j, p = _weighted_type(ctx.rng)
            plan.append({"status": status, "jenis": j, "pola": p, "kecamatan": ctx.rng.choice(kec_codes)})
    assert sum(1 for r in plan if r["status"] != "dibubarkan") == BALIKPAPAN_REGISTERED
    _certify(ctx.rng, plan, BALIKPAPAN_CERTIFIED, spec.as_of, progress=0)
    ctx.coops["balikpapan"] = _write_area(ctx, spec, plan, "Kota Balikpapan")
    ctx.summary.append(f"Kota Balikpapan {BALIKPAPAN_REGISTERED} terdaftar, 440 aktif")


def _step_kaltara(ctx: DemoContext) -> None:
    out: list[dict[str, Any]] = []
    for kab, aktif, tidak, cert, progres in KALTARA:
        kec_codes = _children(ctx.session, kab)
        plan = []
        for status, n in (("aktif", aktif), ("tidak_aktif", tidak)):
            for _ in range(n):
                j, p = _weighted_type(ctx.rng)
                plan.append({"status": status, "jenis": j, "pola": p, "kecamatan": ctx.rng.choice(kec_codes)})
        _certify(ctx.rng, plan, cert, KALTARA_AS_OF, progress=progres)
        out += _write_area(ctx, KALTARA_AREAS[kab], plan, _region_name(ctx.session, kab))
    ctx.coops["kaltara"] = out
    ctx.summary.append("Kalimantan Utara 747 terdaftar, 474 aktif, 70 bersertifikat NIK (Juni 2019)")


def _step_palangka_raya(ctx: DemoContext) -> None:
    kec_codes = _children(ctx.session, PALANGKA_RAYA.kabkota)
    kec_weights = {"627101": 30, "627102": 6, "627103": 45, "627104": 12, "627105": 4}
    plan = []
    for status, n in PALANGKA_RAYA_STATUS.items():
        for _ in range(n):
            j, p = _weighted_type(ctx.rng)
            kec = ctx.rng.choices(kec_codes, weights=[kec_weights.get(k, 5) for k in kec_codes])[0]
            plan.append({"status": status, "jenis": j, "pola": p, "kecamatan": kec})
    _certify(ctx.rng, plan, PALANGKA_RAYA_CERTIFIED, PALANGKA_RAYA.as_of, progress=0)
    ctx.coops["palangka_raya"] = _write_area(ctx, PALANGKA_RAYA, plan, "Kota Palangka Raya")
    ctx.summary.append("Kota Palangka Raya 298 terdaftar: 177 aktif, 99 tidak aktif, 22 proses pembubaran")


def _step_supervision(ctx: DemoContext) -> None:
    """The Balikpapan supervision of the field reports (issue 4: the closed pemutakhiran round of October 2025,
    health assessments). Its changes are dated after the July 2024 figures, so those still hold "as of" 14 July 2024."""
    from kopdesk.models.services.demo.supervision import add_supervision

    ctx.summary.append(str(add_supervision(ctx.session, ctx.actor, region_code="6471", seed=ctx.seed)))


def _step_letters(ctx: DemoContext) -> None:
    """A first batch of teguran I in the register (Buku Agenda Surat): the first cooperatives of the Balikpapan
    queue, dated last month, so a clerk trying the demo sees issued letters, reprints and the escalation to come.
    Teguran I changes no status, so every figure of the field reports still holds."""
    from kopdesk.models.services.letters import teguran

    letter_date = ctx.today.replace(day=1) - dt.timedelta(days=1)
    due = [item for item in teguran.compute_queue(ctx.session, today=letter_date, region_code="6471")
           if item.level == 1 and not item.exempt][:12]
    if not due:
        return
    ctx.session.flush()
    result = teguran.issue(ctx.session, ctx.actor, [(i.cooperative_id, i.level) for i in due],
                           renderer=ctx.letter_renderer, letter_date=letter_date, today=letter_date, combined=False)
    ctx.summary.append(f"{len(result.letters)} surat teguran I di Buku Agenda Surat")


STEPS: list[tuple[str, Step]] = [
    ("Pengguna contoh", _step_users),
    ("Profil instansi", _step_office),
    ("Koperasi Kota Balikpapan", _step_balikpapan),
    ("Koperasi Kalimantan Utara", _step_kaltara),
    ("Koperasi Kota Palangka Raya", _step_palangka_raya),
    ("Pemutakhiran dan penilaian kesehatan", _step_supervision),
    ("Surat teguran", _step_letters),
]
"""The steps of :func:`generate`, in order: (label shown in the progress, function of a DemoContext)."""


def add_step(label: str, step: Step, *, before: str | None = None) -> None:
    """Add a step to the demo (e.g. a closed pemutakhiran round); ``before`` names an existing step's label."""
    if any(lbl == label for lbl, _ in STEPS):
        return
    if before is None:
        STEPS.append((label, step))
    else:
        index = next(i for i, (lbl, _) in enumerate(STEPS) if lbl == before)
        STEPS.insert(index, (label, step))


def has_cooperatives(db: Any) -> bool:
    with db.read() as s:
        return s.scalar(select(Cooperative.id).limit(1)) is not None


def _refuse_if_filled(session: Session) -> None:
    n = int(session.scalar(select(func.count()).select_from(Cooperative)) or 0)
    if n:
        raise DemoRefused(
            f"Data contoh hanya dapat diisi ke basis data yang belum berisi koperasi; basis data ini sudah berisi "
            f"{n} koperasi. Gunakan basis data baru (--db BERKAS).", cooperatives=n)


def generate(db: Any, seed: int = 2024, progress: Progress | None = None, cancelled: CancelCheck | None = None,
             today: dt.date | None = None, *, letter_renderer: LetterRenderer) -> str:
    """Fill an empty database with the demo data set, in one transaction; returns a one-line summary.

    Args:
        letter_renderer: draws the letters the demo issues (kopdesk.reports.pdf.teguran), so the register holds
            their SHA-256 and a reprint matches, as for letters a clerk issues.

    Raises:
        DemoRefused: the database already holds cooperatives (nothing is written).
        Cancelled: ``cancelled()`` turned true between steps (everything is rolled back).
    """
    progress = progress or NO_PROGRESS
    cancelled = cancelled or NEVER_CANCELLED
    actor = auth.Actor.system("demo")
    with db.transaction(actor) as s:
        _refuse_if_filled(s)
        ctx = DemoContext(session=s, actor=actor, rng=random.Random(seed), today=today or dt.date.today(), seed=seed,
                          letter_renderer=letter_renderer)
        ctx.lookups = {"kelompok": dict(s.execute(select(Kelompok.name, Kelompok.id)).all()),  # type: ignore[arg-type]
                       "sector": dict(s.execute(select(Sector.name, Sector.id)).all())}  # type: ignore[arg-type]
        steps = list(STEPS)
        for i, (label, step) in enumerate(steps):
            if cancelled():
                raise Cancelled()
            progress(i, len(steps), label)
            step(ctx)
        total = sum(len(v) for v in ctx.coops.values())
        audit_service.write_entry(s, action="create", entity="demo", entity_id=str(seed),
                                  note=f"Data contoh dibuat: {total} koperasi")
        progress(len(steps), len(steps), "Selesai")
    return f"{total} koperasi; " + "; ".join(ctx.summary)


def ensure_demo(db: Any, *, letter_renderer: LetterRenderer, **kwargs: Any) -> str | None:
    """Fill the demo data set when the database has no cooperative yet (``main.py --demo``); else do nothing."""
    if has_cooperatives(db):
        return None
    return generate(db, letter_renderer=letter_renderer, **kwargs)


# --------------------------------------------------------------------------------------------------------------
# Writing one area
# --------------------------------------------------------------------------------------------------------------

def _weighted_type(rng: random.Random) -> tuple[str, str]:
    j, p, _ = rng.choices(TYPE_WEIGHTS, weights=[w for *_, w in TYPE_WEIGHTS])[0]
    return j, p


def _certify(rng: random.Random, plan: list[dict[str, Any]], n: int, as_of: dt.date, *, progress: int) -> None:
    """Mark ``n`` active cooperatives as certified, ``progress`` of them in the month of ``as_of``."""
    active = [r for r in plan if r["status"] == "aktif"]
    chosen = rng.sample(active, n)
    month_start = as_of.replace(day=1)
    for i, r in enumerate(chosen):
        if i < progress:
            r["certified_on"] = month_start + dt.timedelta(days=rng.randrange(0, (as_of - month_start).days))
        else:
            r["certified_on"] = month_start - dt.timedelta(days=rng.randrange(20, 900))


def _cert_rat_year(certified_on: dt.date) -> int:
    """The RAT book year a certificate issued on this date rests on (the report came in a few months before)."""
    return (certified_on - dt.timedelta(days=120)).year - 1


def _children(session: Session, code: str) -> list[str]:
    return list(session.scalars(select(Region.code).where(Region.parent_code == code).order_by(Region.code)))


def _region_name(session: Session, code: str) -> str:
    return session.scalar(select(Region.name).where(Region.code == code)) or code


def _plus_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


def _rand_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _person(rng: random.Random, sex: str | None = None) -> tuple[str, str]:
    sex = sex or rng.choice("LLLP")
    first = rng.choice(MALE if sex == "L" else FEMALE)
    middle = rng.choice(["", "", rng.choice(MALE if sex == "L" else FEMALE)])
    last = rng.choice(SURNAMES)
    name = " ".join(p for p in (first, middle, last) if p)
    if rng.random() < 0.25:
        name += rng.choice([", S.E.", ", S.Pd.", ", S.H.", ", S.Sos.", ", S.T.", ", A.Md.", ", M.M."])
    elif rng.random() < 0.06:
        name = rng.choice(["H. ", "Hj. " if sex == "P" else "H. ", "Ir. ", "Drs. "]) + name
    return name, sex


def _citizen_nik(rng: random.Random, kecamatan: str | None, kabkota: str, sex: str, born: dt.date) -> str:
    region = kecamatan or (kabkota + f"{rng.randrange(1, 7):02d}")
    day = born.day + (40 if sex == "P" else 0)
    return f"{region}{day:02d}{born.month:02d}{born.year % 100:02d}{rng.randrange(1, 3000):04d}"


def _coop_name(rng: random.Random, jenis: str, pola: str, kelompok: str, city: str, kec_name: str,
               kel_name: str) -> str:
    w = rng.choice(WORDS)
    w2 = rng.choice(WORDS)
    two = f"{w} {w2}" if w != w2 and rng.random() < 0.5 else w
    if jenis == "simpan_pinjam":
        if pola == "syariah":
            return rng.choice([f"KSPPS BMT {rng.choice(ISLAMIC)}", f"KSPPS {rng.choice(ISLAMIC)} {city}",
                               f"Koperasi Syariah BMT {rng.choice(ISLAMIC)}"])
        return rng.choice([f"KSP {two}", f"Koperasi Simpan Pinjam {two}", f"KSP {two} {city}",
                           f"Koperasi Simpan Pinjam Credit Union {w}"])
    if kelompok.startswith("Koperasi Pegawai"):
        inst = rng.choice(INSTITUTION).format(kec=kec_name, city=city, n=rng.randrange(1, 25))
        return f"KPRI {inst}" if rng.random() < 0.7 else f"KPRI {two}"
    if kelompok.startswith("Koperasi Karyawan"):
        return f"Koperasi Karyawan PT {rng.choice(COMPANY)}" if rng.random() < 0.7 else f"Kopkar {two}"
    if kelompok.startswith("Koperasi Wanita"):
        return f"Koperasi Wanita {two}"
    if kelompok.startswith("Koperasi Sekolah"):
        return f"Koperasi Siswa SMA Negeri {rng.randrange(1, 12)} {city}"
    if kelompok.startswith("Koperasi Angkatan"):
        return rng.choice([f"Primkopad Kodim {rng.randrange(901, 912):04d}", f"Primkop Kartika {w}"])
    if kelompok.startswith("Koperasi Kepolisian"):
        return f"Primkoppol Resor {city}"
    if kelompok.startswith("Koperasi Pensiunan"):
        return f"Koperasi Pensiunan {two}"
    if kelompok.startswith("Koperasi Pondok"):
        return f"Kopontren {rng.choice(ISLAMIC)}"
    if kelompok.startswith("Koperasi Mahasiswa"):
        return f"Kopma {rng.choice(['Universitas', 'Politeknik', 'STIE'])} {city}"
    if kelompok.startswith("Koperasi Serba"):
        return f"KSU {two}"
    if kelompok.startswith("Koperasi Pedagang"):
        return f"Koppas Pasar {kel_name}"
    if kelompok.startswith("Koperasi Unit Desa"):
        return f"KUD {two}"
    if jenis == "produsen":
        kind = {"Pertanian": "Tani", "Perkebunan": "Perkebunan", "Peternakan": "Peternak", "Perikanan": "Perikanan",
                "Nelayan": "Nelayan"}.get(kelompok, "Produsen")
        return f"Koperasi Produsen {kind} {two}"
    if jenis == "pemasaran":
        return f"Koperasi Pemasaran {two}"
    if jenis == "jasa":
        return f"Koperasi Jasa {rng.choice(['Angkutan', 'Wisata', 'Parkir', 'Kebersihan', 'Transportasi', 'Konstruksi'])} {two}"
    return rng.choice([f"Koperasi Konsumen {two}", f"Koperasi {two}", f"Koperasi Konsumen {two} {kel_name}"])


def _legal_number(rng: random.Random, legal_date: dt.date, roman_region: str) -> str:
    if legal_date.year >= 2015:
        return f"AHU-{rng.randrange(1000, 99999):07d}.AH.01.26.TAHUN {legal_date.year}"
    return f"{rng.randrange(1, 900)}/BH/{roman_region}/{ROMAN[legal_date.month - 1]}/{legal_date.year}"


def _nik_koperasi(kabkota: str, legal_year: int, serial: int, rng: random.Random) -> str:
    return f"{kabkota}{legal_year % 100:02d}{serial:06d}{rng.randrange(10000):04d}"


def _size(rng: random.Random, jenis: str) -> int:
    base = {"konsumen": 120, "simpan_pinjam": 350, "produsen": 60, "pemasaran": 45, "jasa": 40}[jenis]
    return max(9, int(rng.lognormvariate(0, 0.8) * base))


def _write_area(ctx: DemoContext, spec: AreaSpec, plan: list[dict[str, Any]], city_label: str) -> list[dict[str, Any]]:
    """Insert the planned cooperatives of one area with their board, history, RAT and yearly figures."""
    s, rng = ctx.session, ctx.rng
    city = city_label.replace("Kota ", "").replace("Kabupaten ", "")
    kec_rows = s.execute(select(Region.code, Region.name).where(Region.parent_code == spec.kabkota)).all()
    kec_names = dict(kec_rows)  # type: ignore[arg-type]
    kels: dict[str, list[tuple[str, str, str | None]]] = {}
    for code, name, parent, postal in s.execute(
            select(Region.code, Region.name, Region.parent_code, Region.postal_code)
            .where(Region.parent_code.in_(list(kec_names)))):
        kels.setdefault(parent, []).append((code, name, postal))
    province = spec.kabkota[:2]
    kel_ids, sec_ids = ctx.lookups["kelompok"], ctx.lookups["sector"]
    now = dt.datetime.combine(spec.as_of, dt.time(9, 0), tzinfo=dt.UTC)

    coop_rows: list[dict[str, Any]] = []
    for r in plan:
        kec = r["kecamatan"]
        kel_code, kel_name, postal = rng.choice(kels[kec]) if kec else (None, "", None)
        jenis, pola = r["jenis"], r["pola"]
        kelompok = rng.choice(KELOMPOK_BY_TYPE[(jenis, pola)])
        latest = spec.as_of - dt.timedelta(days=400 if r["status"] != "aktif" else 120)
        legal_date = _rand_date(rng, dt.date(1978, 1, 1), latest)
        if rng.random() < 0.5:  # many cooperatives are younger
            legal_date = _rand_date(rng, dt.date(2005, 1, 1), latest)
        if "certified_on" in r and legal_date >= r["certified_on"] - dt.timedelta(days=400):
            legal_date = r["certified_on"] - dt.timedelta(days=rng.randrange(400, 3000))
        registered_on = min(legal_date + dt.timedelta(days=rng.randrange(0, 90)), spec.as_of - dt.timedelta(days=30))
        r["legal_date"], r["registered_on"] = legal_date, registered_on
        amended = (_rand_date(rng, _plus_years(legal_date, 5), spec.as_of - dt.timedelta(days=60))
                   if _plus_years(legal_date, 6) < spec.as_of and rng.random() < 0.3 else None)
        ctx.serial += 1
        has_nik = "certified_on" in r or rng.random() < (0.8 if r["status"] == "aktif" else 0.45)
        size = _size(rng, jenis)
        female_share = 0.85 if "Wanita" in kelompok else rng.uniform(0.2, 0.6)
        members_f = int(size * female_share)
        capital = size * rng.randrange(300_000, 3_000_000)
        volume = int(capital * rng.uniform(0.5, 4))
        street = rng.choice(STREETS)
        address = f"{street} No. {rng.randrange(1, 250)}"
        if rng.random() < 0.3:
            address += f", Gg. {rng.choice(WORDS)}"
        name = _coop_name(rng, jenis, pola, kelompok, city, kec_names.get(kec, city) if kec else city, kel_name or city)
        r["name"] = name
        coop_rows.append({
            "name": name,
            "nik": _nik_koperasi(spec.kabkota, legal_date.year, ctx.serial, rng) if has_nik else None,
            "legal_number": _legal_number(rng, legal_date, spec.legal_region),
            "legal_date": legal_date,
            "ad_amendment_number": f"AHU-{rng.randrange(1000, 99999):07d}.AH.01.27.TAHUN {amended.year}" if amended else None,
            "ad_amendment_date": amended,
            "nib": f"{rng.randrange(10**12, 10**13)}" if rng.random() < 0.4 else None,
            "npwp": f"{rng.randrange(10**14, 10**15)}" if rng.random() < 0.6 else None,
            "address": address,
            "rt_rw": f"RT {rng.randrange(1, 60):03d}" if kec else None,
            "postal_code": postal,
            "province_code": province, "kabkota_code": spec.kabkota, "kecamatan_code": kec,
            "kelurahan_code": kel_code,
            "latitude": round(spec.lat + rng.uniform(-0.05, 0.05), 6),
            "longitude": round(spec.lon + rng.uniform(-0.05, 0.05), 6),
            "phone": (f"{spec.area_code}-{rng.randrange(400000, 899999)}" if rng.random() < 0.4
                      else f"08{rng.choice('1125')}{rng.randrange(10**8, 10**9)}"),
            "email": (f"kop.{name.split()[-1].lower().replace('-', '')}{rng.randrange(10, 99)}@gmail.com"
                      if rng.random() < 0.35 else None),
            "form": "sekunder" if rng.random() < 0.02 else "primer",
            "membership_scope": "kabkota",
            "jenis": jenis, "pola": pola,
            "kelompok_id": kel_ids.get(kelompok),
            "sector_id": sec_ids.get(rng.choice(SECTOR_BY_JENIS[jenis])),
            "business_scale": rng.choice(["KUK 1 (Koperasi Usaha Mikro)", "KUK 2 (Koperasi Usaha Kecil)",
                                          "KUK 3 (Koperasi Usaha Menengah)"]) if has_nik else None,
            "is_merah_putih": False,
            "members_male": size - members_f, "members_female": members_f,
            "employees": rng.randrange(0, 3 + size // 40), "managers": 1 if rng.random() < 0.4 else 0,
            "own_capital": capital, "external_capital": int(capital * rng.uniform(0, 0.8)),
            "assets": int(capital * rng.uniform(1.1, 2.5)), "business_volume": volume,
            "shu": int(volume * rng.uniform(-0.02, 0.08)),
            "figures_year": None,
            "status": r["status"], "status_reason": None, "status_date": registered_on,
            "registered_on": registered_on,
            "nik_status": "bersertifikat" if "certified_on" in r else ("belum_bersertifikat" if has_nik else "tidak_ada"),
            "nik_certified_on": r.get("certified_on"),
            "certificate_valid_until": (_plus_years(r["certified_on"], 1) - dt.timedelta(days=1)
                                        if "certified_on" in r else None),
            "grade": None, "grade_override": False,
            "notes": "Kecamatan belum tercatat pada data ODS." if not kec else None,
            "version": 1, "created_at": now, "updated_at": now,
        })

    # Status history: registration, then the road to the current status, all dated before the report.
    histories: list[list[tuple[str | None, str, dt.date, str, str]]] = []
    for r, row in zip(plan, coop_rows):
        reg = r["registered_on"]
        h: list[tuple[str | None, str, dt.date, str, str]] = [(None, "aktif", reg, "Pendaftaran koperasi", "awal")]
        end = spec.as_of - dt.timedelta(days=15)
        if r["status"] == "aktif" and rng.random() < 0.05 and (end - reg).days > 800:
            off = _rand_date(rng, reg + dt.timedelta(days=365), end - dt.timedelta(days=300))
            back = _rand_date(rng, off + dt.timedelta(days=90), end)
            h.append(("aktif", "tidak_aktif", off, rng.choice(INACTIVE_REASONS), "manual"))
            h.append(("tidak_aktif", "aktif", back, "Kembali aktif dan melaksanakan RAT", "manual"))
        elif r["status"] != "aktif":
            steps = {"tidak_aktif": ["tidak_aktif"], "proses_pembubaran": ["tidak_aktif", "proses_pembubaran"],
                     "dibubarkan": ["tidak_aktif", "proses_pembubaran", "dibubarkan"]}[r["status"]]
            lo = reg + dt.timedelta(days=200)
            for i, st in enumerate(steps):
                hi = end - dt.timedelta(days=150 * (len(steps) - 1 - i))
                when = _rand_date(rng, lo, hi)
                reason = {"tidak_aktif": rng.choice(INACTIVE_REASONS), "proses_pembubaran": DISSOLUTION_REASON,
                          "dibubarkan": "SK Pembubaran oleh Pemerintah"}[st]
                source = "teguran" if st != "tidak_aktif" else rng.choice(["manual", "pemutakhiran", "import"])
                h.append((h[-1][1], st, when, reason, source))
                lo = when + dt.timedelta(days=30)
        row["status_date"] = h[-1][2]
        row["status_reason"] = h[-1][3] if len(h) > 1 else None
        r["inactive_from"] = next((d for _f, t, d, _r, _s in h if t == "tidak_aktif"), None)
        histories.append(h)

    # RAT per book year: exact counts where the report gives one, else a plausible share; certified ones held
    # the RAT of the book year before their certificate.
    rat: dict[int, set[int]] = {}
    for year in spec.rat_years:

        def eligible(r: dict[str, Any], year: int = year) -> bool:
            """Founded by then, and active when the RAT of ``year`` was due (a revived one skipped its idle years)."""
            if r["legal_date"].year > year:
                return False
            inactive = r["inactive_from"]
            if r["status"] == "aktif":
                return inactive is None or year + 1 not in (inactive.year, inactive.year + 1)
            return inactive is not None and dt.date(year + 1, 6, 30) < inactive

        if dt.date(year + 1, 2, 1) > ctx.today:
            continue
        pool = [i for i, r in enumerate(plan) if eligible(r)
                and (spec.rat_counts.get(year) is None or r["status"] == "aktif")]
        must = {i for i, r in enumerate(plan) if "certified_on" in r and _cert_rat_year(r["certified_on"]) == year}
        target = spec.rat_counts.get(year)
        if target is None:
            target = int(len(pool) * rng.uniform(0.35, 0.55))
        must &= set(pool)
        chosen = set(list(must)[:target])
        rest = [i for i in pool if i not in chosen]
        chosen |= set(rng.sample(rest, max(0, min(len(rest), target - len(chosen)))))
        if spec.rat_counts.get(year) is not None and len(chosen) != target:
            raise AssertionError(f"demo: cannot place {target} RAT for {year} in {spec.key}")
        rat[year] = chosen

    # Insert cooperatives and get their ids in order.
    ids = list(s.scalars(insert(Cooperative.__table__).returning(Cooperative.__table__.c.id, sort_by_parameter_order=True),
                         coop_rows))
    status_rows, officer_rows, rat_rows, report_rows = [], [], [], []
    for cid, r, row, h in zip(ids, plan, coop_rows, histories):
        r["id"] = cid
        for frm, to, when, reason, source in h:
            status_rows.append({"cooperative_id": cid, "from_status": frm, "to_status": to, "effective_date": when,
                                "changed_at": dt.datetime.combine(when, dt.time(10, 0), tzinfo=dt.UTC),
                                "reason": reason, "source": source, "source_ref": None, "user_id": None,
                                "username": "demo"})
        officer_rows += _board(rng, cid, row, spec)
    for year, chosen in rat.items():
        for i in chosen:
            r, row = plan[i], coop_rows[i]
            deadline = dt.date(year + 1, 4, 30) if row["form"] == "primer" else dt.date(year + 1, 6, 30)
            held = _rand_date(rng, dt.date(year + 1, 1, 20), deadline + dt.timedelta(days=60 if rng.random() < 0.2 else 0))
            limit = spec.as_of if dt.date(year + 1, 1, 1) <= spec.as_of else ctx.today
            if "certified_on" in r and _cert_rat_year(r["certified_on"]) == year:
                limit = min(limit, r["certified_on"] - dt.timedelta(days=5))
            held = min(held, limit - dt.timedelta(days=15))
            received = min(held + dt.timedelta(days=rng.randrange(3, 45)), limit)
            members = row["members_male"] + row["members_female"]
            rat_rows.append({"cooperative_id": r["id"], "book_year": year, "rat_date": held,
                             "report_received_date": received,
                             "attendance": max(5, int(members * rng.uniform(0.3, 0.9))),
                             "has_minutes": True, "has_financials": rng.random() < 0.9, "has_lpj": rng.random() < 0.85,
                             "notes": None, "created_at": now, "updated_at": now})
            growth = (1.0 + rng.uniform(-0.03, 0.06)) ** (year - spec.as_of.year)
            report_rows.append({
                "cooperative_id": r["id"], "book_year": year,
                "members_male": int(row["members_male"] * growth), "members_female": int(row["members_female"] * growth),
                "managers": row["managers"], "employees": row["employees"],
                "own_capital": int(row["own_capital"] * growth), "external_capital": int(row["external_capital"] * growth),
                "assets": int(row["assets"] * growth), "business_volume": int(row["business_volume"] * growth),
                "shu": int(row["shu"] * growth), "source": "RAT"})
    # The cooperative's figures are those of its last RAT.
    last_year: dict[int, int] = {}
    for rr in report_rows:
        last_year[rr["cooperative_id"]] = max(last_year.get(rr["cooperative_id"], 0), rr["book_year"])
    for rows_, table in ((status_rows, StatusChange.__table__), (officer_rows, Officer.__table__),
                         (rat_rows, RatRecord.__table__), (report_rows, AnnualReport.__table__)):
        if rows_:
            s.execute(insert(table), rows_)
    if last_year:
        from sqlalchemy import bindparam, update
        t = Cooperative.__table__
        s.execute(update(t).where(t.c.id == bindparam("cid")).values(figures_year=bindparam("fy")),
                  [{"cid": k, "fy": v} for k, v in last_year.items()])
    _set_grades(s, ids, ctx.today)
    return [{"id": r["id"], "status": r["status"], "jenis": r["jenis"], "pola": r["pola"],
             "kecamatan_code": r["kecamatan"], "kabkota_code": spec.kabkota, "name": r["name"]} for r in plan]


def _board(rng: random.Random, cid: int, row: dict[str, Any], spec: AreaSpec) -> list[dict[str, Any]]:
    """Pengurus, pengawas and (sometimes) a manajer, with the current term and, often, the previous one."""
    out = []
    term_years = 5
    start = _rand_date(rng, max(row["legal_date"], spec.as_of - dt.timedelta(days=365 * term_years - 60)),
                       spec.as_of - dt.timedelta(days=30))
    terms = [(start, _plus_years(start, term_years) - dt.timedelta(days=1))]
    prev = _plus_years(start, -term_years)
    if prev >= row["legal_date"] and rng.random() < 0.6:
        terms.append((prev, start - dt.timedelta(days=1)))
    for t_start, t_end in terms:
        roles = ["ketua", "sekretaris", "bendahara"]
        if rng.random() < 0.5:
            roles.insert(1, "wakil_ketua")
        roles += ["pengawas"] * rng.choice([1, 2, 3])
        if row["managers"] and t_start == start:
            roles.append("manajer")
        for role in roles:
            name, sex = _person(rng)
            born = _rand_date(rng, dt.date(1955, 1, 1), dt.date(1995, 12, 31))
            out.append({"cooperative_id": cid, "role": role, "name": name, "sex": sex,
                        "citizen_nik": _citizen_nik(rng, row["kecamatan_code"], row["kabkota_code"], sex, born),
                        "phone": f"08{rng.choice('1125')}{rng.randrange(10**8, 10**9)}" if rng.random() < 0.7 else None,
                        "term_start": t_start, "term_end": t_end})
    return out


def _set_grades(session: Session, ids: list[int], as_of: dt.date) -> None:
    """The NIK grade of each cooperative from its RAT history, relative to the report date (brief §1, §11)."""
    from sqlalchemy import bindparam, update

    years = (as_of.year - 1, as_of.year - 2, as_of.year - 3)
    held: dict[int, int] = {}
    for cid, n in session.execute(select(RatRecord.cooperative_id, func.count()).where(
            RatRecord.cooperative_id.in_(ids), RatRecord.book_year.in_(years)).group_by(RatRecord.cooperative_id)):
        held[cid] = n
    founded = dict(session.execute(select(Cooperative.id, Cooperative.legal_date).where(Cooperative.id.in_(ids))).all())  # type: ignore[arg-type]
    rows = []
    for cid in ids:
        n = held.get(cid, 0)
        young = founded[cid] is not None and founded[cid].year >= as_of.year - 3
        grade = {3: "A", 2: "B"}.get(n) or ("C1" if n == 1 and young else "C2" if n == 1 else "D")
        rows.append({"cid": cid, "g": grade})
    t = Cooperative.__table__
    session.execute(update(t).where(t.c.id == bindparam("cid")).values(grade=bindparam("g")), rows)


# --------------------------------------------------------------------------------------------------------------
# National scale
# --------------------------------------------------------------------------------------------------------------

NATIONAL_YEARS = tuple(range(2016, 2026))  # ten book years
_COOP_COLS = ["id", "name", "nik", "legal_number", "legal_date", "address", "postal_code", "province_code",
              "kabkota_code", "kecamatan_code", "kelurahan_code", "form", "membership_scope", "jenis", "pola",
              "kelompok_id", "sector_id", "is_merah_putih", "members_male", "members_female", "employees", "managers",
              "own_capital", "external_capital", "assets", "business_volume", "shu", "status", "status_date",
              "registered_on", "nik_status", "nik_certified_on", "certificate_valid_until", "grade", "grade_override",
              "version", "created_at", "updated_at"]
_RAT_COLS = ["cooperative_id", "book_year", "rat_date", "report_received_date", "attendance", "has_minutes",
             "has_financials", "has_lpj", "created_at", "updated_at"]
_STATUS_COLS = ["cooperative_id", "from_status", "to_status", "effective_date", "changed_at", "reason", "source",
                "username"]
NATIONAL_STATUS = [("aktif", 63), ("tidak_aktif", 30), ("tidak_ditemukan", 3), ("proses_pembubaran", 3),
                   ("dibubarkan", 1)]


def generate_national(db: Any, count: int = 300_000, seed: int = 2024, progress: Progress | None = None,
                      cancelled: CancelCheck | None = None, chunk: int = 20_000) -> str:
    """Write ``count`` cooperatives over every province, each with RAT records over ten book years, in bulk.

    SQLite: executemany of plain tuples in one transaction; the FTS5 search index is rebuilt once after the load
    (its insert trigger is suspended during the load, in the same transaction). PostgreSQL: COPY, as the
    application role (ids from the table's sequence). Refuses a database that already holds cooperatives.
    """
    progress = progress or NO_PROGRESS
    cancelled = cancelled or NEVER_CANCELLED
    rng = random.Random(seed)
    actor = auth.Actor.system("demo")
    started = time.perf_counter()
    with db.transaction(actor) as s:
        _refuse_if_filled(s)
        kelurahan = s.execute(select(Region.code, Region.name, Region.postal_code).where(Region.level == 4)).all()
        if not kelurahan:
            raise DemoRefused("Tabel wilayah masih kosong; data nasional memerlukan daftar kelurahan/desa.")
        kel_ids = dict(s.execute(select(Kelompok.name, Kelompok.id)).all())  # type: ignore[arg-type]
        sec_ids = dict(s.execute(select(Sector.name, Sector.id)).all())  # type: ignore[arg-type]
        conn = s.connection()
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            first_id = int(conn.exec_driver_sql("SELECT coalesce(max(id), 0) + 1 FROM cooperative").scalar() or 1)
            # Load first, index after (performance.md §3): the secondary indexes and the search triggers are
            # dropped and re-created from their own definitions in this same transaction.
            fts_triggers = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='trigger' AND tbl_name='cooperative' "
                "AND name LIKE 'cooperative_fts%'").all()
            indexes = conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND sql IS NOT NULL "
                "AND tbl_name IN ('cooperative', 'rat_record', 'status_change')").all()
            for name, _sql in fts_triggers:
                conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
            for name, _sql in indexes:
                conn.exec_driver_sql(f'DROP INDEX "{name}"')
        now: Any = dt.datetime.now(dt.UTC).replace(microsecond=0)
        if sqlite:  # the storage format of SQLAlchemy's SQLite DateTime
            now = now.strftime("%Y-%m-%d %H:%M:%S.000000")
        status_names = [k for k, _ in NATIONAL_STATUS]
        status_weights = [w for _, w in NATIONAL_STATUS]
        type_choices = [(j, p) for j, p, _ in TYPE_WEIGHTS]
        type_weights = [w for *_, w in TYPE_WEIGHTS]
        n_rat = 0
        done = 0
        while done < count:
            if cancelled():
                raise Cancelled()
            n = min(chunk, count - done)
            if sqlite:
                ids = list(range(first_id + done, first_id + done + n))
            else:
                ids = [r[0] for r in conn.exec_driver_sql(
                    "SELECT nextval(pg_get_serial_sequence('cooperative', 'id')) FROM generate_series(1, %(n)s)",
                    {"n": n}).all()]
            coops, rats, statuses = _national_chunk(rng, ids, done, kelurahan, kel_ids, sec_ids, now, status_names,
                                                    status_weights, type_choices, type_weights)
            _bulk(conn, "cooperative", _COOP_COLS, coops, sqlite)
            _bulk(conn, "status_change", _STATUS_COLS, statuses, sqlite)
            _bulk(conn, "rat_record", _RAT_COLS, rats, sqlite)
            n_rat += len(rats)
            done += n
            progress(done, count, "Koperasi nasional")
        if sqlite:
            progress(count, count, "Indeks")
            for _name, sql in indexes:
                conn.exec_driver_sql(sql)
            progress(count, count, "Indeks pencarian")
            conn.exec_driver_sql("INSERT INTO cooperative_fts(cooperative_fts) VALUES ('rebuild')")
            for _name, sql in fts_triggers:
                conn.exec_driver_sql(sql)
        audit_service.write_entry(s, action="create", entity="demo", entity_id=f"nasional-{seed}",
                                  note=f"Data contoh nasional dibuat: {count} koperasi, {n_rat} RAT")
    if sqlite:
        with db.engine.begin() as c:
            c.exec_driver_sql("ANALYZE")
    elapsed = time.perf_counter() - started
    return f"{count} koperasi di seluruh provinsi, {n_rat} catatan RAT tahun buku {NATIONAL_YEARS[0]}–{NATIONAL_YEARS[-1]} ({elapsed:.1f} s)"


def _national_chunk(rng: random.Random, ids: list[int], offset: int, kelurahan: list[Any], kel_ids: dict[str, int],
                    sec_ids: dict[str, int], now: dt.datetime, status_names: list[str], status_weights: list[int],
                    type_choices: list[tuple[str, str]], type_weights: list[int]):  # type: ignore[no-untyped-def]
    coops, rats, statuses = [], [], []
    rand, choice = rng.random, rng.choice

    def randrange(a: int, b: int) -> int:
        return a + int(rand() * (b - a))

    kels = rng.choices(kelurahan, k=len(ids))
    sts = rng.choices(status_names, weights=status_weights, k=len(ids))
    types = rng.choices(type_choices, weights=type_weights, k=len(ids))
    day0 = dt.date(1975, 1, 1).toordinal()
    span = dt.date(2024, 12, 31).toordinal() - day0
    last_year = NATIONAL_YEARS[-1]
    for i, cid in enumerate(ids):
        code, kel_name, postal = kels[i]
        status = sts[i]
        jenis, pola = types[i]
        kelompok = choice(KELOMPOK_BY_TYPE[(jenis, pola)])
        legal = dt.date.fromordinal(day0 + int(span * (rand() ** 1.3)))
        registered = legal + dt.timedelta(days=randrange(0, 60))
        w1, w2 = choice(WORDS), choice(WORDS)
        if jenis == "simpan_pinjam":
            name = f"KSPPS BMT {choice(ISLAMIC)} {kel_name}" if pola == "syariah" else f"KSP {w1} {w2} {kel_name}"
        else:
            prefix = {"konsumen": "Koperasi Konsumen", "produsen": "Koperasi Produsen", "pemasaran": "Koperasi Pemasaran",
                      "jasa": "Koperasi Jasa"}[jenis]
            if kelompok.startswith("Koperasi Pegawai"):
                prefix = "KPRI"
            elif kelompok.startswith("Koperasi Karyawan"):
                prefix = "Kopkar"
            elif kelompok.startswith("Koperasi Unit Desa"):
                prefix = "KUD"
            name = f"{prefix} {w1} {w2} {kel_name}" if w1 != w2 else f"{prefix} {w1} {kel_name}"
        has_nik = rand() < (0.75 if status == "aktif" else 0.4)
        serial = offset + i + 1
        nik = f"{code[:4]}{legal.year % 100:02d}{serial:06d}{randrange(0, 10000):04d}" if has_nik else None
        size = max(9, int(rng.lognormvariate(0, 0.8) * 90))
        female = int(size * rand() * 0.7)
        capital = size * randrange(300_000, 3_000_000)
        # RAT over the ten book years: active ones mostly hold it, the others stopped some years ago.
        reliability = 0.55 + 0.45 * rand() if status == "aktif" else 0.4 * rand()
        stop = last_year + 1 if status == "aktif" else NATIONAL_YEARS[0] + randrange(0, 10)
        held_years = []
        for y in NATIONAL_YEARS:
            if y < legal.year or y >= stop or rand() > reliability:
                continue
            held_years.append(y)
            rd = dt.date(y + 1, 1, 15) + dt.timedelta(days=randrange(0, 150))
            rats.append((cid, y, rd, rd + dt.timedelta(days=randrange(2, 40)), max(5, int(size * 0.6)), True,
                         rand() < 0.9, rand() < 0.85, now, now))
        certified = status == "aktif" and held_years and held_years[-1] >= last_year - 1 and rand() < 0.45
        cert_on = dt.date(held_years[-1] + 1, 7, 1) + dt.timedelta(days=randrange(0, 150)) if certified else None
        recent = sum(1 for y in held_years if y >= last_year - 2)
        grade = {3: "A", 2: "B"}.get(recent) or ("C1" if recent == 1 and legal.year >= last_year - 2 else
                                                   "C2" if recent == 1 else "D")
        status_date = registered
        statuses.append((cid, None, "aktif", registered, now, "Pendaftaran koperasi", "awal", "demo"))
        if status != "aktif":
            status_date = max(registered, dt.date(min(stop, last_year) + 1, 3, 1) + dt.timedelta(days=randrange(0, 200)))
            statuses.append((cid, "aktif", status, status_date, now, choice(INACTIVE_REASONS), "import", "demo"))
        coops.append((
            cid, name, nik, _legal_number(rng, legal, "XVII"), legal, f"{choice(STREETS)} No. {randrange(1, 250)}",
            postal, code[:2], code[:4], code[:6], code, "primer", "kabkota", jenis, pola, kel_ids.get(kelompok),
            sec_ids.get(SECTOR_BY_JENIS[jenis][0]), False, size - female, female, randrange(0, 10),
            1 if rand() < 0.3 else 0, capital, int(capital * rand() * 0.8), int(capital * (1.1 + rand())),
            int(capital * (0.5 + 3 * rand())), int(capital * (rand() * 0.1 - 0.02)), status, status_date, registered,
            "bersertifikat" if certified else ("belum_bersertifikat" if has_nik else "tidak_ada"), cert_on,
            cert_on + dt.timedelta(days=364) if cert_on else None, grade, False, 1, now, now,
        ))
    return coops, rats, statuses


def _bulk(conn: Any, table: str, cols: list[str], rows: list[tuple[Any, ...]], sqlite: bool) -> None:
    if not rows:
        return
    if sqlite:
        conn.exec_driver_sql(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})", rows)
        return
    raw = conn.connection.driver_connection
    with raw.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "STEPS",
    "DemoContext",
    "DemoRefused",
    "add_step",
    "ensure_demo",
    "generate",
    "generate_national",
    "has_cooperatives",
]
