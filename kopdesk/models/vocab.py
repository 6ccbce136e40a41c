"""The coded values of the domain and their Indonesian labels, in one place."""

from __future__ import annotations

JENIS = {
    "konsumen": "Konsumen",
    "produsen": "Produsen",
    "pemasaran": "Pemasaran",
    "jasa": "Jasa",
    "simpan_pinjam": "Simpan Pinjam",
}
POLA = {"konvensional": "Konvensional", "syariah": "Syariah"}
FORM = {"primer": "Primer", "sekunder": "Sekunder"}
MEMBERSHIP_SCOPE = {"kabkota": "Kabupaten/Kota", "provinsi": "Provinsi", "nasional": "Nasional"}

# Status lifecycle (brief §0, §6): "tidak_ditemukan" is the field-check outcome, kept apart from the others.
STATUS = {
    "aktif": "Aktif",
    "tidak_aktif": "Tidak Aktif",
    "tidak_ditemukan": "Tidak Ditemukan di Alamat",
    "proses_pembubaran": "Dalam Proses Pembubaran",
    "dibubarkan": "Dibubarkan",
}
# A dissolved cooperative no longer counts as registered.
REGISTERED_STATUSES = ("aktif", "tidak_aktif", "tidak_ditemukan", "proses_pembubaran")

# The recap types of the Balikpapan figures: jenis, with simpan pinjam split by pola (brief §3).
TYPE_LABELS = {
    ("jasa", None): "Jasa", ("konsumen", None): "Konsumen", ("pemasaran", None): "Pemasaran",
    ("produsen", None): "Produsen", ("simpan_pinjam", "konvensional"): "KSP Konvensional",
    ("simpan_pinjam", "syariah"): "KSP Syariah",
}


def type_label(jenis: str, pola: str | None) -> str:
    """The recap type of a cooperative: its jenis, with simpan pinjam split by pola (brief §3)."""
    if jenis == "simpan_pinjam":
        return TYPE_LABELS[("simpan_pinjam", pola if pola in POLA else "konvensional")]
    return JENIS.get(jenis, jenis)


NIK_STATUS = {
    "bersertifikat": "Bersertifikat NIK",
    "belum_bersertifikat": "Belum Bersertifikat NIK",
    "tidak_ada": "Belum Ada NIK",
}
GRADES = ("A", "B", "C1", "C2", "D")

OFFICER_ROLES = {
    "ketua": "Ketua",
    "wakil_ketua": "Wakil Ketua",
    "sekretaris": "Sekretaris",
    "bendahara": "Bendahara",
    "pengawas": "Pengawas",
    "manajer": "Manajer",
}
SEX = {"L": "Laki-laki", "P": "Perempuan"}

STATUS_SOURCES = {
    "manual": "Perubahan oleh petugas",
    "pemutakhiran": "Pemutakhiran (kunjungan lapangan)",
    "import": "Impor data",
    "teguran": "Proses teguran/pembubaran",
    "demo": "Data contoh",
    "awal": "Pendaftaran",
}

RAT_STATUS = {"tepat_waktu": "Tepat Waktu", "terlambat": "Terlambat", "belum": "Belum RAT"}

PREDIKAT = {
    "sehat": "Sehat",
    "cukup_sehat": "Cukup Sehat",
    "dalam_pengawasan": "Dalam Pengawasan",
    "dalam_pengawasan_khusus": "Dalam Pengawasan Khusus",
}

ROLES = {"admin": "Administrator", "operator": "Operator", "pimpinan": "Pimpinan"}

LETTER_LEVELS = {1: "Teguran I", 2: "Teguran II", 3: "Teguran III", 4: "Usulan Pembubaran"}
# Delivery of a letter (each step with its date in the register).
LETTER_DELIVERY = {
    "dicetak": "Dicetak",
    "dikirim": "Dikirim",
    "diterima": "Diterima",
    "dikembalikan": "Kembali (tidak sampai)",
}
VIOLATIONS = {
    "tidak_rat": "Tidak melaksanakan RAT",
    "tidak_ditemukan": "Tidak ditemukan di alamat",
    "tidak_aktif_usaha": "Tidak menjalankan kegiatan usaha",
    "tidak_menanggapi": "Tidak menanggapi teguran sebelumnya",
    "lainnya": "Lainnya",
}


def label(vocab: dict, value: object) -> str:
    """The label of a coded value, or the value itself when it is not in the vocabulary."""
    if value is None:
        return ""
    return str(vocab.get(value, value))  # type: ignore[call-overload]
