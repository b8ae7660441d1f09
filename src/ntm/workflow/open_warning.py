"""Whether opening a recognition dossier deserves a warning first: the commune's stored verdict
for the year does not meet the standard, lacks data, or there is none yet.

A dossier is the commune's request to be recognised; opening one for a commune whose own data
says it is not there yet is allowed (the data may be late), but only once the board has seen
which criteria are not met and confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext

from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import get_any_set
from ntm.indicators.models import Evaluation


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str


@dataclass(frozen=True)
class OpenWarning:
    """Why the board is asked to confirm; ``evaluation`` None: the year was never judged."""

    evaluation: Evaluation | None
    not_met: list[Criterion] = field(default_factory=list)
    missing: list[Criterion] = field(default_factory=list)


def dossier_open_warning(*, unit: Any, year: int) -> OpenWarning | None:
    """None when the stored verdict meets the standard with every criterion's data present."""
    evaluation = Evaluation.objects.filter(unit=unit, year=year).first()
    if evaluation is None:
        return OpenWarning(evaluation=None)
    if evaluation.meets_standard and not evaluation.criteria_missing:
        return None
    names = _names(evaluation.criteria_set)
    by_status: dict[str, list[Criterion]] = {"not_met": [], "missing": []}
    for code, status in evaluation.criteria.items():
        if status in by_status:
            by_status[status].append(Criterion(code, names.get(code, "")))
    return OpenWarning(evaluation, by_status["not_met"], by_status["missing"])


def dossier_open_reason(*, warning: OpenWarning) -> str:
    """What the opening step records: the board opened it knowing the data fell short."""
    evaluation = warning.evaluation
    if evaluation is None:
        return gettext("Lập hồ sơ khi năm này chưa có kết quả đánh giá; người lập đã xác nhận.")
    return gettext(
        "Lập hồ sơ khi xã chưa đạt chuẩn theo số liệu (đạt %(met)s/%(total)s tiêu chí); "
        "người lập đã xác nhận."
    ) % {"met": evaluation.criteria_met, "total": evaluation.criteria_total}


def years_short_of_standard(*, unit: Any, years: list[int]) -> set[int]:
    """Of ``years``, those whose opening would warn first (one query, for the open buttons)."""
    meeting = Evaluation.objects.filter(
        unit=unit, year__in=years, meets_standard=True, criteria_missing=0
    ).values_list("year", flat=True)
    return set(years) - set(meeting)


def _names(set_id: str) -> dict[str, str]:
    try:
        return {c.code: c.name for c in get_any_set(set_id).criteria}
    except UnknownCriteriaSetError:
        return {}
