"""Reads: summaries over a unit's communes, and one commune's evaluation in detail."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from ntm.core.evaluate import UnitResult, evaluate_unit
from ntm.core.model import CriteriaSet
from ntm.core.summary import Summary, summarise
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import commune_criteria


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
