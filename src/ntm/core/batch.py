"""Evaluate many unit-years at once and describe each result as plain data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ntm.core.evaluate import REASONS, STATUS_NAMES, BatchResult, FloatMatrix, evaluate_batch
from ntm.core.model import CriteriaSet, Op


@dataclass(frozen=True)
class UnitYear:
    unit_code: str
    year: int
    class_code: str


def evaluate_table(
    cset: CriteriaSet, keys: Sequence[UnitYear], values: FloatMatrix
) -> list[dict[str, Any]]:
    """One JSON-ready result per unit-year (the `ntm evaluate` output format)."""
    classes = [k.class_code for k in keys]
    by_tier = {t.code: evaluate_batch(cset, classes, values, t.code) for t in cset.tiers}
    return [_describe(cset, key, values[n], by_tier, n) for n, key in enumerate(keys)]


def _describe(
    cset: CriteriaSet,
    key: UnitYear,
    row: FloatMatrix,
    by_tier: dict[str, BatchResult],
    n: int,
) -> dict[str, Any]:
    main = by_tier[cset.primary_tier]
    indicators = {}
    for j, ind in enumerate(cset.indicators):
        code = int(main.indicator_status[n, j])
        entry: dict[str, Any] = {
            "value": _shown(ind.op, row[j]),
            "threshold": _shown(ind.op, main.thresholds[n, j]),
            "op": ind.op.value,
            "status": STATUS_NAMES[code],
        }
        if code in REASONS:
            entry["reason"] = REASONS[code]
        indicators[ind.code] = entry
    criteria = {
        c.code: STATUS_NAMES[int(main.criterion_status[n, k])] for k, c in enumerate(cset.criteria)
    }
    return {
        "unit_code": key.unit_code,
        "year": key.year,
        "region": key.class_code if cset.classification == "region" else None,
        "group": key.class_code if cset.classification == "group" else None,
        "criteria_met": int(main.criteria_met[n]),
        "criteria_total": len(cset.criteria),
        "meets_standard": bool(main.meets_standard[n]),
        "tiers": {tier: bool(r.meets_standard[n]) for tier, r in by_tier.items()},
        "criteria": criteria,
        "indicators": indicators,
    }


def _shown(op: Op, value: float) -> float | bool | None:
    if np.isnan(value):
        return None
    if op.is_boolean:
        return bool(value == 1.0)
    return float(value)
