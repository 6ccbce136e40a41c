"""Region look-ups: names, children, and the chain from kelurahan up to province."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kopdesk.models.errors import NotFoundError
from kopdesk.models.region import Region, dotted, level_of, undotted


def get(session: Session, code: str) -> Region | None:
    return session.get(Region, undotted(code))


def require_region(session: Session, code: str) -> Region:
    """The region with this code (dotted or not).

    Raises:
        NotFoundError: an Indonesian message naming the code.
    """
    region = get(session, code) if code else None
    if region is None:
        raise NotFoundError(f"Kode wilayah {code!r} tidak dikenal.", code=code)
    return region


def children(session: Session, code: str | None) -> list[Region]:
    """The regions directly below ``code`` (provinces when None), by code."""
    q = select(Region).where(Region.parent_code.is_(None) if not code else Region.parent_code == undotted(code))
    return list(session.scalars(q.order_by(Region.code)))


def chain(session: Session, code: str) -> dict[int, Region]:
    """The region and its ancestors keyed by level: {1: provinsi, 2: kab/kota, 3: kecamatan, 4: kelurahan}."""
    out: dict[int, Region] = {}
    region = get(session, code)
    while region is not None:
        out[region.level] = region
        region = session.get(Region, region.parent_code) if region.parent_code else None
    return out


def names(session: Session, codes: list[str]) -> dict[str, str]:
    """Names of several regions at once."""
    wanted = {undotted(c) for c in codes if c}
    if not wanted:
        return {}
    return dict(session.execute(select(Region.code, Region.name).where(Region.code.in_(wanted))).all())  # type: ignore[arg-type]


def scope_column(code: str) -> str:
    """The cooperative column that selects a region of this level (province_code, kabkota_code, ...)."""
    return {1: "province_code", 2: "kabkota_code", 3: "kecamatan_code", 4: "kelurahan_code"}[level_of(code)]


def child_column(code: str | None) -> str:
    """The cooperative column one level below a region (what a recap of ``code`` is grouped by)."""
    if not code:
        return "province_code"
    return {1: "kabkota_code", 2: "kecamatan_code", 3: "kelurahan_code", 4: "kelurahan_code"}[level_of(code)]


__all__ = ["chain", "child_column", "children", "dotted", "get", "names", "require_region", "scope_column"]
