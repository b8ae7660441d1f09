"""Stored verdicts are a cache of the engine: re-evaluate what a change touches, and prove it.

Every write that can change a verdict calls ``reevaluate`` for what it touches, in its own
transaction: values (services.values_set, the import), provincial specifications, imported
criteria sets, commune classes. ``verify`` recomputes from the stored values and rules and
lists every stored verdict that differs (``ntm verify``; the test suite runs it after each kind
of change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Q

from ntm.core.model import Level as SetLevel
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import set_in_force
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import (
    CHUNK,
    VERDICT_FIELDS,
    CriteriaCache,
    evaluations_compute,
    evaluations_refresh,
)
from ntm.units.models import Level, Unit

Progress = Callable[[int, int], None]
"""Called as progress(done, total) with counts of commune-years."""


@dataclass(frozen=True)
class Mismatch:
    """One commune-year whose stored verdict is not what the engine gives now."""

    unit_id: int
    unit_code: str
    unit_name: str
    year: int
    field: str  # one of VERDICT_FIELDS, or "row" when a verdict is missing or should not exist
    stored: Any
    computed: Any

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
            "year": self.year,
            "field": self.field,
            "stored": self.stored,
            "computed": self.computed,
        }


def commune_years(
    *, unit_ids: Iterable[int] | None = None, years: Iterable[int] | None = None
) -> dict[int, set[int]]:
    """Year -> commune ids that have values or a stored verdict (what may need a verdict)."""
    wanted = None if unit_ids is None else list(unit_ids)
    found: dict[int, set[int]] = defaultdict(set)
    for model in (IndicatorValue, Evaluation):
        query = model.objects.filter(unit__level__in=[Level.COMMUNE, Level.VILLAGE])
        if years is not None:
            query = query.filter(year__in=list(years))
        chunks = [None] if wanted is None else _chunks(wanted)
        for chunk in chunks:
            rows = query if chunk is None else query.filter(unit_id__in=chunk)
            for unit_id, year in rows.values_list("unit_id", "year").distinct():
                found[year].add(unit_id)
    return found


def years_judged_by(*, set_id: str, unit_ids: Iterable[int] | None = None) -> list[int]:
    """The years with data (for the communes, or all) that the set judges now or judged when
    their verdicts were stored: a change to the set (or to a class under it) touches those."""
    targets = commune_years(unit_ids=unit_ids)
    stored = Evaluation.objects.filter(criteria_set=set_id)
    if unit_ids is not None:
        stored = stored.filter(unit_id__in=list(unit_ids))
    years = set(stored.values_list("year", flat=True).distinct())
    for year in targets:
        try:
            if set_in_force(year=year, level=SetLevel.COMMUNE).id == set_id:
                years.add(year)
        except UnknownCriteriaSetError:
            continue
    return sorted(years)


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]


def _lock_units(ids: set[int]) -> None:
    """Take the row locks values_set and the import take (the commune-year mutex), all of
    them first and in id order: a value saved meanwhile either committed before these reads
    or waits for this transaction, and two lockers in the same order cannot deadlock."""
    for chunk in _chunks(sorted(ids)):
        list(Unit.objects.select_for_update().filter(pk__in=chunk).values_list("pk", flat=True))


def _units(ids: set[int]) -> list[Unit]:
    units: list[Unit] = []
    for chunk in _chunks(sorted(ids)):
        units += Unit.objects.filter(pk__in=chunk).select_related("parent__parent")
    return units


@transaction.atomic
def reevaluate(
    *,
    units: Iterable[Unit] | None = None,
    unit_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """Refresh the stored verdict of every commune-year in scope; returns how many were judged.

    Scope: the given communes (``units`` or ``unit_ids``; all when neither) in the given years
    (all when None), among the commune-years that have values or a stored verdict.
    """
    if units is not None:
        unit_ids = [u.pk for u in units]
    targets = commune_years(unit_ids=unit_ids, years=years)
    _lock_units(set().union(*targets.values()) if targets else set())
    total = sum(len(ids) for ids in targets.values())
    done = judged = 0
    for year in sorted(targets):
        units = _units(targets[year])
        judged += len(evaluations_refresh(units=units, years=[year]))
        done += len(units)
        if progress:
            progress(done, total)
    return judged


def verify(
    *,
    unit_ids: Iterable[int] | None = None,
    years: Iterable[int] | None = None,
    progress: Progress | None = None,
) -> list[Mismatch]:
    """Every stored verdict in scope that differs from what the engine gives now."""
    targets = commune_years(unit_ids=unit_ids, years=years)
    total = sum(len(ids) for ids in targets.values())
    cache: CriteriaCache = {}
    mismatches: list[Mismatch] = []
    done = 0
    for year in sorted(targets):
        units = _units(targets[year])
        computed = {e.unit.pk: e for e in evaluations_compute(units=units, year=year, cache=cache)}
        stored: dict[int, Evaluation] = {}
        for chunk in _chunks(sorted(targets[year])):
            stored.update(
                (e.unit_id, e) for e in Evaluation.objects.filter(unit_id__in=chunk, year=year)
            )
        for unit in sorted(units, key=lambda u: (u.code, u.pk)):
            mismatches += _compare(unit, year, stored.get(unit.pk), computed.get(unit.pk))
        done += len(units)
        if progress:
            progress(done, total)
    return mismatches


def _compare(
    unit: Unit, year: int, stored: Evaluation | None, computed: Evaluation | None
) -> list[Mismatch]:
    def mismatch(field: str, a: Any, b: Any) -> Mismatch:
        return Mismatch(unit.pk, unit.code, unit.name, year, field, a, b)

    if stored is None and computed is None:
        return []
    if stored is None or computed is None:
        shown = {
            "stored": _summary(stored),
            "computed": _summary(computed),
        }
        return [mismatch("row", shown["stored"], shown["computed"])]
    return [
        mismatch(field, getattr(stored, field), getattr(computed, field))
        for field in VERDICT_FIELDS
        if getattr(stored, field) != getattr(computed, field)
    ]


def _summary(row: Evaluation | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"criteria_set": row.criteria_set, "criteria_met": row.criteria_met}


def commune_ids_under(*, unit_ids: Iterable[int]) -> list[int]:
    """Communes (and villages) of any period below or equal to the given units."""
    ids = list(unit_ids)
    scope = Q(pk__in=ids) | Q(parent__in=ids) | Q(parent__parent__in=ids)
    scope |= Q(parent__parent__parent__in=ids)
    communes = Unit.objects.filter(scope, level__in=[Level.COMMUNE, Level.VILLAGE])
    return list(communes.values_list("pk", flat=True))


def province_commune_ids(*, province_code: str) -> list[int]:
    """Communes of every period of the province holding ``province_code`` (both structures)."""
    rows = Unit.objects.filter(level=Level.PROVINCE, code=province_code).values_list(
        "pk", flat=True
    )
    return commune_ids_under(unit_ids=rows)
