"""Reads for the national view: every province with verdicts in a year, and the country's trend.

Each year is read with the units in force on the day it is judged (docs/periods.md): 2019 has
the 63 provinces and their districts, 2025 and later the 34 provinces with no district. A
commune's province is its parent from 1/7/2025 and its grandparent before, so one grouped
read of the year's verdicts gives every province's figures: a few queries whatever the number
of communes.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.db.models import Avg, Count, Q

from ntm.core.summary import Summary, bucket_labels, summarise
from ntm.core.values import format_number, round_half_up
from ntm.indicators.models import Evaluation
from ntm.units.models import Level, Unit
from ntm.units.selectors import judged_on, unit_sort_key, with_year_names


@dataclass(frozen=True)
class ProvinceRow:
    unit: Unit
    summary: Summary


@dataclass(frozen=True)
class NationalYear:
    year: int
    rows: list[ProvinceRow]  # provinces with verdicts, in Vietnamese order
    total: Summary
    bucket_labels: list[str]


def _year_evaluations(year: int) -> Any:
    communes = Unit.objects.filter(level=Level.COMMUNE, ntm_eligible=True).valid_on(judged_on(year))
    return Evaluation.objects.filter(year=year, unit__in=communes)


def national_year(*, year: int) -> NationalYear:
    """Every province with verdicts in ``year``: communes, average criteria, communes meeting
    the standard, communes by criteria met. Two queries."""
    rows = _year_evaluations(year).values_list(
        "unit__parent__level",
        "unit__parent_id",
        "unit__parent__parent_id",
        "criteria_met",
        "meets_standard",
        "criteria_total",
    )
    met: dict[int, list[int]] = defaultdict(list)
    meets: dict[int, list[bool]] = defaultdict(list)
    totals: Counter[int] = Counter()
    for parent_level, parent_id, grandparent_id, criteria_met, standard, total in rows:
        province_id = parent_id if parent_level == Level.PROVINCE else grandparent_id
        if province_id is None:
            continue
        met[province_id].append(criteria_met)
        meets[province_id].append(standard)
        totals[total] += 1
    # The report buckets of the year's set (19 criteria to 2025, 10 from 2026).
    total = totals.most_common(1)[0][0] if totals else 19
    provinces = with_year_names(list(Unit.objects.filter(pk__in=list(met))), year)
    out = [ProvinceRow(p, summarise(met[p.pk], meets[p.pk], total)) for p in provinces]
    out.sort(key=lambda r: unit_sort_key(r.unit))
    everything = summarise(
        [m for ms in met.values() for m in ms], [s for ss in meets.values() for s in ss], total
    )
    return NationalYear(year, out, everything, bucket_labels(total))


@dataclass(frozen=True)
class NationalPoint:
    year: int
    provinces: int
    communes: int
    avg_criteria: float | None
    meeting_standard: int


def national_trend() -> list[NationalPoint]:
    """The country year by year: one grouped query per year with verdicts (and one for the
    years), each over that year's communes."""
    years = Evaluation.objects.order_by("year").values_list("year", flat=True).distinct()
    points = []
    for year in years:
        figures = _year_evaluations(year).aggregate(
            communes=Count("pk"),
            avg=Avg("criteria_met"),
            meeting=Count("pk", filter=Q(meets_standard=True)),
            provinces=Count("unit__parent__parent", distinct=True),
            new_provinces=Count(
                "unit__parent", distinct=True, filter=Q(unit__parent__level=Level.PROVINCE)
            ),
        )
        if not figures["communes"]:
            continue
        avg = figures["avg"]
        provinces = figures["provinces"] or figures["new_provinces"]
        points.append(
            NationalPoint(
                year,
                provinces,
                figures["communes"],
                round_half_up(avg, 2) if avg is not None else None,
                figures["meeting"],
            )
        )
    return points


def national_trend_data(points: list[NationalPoint], headers: list[str]) -> dict[str, Any]:
    """What national_chart.js draws (json_script block)."""
    return {"headers": headers, "points": [asdict(p) for p in points]}


def national_trend_table(points: list[NationalPoint], headers: list[str]) -> list[list[str]]:
    """The trend's data table as the page shows it, headers first (the CSV download)."""
    body = [
        [
            str(p.year),
            format_number(p.provinces),
            format_number(p.communes),
            format_number(p.avg_criteria, 2),
            format_number(p.meeting_standard),
        ]
        for p in points
    ]
    return [headers, *body]
