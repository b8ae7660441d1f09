"""Reads: finding units by name, code and date, walking the hierarchy and the history."""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch

from ntm.core.values import fold, vietnamese_sort_key
from ntm.units.models import Level, Unit, UnitEvent, UnitEventLink, bare_name

_LEVEL_ORDER = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2, Level.VILLAGE: 3}


def unit_sort_key(unit: Unit) -> tuple[object, ...]:
    """Vietnamese alphabetical order of the bare name ("Dào San" before "Đoàn Kết"), then level."""
    return (
        vietnamese_sort_key(bare_name(unit.name)),
        _LEVEL_ORDER.get(unit.level, 9),
        unit.valid_from or dt.date.min,
    )


def unit_search(
    *, query: str, level: str | None = None, at: dt.date | None = None, limit: int = 50
) -> list[Unit]:
    """Units whose name holds the query, ignoring accents and case, in Vietnamese order.

    A query of digits also matches the official code. Without `at`, every period is searched.
    """
    needle = " ".join(fold(query).split())
    if not needle:
        return []
    units = Unit.objects.select_related("parent")
    if needle.isdigit():
        units = units.filter(code__startswith=needle)
    else:
        units = units.filter(name_folded__contains=needle)
    if level:
        units = units.filter(level=level)
    if at:
        units = units.valid_on(at)
    return sorted(units, key=unit_sort_key)[:limit]


def unit_at(*, code: str, level: str, on: dt.date) -> Unit | None:
    """The unit holding that code on that day (codes are reused, so the day matters)."""
    return Unit.objects.filter(code=code, level=level).valid_on(on).first()


def unit_province(*, unit: Unit) -> Unit:
    """The province a unit belongs to (itself for a province)."""
    while unit.level != Level.PROVINCE and unit.parent is not None:
        unit = unit.parent
    return unit


def unit_region(*, unit: Unit) -> str | None:
    """The NTM region (TDMNPB, DBSH ...) of a pre-2025 unit, from its province; None if none.

    Provinces of the 2025 structure have no region: the 2026-2030 set groups communes instead.
    """
    return unit_province(unit=unit).region or None


def unit_children(*, unit: Unit, on: dt.date | None = None) -> list[Unit]:
    """The units directly under a unit (on that day, if given), in Vietnamese order."""
    children = Unit.objects.filter(parent=unit)
    if on:
        children = children.valid_on(on)
    return sorted(children, key=unit_sort_key)


def _linked(*, units: set[int], from_role: str, to_role: str) -> dict[int, Unit]:
    """Units on the other side (to_role) of the events where `units` play from_role."""
    events = UnitEventLink.objects.filter(unit_id__in=units, role=from_role).values("event_id")
    links = UnitEventLink.objects.filter(event_id__in=events, role=to_role).select_related("unit")
    return {link.unit_id: link.unit for link in links}


def unit_predecessors(*, unit: Unit) -> list[Unit]:
    """Every unit that went into this one, back through all recorded events.

    Nearest first: Phường Đoàn Kết (2025) gives the five units merged in 2025, then the two
    communes merged into Xã Sùng Phài in 2020.
    """
    found: dict[int, Unit] = {}
    frontier = {unit.pk}
    while frontier:
        step = _linked(
            units=frontier,
            from_role=UnitEventLink.Role.SUCCESSOR,
            to_role=UnitEventLink.Role.PREDECESSOR,
        )
        fresh = {pk: u for pk, u in step.items() if pk not in found and pk != unit.pk}
        found.update(sorted(fresh.items(), key=lambda item: unit_sort_key(item[1])))
        frontier = set(fresh)
    return list(found.values())


def unit_successors_current(*, unit: Unit, on: dt.date | None = None) -> list[Unit]:
    """The units in force today (or on `on`) that this unit became, following events forward.

    Empty when the trail ends in an abolition with no known successor: we never guess one.
    """
    day = on or dt.date.today()
    if unit.is_valid_on(day):
        return [unit]
    current: dict[int, Unit] = {}
    seen = {unit.pk}
    frontier = {unit.pk}
    while frontier:
        step = _linked(
            units=frontier,
            from_role=UnitEventLink.Role.PREDECESSOR,
            to_role=UnitEventLink.Role.SUCCESSOR,
        )
        frontier = set()
        for pk, successor in step.items():
            if pk in seen:
                continue
            seen.add(pk)
            if successor.is_valid_on(day):
                current[pk] = successor
            else:
                frontier.add(pk)
    return sorted(current.values(), key=unit_sort_key)


def unit_events(*, unit: Unit) -> list[UnitEvent]:
    """The events that ended or started this unit, oldest first, with their units loaded."""
    links = UnitEventLink.objects.select_related("unit__parent").order_by("role", "unit__code")
    return list(
        UnitEvent.objects.filter(links__unit=unit)
        .distinct()
        .prefetch_related(Prefetch("links", queryset=links))
        .order_by("effective", "pk")
    )


def units_with_code(*, code: str, level: str | None = None) -> list[Unit]:
    """Every unit that has held this code, in any period, oldest first."""
    units = Unit.objects.filter(code=code).select_related("parent__parent")
    if level:
        units = units.filter(level=level)
    return sorted(units, key=lambda u: (u.valid_from or dt.date.min, _LEVEL_ORDER[u.level]))
