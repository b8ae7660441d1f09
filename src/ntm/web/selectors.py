"""Reads for the pages: a unit's table, where a user lands, and unit search, all within scope."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Max

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.summary import Summary
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import unit_summary, years_with_data
from ntm.units.models import Level, Unit
from ntm.units.selectors import (
    judged_on,
    unit_in_year,
    unit_province,
    unit_search,
    unit_sort_key,
    units_under,
    with_year_names,
)

SEARCH_LIMIT = 50


@dataclass(frozen=True)
class ChildRow:
    unit: Any
    summary: Summary | None
    evaluation: Evaluation | None


def child_rows(*, unit: Unit, year: int, user: Any) -> list[ChildRow]:
    """The rows under a unit that the user may see, among the units in force in ``year`` and
    under their names of that year: communes with results, sums for the rest."""
    children = list(
        units_under(unit=unit, on=judged_on(year))
        .filter(parent=unit)
        .filter(access.scope_filter(user))
        .exclude(level=Level.VILLAGE)
    )
    with_year_names(children, year)
    rows: list[ChildRow] = []
    communes = [c for c in children if c.level == Level.COMMUNE]
    evaluations = {e.unit_id: e for e in Evaluation.objects.filter(unit__in=communes, year=year)}
    for child in children:
        if child.level == Level.COMMUNE:
            if child.ntm_eligible and child.id in evaluations:
                rows.append(ChildRow(child, None, evaluations[child.id]))
        else:
            _, summary = unit_summary(unit=child, year=year)
            if summary.communes:
                rows.append(ChildRow(child, summary, None))
    return sorted(rows, key=lambda r: unit_sort_key(r.unit))


@dataclass(frozen=True)
class Landing:
    """Where a user's home page sends them: a unit page (or a commune page) and a year."""

    unit: Unit
    year: int

    @property
    def route(self) -> str:
        return "commune" if self.unit.level == Level.COMMUNE else "unit"


def home_landing(*, user: Any) -> Landing | None:
    """The user's own unit in the latest year with data; the administrator's busiest province.

    None when the user has no role or there is no data in their unit yet.
    """
    m = access.membership(user)
    if m is None:
        return None
    if m.role == Role.ADMIN:
        return _latest_province()
    unit = m.unit
    if unit is None:
        return None
    if unit.level == Level.VILLAGE and unit.parent is not None:
        unit = unit.parent
    # The latest year with data in any period of the unit's code, on the row of that year the
    # user may open: the office reaches its province of 2026; a merged commune's board stays
    # on its own commune (the new one holding its code is not in its scope).
    for year in reversed(years_with_data(unit=unit)):
        row = unit_in_year(unit=unit, year=year)
        if row is not None and access.can_view_unit(user, row):
            return Landing(row, year)
    return None


def _latest_province() -> Landing | None:
    latest = Evaluation.objects.order_by("-year", "unit_id").select_related("unit").first()
    if latest is None:
        return None
    return Landing(unit_province(unit=latest.unit), latest.year)


def latest_years(*, units: list[Unit]) -> dict[int, int]:
    """Unit id -> the latest year with an evaluation for it or the communes under it.

    Three grouped queries, whatever the number of units: the unit itself, its children, its
    grandchildren (province > district > commune before 2025, province > commune after).
    """
    ids = [u.pk for u in units]
    found: dict[int, int] = {}
    for path in ("unit", "unit__parent", "unit__parent__parent"):
        rows = (
            Evaluation.objects.filter(**{f"{path}__in": ids})
            .values(path)
            .annotate(latest=Max("year"))
            .values_list(path, "latest")
        )
        for unit_id, year in rows:
            found[unit_id] = max(year, found.get(unit_id, year))
    return found


@dataclass(frozen=True)
class SearchHit:
    unit: Unit
    target: Unit  # the unit whose page we link: a village's commune, otherwise the unit
    year: int | None  # latest year with data; None: no page to show yet

    @property
    def route(self) -> str:
        return "commune" if self.target.level == Level.COMMUNE else "unit"


def units_found(*, user: Any, query: str, limit: int = SEARCH_LIMIT) -> tuple[list[SearchHit], int]:
    """Units matching the query (accents and case ignored) that the user may see.

    Returns the first `limit` hits in Vietnamese order and how many there are in all.
    """
    matches = unit_search(query=query, limit=10**6)
    if access.role_of(user) != Role.ADMIN:
        # One query, no parameters: a province's subtree is a few thousand ids at most.
        visible = set(access.visible_units(user).values_list("pk", flat=True))
        matches = [u for u in matches if u.pk in visible]
    shown = matches[:limit]
    targets = {u.pk: (u.parent if u.level == Level.VILLAGE and u.parent else u) for u in shown}
    years = latest_years(units=list(targets.values()))
    hits = [SearchHit(u, targets[u.pk], years.get(targets[u.pk].pk)) for u in shown]
    return hits, len(matches)
