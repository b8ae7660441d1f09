"""Evaluation: indicator -> criterion -> unit verdict, columnar so it scales to the country.

Values arrive as an N x M float matrix (N unit-years, M indicators of the set, NaN where no
value was entered; yes/no values are 1.0/0.0). Each row has a class (region or group) that
selects its thresholds. ``missing`` is kept apart from ``not_met`` and never counts as met.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ntm.core.model import CriteriaSet, Op

MET, NOT_MET, NO_VALUE, NO_THRESHOLD, NOT_APPLICABLE = 0, 1, 2, 3, 4

STATUS_NAMES = {
    MET: "met",
    NOT_MET: "not_met",
    NO_VALUE: "missing",
    NO_THRESHOLD: "missing",
    NOT_APPLICABLE: "not_applicable",
}
REASONS = {NO_VALUE: "no_value", NO_THRESHOLD: "no_threshold"}

FloatMatrix = npt.NDArray[np.float64]
CodeMatrix = npt.NDArray[np.int8]


@dataclass(frozen=True)
class BatchResult:
    """Status codes per indicator (N x M) and criterion (N x C), counts and verdicts per row."""

    indicator_status: CodeMatrix
    criterion_status: CodeMatrix
    thresholds: FloatMatrix
    criteria_met: npt.NDArray[np.int64]
    meets_standard: npt.NDArray[np.bool_]


@dataclass(frozen=True)
class IndicatorResult:
    code: str
    value: float | None
    threshold: float | None
    op: str
    status: str
    reason: str


@dataclass(frozen=True)
class UnitResult:
    class_code: str
    criteria: dict[str, str]
    indicators: dict[str, IndicatorResult]
    criteria_met: int
    criteria_total: int
    tiers: dict[str, bool]

    @property
    def meets_standard(self) -> bool:
        return next(iter(self.tiers.values()))


class UnknownClassError(ValueError):
    """A region or group code that the criteria set does not define."""


def threshold_matrix(cset: CriteriaSet, tier: str) -> tuple[list[str], FloatMatrix]:
    """One row of thresholds per class of the set, NaN where unconfirmed."""
    classes = list(cset.classes)
    indicators = cset.indicators
    table = np.full((len(classes), len(indicators)), np.nan)
    for j, ind in enumerate(indicators):
        for i, cls in enumerate(classes):
            cell = ind.threshold(tier, cls)
            if cell is not None:
                table[i, j] = cell.value
    return classes, table


def evaluate_batch(
    cset: CriteriaSet, class_codes: Sequence[str], values: FloatMatrix, tier: str = ""
) -> BatchResult:
    tier = tier or cset.primary_tier
    classes, table = threshold_matrix(cset, tier)
    index = {c: i for i, c in enumerate(classes)}
    try:
        rows = np.fromiter((index[c] for c in class_codes), dtype=np.intp, count=len(class_codes))
    except KeyError as exc:
        raise UnknownClassError(str(exc.args[0])) from None
    thresholds = table[rows]
    status = _indicator_status(cset, tier, values, thresholds)
    criteria = _criterion_status(cset, status)
    met = (criteria == MET).sum(axis=1)
    return BatchResult(status, criteria, thresholds, met, met == len(cset.criteria))


def _indicator_status(
    cset: CriteriaSet, tier: str, values: FloatMatrix, thresholds: FloatMatrix
) -> CodeMatrix:
    ops = [ind.op for ind in cset.indicators]
    met = np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        for op, compare in _COMPARE.items():
            cols = np.array([o is op for o in ops])
            if cols.any():
                met[:, cols] = compare(values[:, cols], thresholds[:, cols])
    status = np.where(met, MET, NOT_MET).astype(np.int8)
    status[np.isnan(thresholds)] = NO_THRESHOLD
    status[np.isnan(values)] = NO_VALUE
    in_tier = np.array([tier in ind.tiers for ind in cset.indicators])
    status[:, ~in_tier] = NOT_APPLICABLE
    return status


def _ge(v: FloatMatrix, t: FloatMatrix) -> npt.NDArray[np.bool_]:
    return v >= t


def _le(v: FloatMatrix, t: FloatMatrix) -> npt.NDArray[np.bool_]:
    return v <= t


def _gt(v: FloatMatrix, t: FloatMatrix) -> npt.NDArray[np.bool_]:
    return v > t


def _lt(v: FloatMatrix, t: FloatMatrix) -> npt.NDArray[np.bool_]:
    return v < t


def _equal(v: FloatMatrix, t: FloatMatrix) -> npt.NDArray[np.bool_]:
    # Yes/no values are 1.0 or 0.0; the threshold says which one is required.
    return np.equal(v, t)


_COMPARE = {Op.GE: _ge, Op.LE: _le, Op.GT: _gt, Op.LT: _lt, Op.DAT: _equal, Op.KHONG: _equal}


def _criterion_status(cset: CriteriaSet, status: CodeMatrix) -> CodeMatrix:
    """not_met if any indicator is not met, else missing if any is missing, else met."""
    starts = np.cumsum([0] + [len(c.indicators) for c in cset.criteria[:-1]])
    any_not_met = np.logical_or.reduceat(status == NOT_MET, starts, axis=1)
    any_missing = np.logical_or.reduceat(
        (status == NO_VALUE) | (status == NO_THRESHOLD), starts, axis=1
    )
    out = np.full(any_not_met.shape, MET, dtype=np.int8)
    out[any_missing] = NO_VALUE
    out[any_not_met] = NOT_MET
    return out


def values_row(cset: CriteriaSet, values: Mapping[str, float | None]) -> FloatMatrix:
    """One unit-year's values as a 1 x M row in the set's indicator order."""
    row = [values.get(ind.code) for ind in cset.indicators]
    return np.array([[np.nan if v is None else v for v in row]], dtype=np.float64)


def evaluate_unit(
    cset: CriteriaSet, class_code: str, values: Mapping[str, float | None]
) -> UnitResult:
    """Evaluate one unit-year on every tier of the set (NTM, nâng cao, ...)."""
    row = values_row(cset, values)
    results = {t.code: evaluate_batch(cset, [class_code], row, t.code) for t in cset.tiers}
    main = results[cset.primary_tier]
    indicators = {
        ind.code: IndicatorResult(
            code=ind.code,
            value=None if np.isnan(row[0, j]) else float(row[0, j]),
            threshold=None if np.isnan(main.thresholds[0, j]) else float(main.thresholds[0, j]),
            op=ind.op.value,
            status=STATUS_NAMES[int(main.indicator_status[0, j])],
            reason=REASONS.get(int(main.indicator_status[0, j]), ""),
        )
        for j, ind in enumerate(cset.indicators)
    }
    criteria = {
        crit.code: STATUS_NAMES[int(main.criterion_status[0, k])]
        for k, crit in enumerate(cset.criteria)
    }
    return UnitResult(
        class_code=class_code,
        criteria=criteria,
        indicators=indicators,
        criteria_met=int(main.criteria_met[0]),
        criteria_total=len(cset.criteria),
        tiers={code: bool(r.meets_standard[0]) for code, r in results.items()},
    )
