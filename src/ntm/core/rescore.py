"""Merger re-scoring: the values of a merged commune from the communes it was formed from.

Each indicator of a set says how values of several communes combine (``Indicator.combine``,
written in the criteria files and checked by the loader):

    sum                   counts: add them up
    mean                  plain average, only where no weight applies
    mean_by:<weight>      average weighted by the predecessors' population, households,
                          road length, farmland area or number of villages (the denominator
                          of the rate)
    all / any             yes/no values: 1 only if every / at least one predecessor has 1
    min / max             the lowest / highest value

Yes/no values are 1.0 and 0.0 as everywhere (for a ``khong`` indicator 1.0 means "có", e.g.
temporary houses, so ``any`` is its rule: one predecessor with them is enough to fail).
"Missing" stays apart from "not met": a combined value is missing when a predecessor lacks
its value, except that a sum adds what is known and all/any give a value when the known
values already decide it (one "không" settles ``all``); every such case carries a caveat.
A ward or town outside the programme (no NTM values by nature) is left out and named.
Caveats are data (kind, predecessor names, weight); the pages and the CLI word them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ntm.core.evaluate import UnitResult, evaluate_unit
from ntm.core.model import CriteriaSet, Indicator, Op

WEIGHTS = ("population", "households", "length", "area", "villages")
BOOLEAN_RULES = ("all", "any")
NUMERIC_RULES = ("sum", "mean", "min", "max")
RULES = (*NUMERIC_RULES, *(f"mean_by:{w}" for w in WEIGHTS), *BOOLEAN_RULES)

# Caveat kinds.
OUTSIDE = "outside"  # a predecessor outside the programme (a ward, a town): left out
MISSING = "missing"  # a predecessor lacks the value: the combined value is missing
SUM_WITHOUT = "sum_without"  # a predecessor lacks the value: the sum adds the others
DECIDED_WITHOUT = "decided_without"  # lacks it, but the others decide all/any anyway
NO_WEIGHT = "no_weight"  # a predecessor lacks the weight: plain mean instead
PARTIAL = "partial"  # only part of a predecessor's territory went into the new commune
NO_RULE = "no_rule"  # the indicator declares no combine rule


@dataclass(frozen=True)
class CombineRule:
    kind: str  # sum, mean, mean_by, all, any, min, max
    weight: str = ""  # with mean_by: one of WEIGHTS

    def __str__(self) -> str:
        return f"mean_by:{self.weight}" if self.weight else self.kind


def parse_combine(text: str, op: Op) -> CombineRule:
    """The rule written in a criteria file; ValueError (Vietnamese) if it is not one."""
    written = text.strip()
    if written not in RULES:
        raise ValueError(f"cách gộp '{text}' không hợp lệ (cho phép: {', '.join(RULES)})")
    kind, _, weight = written.partition(":")
    rule = CombineRule(kind=kind, weight=weight)
    if op.is_boolean and kind not in BOOLEAN_RULES:
        raise ValueError(f"chỉ tiêu có/không chỉ gộp theo all hoặc any, không theo '{written}'")
    if not op.is_boolean and kind in BOOLEAN_RULES:
        raise ValueError(f"cách gộp '{written}' chỉ dùng cho chỉ tiêu có/không")
    return rule


@dataclass(frozen=True)
class Predecessor:
    """One unit that went into the new commune, with its values of the year.

    ``weights`` maps population, households, length, area, villages to a number or None;
    ``partial`` is True when only part of its territory went in (a divided commune);
    ``outside`` marks a unit outside the programme (a ward or town with no NTM values by
    nature), which is left out and named, whereas a commune's gaps make values missing.
    """

    name: str
    values: Mapping[str, float | None]
    weights: Mapping[str, float | None] = field(default_factory=dict)
    partial: bool = False
    outside: bool = False

    @property
    def has_data(self) -> bool:
        return any(v is not None for v in self.values.values())


@dataclass(frozen=True)
class Caveat:
    kind: str
    units: tuple[str, ...] = ()
    weight: str = ""


@dataclass(frozen=True)
class Combined:
    """One indicator of the new commune: its value, how it was combined, what to beware of.

    ``combine`` is what was done: the declared rule, or "mean" where a weight was missing.
    """

    code: str
    value: float | None
    combine: str
    caveats: tuple[Caveat, ...] = ()


@dataclass(frozen=True)
class Rescore:
    indicators: dict[str, Combined]
    result: UnitResult


def rescore(cset: CriteriaSet, class_code: str, predecessors: Sequence[Predecessor]) -> Rescore:
    """Combine the predecessors' values and judge them with the engine, as one commune."""
    combined = combine_values(cset, predecessors)
    values = {code: c.value for code, c in combined.items()}
    return Rescore(indicators=combined, result=evaluate_unit(cset, class_code, values))


def combine_values(cset: CriteriaSet, predecessors: Sequence[Predecessor]) -> dict[str, Combined]:
    """Every indicator of the set combined over the predecessors inside the programme."""
    inside = [p for p in predecessors if not p.outside]
    common: list[Caveat] = []
    if outside := tuple(p.name for p in predecessors if p.outside):
        common.append(Caveat(OUTSIDE, outside))
    if partial := tuple(p.name for p in inside if p.partial):
        common.append(Caveat(PARTIAL, partial))
    out = {}
    for ind in cset.indicators:
        one = combine_indicator(ind, inside)
        out[ind.code] = Combined(one.code, one.value, one.combine, (*one.caveats, *common))
    return out


def combine_indicator(ind: Indicator, predecessors: Sequence[Predecessor]) -> Combined:
    """One indicator over the given predecessors (none of them left out)."""
    known = [(p, v) for p in predecessors if (v := p.values.get(ind.code)) is not None]
    lacking = tuple(p.name for p in predecessors if p.values.get(ind.code) is None)
    if len(predecessors) == 1:  # a rename or a move: the value carries over, whatever the rule
        value = known[0][1] if known else None
        return Combined(
            ind.code, value, ind.combine, (Caveat(MISSING, lacking),) if lacking else ()
        )
    if not ind.combine:
        return Combined(ind.code, None, "", (Caveat(NO_RULE),))
    rule = parse_combine(ind.combine, ind.op)
    if rule.kind in BOOLEAN_RULES:
        return _boolean(ind.code, rule.kind, [v for _, v in known], lacking)
    if rule.kind == "sum":
        caveats = (Caveat(SUM_WITHOUT, lacking),) if lacking else ()
        return Combined(ind.code, sum(v for _, v in known) if known else None, "sum", caveats)
    if lacking or not known:
        return Combined(ind.code, None, str(rule), (Caveat(MISSING, lacking),))
    values = [v for _, v in known]
    if rule.kind == "min":
        return Combined(ind.code, min(values), "min")
    if rule.kind == "max":
        return Combined(ind.code, max(values), "max")
    if rule.kind == "mean_by":
        return _weighted_mean(ind.code, rule.weight, known)
    return Combined(ind.code, sum(values) / len(values), "mean")


def _boolean(code: str, kind: str, values: list[float], lacking: tuple[str, ...]) -> Combined:
    # all: one 0 decides (0); any: one 1 decides (1). Undecided with a gap: missing.
    decisive = 0.0 if kind == "all" else 1.0
    if decisive in values:
        caveats = (Caveat(DECIDED_WITHOUT, lacking),) if lacking else ()
        return Combined(code, decisive, kind, caveats)
    if lacking or not values:
        return Combined(code, None, kind, (Caveat(MISSING, lacking),))
    return Combined(code, 1.0 - decisive, kind)


def _weighted_mean(code: str, weight: str, known: list[tuple[Predecessor, float]]) -> Combined:
    weights = [p.weights.get(weight) for p, _ in known]
    unweighted = tuple(p.name for (p, _), w in zip(known, weights, strict=True) if w is None)
    total = sum(w for w in weights if w is not None)
    if unweighted or total <= 0:
        mean = sum(v for _, v in known) / len(known)
        names = unweighted or tuple(p.name for p, _ in known)
        return Combined(code, mean, "mean", (Caveat(NO_WEIGHT, names, weight),))
    value = sum(w * v for w, (_, v) in zip(weights, known, strict=True) if w is not None) / total
    return Combined(code, value, f"mean_by:{weight}")
