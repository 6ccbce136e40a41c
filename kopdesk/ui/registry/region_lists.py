"""The region pickers' lists, read off the UI thread and kept, so that choosing a province or a kab/kota fills the
next picker without a query on the UI thread.

Provinces and kab/kota (about 550 rows for all of Indonesia) are read at once; the kecamatan of a kab/kota and the
kelurahan of a kecamatan when first needed.
"""

from __future__ import annotations

from typing import Any

from kopdesk.models.region import level_of, undotted

#: parent code (None: the provinces) -> its children as (code, name), by code
RegionLists = dict[str | None, list[tuple[str, str]]]


def parents_along(code: str | None) -> list[str | None]:
    """Whose children the pickers list when ``code`` is selected: None (the provinces), each of its ancestors, and
    ``code`` itself unless it is a kelurahan."""
    code = undotted(code or "")
    level = level_of(code) if code else 0
    return [None, *(code[:width] for width, lvl in ((2, 1), (4, 2), (6, 3)) if level >= lvl)]


def load_region_lists(db: Any, around: str | None = None, parents: tuple[str, ...] = ()) -> RegionLists:
    """The provinces and every kab/kota, plus the children of the ancestors of ``around`` and of ``parents``
    (a worker thread)."""
    from sqlalchemy import or_, select

    from kopdesk.models.region import Region

    out: RegionLists = {}
    wanted = {p for p in parents_along(around) if p is not None and len(p) > 2} | {undotted(p) for p in parents}
    provinces = select(Region.code).where(Region.parent_code.is_(None)).scalar_subquery()
    with db.read() as s:  # by parent_code, which is indexed: the 83,000 kelurahan are never scanned
        top = s.execute(select(Region.code, Region.name, Region.parent_code)
                        .where(or_(Region.parent_code.is_(None), Region.parent_code.in_(provinces)))
                        .order_by(Region.code)).all()
        for code, name, parent in top:
            out.setdefault(parent, []).append((code, name))
        for parent in sorted(wanted - set(out)):
            out[parent] = [(c, n) for c, n in s.execute(select(Region.code, Region.name)
                                                         .where(Region.parent_code == parent).order_by(Region.code))]
    for code, _name in out.get(None, []):
        out.setdefault(code, [])  # a province without kab/kota is known to have none
    return out
