"""The national criteria sets shipped with ntm, and which one applies to a year."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache

from ntm.core.loader import SETS_DIR, load_file
from ntm.core.model import LEVEL_NAMES as _LEVEL_NAMES
from ntm.core.model import CriteriaSet, Level


class UnknownCriteriaSetError(LookupError):
    pass


@cache
def national_sets() -> dict[str, CriteriaSet]:
    sets = (load_file(path) for path in sorted(SETS_DIR.glob("*.yaml")))
    return {s.id: s for s in sets}


def get_set(set_id: str, sets: Mapping[str, CriteriaSet] | None = None) -> CriteriaSet:
    """The set ``set_id`` among ``sets`` (default: the national files)."""
    known_sets = national_sets() if sets is None else sets
    try:
        return known_sets[set_id]
    except KeyError:
        known = ", ".join(sorted(known_sets))
        raise UnknownCriteriaSetError(
            f"Không có bộ tiêu chí '{set_id}' (các bộ hiện có: {known})"
        ) from None


def set_for_year(
    year: int, level: Level = Level.COMMUNE, sets: Mapping[str, CriteriaSet] | None = None
) -> CriteriaSet:
    """The set in force at the end of ``year``: the latest one effective by 31/12.

    A year is judged once, at its end (the annual review); QĐ 1980/QĐ-TTg took effect on
    01/12/2016, so 2016 is judged under it, and 2021 still under it (QĐ 318 took effect
    08/3/2022). A set with an end date judges nothing after it: the district set ends on
    30/6/2025 with the districts, so no district is judged for 2025 or later. ``sets`` replaces the national files (e.g. with the sets a database adds).
    """
    year_end = dt.date(year, 12, 31)
    known_sets = national_sets() if sets is None else sets
    candidates = [
        s
        for s in known_sets.values()
        if s.level is level and s.effective <= year_end and (s.ends is None or s.ends >= year_end)
    ]
    if not candidates:
        raise UnknownCriteriaSetError(
            f"Không có bộ tiêu chí {_LEVEL_NAMES[level]} nào có hiệu lực vào ngày 31/12/{year}"
        )
    return max(candidates, key=lambda s: s.effective)
