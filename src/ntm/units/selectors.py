"""Reads: finding units by name, code and date, walking the hierarchy and the history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext

from ntm.core.values import fold, vietnamese_sort_key
from ntm.units.models import Level, Unit, UnitEvent, UnitEventLink, UnitName, bare_name

_LEVEL_ORDER: dict[str, int] = {
    Level.PROVINCE: 0,
    Level.DISTRICT: 1,
    Level.COMMUNE: 2,
    Level.VILLAGE: 3,
}


def unit_sort_key(unit: Unit) -> tuple[object, ...]:
    """Vietnamese alphabetical order of the bare name ("Dào San" before "Đoàn Kết"), then level."""
    return (
        vietnamese_sort_key(bare_name(unit.name)),
        _LEVEL_ORDER.get(unit.level, 9),
        unit.valid_from or dt.date.min,
    )


def judged_on(year: int) -> dt.date:
    """The day a year is judged at: its last day, as for the criteria set in force.

    Every question "which units, which names, which set in year Y" is answered on this day, so
    2020 has Lai Châu's 94 communes (three ended on 31/12/2019) and 2025 has the structure of
    1/7/2025 (no district). See docs/periods.md.
    """
    return dt.date(year, 12, 31)


def unit_valid_in(*, unit: Unit, year: int) -> bool:
    """Whether the unit row is in force on the day its year is judged."""
    return unit.is_valid_on(judged_on(year))


def units_under(*, unit: Unit, on: dt.date, level: str | None = None) -> QuerySet[Unit]:
    """Units at any depth below ``unit`` that are in force on ``on`` (not the unit itself).

    The one answer to "the units under X on date D": province > district > commune > village
    is at most three steps down.
    """
    below = Q(parent=unit) | Q(parent__parent=unit) | Q(parent__parent__parent=unit)
    units = Unit.objects.filter(below).valid_on(on)
    return units.filter(level=level) if level else units


def years_in_force(*, unit: Unit, first: int, last: int) -> range:
    """The years from ``first`` to ``last`` whose last day the unit row is in force on."""
    if unit.valid_from is not None:
        first = max(first, unit.valid_from.year)
    if unit.valid_to is not None:
        ends_year = unit.valid_to == dt.date(unit.valid_to.year, 12, 31)
        last = min(last, unit.valid_to.year if ends_year else unit.valid_to.year - 1)
    return range(first, last + 1)


def units_at_or_under(*, unit: Unit, on: dt.date, levels: Iterable[str]) -> QuerySet[Unit]:
    """Units of the given levels in force on ``on``: ``unit`` itself and those below it."""
    below = Q(parent=unit) | Q(parent__parent=unit) | Q(parent__parent__parent=unit)
    return Unit.objects.filter(Q(pk=unit.pk) | below, level__in=list(levels)).valid_on(on)


def communes_in_year(*, unit: Unit, year: int) -> QuerySet[Unit]:
    """The programme's communes (xã) under ``unit``, or the unit itself, in force in ``year``."""
    on = judged_on(year)
    return units_at_or_under(unit=unit, on=on, levels=[Level.COMMUNE]).filter(ntm_eligible=True)


def unit_for_year(*, code: str, year: int, level: str | None = None) -> Unit | None:
    """The unit holding ``code`` in ``year`` (the highest level when ``level`` is not given)."""
    units = Unit.objects.filter(code=code).exclude(level=Level.VILLAGE).valid_on(judged_on(year))
    if level:
        units = units.filter(level=level)
    return min(units, key=lambda u: _LEVEL_ORDER[u.level], default=None)


def unit_in_year(*, unit: Unit, year: int) -> Unit | None:
    """The row of the same unit (level and code) in force in ``year``: Tỉnh Lai Châu of 2019
    for 2019, the province of 1/7/2025 for 2026; None when the unit did not exist then."""
    if unit_valid_in(unit=unit, year=year):
        return unit
    return unit_for_year(code=unit.code, year=year, level=unit.level)


def names_in_year(*, units: list[Unit], year: int) -> dict[int, str]:
    """Unit id -> the name the unit had in ``year`` (one query for all of them)."""
    on = judged_on(year)
    names = {u.pk: u.name for u in units}
    former = UnitName.objects.filter(unit_id__in=list(names), valid_to__gte=on).filter(
        Q(valid_from__isnull=True) | Q(valid_from__lte=on)
    )
    for unit_id, name in former.order_by("-valid_to").values_list("unit_id", "name"):
        names[unit_id] = name
    return names


def unit_name_in(*, unit: Unit, year: int) -> str:
    """The name of the unit in ``year``: "Thị xã Lai Châu" in 2012, "Thành phố Lai Châu" after."""
    return names_in_year(units=[unit], year=year)[unit.pk]


def with_year_names(units: list[Unit], year: int) -> list[Unit]:
    """The same unit objects with ``name`` set to their name in ``year``, for display only."""
    names = names_in_year(units=units, year=year)
    for unit in units:
        unit.name = names[unit.pk]
    return units


def structure_note(*, unit: Unit, year: int) -> str:
    """Why the units shown for ``year`` may not be that year's, or "" when they are.

    Units of the national registry before 2025 have no start date: the registry is a
    snapshot, so a commune listed for 2012 may have been formed later. We say so rather than
    project the snapshot silently.
    """
    if unit.valid_from is not None:
        return ""
    province = unit_province(unit=unit)
    recorded = province.recorded_from
    on = judged_on(year)
    if recorded is not None and on >= recorded:
        return ""
    if recorded is None:
        return gettext(
            "Danh mục đơn vị hành chính của %(province)s trước 1/7/2025 lấy từ danh mục hiện "
            "có, không có ngày thành lập từng đơn vị: danh sách năm %(year)s có thể khác thực tế."
        ) % {"province": province.name, "year": year}
    return gettext(
        "Lịch sử đơn vị hành chính của %(province)s chỉ được ghi nhận từ %(day)s: danh sách năm "
        "%(year)s là danh sách của ngày đó, có thể khác thực tế."
    ) % {"province": province.name, "day": recorded.strftime("%d/%m/%Y"), "year": year}


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
    """The NTM region (TDMNPB, DBSH ...) of a unit, for the sets that judge by region.

    A pre-2025 unit takes its province's. Provinces of the 2025 structure have no region (the
    2026-2030 set groups communes instead), but 2025 itself is judged in the new structure
    under QĐ 318/2022 (docs/periods.md): a new commune then takes the region its predecessors'
    provinces share. Predecessors in different regions (a commune formed across a 2025
    province merger of two regions) give None: the province records the region explicitly.
    """
    own = unit_province(unit=unit).region
    if own or unit.valid_from is None:
        return own or None
    events = UnitEventLink.objects.filter(unit=unit, role=UnitEventLink.Role.SUCCESSOR).values(
        "event_id"
    )
    predecessors = UnitEventLink.objects.filter(
        event_id__in=events, role=UnitEventLink.Role.PREDECESSOR
    ).select_related("unit__parent__parent")
    regions = {unit_province(unit=link.unit).region for link in predecessors}
    return regions.pop() if len(regions) == 1 and "" not in regions else None


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
