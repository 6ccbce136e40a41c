"""Settings shared by every clerk, stored as JSON in the database, each declared here with its default.

Rules the brief marks [UNCONFIRMED] (RAT deadlines, teguran intervals, health weights) live here, so an office
changes data, not code, when a regulation changes.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.office import Setting
from kopdesk.models.services.administration.auth import Actor, require

DEFAULTS: dict[str, Any] = {
    # RAT: the report deadline for book year Y is this month-day of Y+1, by form (brief §4).
    "rat.default_deadline": {"primer": "04-30", "sekunder": "06-30"},
    # NIK Koperasi: digits only; a length outside this range is a warning, never a rejection (brief §1).
    "nik.length": {"min": 10, "max": 16},
    # Teguran escalation (brief §6, [UNCONFIRMED]): days to respond per level, and the grounds considered.
    "teguran.response_days": 30,
    "teguran.levels": [1, 2, 3],
    "teguran.rat_missing_years": 1,
    "dissolution.rat_missing_years": 3,
    # Health assessment schemes (brief §5): aspects with weights and the predikat thresholds.
    "health.schemes": {
        "kkpkk_2021": {
            "name": "Permenkop UKM 9/2020 jo. Juknis Deputi 15/2021 (KKPKK)",
            "aspects": [
                {"code": "tata_kelola", "name": "Tata Kelola", "weight": 30},
                {"code": "profil_risiko", "name": "Profil Risiko", "weight": 15},
                {"code": "kinerja_keuangan", "name": "Kinerja Keuangan", "weight": 40},
                {"code": "permodalan", "name": "Permodalan", "weight": 15},
            ],
            "thresholds": [[80, "sehat"], [66, "cukup_sehat"], [51, "dalam_pengawasan"], [0, "dalam_pengawasan_khusus"]],
        },
        "perdep_2016": {
            "name": "Peraturan Deputi Pengawasan 06/Per/Dep.6/IV/2016",
            "aspects": [
                {"code": "permodalan", "name": "Permodalan", "weight": 15},
                {"code": "kualitas_aktiva", "name": "Kualitas Aktiva Produktif", "weight": 25},
                {"code": "manajemen", "name": "Manajemen", "weight": 15},
                {"code": "efisiensi", "name": "Efisiensi", "weight": 10},
                {"code": "likuiditas", "name": "Likuiditas", "weight": 15},
                {"code": "kemandirian", "name": "Kemandirian dan Pertumbuhan", "weight": 10},
                {"code": "jatidiri", "name": "Jatidiri Koperasi", "weight": 10},
            ],
            "thresholds": [[80, "sehat"], [66, "cukup_sehat"], [51, "dalam_pengawasan"], [0, "dalam_pengawasan_khusus"]],
        },
    },
    "health.default_scheme": "kkpkk_2021",
    "certificate.validity_years": 1,
    # Certificates (issue 6): the Ed25519 public keys the office trusts, as [{key_id, public_key (base64 raw), label}];
    # the PC that signs adds its own key on first issue. Health predikat certificates go to these predikats only.
    "certificate.public_keys": [],
    "certificate.predikat_eligible": ["sehat", "cukup_sehat"],
    # Surat teguran (issue 5, services/teguran.py): grounds considered, letter details, wording per level.
    # teguran.response_days may also be a list, one per level ([30, 30, 30]); templates override
    # resources/templates/teguran_N.txt per level ("1".."4"), edited by administrators in the app.
    "teguran.grounds": ["tidak_rat", "tidak_ditemukan", "tidak_aktif_usaha"],
    "teguran.nature": "Penting",
    "teguran.attachments": "–",
    "teguran.tembusan": ["Wali Kota (sebagai laporan)", "Kepala Dinas Koperasi dan UKM Provinsi",
                         "Camat dan Lurah setempat"],
    "teguran.contact": "",
    "teguran.templates": {},
    "teguran.counter": "surat_keluar",
}


def get(session: Session, key: str) -> Any:
    """The value of a setting, or its declared default."""
    if key not in DEFAULTS:
        raise KeyError(key)
    raw = session.scalar(select(Setting.value).where(Setting.key == key))
    return json.loads(raw) if raw is not None else copy.deepcopy(DEFAULTS[key])


def put(session: Session, actor: Actor, key: str, value: Any) -> None:
    """Change a shared setting (administrators only); the change is audited."""
    require(actor, "settings.manage")
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(Setting, key)
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if row is None:
        session.add(Setting(key=key, value=text))
    else:
        row.value = text
    session.flush()
