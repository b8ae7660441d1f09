"""Simulated indicator values for the Lai Châu demo (no Django; deterministic).

The values are invented so that the engine, judging them under the set in force each year
(QĐ 491/2009 until 2015, QĐ 1980/2016 from 2016) with the demo's illustrative provincial
thresholds, reproduces the province's published aggregates:
- 2011: 2,88 criteria per commune on average (Lai Châu report, 2019);
- 2018: 13,43 criteria per commune and 29 communes meeting the standard.
The other years follow a made-up, labelled path towards the 2020 targets (39 communes,
15,5 criteria per commune), on the communes in force each year (94 in 2020), and 2026 is a
made-up first year under QĐ 51/2025 for the 2025 communes that have a group. Nothing here is
real data about any commune.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

from ntm.core.model import CriteriaSet, Indicator, Op

# year -> (total criteria met over the 96 communes, communes meeting the standard)
# 2011 and 2018 are published figures (276/96 = 2,875 -> 2,88; 1289/96 = 13,427 -> 13,43).
YEAR_TARGETS: dict[int, tuple[int, int]] = {
    2011: (276, 0),
    2012: (422, 0),
    2013: (576, 1),
    2014: (730, 4),
    2015: (883, 9),
    2016: (1008, 14),
    2017: (1152, 21),
    2018: (1289, 29),
    2019: (1392, 34),
    # 94 communes in 2020 (three ended on 31/12/2019): 1457/94 = 15,5, the 2020 target.
    2020: (1457, 39),
    # 2026, QĐ 51/2025 (10 criteria), the 32 communes of group 3: a made-up first year under
    # the new set after the 2025 mergers, 192/32 = 6,0 criteria per commune, 4 meeting it.
    2026: (192, 4),
}
PUBLISHED_YEARS = (2011, 2018)

# Criteria that provinces usually reach first come first (planning, electricity, security...)
_EASE = [
    "1",
    "4",
    "19",
    "8",
    "12",
    "18",
    "15",
    "14",
    "16",
    "7",
    "9",
    "3",
    "11",
    "6",
    "13",
    "5",
    "10",
    "2",
    "17",
]


@dataclass(frozen=True)
class SimulatedValue:
    unit_code: str
    year: int
    indicator: str
    value: float


def criteria_counts(unit_codes: Sequence[str], year: int, criteria_total: int) -> dict[str, int]:
    """How many criteria each commune meets in ``year``, hitting the year's totals exactly."""
    total, meeting = YEAR_TARGETS[year]
    ranked = _ranked(unit_codes)
    counts = {code: criteria_total for code in ranked[:meeting]}
    rest = ranked[meeting:]
    remaining = total - criteria_total * meeting
    weights = [1.0 - 0.9 * k / max(len(rest), 1) for k in range(len(rest))]
    scale = remaining / sum(weights) if rest else 0
    cap = criteria_total - 1
    for code, w in zip(rest, weights, strict=True):
        counts[code] = min(cap, math.floor(w * scale))
    _settle(counts, rest, remaining, cap)
    return counts


def _settle(counts: dict[str, int], rest: list[str], remaining: int, cap: int) -> None:
    """Add (or take) one criterion at a time, most advanced communes first, to hit the total."""
    gap = remaining - sum(counts[c] for c in rest)
    order = rest if gap > 0 else list(reversed(rest))
    step = 1 if gap > 0 else -1
    while gap:
        moved = False
        for code in order:
            if gap and 0 <= counts[code] + step <= cap:
                counts[code] += step
                gap -= step
                moved = True
        if not moved:
            raise ValueError("Không thể phân bổ số tiêu chí mô phỏng cho năm này")


# Nậm Loỏng and San Thàng, the two communes of TP Lai Châu, met all 19 criteria by 2019 (the
# city was the first district-level unit to finish, per the province's news); the simulation
# places them among the communes that reach the standard in 2017.
_REPORTED_EARLY = ("03403", "03409")
_REPORTED_EARLY_RANK = 19


def _ranked(unit_codes: Sequence[str]) -> list[str]:
    codes = sorted(c for c in unit_codes if c not in _REPORTED_EARLY)
    random.Random("laichau-demo-rank").shuffle(codes)
    early = [c for c in _REPORTED_EARLY if c in unit_codes]
    return codes[:_REPORTED_EARLY_RANK] + early + codes[_REPORTED_EARLY_RANK:]


def criteria_order(unit_code: str, cset: CriteriaSet) -> list[str]:
    """The order in which this commune reaches the criteria: common ease plus local noise."""
    rng = random.Random(f"order-{unit_code}")
    ease = {code: k + rng.uniform(-3, 3) for k, code in enumerate(_EASE)}
    return sorted((c.code for c in cset.criteria), key=lambda code: ease.get(code, 99))


def simulate_year(
    cset: CriteriaSet, class_code: str, unit_codes: Sequence[str], year: int
) -> list[SimulatedValue]:
    counts = criteria_counts(unit_codes, year, len(cset.criteria))
    out: list[SimulatedValue] = []
    for code in sorted(unit_codes):
        met = set(criteria_order(code, cset)[: counts[code]])
        rng = random.Random(f"values-{code}-{year}")
        for crit in cset.criteria:
            failing = (
                None
                if crit.code in met
                else _failing_indicator(crit.indicators, class_code, cset, rng)
            )
            for ind in crit.indicators:
                value = _value(
                    ind, _threshold(ind, cset, class_code), rng, passes=ind is not failing
                )
                out.append(SimulatedValue(code, year, ind.code, value))
    return out


def _threshold(ind: Indicator, cset: CriteriaSet, class_code: str) -> float:
    cell = ind.threshold(cset.primary_tier, class_code)
    if cell is None:
        raise ValueError(f"Chỉ tiêu {ind.code} của {cset.id} chưa có ngưỡng cho {class_code}")
    return cell.value


def _failing_indicator(
    indicators: Sequence[Indicator], class_code: str, cset: CriteriaSet, rng: random.Random
) -> Indicator:
    can_fail = [i for i in indicators if _can_fail(i, _threshold(i, cset, class_code))]
    if not can_fail:
        raise ValueError(
            f"Không chỉ tiêu nào của tiêu chí {indicators[0].criterion} có thể không đạt"
        )
    return rng.choice(can_fail)


def _can_fail(ind: Indicator, threshold: float) -> bool:
    if ind.op in (Op.GE, Op.GT):
        return threshold > 0
    if ind.op in (Op.LE, Op.LT) and ind.unit == "%":
        return threshold < 100
    return True


def _value(ind: Indicator, t: float, rng: random.Random, *, passes: bool) -> float:
    if ind.op is Op.DAT:
        return 1.0 if passes else 0.0
    if ind.op is Op.KHONG:
        return 0.0 if passes else 1.0
    upper = 100.0 if ind.unit == "%" else max(t * 2, t + 10)
    span = max(upper - t, 0.0) if ind.op in (Op.GE, Op.GT) else t
    if ind.op in (Op.GE, Op.GT):
        if passes:
            return min(
                upper,
                math.ceil((t + rng.uniform(0.1, 0.3) * span) * 10) / 10
                + (0.1 if ind.op is Op.GT else 0),
            )
        return max(0.0, math.floor((t - rng.uniform(0.05, 0.25) * max(t, 1)) * 10) / 10)
    if passes:
        return max(
            0.0,
            math.floor((t - rng.uniform(0.1, 0.4) * span) * 10) / 10
            - (0.1 if ind.op is Op.LT else 0),
        )
    return math.ceil((t + rng.uniform(0.05, 0.3) * max(100 - t, 1)) * 10) / 10
