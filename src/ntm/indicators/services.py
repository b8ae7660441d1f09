"""Writes of indicator values; each refreshes the evaluation in the same transaction."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import numpy as np
from django.db import transaction

from ntm.audit.services import audit_record
from ntm.core.evaluate import NO_THRESHOLD, NO_VALUE, STATUS_NAMES, evaluate_batch
from ntm.core.model import CriteriaSet
from ntm.criteria.selectors import commune_class, criteria_set_for_province
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.units.selectors import unit_province


class IndicatorInputError(ValueError):
    """Bad input for a value write, with a Vietnamese message naming unit, year, indicator."""


def commune_criteria(
    *, unit: Any, year: int, cache: dict[tuple[int | None, int], CriteriaSet] | None = None
) -> tuple[CriteriaSet, str]:
    """The set (with the province's specifications) and the class that judge this commune."""
    province = unit_province(unit=unit)
    key = (province.id if province.level == "province" else None, year)
    cache = {} if cache is None else cache
    if key not in cache:
        cache[key] = criteria_set_for_province(province_id=key[0], year=year)
    cset = cache[key]
    region = province.region
    return cset, commune_class(unit=unit, cset=cset, province_region=region)


@transaction.atomic
def values_set(
    *,
    unit: Any,
    year: int,
    values: Mapping[str, float | None],
    author: Any = None,
    source: str = "",
    origin: str = "page",
    origin_detail: str = "",
) -> Evaluation:
    """Upsert (None deletes) the values of one commune-year, then refresh its evaluation.

    Every change is written to the audit trail (who, before, after, from where).
    """
    cset, _ = commune_criteria(unit=unit, year=year)
    for code, value in values.items():
        if cset.indicator(code) is None:
            raise IndicatorInputError(
                f"Xã {unit.name}, năm {year}: chỉ tiêu '{code}' không có trong bộ tiêu chí {cset.id}"
            )
        key = {"unit": unit, "year": year, "criteria_set": cset.id, "indicator": code}
        current = IndicatorValue.objects.select_for_update().filter(**key).first()
        before = current.value if current else None
        if before == value:
            continue
        if value is None:
            IndicatorValue.objects.filter(**key).delete()
        elif current is None:
            IndicatorValue.objects.create(**key, value=value, author=author, source=source)
        else:
            current.value, current.author, current.source = value, author, source
            current.version += 1
            current.save()
        audit_record(
            actor=author,
            action="value.set",
            object_type="indicator_value",
            object_id=f"{unit.id}:{year}:{cset.id}:{code}",
            unit=unit,
            year=year,
            before={"indicator": code, "value": before},
            after={"indicator": code, "value": value},
            origin=origin,
            origin_detail=origin_detail,
        )
    return evaluation_refresh(unit=unit, year=year)


def evaluation_refresh(*, unit: Any, year: int) -> Evaluation:
    return evaluations_refresh(units=[unit], years=[year])[0]


def evaluations_refresh(
    *,
    units: Iterable[Any],
    years: Iterable[int],
    progress: Callable[[int], None] | None = None,
) -> list[Evaluation]:
    """Evaluate many communes at once (columnar), grouped by the set that applies to them."""
    units = list(units)
    saved: list[Evaluation] = []
    cache: dict[tuple[int | None, int], CriteriaSet] = {}
    for year in years:
        groups: dict[str, tuple[CriteriaSet, list[tuple[Any, str]]]] = {}
        for unit in units:
            cset, cls = commune_criteria(unit=unit, year=year, cache=cache)
            key = f"{cset.id}|{cset.spec_id}"
            groups.setdefault(key, (cset, []))[1].append((unit, cls))
        for cset, members in groups.values():
            saved += _evaluate_group(cset, year, members)
        if progress:
            progress(1)
    return saved


def _evaluate_group(
    cset: CriteriaSet, year: int, members: list[tuple[Any, str]]
) -> list[Evaluation]:
    column = {ind.code: j for j, ind in enumerate(cset.indicators)}
    row_of = {unit.id: n for n, (unit, _) in enumerate(members)}
    matrix = np.full((len(members), len(column)), np.nan)
    stored = IndicatorValue.objects.filter(
        unit_id__in=list(row_of), year=year, criteria_set=cset.id
    ).values_list("unit_id", "indicator", "value")
    for unit_id, code, value in stored:
        if code in column:
            matrix[row_of[unit_id], column[code]] = value
    classes = [cls for _, cls in members]
    by_tier = {t.code: evaluate_batch(cset, classes, matrix, t.code) for t in cset.tiers}
    main = by_tier[cset.primary_tier]
    missing = ((main.criterion_status == NO_VALUE) | (main.criterion_status == NO_THRESHOLD)).sum(
        axis=1
    )
    rows = []
    for n, (unit, cls) in enumerate(members):
        rows.append(
            Evaluation(
                unit=unit,
                year=year,
                criteria_set=cset.id,
                spec_ids=cset.spec_id,
                class_code=cls,
                criteria_met=int(main.criteria_met[n]),
                criteria_total=len(cset.criteria),
                criteria_missing=int(missing[n]),
                meets_standard=bool(main.meets_standard[n]),
                tiers={t: bool(r.meets_standard[n]) for t, r in by_tier.items()},
                criteria={
                    c.code: STATUS_NAMES[int(main.criterion_status[n, k])]
                    for k, c in enumerate(cset.criteria)
                },
            )
        )
    return _replace(rows, year)


def _replace(rows: list[Evaluation], year: int) -> list[Evaluation]:
    by_unit: dict[int, list[Evaluation]] = defaultdict(list)
    for row in rows:
        by_unit[row.unit.id].append(row)
    with transaction.atomic():
        Evaluation.objects.filter(unit_id__in=list(by_unit), year=year).delete()
        return Evaluation.objects.bulk_create(rows, batch_size=500)
