"""The obvious per-value implementation of the evaluation rules: dicts and Python loops.

It knows nothing of ``ntm.core.evaluate``: thresholds come straight from the model, values
are read one unit-year at a time into a dict, every indicator is compared in turn.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from tqdm import tqdm

from ntm.core.model import CriteriaSet, Op

MET, NOT_MET, MISSING = 0, 1, 2


@dataclass(frozen=True)
class LoopResult:
    rows: npt.NDArray[np.intp]  # the rows evaluated, in evaluation order
    criterion_status: npt.NDArray[np.int8]  # len(rows) x C: MET / NOT_MET / MISSING
    criteria_met: npt.NDArray[np.int64]  # per evaluated row
    seconds: float
    complete: bool  # False when the time limit stopped the loop early


def loop_evaluate(
    cset: CriteriaSet,
    class_codes: Sequence[str],
    values: npt.NDArray[np.float64],
    *,
    order: Sequence[int] | npt.NDArray[np.intp] | None = None,
    time_limit: float | None = None,
    progress: bool = True,
) -> LoopResult:
    """Evaluate row by row in ``order`` (default: all rows); stop after ``time_limit`` seconds.

    Stopping early on a random ``order`` leaves a random sample of rows evaluated.
    """
    tier = cset.primary_tier
    thresholds: dict[str, dict[str, float | None]] = {}
    for cls in cset.classes:
        per_class: dict[str, float | None] = {}
        for ind in cset.indicators:
            cell = ind.threshold(tier, cls)
            per_class[ind.code] = None if cell is None else cell.value
        thresholds[cls] = per_class
    codes = [ind.code for ind in cset.indicators]
    criteria = [
        [(ind.code, ind.op, tier in ind.tiers) for ind in crit.indicators] for crit in cset.criteria
    ]
    rows = np.arange(len(values), dtype=np.intp) if order is None else np.asarray(order)

    statuses = bytearray()
    counts: list[int] = []
    done = 0
    complete = True
    start = time.perf_counter()
    for i in tqdm(rows, desc="vòng lặp Python", unit="dòng", disable=not progress, mininterval=0.5):
        row = dict(zip(codes, values[i].tolist(), strict=True))
        thr = thresholds[class_codes[i]]
        met_count = 0
        for indicators in criteria:
            any_not_met = any_missing = False
            for code, op, applicable in indicators:
                if not applicable:
                    continue
                value = row[code]
                threshold = thr[code]
                if value != value or threshold is None:  # NaN: no value entered
                    any_missing = True
                    continue
                if op is Op.GE:
                    ok = value >= threshold
                elif op is Op.LE:
                    ok = value <= threshold
                elif op is Op.GT:
                    ok = value > threshold
                elif op is Op.LT:
                    ok = value < threshold
                else:  # đạt / không: the value must equal 1.0 / 0.0
                    ok = value == threshold
                if not ok:
                    any_not_met = True
            if any_not_met:
                statuses.append(NOT_MET)
            elif any_missing:
                statuses.append(MISSING)
            else:
                statuses.append(MET)
                met_count += 1
        counts.append(met_count)
        done += 1
        if time_limit is not None and time.perf_counter() - start > time_limit:
            complete = done == len(rows)
            break
    seconds = time.perf_counter() - start
    status = np.frombuffer(bytes(statuses), dtype=np.int8).reshape(done, len(criteria))
    return LoopResult(rows[:done], status, np.array(counts, dtype=np.int64), seconds, complete)
