"""Reads for the gap to the standard: each commune's unmet indicators and who is closest.

The gaps are computed from the stored values by the engine (``core.evaluate`` and
``core.gap``), under the set and class that judge each commune in the year, so they agree with
the stored verdicts (which are refreshed on every write) and show the indicators behind them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from ntm.core.evaluate import evaluate_unit
from ntm.core.gap import CommuneGap, commune_gap, gap_rank
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import NoClassError, recorded_classes
from ntm.indicators.models import IndicatorValue
from ntm.indicators.selectors import CommuneDetail, Unjudged, commune_detail
from ntm.indicators.services import CriteriaCache, commune_criteria
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year, names_in_year, unit_sort_key


@dataclass(frozen=True)
class CommuneGapRow:
    unit: Unit
    name: str  # the commune's name in the year
    cset: CriteriaSet
    gap: CommuneGap


@dataclass(frozen=True)
class GapReport:
    year: int
    criteria_sets: list[str]
    ranked: list[CommuneGapRow]  # communes not meeting the standard, closest first
    meeting: list[CommuneGapRow]  # communes meeting it, in the units' order
    not_evaluated: list[Unjudged]

    @property
    def communes(self) -> int:
        return len(self.ranked) + len(self.meeting) + len(self.not_evaluated)


def communes_gap(*, unit: Unit, year: int) -> GapReport:
    """The gaps of the communes under ``unit`` (or the commune itself) in force in ``year``."""
    communes = sorted(
        communes_in_year(unit=unit, year=year).select_related("parent__parent"), key=unit_sort_key
    )
    names = names_in_year(units=communes, year=year)
    values = _values(unit_ids=[c.pk for c in communes], year=year)
    cache: CriteriaCache = {}
    recorded = recorded_classes(unit_ids=[c.pk for c in communes])
    rows: list[CommuneGapRow] = []
    unjudged: list[Unjudged] = []
    for commune in communes:
        try:
            cset, cls = commune_criteria(unit=commune, year=year, cache=cache, recorded=recorded)
        except (NoClassError, UnknownCriteriaSetError) as exc:
            unjudged.append(Unjudged(commune, str(exc)))
            continue
        own = values.get((commune.pk, cset.id))
        if not own:
            unjudged.append(Unjudged(commune, gettext("chưa có số liệu")))
            continue
        result = evaluate_unit(cset, cls, own)
        rows.append(CommuneGapRow(commune, names[commune.pk], cset, commune_gap(cset, result)))
    ranked = [row for row, _ in gap_rank([(row, row.gap) for row in rows])]
    return GapReport(
        year=year,
        criteria_sets=sorted({row.cset.id for row in rows}),
        ranked=ranked,
        meeting=[row for row in rows if row.gap.meets_standard],
        not_evaluated=unjudged,
    )


def commune_gap_in_year(
    *, unit: Unit, year: int, detail: CommuneDetail | None = None
) -> CommuneGap:
    """One commune's gaps in the year; ``detail``: its evaluation when the caller already has it.

    Raises NoClassError or UnknownCriteriaSetError, as ``commune_detail`` does.
    """
    if detail is None:
        detail = commune_detail(unit=unit, year=year)
    return commune_gap(detail.cset, detail.result)


def commune_gaps(*, commune_years: Sequence[tuple[Unit, int]]) -> dict[tuple[int, int], CommuneGap]:
    """The gaps of several commune-years, by (unit id, year): a few queries per distinct year,
    not per commune. A commune-year without a class or set is left out."""
    cache: CriteriaCache = {}
    recorded = recorded_classes(unit_ids=[unit.pk for unit, _ in commune_years])
    by_year: dict[int, list[Unit]] = defaultdict(list)
    for unit, year in commune_years:
        by_year[year].append(unit)
    gaps: dict[tuple[int, int], CommuneGap] = {}
    for year, units in by_year.items():
        values = _values(unit_ids=[unit.pk for unit in units], year=year)
        for unit in units:
            try:
                cset, cls = commune_criteria(unit=unit, year=year, cache=cache, recorded=recorded)
            except (NoClassError, UnknownCriteriaSetError):
                continue
            result = evaluate_unit(cset, cls, values.get((unit.pk, cset.id), {}))
            gaps[(unit.pk, year)] = commune_gap(cset, result)
    return gaps


def _values(*, unit_ids: list[int], year: int) -> dict[tuple[int, str], dict[str, float | None]]:
    """(unit id, criteria set) -> {indicator: value} of the year, in one query."""
    out: dict[tuple[int, str], dict[str, float | None]] = defaultdict(dict)
    stored = IndicatorValue.objects.filter(unit_id__in=unit_ids, year=year).values_list(
        "unit_id", "criteria_set", "indicator", "value"
    )
    for unit_id, set_id, code, value in stored:
        out[(unit_id, set_id)][code] = value
    return out


def gap_as_dict(row: CommuneGapRow, rank: int | None = None) -> dict[str, Any]:
    """One commune's gaps as the CLI and API write them."""
    gap = row.gap
    district = row.unit.parent if row.unit.parent and row.unit.parent.level == "district" else None
    data: dict[str, Any] = {"rank": rank} if rank is not None else {}
    data |= {
        "unit_code": row.unit.code,
        "name": row.name,
        "district": district.name if district else None,
        "criteria_set": row.cset.id,
        "class_code": gap.class_code,
        "criteria_met": gap.criteria_met,
        "criteria_total": gap.criteria_total,
        "criteria_not_met": gap.criteria_not_met,
        "criteria_missing": gap.criteria_missing,
        "shortfall_score": gap.shortfall_score,
        "criteria": [
            {
                "code": crit.code,
                "name": crit.name,
                "status": crit.status,
                "indicators": [
                    {
                        "code": ind.code,
                        "text": ind.text,
                        "unit": ind.unit,
                        "op": ind.op,
                        "state": ind.state,
                        "value": ind.value,
                        "threshold": ind.threshold,
                        "threshold_confirmed": ind.threshold is not None,
                        "threshold_illustrative": ind.illustrative,
                        "shortfall": ind.shortfall,
                        "shortfall_normalised": ind.normalised,
                        "label": ind.label,
                    }
                    for ind in crit.indicators
                ],
            }
            for crit in gap.criteria
        ],
    }
    return data


def gap_data(*, unit: Unit, year: int) -> dict[str, Any]:
    """What `ntm gap --format json` and the API write: communes closest to the standard first."""
    report = communes_gap(unit=unit, year=year)
    return {
        "unit_code": unit.code,
        "name": names_in_year(units=[unit], year=year)[unit.pk],
        "year": year,
        "criteria_set": ", ".join(report.criteria_sets),
        "communes": report.communes,
        "ranking": [gap_as_dict(row, rank) for rank, row in enumerate(report.ranked, start=1)],
        "meeting": [{"unit_code": r.unit.code, "name": r.name} for r in report.meeting],
        "not_evaluated": [
            {"unit_code": u.unit.code, "name": u.unit.name, "reason": u.reason}
            for u in report.not_evaluated
        ],
    }
