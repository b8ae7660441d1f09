"""Aggregates over communes: average criteria per commune and the report buckets."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from ntm.core.values import round_half_up

# The report convention for 19-criterion sets: 19 / 15-18 / 10-14 / 5-9 / <5.
_BOUNDS_19 = (19, 15, 10, 5)


def bucket_bounds(criteria_total: int) -> tuple[int, ...]:
    """Lower bounds of the buckets, scaled for sets with fewer criteria (10 -> 10/8/5/3)."""
    if criteria_total == 19:
        return _BOUNDS_19
    scaled = [criteria_total] + [round(b * criteria_total / 19) for b in _BOUNDS_19[1:]]
    # keep the buckets distinct even for very small sets
    for i in range(1, len(scaled)):
        scaled[i] = min(scaled[i], scaled[i - 1] - 1)
    return tuple(max(b, 1) for b in scaled)


def bucket_labels(criteria_total: int) -> list[str]:
    bounds = bucket_bounds(criteria_total)
    labels = [str(bounds[0])]
    labels += [f"{lo}-{hi - 1}" for hi, lo in pairwise(bounds)]
    return [*labels, f"<{bounds[-1]}"]


@dataclass(frozen=True)
class Summary:
    communes: int
    avg_criteria: float | None
    meeting_standard: int
    buckets: dict[str, int]


def summarise(criteria_met: Sequence[int], meets: Sequence[bool], criteria_total: int) -> Summary:
    bounds = bucket_bounds(criteria_total)
    labels = bucket_labels(criteria_total)
    buckets = dict.fromkeys(labels, 0)
    for count in criteria_met:
        index = next((k for k, lo in enumerate(bounds) if count >= lo), len(bounds))
        buckets[labels[index]] += 1
    n = len(criteria_met)
    avg = round_half_up(sum(criteria_met) / n, 2) if n else None
    return Summary(communes=n, avg_criteria=avg, meeting_standard=sum(meets), buckets=buckets)


def district_meets_standard(*, own_criteria_met: bool, communes_meeting: Sequence[bool]) -> bool:
    """A district (QĐ 320/QĐ-TTg) needs its own criteria AND every commune at the standard."""
    return own_criteria_met and bool(communes_meeting) and all(communes_meeting)
