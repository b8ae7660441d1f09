"""A unit's results for one year as `ntm summary` prints them (and the report and API read)."""

from __future__ import annotations

from typing import Any

from ntm.indicators.selectors import communes_unjudged, unit_summary
from ntm.units.models import Level, Unit
from ntm.units.selectors import (
    communes_in_year,
    judged_on,
    names_in_year,
    structure_note,
    unit_sort_key,
    units_under,
)


def summary_data(*, unit: Unit, year: int, by_child: bool = False) -> dict[str, Any]:
    set_ids, summary = unit_summary(unit=unit, year=year)
    unjudged = communes_unjudged(unit=unit, year=year)
    data: dict[str, Any] = {
        "unit_code": unit.code,
        "name": names_in_year(units=[unit], year=year)[unit.pk],
        "year": year,
        "criteria_set": set_ids,
        "communes": summary.communes + len(unjudged),
        "evaluated": summary.communes,
        "avg_criteria": summary.avg_criteria,
        "meeting_standard": summary.meeting_standard,
        "buckets": summary.buckets,
        "structure_note": structure_note(unit=unit, year=year),
        "not_evaluated": [
            {"unit_code": u.unit.code, "name": u.unit.name, "reason": u.reason} for u in unjudged
        ],
    }
    if by_child:
        data["children"] = _children(unit=unit, year=year)
    return data


def _children(*, unit: Unit, year: int) -> list[dict[str, Any]]:
    """The child units in force in the year, under their names of that year."""
    children = [
        c
        for c in units_under(unit=unit, on=judged_on(year)).filter(parent=unit)
        if c.level != Level.VILLAGE
    ]
    names = names_in_year(units=children, year=year)
    rows = []
    for child in sorted(children, key=unit_sort_key):
        if not communes_in_year(unit=child, year=year).exists():
            continue
        _, summary = unit_summary(unit=child, year=year)
        rows.append(
            {
                "unit_code": child.code,
                "name": names[child.pk],
                "communes": communes_in_year(unit=child, year=year).count(),
                "avg_criteria": summary.avg_criteria,
                "meeting_standard": summary.meeting_standard,
            }
        )
    return rows
