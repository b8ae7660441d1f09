"""Gap to the standard: what a commune still lacks, indicator by indicator, and who is closest.

From the engine's result for one commune-year (``evaluate.evaluate_unit``) this lists every
indicator not met with its value, its threshold and the shortfall in the indicator's own unit
("78% / cần ≥ 100%"), and every indicator that cannot be judged: no value ("thiếu số liệu",
never a shortfall) or a threshold no source confirms (reported as unconfirmed, never invented).

The shortfall is also normalised to 0..1 so that different units can be added up for the
"closest to the standard" ranking:
- ≥ / >: (threshold - value) / threshold, the share of the threshold still missing;
- ≤ / <: (value - threshold) / (100 - threshold) for a percentage (the share of the way to the
  worst possible rate), (value - threshold) / value otherwise;
- yes/no: 1 (a yes/no indicator is either reached or not; there is no "almost").

Ranking ("gần chuẩn nhất"): fewest criteria not met or missing data first, then the smallest
sum of normalised shortfalls, then the unit's own order (stable).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from ntm.core.evaluate import UnitResult
from ntm.core.model import CriteriaSet, Indicator, Op
from ntm.core.values import format_measure

NOT_MET, NO_VALUE, NO_THRESHOLD = "not_met", "no_value", "no_threshold"
# Words the pages and the CLI show for each state of an indicator in a gap list.
STATE_TEXT = {
    NOT_MET: "chưa đạt",
    NO_VALUE: "thiếu số liệu",
    NO_THRESHOLD: "ngưỡng chưa được xác nhận",
}
# Shortfalls are differences of values typed with one or two decimals: 36 - 35.7 must print
# 0.3, not 0.29999999999999716.
_DIGITS = 6


@dataclass(frozen=True)
class IndicatorGap:
    code: str
    text: str
    unit: str
    op: str
    state: str  # NOT_MET, NO_VALUE or NO_THRESHOLD
    value: float | None
    threshold: float | None  # None when no source confirms one for the commune's class
    illustrative: bool  # the threshold is a demo value no official text backs
    shortfall: float | None  # in the indicator's unit; None for yes/no and when not judged
    normalised: float | None  # 0..1, None when not judged
    label: str  # "78% / cần ≥ 100%", "không đạt / cần đạt", "thiếu số liệu"


@dataclass(frozen=True)
class CriterionGap:
    code: str
    name: str
    status: str  # "not_met" or "missing" (as the engine says)
    indicators: tuple[IndicatorGap, ...]


@dataclass(frozen=True)
class CommuneGap:
    class_code: str
    criteria_met: int
    criteria_total: int
    meets_standard: bool
    criteria: tuple[CriterionGap, ...]  # only the criteria not met or missing data

    @property
    def criteria_not_met(self) -> int:
        return sum(1 for c in self.criteria if c.status == "not_met")

    @property
    def criteria_missing(self) -> int:
        return sum(1 for c in self.criteria if c.status == "missing")

    @property
    def shortfall_score(self) -> float:
        """Sum of normalised shortfalls; indicators without a value or threshold add nothing."""
        total = sum(i.normalised or 0.0 for c in self.criteria for i in c.indicators)
        return round(total, _DIGITS)


def commune_gap(cset: CriteriaSet, result: UnitResult) -> CommuneGap:
    """The gaps of one commune-year, from the engine's result under ``cset``."""
    criteria = []
    for crit in cset.criteria:
        status = result.criteria.get(crit.code, "")
        if status not in ("not_met", "missing"):
            continue
        gaps = tuple(
            gap
            for ind in crit.indicators
            if (gap := indicator_gap(ind, result, cset.primary_tier)) is not None
        )
        criteria.append(CriterionGap(crit.code, crit.name, status, gaps))
    return CommuneGap(
        class_code=result.class_code,
        criteria_met=result.criteria_met,
        criteria_total=result.criteria_total,
        meets_standard=result.meets_standard,
        criteria=tuple(criteria),
    )


def indicator_gap(ind: Indicator, result: UnitResult, tier: str) -> IndicatorGap | None:
    """The gap of one indicator, None when it is met or does not apply to the tier."""
    judged = result.indicators.get(ind.code)
    if judged is None or judged.status in ("met", "not_applicable"):
        return None
    cell = ind.threshold(tier, result.class_code)
    value, threshold = judged.value, judged.threshold
    if judged.status == "missing":
        state = NO_VALUE if judged.reason == "no_value" else NO_THRESHOLD
        return IndicatorGap(
            ind.code,
            ind.text,
            ind.unit,
            ind.op.value,
            state,
            value,
            threshold,
            bool(cell and cell.illustrative),
            None,
            None,
            _missing_label(ind, value, state),
        )
    assert value is not None and threshold is not None  # not_met implies both
    shortfall = shortfall_of(ind.op, value, threshold)
    return IndicatorGap(
        ind.code,
        ind.text,
        ind.unit,
        ind.op.value,
        NOT_MET,
        value,
        threshold,
        bool(cell and cell.illustrative),
        shortfall,
        normalised_shortfall(ind, value, threshold),
        gap_label(ind, value, threshold),
    )


def shortfall_of(op: Op, value: float, threshold: float) -> float | None:
    """How far the value is from its threshold, in the indicator's unit (≥ 0); None for yes/no."""
    if op.is_boolean:
        return None
    if op in (Op.GE, Op.GT):
        return round(max(threshold - value, 0.0), _DIGITS)
    return round(max(value - threshold, 0.0), _DIGITS)


def normalised_shortfall(ind: Indicator, value: float, threshold: float) -> float:
    """The shortfall on a 0..1 scale (see the module's docstring), for adding across units."""
    if ind.op.is_boolean:
        return 1.0
    if ind.op in (Op.GE, Op.GT):
        share = (threshold - value) / threshold if threshold > 0 else 1.0
    elif ind.unit == "%" and threshold < 100:
        share = (value - threshold) / (100 - threshold)
    else:
        share = (value - threshold) / value if value > 0 else 1.0
    return round(min(max(share, 0.0), 1.0), _DIGITS)


def measure_text(ind: Indicator, value: float) -> str:
    """A value with its unit: "78%", "31,5 triệu đồng/người/năm", "đạt", "có"."""
    if ind.op is Op.KHONG:
        return "có" if value == 1 else "không"
    if ind.op.is_boolean:
        return "đạt" if value == 1 else "không đạt"
    unit = "%" if ind.unit == "%" else f" {ind.unit}"
    return f"{format_measure(value)}{unit}"


def gap_label(ind: Indicator, value: float, threshold: float) -> str:
    """ "78% / cần ≥ 100%"; "có / cần không" for a yes/no indicator that must be "không"."""
    if ind.op.is_boolean:
        return f"{measure_text(ind, value)} / cần {measure_text(ind, threshold)}"
    return f"{measure_text(ind, value)} / cần {ind.op.symbol} {measure_text(ind, threshold)}"


def _missing_label(ind: Indicator, value: float | None, state: str) -> str:
    if state == NO_VALUE:
        return STATE_TEXT[NO_VALUE]
    shown = measure_text(ind, value) if value is not None else ""
    return f"{shown} / {STATE_TEXT[NO_THRESHOLD]}".lstrip(" /")


K = TypeVar("K")


def gap_rank(items: Sequence[tuple[K, CommuneGap]]) -> list[tuple[K, CommuneGap]]:
    """Communes not meeting the standard, closest first: fewest criteria not met or missing,
    then the smallest normalised shortfall; ties keep the order given."""
    pending = [(key, gap) for key, gap in items if not gap.meets_standard]
    return sorted(pending, key=lambda kg: _closeness(kg[1]))


def _closeness(gap: CommuneGap) -> tuple[int, float]:
    return (gap.criteria_not_met + gap.criteria_missing, gap.shortfall_score)
