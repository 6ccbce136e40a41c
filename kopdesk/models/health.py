"""Health assessments (penilaian kesehatan): per cooperative and period, aspect scores, predikat, evidence."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer, LargeBinary, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kopdesk.models import cooperative  # noqa: F401 - the tables this module's foreign keys name
from kopdesk.models.base import Base, Timestamps


class HealthAssessment(Timestamps, Base):
    """One assessment of a cooperative's health for a period (brief §5).

    Attributes:
        scheme: the regulation followed (kkpkk_2021 or perdep_2016); its weights and thresholds are data.
        predikat: sehat, cukup_sehat, dalam_pengawasan or dalam_pengawasan_khusus.
    """

    __tablename__ = "health_assessment"
    __audited__ = True
    __audit_label__ = "Penilaian kesehatan"
    __audit_exclude__ = frozenset({"created_at", "updated_at"})

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperative.id", ondelete="CASCADE"), nullable=False)
    period_year: Mapped[int] = mapped_column(Integer, nullable=False)
    scheme: Mapped[str] = mapped_column(String(20), nullable=False)
    assessed_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    assessor: Mapped[str | None] = mapped_column(String(150))
    total_score: Mapped[float] = mapped_column(Numeric(6, 2), nullable=False)
    predikat: Mapped[str] = mapped_column(String(30), nullable=False)
    ba_number: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    aspects: Mapped[list[HealthAspectScore]] = relationship(cascade="all, delete-orphan", order_by="HealthAspectScore.id")

    __table_args__ = (Index("ix_health_assessment_coop_year", "cooperative_id", "period_year"),)

    def audit_cooperative_id(self) -> int | None:
        return self.cooperative_id


class HealthAspectScore(Base):
    """The score of one aspect (or component) in an assessment."""

    __tablename__ = "health_aspect_score"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("health_assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    aspect_code: Mapped[str] = mapped_column(String(40), nullable=False)
    weight: Mapped[float] = mapped_column(Numeric(6, 2), nullable=False)
    nilai: Mapped[float] = mapped_column(Numeric(6, 2), nullable=False)
    score: Mapped[float] = mapped_column(Numeric(6, 2), nullable=False)


class HealthEvidence(Base):
    """A file attached to an assessment as evidence, stored in the database so every clerk sees it."""

    __tablename__ = "health_evidence"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("health_assessment.id", ondelete="CASCADE"), nullable=False, index=True)
    file_name: Mapped[str] = mapped_column(String(200), nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), nullable=False)
    content: Mapped[bytes] = mapped_column(LargeBinary, nullable=False)
    notes: Mapped[str | None] = mapped_column(Text)
