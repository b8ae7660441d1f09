"""The criteria model: sets, criteria, indicators and their thresholds.

Plain frozen dataclasses, no Django. A criteria set is loaded from one data file per
national decision (see ``loader``); a provincial specification (see ``specs``) produces a
new set with some thresholds replaced, never mutates the national one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class Op(StrEnum):
    """How a value is compared with its threshold."""

    GE = ">="
    LE = "<="
    GT = ">"
    LT = "<"
    DAT = "dat"  # a yes/no indicator that must be "đạt" (yes)
    KHONG = "khong"  # a yes/no indicator that must be "không" (e.g. temporary houses)

    @property
    def is_boolean(self) -> bool:
        return self in (Op.DAT, Op.KHONG)

    @property
    def symbol(self) -> str:
        """How the comparison is written on pages: ≥ 70, ≤ 6, đạt, không."""
        return {"dat": "đạt", "khong": "không", ">=": "≥", "<=": "≤"}.get(self.value, self.value)


class Level(StrEnum):
    """The administrative level a criteria set judges."""

    VILLAGE = "village"
    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"


LEVEL_NAMES = {
    Level.VILLAGE: "cấp thôn",
    Level.COMMUNE: "cấp xã",
    Level.DISTRICT: "cấp huyện",
    Level.PROVINCE: "cấp tỉnh",
}


@dataclass(frozen=True)
class Threshold:
    """One confirmed threshold cell: the value and where it comes from."""

    value: float
    source: str
    origin: str = "national"  # "national" or the id of a provincial specification
    illustrative: bool = False  # True for demo values that no official text backs


@dataclass(frozen=True)
class Indicator:
    code: str
    text: str
    unit: str
    op: Op
    criterion: str
    clause: str
    # thresholds[tier][class_code]; a class absent from the mapping is unconfirmed.
    thresholds: dict[str, dict[str, Threshold]]
    tiers: tuple[str, ...]
    text_verified: bool = True
    code_verified: bool = True
    combine: str = ""  # how values of merged communes combine (see core.rescore)
    note: str = ""

    def threshold(self, tier: str, class_code: str) -> Threshold | None:
        return self.thresholds.get(tier, {}).get(class_code)

    @property
    def is_criterion_judgement(self) -> bool:
        """A yes/no standing for a whole criterion whose indicators were not transcribed (QĐ
        491/2009, QĐ 51/2025): its "đạt" follows from the recognition rule, and whether a
        commune meets it is judged under the ministries' guidance, not against a number."""
        return self.op.is_boolean and self.code == self.criterion


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    group: str
    indicators: tuple[Indicator, ...]
    name_en: str = ""
    note: str = ""


@dataclass(frozen=True)
class Tier:
    """A recognition level within a set, e.g. "ntm" and "nang_cao" in QĐ 318/2022."""

    code: str
    name: str


@dataclass(frozen=True)
class CriteriaSet:
    id: str
    title: str
    decision: str
    level: Level
    issued: dt.date
    effective: dt.date
    classification: str  # "region" or "group"
    classes: dict[str, str]  # code -> name
    tiers: tuple[Tier, ...]
    criteria: tuple[Criterion, ...]
    sources: dict[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    period: tuple[int, int] | None = None
    # The last day the set can judge anything: the district set ends with the districts on
    # 30/6/2025. None: until a later set of the same level takes over.
    ends: dt.date | None = None
    spec_id: str = ""  # set when a provincial specification was applied

    @property
    def label(self) -> str:
        """How pages name the set: by its decision, the way officials cite it ("QĐ
        1980/QĐ-TTg"); the id (qd1980-2016) is for files and URLs. A decision that issues sets
        for several levels (51/2025: communes and provinces) says which one."""
        name = f"QĐ {self.decision}"
        if self.level in (Level.DISTRICT, Level.PROVINCE):
            return f"{name} ({LEVEL_NAMES[self.level]})"
        return name

    @property
    def primary_tier(self) -> str:
        return self.tiers[0].code

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for c in self.criteria for i in c.indicators)

    def indicator(self, code: str) -> Indicator | None:
        for ind in self.indicators:
            if ind.code == code:
                return ind
        return None

    def criterion(self, code: str) -> Criterion | None:
        for crit in self.criteria:
            if crit.code == code:
                return crit
        return None

    def unconfirmed_cells(self) -> list[tuple[str, str, str]]:
        """(tier, class, indicator code) for every threshold no source confirms."""
        return [
            (tier, cls, ind.code)
            for ind in self.indicators
            for tier in ind.tiers
            for cls in self.classes
            if ind.threshold(tier, cls) is None
        ]
