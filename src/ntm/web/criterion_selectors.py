"""Reads for one criterion across a unit's communes: the share meeting it by year, and the
communes failing it in one year with the indicators behind the failure.

A criterion is named by its code in the set judging each year, and a code names different
criteria in different sets ("2" is Giao thông until 2025 and Hạ tầng kinh tế - xã hội in QĐ
51/2025): every year carries its own set's name for the code, and the page says where the set
changes. A department sees the years whose set gives it the code, never an overall verdict.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.gap import IndicatorGap
from ntm.core.model import CriteriaSet
from ntm.core.model import Level as SetLevel
from ntm.core.values import format_number, round_half_up
from ntm.criteria.selectors import all_sets
from ntm.indicators.gap_selectors import commune_gaps
from ntm.indicators.selectors import evaluations_under, years_with_data
from ntm.units.models import Level, Unit
from ntm.units.selectors import names_in_year, unit_in_year, unit_sort_key

MET = "met"  # the status the engine stores in Evaluation.criteria for a met criterion


Sets = dict[str, CriteriaSet]


def known_sets() -> Sets:
    """Every shipped and imported set, read once per page (imported ones cost a query)."""
    return all_sets()


def _commune_sets(sets: Sets) -> list[CriteriaSet]:
    """The commune-level sets, oldest first (those a department is given criteria in)."""
    found = [s for s in sets.values() if s.level is SetLevel.COMMUNE]
    return sorted(found, key=lambda s: (s.effective, s.id))


def _criterion_name(cset: CriteriaSet | None, code: str) -> str | None:
    if cset is None:
        return None
    return next((c.name for c in cset.criteria if c.code == code), None)


@dataclass(frozen=True)
class CriterionYear:
    year: int
    code: str
    set_label: str  # "QĐ 1980/QĐ-TTg"
    name: str  # the criterion's name in that set
    met: int
    judged: int
    rate: float | None  # percent of the judged communes meeting it
    set_changed: bool  # another set than the year before in this series


def criterion_trend(
    *, unit: Unit, code: str, year: int, user: Any, sets: Sets
) -> list[CriterionYear]:
    """Each year up to ``year`` whose set has the criterion ``code`` visible to the user: the
    communes meeting it among those judged. Two queries per year (its unit row, its verdicts)."""
    points: list[CriterionYear] = []
    previous = ""
    for each in years_with_data(unit=unit):
        if each > year:
            break
        row = unit_in_year(unit=unit, year=each)
        if row is None:
            continue
        judged: Counter[str] = Counter()
        met: Counter[str] = Counter()
        for set_id, criteria in evaluations_under(unit=row, year=each).values_list(
            "criteria_set", "criteria"
        ):
            judged[set_id] += 1
            met[set_id] += criteria.get(code) == MET
        for set_id in sorted(judged):
            cset = sets.get(set_id)
            name = _criterion_name(cset, code)
            if cset is None or name is None:
                continue
            if not access.can_view_criterion(user, row, code, set_id=set_id):
                continue
            rate = round_half_up(100 * met[set_id] / judged[set_id], 1)
            changed = bool(previous) and previous != set_id
            points.append(
                CriterionYear(
                    each, code, cset.label, name, met[set_id], judged[set_id], rate, changed
                )
            )
            previous = set_id
    return points


@dataclass(frozen=True)
class CriterionChoice:
    code: str
    label: str  # "2. Giao thông", or the names in each set when they differ


def criterion_choices(*, user: Any, year_sets: list[str], sets: Sets) -> list[CriterionChoice]:
    """The criteria the page offers: a department's own (in any set, the names of each), the
    criteria of the year's sets for everyone else."""
    names: dict[str, list[str]] = {}
    offered: list[tuple[CriteriaSet, set[str]]]
    if access.role_of(user) == Role.DEPARTMENT:
        offered = [(s, access.department_criteria(user, s.id)) for s in _commune_sets(sets)]
    else:
        found = [sets[set_id] for set_id in year_sets if set_id in sets]
        offered = [(s, {c.code for c in s.criteria}) for s in found]
    for cset, owned in offered:
        for criterion in cset.criteria:
            if criterion.code in owned:
                listed = names.setdefault(criterion.code, [])
                if criterion.name not in listed:
                    listed.append(criterion.name)
    ordered = sorted(names, key=lambda c: (len(c), c))
    return [CriterionChoice(code, f"{code}. {' / '.join(names[code])}") for code in ordered]


def may_open_criterion(*, user: Any, unit: Unit, code: str, sets: Sets) -> bool:
    """A code of some commune set: a department's own in that set; others any, in scope."""
    return any(
        _criterion_name(cset, code) is not None
        and access.can_view_criterion(user, unit, code, set_id=cset.id)
        for cset in _commune_sets(sets)
    )


@dataclass(frozen=True)
class FailingCommune:
    unit: Unit
    name: str  # the commune's name in the year
    district: str  # its district's name, "" from 1/7/2025
    status: str  # "not_met", or "missing" when some indicator has no value
    indicators: tuple[IndicatorGap, ...]  # the indicators behind it, value against threshold


@dataclass(frozen=True)
class FailingReport:
    set_label: str
    name: str  # the criterion's name in the year's set ("" when no set has it)
    judged: int
    communes: list[FailingCommune]


def criterion_failing(*, unit: Unit, code: str, year: int, user: Any, sets: Sets) -> FailingReport:
    """The communes under ``unit`` whose verdict of ``year`` does not meet ``code``, with the
    unmet indicators (from ntm.indicators.gap_selectors). A few queries, not one per commune."""
    rows = list(evaluations_under(unit=unit, year=year).select_related("unit__parent__parent"))
    label, name = "", ""
    failing: list[Unit] = []
    judged = 0
    visible = {
        set_id: access.can_view_criterion(user, unit, code, set_id=set_id)
        for set_id in {e.criteria_set for e in rows}
    }
    for evaluation in rows:
        cset = sets.get(evaluation.criteria_set)
        criterion = _criterion_name(cset, code)
        if cset is None or criterion is None or not visible[cset.id]:
            continue
        label, name = cset.label, criterion
        judged += 1
        if evaluation.criteria.get(code) != MET:
            failing.append(evaluation.unit)
    failing.sort(key=unit_sort_key)
    gaps = commune_gaps(commune_years=[(commune, year) for commune in failing])
    names = names_in_year(units=failing, year=year)
    out = []
    for commune in failing:
        gap = gaps.get((commune.pk, year))
        found = [c for c in gap.criteria if c.code == code] if gap else []
        status = found[0].status if found else "not_met"
        indicators = found[0].indicators if found else ()
        parent = commune.parent
        district = parent.name if parent is not None and parent.level == Level.DISTRICT else ""
        out.append(FailingCommune(commune, names[commune.pk], district, status, indicators))
    return FailingReport(set_label=label, name=name, judged=judged, communes=out)


def trend_data(points: list[CriterionYear], headers: list[str]) -> dict[str, Any]:
    """What criterion_chart.js draws (the page carries it in a json_script block)."""
    return {"headers": headers, "points": [asdict(p) for p in points]}


def trend_table(points: list[CriterionYear], headers: list[str]) -> list[list[str]]:
    """The rows of the chart's data table as the page shows them, headers first."""
    body = [
        [
            str(p.year),
            p.set_label,
            f"{p.code}. {p.name}",
            format_number(p.met),
            format_number(p.judged),
            format_number(p.rate, 1),
        ]
        for p in points
    ]
    return [headers, *body]


def table_csv(rows: list[list[str]]) -> str:
    """Semicolons and Vietnamese numbers, as a Vietnamese spreadsheet reads them."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    return out.getvalue()
