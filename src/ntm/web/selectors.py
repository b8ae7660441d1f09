"""Reads for the pages: the rows of a unit's table for one year."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ntm.core.summary import Summary
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import unit_summary
from ntm.units.models import Unit
from ntm.units.selectors import unit_sort_key


@dataclass(frozen=True)
class ChildRow:
    unit: Any
    summary: Summary | None
    evaluation: Evaluation | None


def child_rows(*, unit: Unit, year: int) -> list[ChildRow]:
    children = list(Unit.objects.filter(parent=unit).exclude(level="village"))
    rows: list[ChildRow] = []
    communes = [c for c in children if c.level == "commune"]
    evaluations = {e.unit_id: e for e in Evaluation.objects.filter(unit__in=communes, year=year)}
    for child in children:
        if child.level == "commune":
            if child.ntm_eligible and child.id in evaluations:
                rows.append(ChildRow(child, None, evaluations[child.id]))
        else:
            _, summary = unit_summary(unit=child, year=year)
            if summary.communes:
                rows.append(ChildRow(child, summary, None))
    return sorted(rows, key=lambda r: unit_sort_key(r.unit))
