"""Evaluation: indicator -> criterion -> unit verdict, columnar so it scales to the country.

Values arrive as an N x M float matrix (N unit-years, M indicators of the set, NaN where no
value was entered; yes/no values are 1.0/0.0). Each row has a class (region or group) that
selects its thresholds. ``missing`` is kept apart from ``not_met`` and never counts as met.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property

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
    """Status codes per indicator (N x M) and criterion (N x C), counts and verdicts per row.

    The thresholds are kept as one row per class plus each row's class; the N x M matrix
    ``thresholds`` is only built when someone reads it (most callers never do).
    """

    indicator_status: CodeMatrix
    criterion_status: CodeMatrix
    criteria_met: npt.NDArray[np.int64]
    meets_standard: npt.NDArray[np.bool_]
    class_thresholds: FloatMatrix
    class_rows: npt.NDArray[np.intp]

    @cached_property
    def thresholds(self) -> FloatMatrix:
        return self.class_thresholds[self.class_rows]


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
    """Every unit-year at once: whole-matrix NumPy passes, no Python work per row or cell."""
    tier = tier or cset.primary_tier
    classes, table = threshold_matrix(cset, tier)
    rows = _class_rows(classes, class_codes)
    values = np.ascontiguousarray(values, dtype=np.float64)
    ops = [ind.op for ind in cset.indicators]
    in_tier = np.array([tier in ind.tiers for ind in cset.indicators], dtype=bool)
    if _strict_at_infinity(ops, table):
        status = _indicator_status_plain(ops, values, table[rows])
    else:
        status = _indicator_status(ops, values, table, rows)
    status[:, ~in_tier] = NOT_APPLICABLE
    criteria, met = _criterion_status(cset, status, in_tier)
    return BatchResult(status, criteria, met, met == len(cset.criteria), table, rows)


def _class_rows(classes: Sequence[str], class_codes: Sequence[str]) -> npt.NDArray[np.intp]:
    index = {c: i for i, c in enumerate(classes)}
    try:
        return np.fromiter(
            map(index.__getitem__, class_codes), dtype=np.intp, count=len(class_codes)
        )
    except KeyError as exc:
        raise UnknownClassError(str(exc.args[0])) from None


def _bounds(ops: Sequence[Op], table: FloatMatrix) -> tuple[FloatMatrix, FloatMatrix]:
    """Per class, the closed interval [low, high] a value must lie in to be met.

    ``v > t`` is ``v >= nextafter(t, +inf)`` exactly for every float (and ``<`` alike), so
    every rule becomes two comparisons that NumPy runs over the whole matrix at once.
    """
    low = np.full(table.shape, -np.inf)
    high = np.full(table.shape, np.inf)
    for j, op in enumerate(ops):
        t = table[:, j]
        if op is Op.GE:
            low[:, j] = t
        elif op is Op.GT:
            low[:, j] = np.nextafter(t, np.inf)
        elif op is Op.LE:
            high[:, j] = t
        elif op is Op.LT:
            high[:, j] = np.nextafter(t, -np.inf)
        else:  # đạt / không: the value must equal the threshold (1.0 / 0.0)
            low[:, j] = high[:, j] = t
    # An unconfirmed cell fails both comparisons, like a missing value (fixed up later).
    unconfirmed = np.isnan(table)
    low[unconfirmed] = high[unconfirmed] = np.nan
    return low, high


def _strict_at_infinity(ops: Sequence[Op], table: FloatMatrix) -> bool:
    """``> +inf`` and ``< -inf`` have no closed interval: such (absurd) sets take the plain path."""
    with np.errstate(invalid="ignore"):
        gt = np.array([o is Op.GT for o in ops]) & (table == np.inf).any(axis=0)
        lt = np.array([o is Op.LT for o in ops]) & (table == -np.inf).any(axis=0)
    return bool(gt.any() or lt.any())


# Rows of one class usually come in long runs (a province's communes, year after year): a
# run is compared with its class's one threshold row by broadcasting, with no N x M copy of
# the thresholds. Short runs (rows in any order) take one gather of the threshold rows.
_MIN_MEAN_RUN = 256
_BLOCK_ROWS = 512


def _indicator_status(
    ops: Sequence[Op], values: FloatMatrix, table: FloatMatrix, rows: npt.NDArray[np.intp]
) -> CodeMatrix:
    low, high = _bounds(ops, table)
    n, m = values.shape
    status = np.empty((n, m), dtype=np.int8)
    if n == 0:
        return status
    # Blocks of rows small enough to stay in cache between the passes, scratch reused.
    block = min(n, _BLOCK_ROWS)
    above_low = np.empty((block, m), dtype=bool)
    below_high = np.empty((block, m), dtype=bool)
    starts = np.flatnonzero(rows[1:] != rows[:-1]) + 1
    runs = n > 0 and (len(starts) + 1) * _MIN_MEAN_RUN <= n
    edges = [0, *starts.tolist(), n] if runs else [0, n]
    # A class's threshold row tiled to a whole block: comparing two contiguous blocks of the
    # same shape is one flat loop, where broadcasting one row loops over rows of M cells.
    tiles: dict[int, tuple[FloatMatrix, FloatMatrix]] = {}
    # Unconfirmed cells (NaN threshold) are 2 (no value) here; with a value they become 3
    # (no threshold), block by block while the block is in cache.
    unconfirmed = [np.flatnonzero(np.isnan(row)) for row in table]
    with np.errstate(invalid="ignore"):
        for first, last in itertools.pairwise(edges):
            k = int(rows[first])
            if runs and k not in tiles:
                tiles[k] = (np.tile(low[k], (block, 1)), np.tile(high[k], (block, 1)))
            for a in range(first, last, _BLOCK_ROWS):
                b = min(a + _BLOCK_ROWS, last)
                ge, le = above_low[: b - a], below_high[: b - a]
                if runs:
                    lo, hi = tiles[k][0][: b - a], tiles[k][1][: b - a]
                else:
                    lo, hi = low[rows[a:b]], high[rows[a:b]]
                np.greater_equal(values[a:b], lo, out=ge)
                np.less_equal(values[a:b], hi, out=le)
                # Both true: met. One false: not met (low <= high, so never both for a
                # number). Both false: the value (or threshold) is NaN. 2 - sum gives MET 0,
                # NOT_MET 1, NO_VALUE 2 without a separate isnan pass over the matrix.
                out = status[a:b]
                np.add(ge.view(np.int8), le.view(np.int8), out=out)
                np.subtract(np.int8(2), out, out=out)
                if runs and len(unconfirmed[k]):
                    cols = unconfirmed[k]
                    out[:, cols] += ~np.isnan(values[a:b, cols])
    if not runs:
        _no_threshold_mark(status, values, table, rows)
    return status


def _no_threshold_mark(
    status: CodeMatrix, values: FloatMatrix, table: FloatMatrix, rows: npt.NDArray[np.intp]
) -> None:
    """Rows in any order: one pass down each unconfirmed cell's column (there are few)."""
    in_class: dict[int, npt.NDArray[np.bool_]] = {}
    for k, j in zip(*np.nonzero(np.isnan(table)), strict=True):
        if int(k) not in in_class:
            in_class[int(k)] = rows == k
        has_value = np.logical_not(np.isnan(values[:, j]))
        np.logical_and(has_value, in_class[int(k)], out=has_value)
        column = status[:, j]
        np.add(column, has_value.view(np.int8), out=column)


def _indicator_status_plain(
    ops: Sequence[Op], values: FloatMatrix, thresholds: FloatMatrix
) -> CodeMatrix:
    """Column by column with the operators themselves: for the sets ``_bounds`` cannot express."""
    met = np.zeros(values.shape, dtype=bool)
    with np.errstate(invalid="ignore"):
        for op, compare in _COMPARE.items():
            cols = np.array([o is op for o in ops], dtype=bool)
            if cols.any():
                met[:, cols] = compare(values[:, cols], thresholds[:, cols])
    status = np.where(met, MET, NOT_MET).astype(np.int8)
    status[np.isnan(thresholds)] = NO_THRESHOLD
    status[np.isnan(values)] = NO_VALUE
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


def _criterion_status(
    cset: CriteriaSet, status: CodeMatrix, in_tier: npt.NDArray[np.bool_]
) -> tuple[CodeMatrix, npt.NDArray[np.int64]]:
    """not_met if any indicator is not met, else missing if any is missing, else met; and the
    number of criteria met per row.

    Each row's flagged indicators are packed 8 to a byte; a 256-entry table per byte turns
    the byte into the set of criteria it touches (bit k for criterion k), and the row's set
    is the OR over its bytes. Indicators outside the tier are in no criterion's set.
    """
    n_criteria = len(cset.criteria)
    if n_criteria > 64:
        return _criterion_status_plain(cset, status, in_tier)
    word = next(np.dtype(f"<u{b}") for b in (1, 2, 4, 8) if 8 * b >= n_criteria)
    owner = np.repeat(
        np.arange(n_criteria, dtype=np.uint64), [len(c.indicators) for c in cset.criteria]
    )
    bit = np.where(in_tier, np.left_shift(np.uint64(1), owner), np.uint64(0)).astype(word)
    not_met = _criteria_touched(status == NOT_MET, bit)
    missing = _criteria_touched(status >= NO_VALUE, bit)  # no value, no threshold (n/a: no bit)
    # NOT_MET 1 where any is not met, else NO_VALUE 2 where any is missing, else MET 0.
    out = np.left_shift(_unpack(missing & ~not_met), 1)
    np.bitwise_or(out, _unpack(not_met), out=out)
    met = n_criteria - _popcount(not_met | missing)
    return np.ascontiguousarray(out[:, :n_criteria]).view(np.int8), met


def _criteria_touched(
    flags: npt.NDArray[np.bool_], bit: npt.NDArray[np.unsignedinteger]
) -> npt.NDArray[np.unsignedinteger]:
    # Byte-major, so each byte position is one contiguous index array for ``take``.
    packed = np.ascontiguousarray(np.packbits(flags, axis=1, bitorder="little").T)
    touched = np.zeros(flags.shape[0], dtype=bit.dtype)
    byte = np.arange(256)
    for q in range(packed.shape[0]):
        table = np.zeros(256, dtype=bit.dtype)
        for i, b in enumerate(bit[8 * q : 8 * q + 8]):
            if b:
                table[(byte >> i) & 1 == 1] |= b
        if table.any():
            np.bitwise_or(touched, table.take(packed[q].astype(np.intp)), out=touched)
    return touched


def _unpack(words: npt.NDArray[np.unsignedinteger]) -> npt.NDArray[np.uint8]:
    """Bit k of each word as column k of an N x (bits per word) 0/1 matrix."""
    as_bytes = words.view(np.uint8).reshape(len(words), words.dtype.itemsize)
    return np.unpackbits(as_bytes, axis=1, bitorder="little")


def _popcount(words: npt.NDArray[np.unsignedinteger]) -> npt.NDArray[np.int64]:
    counts: npt.NDArray[np.int64]
    if hasattr(np, "bitwise_count"):  # NumPy 2
        counts = np.bitwise_count(words).astype(np.int64)
    else:
        as_bytes = words.view(np.uint8).reshape(len(words), words.dtype.itemsize)
        counts = np.unpackbits(as_bytes, axis=1).sum(axis=1, dtype=np.int64)
    return counts


def _criterion_status_plain(
    cset: CriteriaSet, status: CodeMatrix, in_tier: npt.NDArray[np.bool_]
) -> tuple[CodeMatrix, npt.NDArray[np.int64]]:
    """Criterion by criterion, for sets with more than 64 criteria (none so far)."""
    out = np.empty((status.shape[0], len(cset.criteria)), dtype=np.int8)
    j = 0
    for k, crit in enumerate(cset.criteria):
        cols = [i for i in range(j, j + len(crit.indicators)) if in_tier[i]]
        j += len(crit.indicators)
        part = status[:, cols]
        any_missing = ((part == NO_VALUE) | (part == NO_THRESHOLD)).any(axis=1)
        out[:, k] = np.where(
            (part == NOT_MET).any(axis=1), NOT_MET, np.where(any_missing, NO_VALUE, MET)
        )
    return out, np.count_nonzero(out == MET, axis=1).astype(np.int64)


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
