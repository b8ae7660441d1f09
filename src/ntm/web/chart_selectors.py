"""Reads for the charts of a unit page: the trend over the years, and the communes meeting each
criterion in the shown year (which criteria are hardest).

Each year of the trend is read with that year's communes and criteria set (docs/periods.md):
the row of the unit in force that year, through the same summary the page's cards show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext

from ntm.accounts import access
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.values import format_number
from ntm.criteria.selectors import all_sets, get_any_set
from ntm.indicators.selectors import evaluations_under, unit_summary, years_with_data
from ntm.units.selectors import unit_in_year
from ntm.web.list_selectors import may_see_verdicts

# The status the engine stores in Evaluation.criteria for a criterion the commune meets.
MET = "met"
CHARTS = ("dien-bien", "tieu-chi")


@dataclass(frozen=True)
class YearPoint:
    year: int
    communes: int
    avg_criteria: float | None
    meeting_standard: int
    criteria_total: int | None = None  # criteria in the year's set; None when sets are mixed
    decision: str = ""  # the decision of the year's set ("51/2025/QĐ-TTg")


@dataclass(frozen=True)
class SizeRun:
    """Consecutive trend years judged by sets of one size (19 criteria to 2025, 10 from 2026):
    averages of criteria per commune compare only within a run."""

    first: int
    last: int
    criteria_total: int | None
    decisions: list[str]


@dataclass(frozen=True)
class CriterionCount:
    set_id: str
    code: str
    name: str
    met: int  # communes whose stored verdict meets the criterion
    judged: int  # communes with a verdict under the set


@dataclass(frozen=True)
class UnitCharts:
    trend: list[YearPoint]  # empty for a department: it sees no overall figure
    criteria: list[CriterionCount]

    @property
    def size_runs(self) -> list[SizeRun]:
        """The trend's runs of one set size; more than one means the average breaks."""
        runs: list[SizeRun] = []
        for p in self.trend:
            if runs and runs[-1].criteria_total == p.criteria_total:
                last = runs[-1]
                known = p.decision in last.decisions
                decisions = last.decisions if known else [*last.decisions, p.decision]
                runs[-1] = SizeRun(last.first, p.year, p.criteria_total, decisions)
            else:
                runs.append(SizeRun(p.year, p.year, p.criteria_total, [p.decision]))
        return runs

    def data(self) -> dict[str, Any]:
        """What charts.js draws (the page carries it in a json_script block)."""
        return {
            "trend": [asdict(p) for p in self.trend],
            "criteria": [asdict(c) for c in self.criteria],
            "size_runs": [{**asdict(r), "label": run_label(r)} for r in self.size_runs],
        }


def unit_trend(*, unit: Any, year: int) -> list[YearPoint]:
    """Every year with verdicts up to ``year``: communes, average criteria, communes meeting the
    standard. One summary query per year (and one to find the row of another period)."""
    points = []
    sets: dict[str, tuple[int | None, str]] = {}
    known: dict[str, CriteriaSet] | None = None  # read once, at the first year
    for each in years_with_data(unit=unit):
        if each > year:
            break
        row = unit_in_year(unit=unit, year=each)
        if row is None:
            continue
        set_ids, summary = unit_summary(unit=row, year=each)
        if set_ids not in sets:
            known = all_sets() if known is None else known
            sets[set_ids] = _set_size(set_ids, known)
        if summary.communes:
            total, decision = sets[set_ids]
            points.append(
                YearPoint(
                    each,
                    summary.communes,
                    summary.avg_criteria,
                    summary.meeting_standard,
                    total,
                    decision,
                )
            )
    return points


def _set_size(set_ids: str, known: dict[str, CriteriaSet]) -> tuple[int | None, str]:
    """(criteria, decision) of the one set judging a year; (None, "") when several or an
    unknown one do."""
    cset = known.get(set_ids)
    return (None, "") if cset is None else (len(cset.criteria), cset.decision)


def _criterion_names(set_id: str) -> dict[str, str]:
    try:
        return {c.code: c.name for c in get_any_set(set_id).criteria}
    except UnknownCriteriaSetError:
        return {}


def criteria_met_counts(*, unit: Any, year: int, user: Any) -> list[CriterionCount]:
    """Communes under ``unit`` meeting each criterion in ``year``, from the stored verdicts, in
    the set's order; a department gets only the criteria it owns."""
    judged: Counter[str] = Counter()
    met: Counter[tuple[str, str]] = Counter()
    codes: dict[str, list[str]] = {}
    rows = evaluations_under(unit=unit, year=year).values_list("criteria_set", "criteria")
    for set_id, criteria in rows:
        judged[set_id] += 1
        codes.setdefault(set_id, list(criteria))
        for code, status in criteria.items():
            met[set_id, code] += status == MET
    out = []
    for set_id in sorted(judged):
        names = _criterion_names(set_id)
        owned = None if may_see_verdicts(user) else access.department_criteria(user, set_id)
        for code in names or codes[set_id]:
            if owned is None or code in owned:
                name = names.get(code, code)
                out.append(CriterionCount(set_id, code, name, met[set_id, code], judged[set_id]))
    return out


def unit_charts(*, unit: Any, year: int, user: Any) -> UnitCharts:
    trend = unit_trend(unit=unit, year=year) if may_see_verdicts(user) else []
    return UnitCharts(trend=trend, criteria=criteria_met_counts(unit=unit, year=year, user=user))


def chart_table(*, charts: UnitCharts, chart: str, headers: list[str]) -> list[list[str]]:
    """The rows of one chart's data table as the page shows them (Vietnamese numbers), headers
    first: the CSV download is this list."""
    if chart == "dien-bien":
        body = [
            [
                str(p.year),
                format_number(p.communes),
                format_number(p.avg_criteria, 2),
                format_number(p.meeting_standard),
            ]
            for p in charts.trend
        ]
    else:
        body = [
            [f"{c.code}. {c.name}", format_number(c.met), format_number(c.judged)]
            for c in charts.criteria
        ]
    return [headers, *body]


def run_label(run: SizeRun) -> str:
    """ "2011–2020, 19 tiêu chí": how the chart's legend names one run's line."""
    years = str(run.first) if run.first == run.last else f"{run.first}–{run.last}"
    if run.criteria_total is None:
        return gettext("%(years)s, nhiều bộ tiêu chí") % {"years": years}
    return gettext("%(years)s, %(n)s tiêu chí") % {"years": years, "n": run.criteria_total}


def size_note(*, runs: list[SizeRun]) -> str:
    """The note under the trend when its years cross sets of different sizes ("" otherwise)."""
    if len(runs) < 2:
        return ""
    parts = []
    for run in runs:
        years = str(run.first) if run.first == run.last else f"{run.first}–{run.last}"
        if run.criteria_total is None:
            parts.append(gettext("%(years)s: nhiều bộ tiêu chí") % {"years": years})
            continue
        parts.append(
            gettext("%(years)s: %(n)s tiêu chí (Quyết định %(decisions)s)")
            % {"years": years, "n": run.criteria_total, "decisions": ", ".join(run.decisions)}
        )
    return gettext(
        "Số tiêu chí của bộ tiêu chí thay đổi — %(runs)s. Bình quân tiêu chí/xã của các giai "
        "đoạn không so sánh trực tiếp được nên được vẽ thành các đường riêng."
    ) % {"runs": "; ".join(parts)}
