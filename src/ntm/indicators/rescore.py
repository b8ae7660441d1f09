"""Reads: a merged commune scored from its predecessors' data (``ntm rescore``, commune page).

The predecessors are the units that went into the commune (``UnitEvent`` links, followed back
through every merger) and were in force on 31/12 of the data year: for Phường Đoàn Kết
(2025) and 2019, the two communes merged into Xã Sùng Phài in 2020, not the 2020 Sùng Phài.
Their values under the set in force that year (with the province's specification) are
combined by each indicator's ``combine`` rule and judged by the engine, in ``ntm.core.rescore``.

Weights: ntm keeps no population, household or road-length table, so only the number of
villages (thôn, bản) recorded under a predecessor is known here; ``weights`` lets a caller
(a later data source) give the others. A missing weight is never guessed: the engine falls
back to the plain mean and the result says so.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.db.models import Count
from django.utils.translation import gettext

from ntm.core.evaluate import evaluate_unit
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.rescore import (
    DECIDED_WITHOUT,
    MISSING,
    NO_RULE,
    NO_WEIGHT,
    OUTSIDE,
    PARTIAL,
    SUM_WITHOUT,
    Caveat,
    Predecessor,
    Rescore,
    rescore,
)
from ntm.criteria.selectors import NoClassError, commune_class, criteria_set_for_province
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.units.models import Level, Unit, UnitEventLink
from ntm.units.selectors import judged_on, unit_predecessors, unit_province, unit_region

Weights = Mapping[str, float | None]


class RescoreError(ValueError):
    """Nothing to re-score (unknown year, no predecessors with data, classes that differ)."""


@dataclass(frozen=True)
class PredecessorScore:
    """One predecessor as it stood: its own verdict (stored, or computed if none is)."""

    unit: Unit
    partial: bool
    has_data: bool
    criteria_met: int | None
    meets_standard: bool | None


@dataclass(frozen=True)
class CommuneRescore:
    unit: Unit
    year: int
    cset: CriteriaSet
    class_code: str
    predecessors: list[PredecessorScore]
    scored: Rescore

    @property
    def caveats(self) -> list[str]:
        """Every distinct caveat, worded, in the order first met (for a page summary)."""
        texts = (caveat_text(c) for ind in self.scored.indicators.values() for c in ind.caveats)
        return list(dict.fromkeys(texts))

    def as_dict(self) -> dict[str, Any]:
        """The JSON of ``ntm rescore``."""
        result = self.scored.result
        return {
            "unit_code": self.unit.code,
            "year": self.year,
            "criteria_set": self.cset.id,
            "predecessors": [
                {
                    "unit_code": p.unit.code,
                    "name": p.unit.name,
                    "criteria_met": p.criteria_met,
                    "meets_standard": p.meets_standard,
                }
                for p in self.predecessors
            ],
            "combined": {
                "criteria_met": result.criteria_met,
                "meets_standard": result.meets_standard,
                "indicators": {
                    code: {
                        "value": c.value,
                        "combine": c.combine,
                        "status": result.indicators[code].status,
                        "caveats": [caveat_text(k) for k in c.caveats],
                    }
                    for code, c in self.scored.indicators.items()
                },
            },
        }


def commune_rescore(
    *,
    unit: Unit,
    year: int,
    set_id: str = "",
    weights: Mapping[int, Weights] | None = None,
) -> CommuneRescore:
    """Score ``unit`` from its predecessors' values of ``year`` (RescoreError if it cannot).

    ``set_id`` replaces the set in force in the year; ``weights`` maps a predecessor's id to
    its population, households, length, area (villages are counted here).
    """
    return _rescore(
        unit=unit, chain=unit_predecessors(unit=unit), year=year, set_id=set_id, weights=weights
    )


def _rescore(
    *,
    unit: Unit,
    chain: list[Unit],
    year: int,
    set_id: str = "",
    weights: Mapping[int, Weights] | None = None,
) -> CommuneRescore:
    if year > dt.date.today().year:
        raise RescoreError(
            gettext("Năm %(year)s chưa đến: chưa có số liệu để tính lại.") % {"year": year}
        )
    preds = _predecessors_in(unit=unit, chain=chain, year=year)
    cset = _one_set(unit=unit, preds=preds, year=year, set_id=set_id)
    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    rows = IndicatorValue.objects.filter(unit__in=preds, year=year, criteria_set=cset.id)
    for unit_id, code, value in rows.values_list("unit_id", "indicator", "value"):
        values[unit_id][code] = value
    if not values:
        raise RescoreError(
            gettext(
                "Không có số liệu năm %(year)s theo bộ tiêu chí %(set)s của đơn vị nào trước "
                "sáp nhập của %(unit)s (%(names)s)."
            )
            % {
                "year": year,
                "set": cset.id,
                "unit": unit.name,
                "names": ", ".join(p.name for p in preds),
            }
        )
    class_code = _one_class(unit=unit, preds=[p for p in preds if p.pk in values], cset=cset)
    partial = _partial_ids(unit=unit, chain=chain, preds=preds)
    given = weights or {}
    villages = _village_counts(preds=preds, year=year)
    inputs = [
        Predecessor(
            name=p.name,
            values=values.get(p.pk, {}),
            weights={"villages": villages.get(p.pk), **given.get(p.pk, {})},
            partial=p.pk in partial,
            outside=not p.ntm_eligible and p.pk not in values,
        )
        for p in preds
    ]
    scores = _own_scores(
        preds=preds, inputs=inputs, partial=partial, year=year, cset=cset, cls=class_code
    )
    return CommuneRescore(
        unit=unit,
        year=year,
        cset=cset,
        class_code=class_code,
        predecessors=scores,
        scored=rescore(cset, class_code, inputs),
    )


@dataclass(frozen=True)
class BeforeMerger:
    """The "Trước sáp nhập" section of a commune page: a year's re-scoring, or why not."""

    years: list[int]
    year: int | None
    rescored: CommuneRescore | None
    error: str


def commune_before_merger(*, unit: Unit, year: int | None = None) -> BeforeMerger | None:
    """None for a commune with no predecessors; else the re-scoring of ``year`` (default:
    the latest year before the commune's start with predecessor data)."""
    chain = unit_predecessors(unit=unit)
    if not chain:
        return None
    start = unit.valid_from.year if unit.valid_from else dt.date.today().year + 1
    found = IndicatorValue.objects.filter(unit__in=chain, year__lt=start)
    years = sorted(set(found.values_list("year", flat=True).distinct()))
    chosen = year if year is not None else (years[-1] if years else None)
    if chosen is None:
        return BeforeMerger(years, None, None, gettext("Chưa có số liệu của các đơn vị trước."))
    try:
        return BeforeMerger(years, chosen, _rescore(unit=unit, chain=chain, year=chosen), "")
    except RescoreError as exc:
        return BeforeMerger(years, chosen, None, str(exc))


def caveat_text(caveat: Caveat) -> str:
    """A caveat as a sentence in the active language (Vietnamese by default)."""
    names = ", ".join(caveat.units)
    if caveat.kind == OUTSIDE:
        return gettext(
            "%(names)s không thuộc chương trình NTM, không có số liệu: không tính phần địa bàn này"
        ) % {"names": names}
    if caveat.kind == MISSING:
        return gettext("Thiếu giá trị của %(names)s: không gộp được") % {"names": names}
    if caveat.kind == SUM_WITHOUT:
        return gettext("Thiếu giá trị của %(names)s: tổng chỉ gồm các đơn vị còn lại") % {
            "names": names
        }
    if caveat.kind == DECIDED_WITHOUT:
        return gettext(
            "Thiếu giá trị của %(names)s, nhưng các đơn vị còn lại đã quyết định kết quả"
        ) % {"names": names}
    if caveat.kind == NO_WEIGHT:
        return gettext(
            "Thiếu %(weight)s của %(names)s: lấy trung bình cộng, không theo %(weight)s"
        ) % {"weight": _weight_name(caveat.weight), "names": names}
    if caveat.kind == PARTIAL:
        return gettext(
            "Chỉ một phần địa bàn của %(names)s nhập vào: số liệu của cả đơn vị cũ được dùng"
        ) % {"names": names}
    if caveat.kind == NO_RULE:
        return gettext("Chỉ tiêu chưa có cách gộp trong bộ tiêu chí: không gộp được")
    return caveat.kind


def _weight_name(weight: str) -> str:
    return {
        "population": gettext("dân số"),
        "households": gettext("số hộ"),
        "length": gettext("chiều dài đường"),
        "area": gettext("diện tích đất sản xuất nông nghiệp"),
        "villages": gettext("số thôn, bản"),
    }.get(weight, weight)


def _predecessors_in(*, unit: Unit, chain: list[Unit], year: int) -> list[Unit]:
    if not chain:
        raise RescoreError(
            gettext("%(unit)s (%(code)s) không được hình thành từ sáp nhập, chia tách hay đổi tên")
            % {"unit": unit.name, "code": unit.code}
        )
    on = judged_on(year)
    ids = [p.pk for p in chain if p.level == Level.COMMUNE and p.is_valid_on(on)]
    # Nearest first, as unit_predecessors gives them; parents loaded for unit_province.
    loaded = Unit.objects.select_related("parent__parent").in_bulk(ids)
    preds = [loaded[pk] for pk in ids]
    if not preds:
        raise RescoreError(
            gettext(
                "Không có đơn vị nào trước sáp nhập của %(unit)s còn hiệu lực ngày 31/12/%(year)s"
            )
            % {"unit": unit.name, "year": year}
        )
    return preds


def _one_set(*, unit: Unit, preds: list[Unit], year: int, set_id: str) -> CriteriaSet:
    """The set (with the province's specifications) that judged the predecessors that year."""
    found: dict[tuple[str, str], CriteriaSet] = {}
    for province in {unit_province(unit=p) for p in preds}:
        province_id = province.pk if province.level == Level.PROVINCE else None
        try:
            cset = criteria_set_for_province(province_id=province_id, year=year, set_id=set_id)
        except UnknownCriteriaSetError as exc:
            raise RescoreError(str(exc)) from None
        found[cset.id, cset.spec_id] = cset
    if len(found) > 1:
        raise RescoreError(
            gettext(
                "Các đơn vị trước sáp nhập của %(unit)s được đánh giá năm %(year)s theo những "
                "bộ tiêu chí hoặc quy định khác nhau (%(sets)s): chưa tính lại được"
            )
            % {"unit": unit.name, "year": year, "sets": ", ".join(sorted(i for i, _ in found))}
        )
    return next(iter(found.values()))


def _region_name(unit: Unit) -> str:
    return unit_region(unit=unit) or ""


def _one_class(*, unit: Unit, preds: list[Unit], cset: CriteriaSet) -> str:
    """The predecessors' common region or group under the set (as ``commune_criteria`` finds it)."""
    classes = {}
    for p in preds:
        try:
            classes[p.name] = commune_class(unit=p, cset=cset, region=partial(_region_name, p))
        except NoClassError as exc:
            raise RescoreError(str(exc)) from None
    if len(set(classes.values())) > 1:
        listed = ", ".join(f"{name}: {cls}" for name, cls in classes.items())
        raise RescoreError(
            gettext(
                "Các đơn vị trước sáp nhập của %(unit)s thuộc các vùng/nhóm khác nhau theo bộ "
                "tiêu chí %(set)s (%(classes)s): chưa tính lại được"
            )
            % {"unit": unit.name, "set": cset.id, "classes": listed}
        )
    return next(iter(classes.values()))


def _partial_ids(*, unit: Unit, chain: list[Unit], preds: list[Unit]) -> set[int]:
    """Predecessors that gave only part of their territory on some step of the way to ``unit``."""
    ids = {p.pk for p in chain} | {unit.pk}
    events = UnitEventLink.objects.filter(unit_id__in=ids).values("event_id")
    links = UnitEventLink.objects.filter(event_id__in=events, unit_id__in=ids)
    givers: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # event -> (unit, partial)
    takers: dict[int, list[int]] = defaultdict(list)  # event -> successors
    for event_id, unit_id, role, part in links.values_list(
        "event_id", "unit_id", "role", "partial"
    ):
        if role == UnitEventLink.Role.PREDECESSOR:
            givers[event_id].append((unit_id, part))
        else:
            takers[event_id].append(unit_id)
    steps: dict[int, list[tuple[int, bool]]] = defaultdict(list)  # unit -> (successor, partial)
    for event_id, gave in givers.items():
        for unit_id, part in gave:
            steps[unit_id] += [(succ, part) for succ in takers[event_id]]
    memo: dict[int, bool] = {unit.pk: False}

    def partial(pk: int) -> bool:
        if pk not in memo:
            memo[pk] = False  # guards a cycle in bad data
            memo[pk] = any(part or partial(succ) for succ, part in steps[pk])
        return memo[pk]

    return {p.pk for p in preds if partial(p.pk)}


def _village_counts(*, preds: list[Unit], year: int) -> dict[int, float]:
    """Villages (thôn, bản) recorded under each predecessor on 31/12 of the year."""
    rows = (
        Unit.objects.filter(parent__in=preds, level=Level.VILLAGE)
        .valid_on(judged_on(year))
        .values("parent_id")
        .annotate(n=Count("id"))
    )
    return {row["parent_id"]: float(row["n"]) for row in rows}


def _own_scores(
    *,
    preds: list[Unit],
    inputs: list[Predecessor],
    partial: set[int],
    year: int,
    cset: CriteriaSet,
    cls: str,
) -> list[PredecessorScore]:
    stored = {e.unit_id: e for e in Evaluation.objects.filter(unit__in=preds, year=year)}
    out = []
    for p, given in zip(preds, inputs, strict=True):
        row = stored.get(p.pk)
        current = row is not None and (row.criteria_set, row.spec_ids) == (cset.id, cset.spec_id)
        if row is not None and current:
            met, meets = row.criteria_met, row.meets_standard
        elif given.has_data:
            result = evaluate_unit(cset, cls, given.values)
            met, meets = result.criteria_met, result.meets_standard
        else:
            met, meets = None, None
        out.append(PredecessorScore(p, p.pk in partial, given.has_data, met, meets))
    return out
