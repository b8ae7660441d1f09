"""Provincial specifications: a province's own thresholds on top of a national set.

A province issues a decision (e.g. Lai Châu's QĐ 1285/QĐ-UBND for 2022-2025) that fixes
levels the national text leaves to it, or that are stricter. Applying a specification
yields a new set; every replaced cell records the specification and its legal source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from ntm.core.loader import threshold_value
from ntm.core.model import CriteriaSet, Indicator, Threshold


@dataclass(frozen=True)
class SpecCell:
    indicator: str
    class_code: str
    value: object  # number, or "đạt"/"không" for yes/no indicators
    tier: str = ""


@dataclass(frozen=True)
class ProvincialSpec:
    id: str
    province_code: str
    criteria_set: str
    legal_source: str
    cells: tuple[SpecCell, ...]
    first_year: int | None = None
    last_year: int | None = None
    illustrative: bool = False  # values no official text backs (the demo's)

    def covers(self, year: int) -> bool:
        starts = self.first_year is None or self.first_year <= year
        ends = self.last_year is None or year <= self.last_year
        return starts and ends


class SpecError(ValueError):
    pass


def checked_cells(
    cset: CriteriaSet, spec: ProvincialSpec
) -> list[tuple[Indicator, SpecCell, float]]:
    """Every cell checked against the set: the indicator and class exist, the value fits."""
    out = []
    for cell in spec.cells:
        ind = cset.indicator(cell.indicator)
        if ind is None:
            raise SpecError(
                f"Quy định {spec.id}: chỉ tiêu '{cell.indicator}' không có trong {cset.id}"
            )
        if cell.class_code not in cset.classes:
            raise SpecError(
                f"Quy định {spec.id}, chỉ tiêu {ind.code}: vùng/nhóm '{cell.class_code}' "
                f"không có trong {cset.id}"
            )
        try:
            value = threshold_value(None, ind.op, cell.value)
        except ValueError as exc:
            raise SpecError(f"Quy định {spec.id}, chỉ tiêu {ind.code}: {exc}") from None
        out.append((ind, cell, value))
    return out


def apply_spec(cset: CriteriaSet, spec: ProvincialSpec) -> CriteriaSet:
    if spec.criteria_set != cset.id:
        raise SpecError(
            f"Quy định {spec.id} thuộc bộ tiêu chí {spec.criteria_set}, không phải {cset.id}"
        )
    by_code: dict[str, list[tuple[SpecCell, float]]] = {}
    for ind, cell, value in checked_cells(cset, spec):
        by_code.setdefault(ind.code, []).append((cell, value))
    criteria = tuple(
        replace(
            c,
            indicators=tuple(_apply(i, by_code.get(i.code, []), spec, cset) for i in c.indicators),
        )
        for c in cset.criteria
    )
    return replace(cset, criteria=criteria, spec_id=spec.id)


def _apply(
    ind: Indicator, cells: list[tuple[SpecCell, float]], spec: ProvincialSpec, cset: CriteriaSet
) -> Indicator:
    if not cells:
        return ind
    thresholds = {tier: dict(cls) for tier, cls in ind.thresholds.items()}
    for cell, value in cells:
        tier = cell.tier or cset.primary_tier
        thresholds.setdefault(tier, {})[cell.class_code] = Threshold(
            value=value, source=spec.legal_source, origin=spec.id, illustrative=spec.illustrative
        )
    return replace(ind, thresholds=thresholds)


def load_spec_mapping(data: Any, *, file: str) -> ProvincialSpec:
    """A specification file: id, province_code, criteria_set, legal_source, thresholds."""
    if not isinstance(data, dict):
        raise SpecError(f"Tệp {file}: nội dung phải là một bảng")
    for key in ("id", "province_code", "criteria_set", "legal_source", "thresholds"):
        if not data.get(key):
            raise SpecError(f"Tệp {file}, trường '{key}': thiếu trường bắt buộc")
    cells: list[SpecCell] = []
    for code, by_class in data["thresholds"].items():
        if not isinstance(by_class, dict):
            raise SpecError(f"Tệp {file}, chỉ tiêu {code}: ngưỡng phải là bảng theo vùng/nhóm")
        for cls, value in by_class.items():
            cells.append(SpecCell(indicator=str(code), class_code=str(cls), value=value))
    return ProvincialSpec(
        id=str(data["id"]),
        province_code=str(data["province_code"]),
        criteria_set=str(data["criteria_set"]),
        legal_source=str(data["legal_source"]),
        cells=tuple(cells),
        first_year=data.get("first_year"),
        last_year=data.get("last_year"),
        illustrative=bool(data.get("illustrative", False)),
    )


def load_spec_file(path: Path) -> ProvincialSpec:
    return load_spec_mapping(yaml.safe_load(path.read_text(encoding="utf-8")), file=path.name)
