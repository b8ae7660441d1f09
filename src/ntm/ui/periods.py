"""The answer a page gives for a unit in a year it did not exist: where its data lives then."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ntm.accounts import access
from ntm.units.models import Level, Unit
from ntm.units.selectors import judged_on, unit_successors_current, unit_valid_in


def not_in_year(request: HttpRequest, unit: Unit, year: int) -> HttpResponse:
    """404 naming the unit, the year and, for a unit that ended before it, the units that
    replaced it that the user may open (San Thàng 2026 -> the commune it merged into)."""
    on = judged_on(year)
    ended = unit.valid_to is not None and unit.valid_to < on
    successors = unit_successors_current(unit=unit, on=on) if ended else []
    links = [
        (s, "commune" if s.level == Level.COMMUNE else "unit")
        for s in successors
        if unit_valid_in(unit=s, year=year) and access.can_view_unit(request.user, s)
    ]
    context = {"unit": unit, "year": year, "ended": ended, "successors": links}
    return render(request, "web/not_in_year.html", context, status=404)
