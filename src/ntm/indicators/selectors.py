"""Reads: summaries over a unit's communes, and one commune's evaluation in detail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext

from ntm.audit.models import AuditEvent
from ntm.core.evaluate import UnitResult, evaluate_unit
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.summary import Summary, summarise
from ntm.criteria.selectors import NoClassError, set_in_force
from ntm.indicators.models import (
    Evaluation,
    EvidenceFile,
    IndicatorValue,
    ReevaluationRun,
    ValueComment,
)
from ntm.indicators.services import commune_criteria, value_object_id
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year, unit_sort_key


def evaluations_under(*, unit: Any, year: int) -> QuerySet[Evaluation]:
    """Evaluations of the programme's communes in force in ``year`` under ``unit`` (or the
    unit itself): 96 communes for Lai Châu in 2019, 94 in 2020, the 2025 structure's after."""
    return Evaluation.objects.filter(year=year, unit__in=communes_in_year(unit=unit, year=year))


def unit_summary(*, unit: Any, year: int) -> tuple[str, Summary]:
    """(criteria set id, summary) of the communes under ``unit`` in ``year``."""
    rows = list(
        evaluations_under(unit=unit, year=year).values_list(
            "criteria_set", "criteria_met", "meets_standard", "criteria_total"
        )
    )
    set_ids = sorted({r[0] for r in rows}) or _set_in_force(year)
    total = rows[0][3] if rows else 19
    summary = summarise([r[1] for r in rows], [r[2] for r in rows], total)
    return ", ".join(set_ids), summary


def _set_in_force(year: int) -> list[str]:
    """The commune set judging ``year`` when no verdict names one yet (2025 before any value)."""
    try:
        return [set_in_force(year=year).id]
    except UnknownCriteriaSetError:
        return []


@dataclass(frozen=True)
class Unjudged:
    """A commune in force in the year that has no verdict, and why."""

    unit: Any
    reason: str


def communes_unjudged(*, unit: Any, year: int) -> list[Unjudged]:
    """Communes in force under ``unit`` in ``year`` without a verdict: no class under the set
    (QĐ 51 groups not yet decided), no set in force, or no values entered."""
    judged = evaluations_under(unit=unit, year=year).values_list("unit_id", flat=True)
    missing = communes_in_year(unit=unit, year=year).exclude(pk__in=judged)
    out = []
    for commune in sorted(missing.select_related("parent__parent"), key=unit_sort_key):
        try:
            commune_criteria(unit=commune, year=year)
            reason = gettext("chưa có số liệu")
        except (NoClassError, UnknownCriteriaSetError) as exc:
            reason = str(exc)
        out.append(Unjudged(commune, reason))
    return out


def years_with_data(*, unit: Any) -> list[int]:
    """Years with verdicts for the unit's communes, in every period of the unit's code (the
    province of 2019 and of 2026 are one office's)."""
    rows = Unit.objects.filter(code=unit.code, level=unit.level).values_list("pk", flat=True)
    communes = Unit.objects.filter(
        Q(pk__in=rows) | Q(parent__in=rows) | Q(parent__parent__in=rows), level="commune"
    )
    years = Evaluation.objects.filter(unit__in=communes).values_list("year", flat=True)
    return sorted(set(years.distinct()))


@dataclass(frozen=True)
class CommuneDetail:
    cset: CriteriaSet
    class_code: str
    result: UnitResult


def commune_detail(*, unit: Any, year: int) -> CommuneDetail:
    cset, cls = commune_criteria(unit=unit, year=year)
    values = dict(
        IndicatorValue.objects.filter(unit=unit, year=year, criteria_set=cset.id).values_list(
            "indicator", "value"
        )
    )
    return CommuneDetail(cset=cset, class_code=cls, result=evaluate_unit(cset, cls, values))


def value_rows(*, unit: Any, year: int, criteria_set: str) -> dict[str, IndicatorValue]:
    """The stored value rows of one unit-year by indicator code (with their versions)."""
    rows = IndicatorValue.objects.filter(unit=unit, year=year, criteria_set=criteria_set)
    return {row.indicator: row for row in rows}


def evidence_by_indicator(
    *, unit: Any, year: int, criteria_set: str
) -> dict[str, list[EvidenceFile]]:
    files = EvidenceFile.objects.filter(unit=unit, year=year, criteria_set=criteria_set)
    grouped: dict[str, list[EvidenceFile]] = defaultdict(list)
    for evidence in files.select_related("uploaded_by"):
        grouped[evidence.indicator].append(evidence)
    return grouped


def comments_by_indicator(
    *, unit: Any, year: int, criteria_set: str
) -> dict[str, list[ValueComment]]:
    comments = ValueComment.objects.filter(unit=unit, year=year, criteria_set=criteria_set)
    grouped: dict[str, list[ValueComment]] = defaultdict(list)
    for comment in comments:
        grouped[comment.indicator].append(comment)
    return grouped


def value_history(*, unit: Any, year: int, criteria_set: str, indicator: str) -> list[AuditEvent]:
    """Every change of one value cell, newest first, as values_set wrote it to the audit trail."""
    object_id = value_object_id(
        unit=unit, year=year, criteria_set=criteria_set, indicator=indicator
    )
    events = AuditEvent.objects.filter(action="value.set", object_id=object_id)
    return list(events.order_by("-at", "-id"))


UNFINISHED = (
    ReevaluationRun.Status.QUEUED,
    ReevaluationRun.Status.RUNNING,
    ReevaluationRun.Status.FAILED,
)


def reevaluation_pending() -> ReevaluationRun | None:
    """The earliest re-evaluation run not done (one query), None when the stored verdicts are
    current. A failed run stays here until `ntm reevaluate` redoes its work: until then the
    figures shown are those from before the change, and the pages must keep saying so."""
    pending = ReevaluationRun.objects.filter(status__in=UNFINISHED).exclude(
        # a failed run that was to store a set changed nothing: the set was never applied
        status=ReevaluationRun.Status.FAILED,
        pending_set__isnull=False,
    )
    return pending.order_by("created_at", "pk").first()
