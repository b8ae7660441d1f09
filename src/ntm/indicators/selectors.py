"""Reads: summaries over a unit's communes, and one commune's evaluation in detail."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ntm.audit.models import AuditEvent
from ntm.core.evaluate import UnitResult, evaluate_unit
from ntm.core.model import CriteriaSet
from ntm.core.summary import Summary, summarise
from ntm.indicators.models import Evaluation, EvidenceFile, IndicatorValue, ValueComment
from ntm.indicators.services import commune_criteria, value_object_id


def evaluations_under(*, unit: Any, year: int) -> QuerySet[Evaluation]:
    """Evaluations of the programme's communes in the unit's subtree (or the unit itself)."""
    scope = Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)
    return Evaluation.objects.filter(scope, year=year, unit__ntm_eligible=True)


def unit_summary(*, unit: Any, year: int) -> tuple[str, Summary]:
    """(criteria set id, summary) of the communes under ``unit`` in ``year``."""
    rows = list(
        evaluations_under(unit=unit, year=year).values_list(
            "criteria_set", "criteria_met", "meets_standard", "criteria_total"
        )
    )
    set_ids = sorted({r[0] for r in rows})
    total = rows[0][3] if rows else 19
    summary = summarise([r[1] for r in rows], [r[2] for r in rows], total)
    return ", ".join(set_ids), summary


def years_with_data(*, unit: Any) -> list[int]:
    years = evaluations_under_any_year(unit=unit).values_list("year", flat=True).distinct()
    return sorted(set(years))


def evaluations_under_any_year(*, unit: Any) -> QuerySet[Evaluation]:
    scope = Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)
    return Evaluation.objects.filter(scope, unit__ntm_eligible=True)


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
