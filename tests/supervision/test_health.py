"""Health assessment: the one scoring function at every threshold, schemes as data, records, history, lists."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from kopdesk.models.errors import PermissionDenied, ValidationError
from kopdesk.models.health import HealthAssessment, HealthEvidence
from kopdesk.models.services.administration import settings
from kopdesk.models.services.supervision import health
from tests.conftest import make_user
from tests.supervision.conftest import TODAY, make_coop

SCHEMES = settings.DEFAULTS["health.schemes"]
KKPKK = SCHEMES["kkpkk_2021"]


def uniform(value, scheme=KKPKK):  # type: ignore[no-untyped-def]
    return {a["code"]: value for a in scheme["aspects"]}


@pytest.mark.parametrize(("value", "predikat"), [
    ("100", "sehat"), ("80", "sehat"), ("79.99", "cukup_sehat"), ("66", "cukup_sehat"), ("65,99", "dalam_pengawasan"),
    ("51", "dalam_pengawasan"), ("50.99", "dalam_pengawasan_khusus"), ("0", "dalam_pengawasan_khusus"),
])
@pytest.mark.parametrize("scheme", ["kkpkk_2021", "perdep_2016"])
def test_thresholds_at_their_boundaries(value, predikat, scheme):
    result = health.score(SCHEMES[scheme], uniform(value, SCHEMES[scheme]))
    assert result.total == Decimal(value.replace(",", ".")).quantize(Decimal("0.01"))
    assert result.predikat == predikat


def test_weighted_sum_per_aspect():
    # 30/15/40/15: 90*0.30 + 70*0.15 + 60*0.40 + 100*0.15 = 27 + 10.5 + 24 + 15 = 76.5
    r = health.score(KKPKK, {"tata_kelola": 90, "profil_risiko": 70, "kinerja_keuangan": 60, "permodalan": 100})
    assert r.total == Decimal("76.50") and r.predikat == "cukup_sehat" and r.predikat_label == "Cukup Sehat"
    assert [(a.code, a.score) for a in r.aspects] == [("tata_kelola", Decimal("27.00")), ("profil_risiko", Decimal("10.50")),
                                                      ("kinerja_keuangan", Decimal("24.00")), ("permodalan", Decimal("15.00"))]


def test_the_thesis_example_65_98_is_dalam_pengawasan():
    assert health.predikat_for(SCHEMES["perdep_2016"], Decimal("65.98")) == "dalam_pengawasan"


def test_weights_not_summing_to_100_are_normalised():
    scheme = {"aspects": [{"code": "a", "weight": 1}, {"code": "b", "weight": 3}],
              "thresholds": [[50, "ok"], [0, "buruk"]]}
    assert health.score(scheme, {"a": 100, "b": 0}).total == Decimal("25.00")
    assert health.score(scheme, {"a": 0, "b": 100}).predikat == "ok"


def test_bad_nilai_named_per_aspect():
    with pytest.raises(ValidationError) as info:
        health.score(KKPKK, {"tata_kelola": "abc", "profil_risiko": 101, "kinerja_keuangan": -1, "lain": 5})
    fields = {e.field: e.message for e in info.value.errors}
    assert fields == {"tata_kelola": "harus berupa angka", "profil_risiko": "harus antara 0 dan 100",
                      "kinerja_keuangan": "harus antara 0 dan 100", "permodalan": "nilai wajib diisi",
                      "lain": "aspek tidak dikenal dalam skema ini"}
    assert health.score(KKPKK, {"tata_kelola": 100}, partial=True).total == Decimal("30.00")


def test_new_regulation_by_changing_data_not_code(db, admin):
    cid = make_coop(db, admin)
    new = {**SCHEMES, "kkpkk_2021": {**KKPKK, "thresholds": [[85, "sehat"], [70, "cukup_sehat"], [55, "dalam_pengawasan"],
                                                                [0, "dalam_pengawasan_khusus"]]}}
    with db.transaction(admin) as s:
        settings.put(s, admin, "health.schemes", new)
        a = health.record_assessment(s, admin, cid, 2025, "kkpkk_2021", uniform(82), assessed_on="2026-03-01", today=TODAY)
        assert a.predikat == "cukup_sehat"


def test_record_with_evidence_history_and_lists(db, admin, tmp_path):
    a = make_coop(db, admin, name="Koperasi Anggrek")
    b = make_coop(db, admin, name="Koperasi Bakung")
    pdf = tmp_path / "kkpkk.pdf"
    pdf.write_bytes(b"%PDF-1.4 bukti")
    with db.transaction(admin) as s:
        health.record_assessment(s, admin, a, 2024, "kkpkk_2021", uniform(70), assessed_on="2025-05-02",
                                 assessor="Tim Pengawas", ba_number="518/12/BA/2025", today=TODAY)
        health.record_assessment(s, admin, a, 2025, "kkpkk_2021", uniform("80"), assessed_on="14/04/2026",
                                 evidence_paths=[pdf], today=TODAY)
        health.record_assessment(s, admin, b, 2025, "perdep_2016", uniform(40, SCHEMES["perdep_2016"]), today=TODAY)
    with db.read() as s:
        hist = health.history(s, a)
        assert [(h.period_year, h.predikat, h.evidence) for h in hist] == [(2025, "sehat", 1), (2024, "cukup_sehat", 0)]
        ev = health.evidence(s, hist[0].id)
        assert ev == [("kkpkk.pdf", b"%PDF-1.4 bukti")]
        assert s.scalar(select(HealthEvidence.sha256)) and len(s.scalar(select(HealthEvidence.sha256))) == 64
        assert health.predikat_counts(s) == {"sehat": 1, "cukup_sehat": 0, "dalam_pengawasan": 0,
                                             "dalam_pengawasan_khusus": 1}
        assert health.predikat_counts(s, period_year=2024)["cukup_sehat"] == 1
        assert [r.name for r in health.latest_per_cooperative(s, predikat="sehat")] == ["Koperasi Anggrek"]
        assert health.latest_period(s) == 2025


def test_record_rejects_and_writes_nothing(db, admin, tmp_path):
    cid = make_coop(db, admin)
    with pytest.raises(ValidationError) as info:
        with db.transaction(admin) as s:
            health.record_assessment(s, admin, cid, 2030, "kkpkk_2021", {"tata_kelola": 50}, assessed_on="2027-01-01",
                                     evidence_paths=[tmp_path / "hilang.pdf"], today=TODAY)
    fields = {e.field for e in info.value.errors}
    assert {"period_year", "assessed_on", "profil_risiko", "evidence"} <= fields
    with pytest.raises(ValidationError, match="Skema"):
        with db.transaction(admin) as s:
            health.record_assessment(s, admin, cid, 2025, "skema_lain", {}, today=TODAY)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(HealthAssessment)) == 0


def test_pimpinan_may_not_assess(db, admin):
    cid = make_coop(db, admin)
    boss = make_user(db, "kadis", "pimpinan")
    with pytest.raises(PermissionDenied):
        with db.transaction(boss) as s:
            health.record_assessment(s, boss, cid, 2025, "kkpkk_2021", uniform(90), today=TODAY)
