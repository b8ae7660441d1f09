"""The vectorised engine (``evaluate_batch``) against a plain per-cell loop on random inputs.

Random sets (every operator, unconfirmed cells, indicators outside a tier, more than 64
indicators so the criterion bits span two words) and random values (exactly on the
threshold, one float either side, NaN, infinities), with rows both in long runs of one class
(the broadcast path) and shuffled (the gather path), in blocks smaller than the input.
"""

from __future__ import annotations

import datetime as dt
import math
from unittest import mock

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm.core import evaluate
from ntm.core.evaluate import MET, NO_THRESHOLD, NO_VALUE, NOT_APPLICABLE, NOT_MET, evaluate_batch
from ntm.core.model import CriteriaSet, Criterion, Indicator, Level, Op, Threshold, Tier

OPS = list(Op)
TIERS = ("ntm", "nang_cao")


def random_set(rng: np.random.Generator, n_criteria: int, n_classes: int) -> CriteriaSet:
    classes = {f"C{i}": f"Lớp {i}" for i in range(n_classes)}
    criteria = []
    for c in range(n_criteria):
        indicators = []
        for i in range(int(rng.integers(1, 8))):
            op = OPS[int(rng.integers(len(OPS)))]
            thresholds: dict[str, dict[str, Threshold]] = {}
            for tier in TIERS:
                cells = {}
                for cls in classes:
                    if rng.random() < 0.15:
                        continue  # unconfirmed
                    if op is Op.DAT:
                        value = 1.0
                    elif op is Op.KHONG:
                        value = 0.0
                    elif rng.random() < 0.02:  # rare: "> +inf" sends the set the plain way
                        value = float(rng.choice([-np.inf, np.inf]))
                    else:
                        value = float(rng.choice([0.0, -0.0, 5.0, 50.5, 100.0]))
                    cells[cls] = Threshold(value, "thử")
                thresholds[tier] = cells
            tiers = TIERS if rng.random() < 0.8 else ("nang_cao",)
            indicators.append(
                Indicator(f"{c}.{i}", "chỉ tiêu", "", op, str(c), "", thresholds, tiers)
            )
        criteria.append(Criterion(str(c), f"Tiêu chí {c}", "", tuple(indicators)))
    return CriteriaSet(
        id="rand",
        title="Bộ ngẫu nhiên",
        decision="0/TEST",
        level=Level.COMMUNE,
        issued=dt.date(2020, 1, 1),
        effective=dt.date(2020, 1, 1),
        classification="region",
        classes=classes,
        tiers=tuple(Tier(t, t) for t in TIERS),
        criteria=tuple(criteria),
    )


def random_values(
    rng: np.random.Generator, cset: CriteriaSet, class_codes: list[str], tier: str
) -> np.ndarray:
    """Values near each row's own threshold, so that every edge is hit often."""
    out = np.empty((len(class_codes), len(cset.indicators)))
    for j, ind in enumerate(cset.indicators):
        for n, cls in enumerate(class_codes):
            cell = ind.threshold(tier, cls)
            t = 5.0 if cell is None or math.isinf(cell.value) else cell.value
            out[n, j] = rng.choice(
                [t, np.nextafter(t, np.inf), np.nextafter(t, -np.inf), t + 3, t - 3, 0.0, 1.0]
            )
    special = rng.random(out.shape)
    out[special < 0.1] = np.nan
    out[(special >= 0.1) & (special < 0.13)] = np.inf
    out[(special >= 0.13) & (special < 0.15)] = -np.inf
    return out


def plain_loop(cset: CriteriaSet, class_codes: list[str], values: np.ndarray, tier: str):
    """The rules written out cell by cell, nothing shared with the engine."""
    compare = {
        Op.GE: lambda v, t: v >= t,
        Op.LE: lambda v, t: v <= t,
        Op.GT: lambda v, t: v > t,
        Op.LT: lambda v, t: v < t,
        Op.DAT: lambda v, t: v == t,
        Op.KHONG: lambda v, t: v == t,
    }
    indicators = cset.indicators
    ind_status = np.empty(values.shape, dtype=np.int8)
    crit_status = np.empty((len(class_codes), len(cset.criteria)), dtype=np.int8)
    for n, cls in enumerate(class_codes):
        for j, ind in enumerate(indicators):
            cell = ind.threshold(tier, cls)
            v = float(values[n, j])
            if tier not in ind.tiers:
                code = NOT_APPLICABLE
            elif math.isnan(v):
                code = NO_VALUE
            elif cell is None:
                code = NO_THRESHOLD
            else:
                code = MET if compare[ind.op](v, cell.value) else NOT_MET
            ind_status[n, j] = code
        j = 0
        for k, crit in enumerate(cset.criteria):
            codes = [int(ind_status[n, j + i]) for i in range(len(crit.indicators))]
            j += len(crit.indicators)
            if NOT_MET in codes:
                crit_status[n, k] = NOT_MET
            elif NO_VALUE in codes or NO_THRESHOLD in codes:
                crit_status[n, k] = NO_VALUE
            else:
                crit_status[n, k] = MET
    met = (crit_status == MET).sum(axis=1)
    return ind_status, crit_status, met


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n_criteria=st.sampled_from([1, 3, 14]),  # 14 criteria: often more than 64 indicators
    n_classes=st.integers(1, 4),
    tier=st.sampled_from(TIERS),
    in_runs=st.booleans(),
)
def test_the_vectorised_engine_matches_a_plain_loop_cell_for_cell(
    seed: int, n_criteria: int, n_classes: int, tier: str, in_runs: bool
) -> None:
    rng = np.random.default_rng(seed)
    cset = random_set(rng, n_criteria, n_classes)
    classes = list(cset.classes)
    if in_runs:  # long runs of one class: compared by broadcasting, block by block
        class_codes = [cls for cls in classes for _ in range(int(rng.integers(20, 60)))]
    else:
        class_codes = [classes[int(i)] for i in rng.integers(len(classes), size=40)]
    values = random_values(rng, cset, class_codes, tier)
    with (
        mock.patch.object(evaluate, "_MIN_MEAN_RUN", 8),
        mock.patch.object(evaluate, "_BLOCK_ROWS", 16),
    ):
        batch = evaluate_batch(cset, class_codes, values, tier)
    ind_status, crit_status, met = plain_loop(cset, class_codes, values, tier)
    np.testing.assert_array_equal(batch.indicator_status, ind_status)
    np.testing.assert_array_equal(batch.criterion_status, crit_status)
    np.testing.assert_array_equal(batch.criteria_met, met)
    np.testing.assert_array_equal(batch.meets_standard, met == len(cset.criteria))
    expected = [
        [np.nan if (c := i.threshold(tier, cls)) is None else c.value for i in cset.indicators]
        for cls in class_codes
    ]
    np.testing.assert_array_equal(batch.thresholds, np.array(expected, dtype=float))


def test_an_empty_batch_gives_empty_results() -> None:
    cset = random_set(np.random.default_rng(1), 3, 2)
    batch = evaluate_batch(cset, [], np.empty((0, len(cset.indicators))))
    assert batch.indicator_status.shape == (0, len(cset.indicators))
    assert batch.criterion_status.shape == (0, 3)
    assert batch.criteria_met.shape == (0,)
