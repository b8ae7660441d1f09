"""The criterion page (one criterion across a unit's communes: a department's view of its own
criteria) and the national view (every province, for the administrator). Thin: the figures
come from criterion_selectors and national_selectors."""

from __future__ import annotations

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ntm.accounts import access
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import unit_summary, years_with_data
from ntm.ui.periods import not_in_year
from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_in_year, unit_valid_in, with_year_names
from ntm.web.criterion_selectors import (
    criterion_choices,
    criterion_failing,
    criterion_trend,
    known_sets,
    may_open_criterion,
    table_csv,
    trend_data,
    trend_table,
)
from ntm.web.national_selectors import (
    national_trend,
    national_trend_data,
    national_trend_table,
    national_year,
)
from ntm.web.selectors import home_landing

# A criterion code of the shipped and imported sets: "2", "17", "5a" at most.
CODE = re.compile(r"^[0-9]{1,2}[a-z]?$")


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte order mark: Excel then reads the accents as UTF-8
    response.write(table_csv(rows))
    return response


def _wants_csv(request: HttpRequest) -> bool:
    return request.GET.get("dinh-dang") == "csv"


def _criterion_headers() -> list[str]:
    return [
        gettext("Năm"),
        gettext("Bộ tiêu chí"),
        gettext("Tiêu chí"),
        gettext("Số xã đạt"),
        gettext("Số xã có kết quả"),
        gettext("Tỷ lệ đạt (%)"),
    ]


def _visible(request: HttpRequest, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("parent__parent").filter(pk=unit_id).first()
    if unit is None or not access.can_view_unit(request.user, unit):
        raise Http404(gettext("Không có đơn vị này trong phạm vi của bạn."))
    return unit


@login_required
def unit_criterion(request: HttpRequest, unit_id: int, year: int, code: str) -> HttpResponse:
    """?dinh-dang=csv: the rate by year as CSV."""
    unit = _visible(request, unit_id)
    if unit.level == Level.COMMUNE:
        return redirect("commune", unit_id=unit.id, year=year)
    if unit.level == Level.VILLAGE:
        raise Http404(gettext("Trang tiêu chí là của tỉnh, huyện và xã."))
    sets = known_sets()
    if not CODE.match(code) or not may_open_criterion(
        user=request.user, unit=unit, code=code, sets=sets
    ):
        raise Http404(gettext("Tiêu chí này không thuộc phạm vi của bạn."))
    if not unit_valid_in(unit=unit, year=year):
        other = unit_in_year(unit=unit, year=year)
        if other is None or not access.can_view_unit(request.user, other):
            return not_in_year(request, unit, year)
        return redirect("unit_criterion", unit_id=other.pk, year=year, code=code)
    with_year_names([unit], year)
    points = criterion_trend(unit=unit, code=code, year=year, user=request.user, sets=sets)
    headers = _criterion_headers()
    if _wants_csv(request):
        return _csv(trend_table(points, headers), f"{unit.code}-{year}-tieu-chi-{code}.csv")
    set_ids, _ = unit_summary(unit=unit, year=year)
    context = {
        "unit": unit,
        "year": year,
        "years": years_with_data(unit=unit),
        "code": code,
        "choices": criterion_choices(
            user=request.user, year_sets=[s for s in set_ids.split(", ") if s], sets=sets
        ),
        "points": points,
        "changes": [p for p in points if p.set_changed],
        "failing": criterion_failing(unit=unit, code=code, year=year, user=request.user, sets=sets),
        "headers": headers,
        "chart_data": trend_data(points, headers),
    }
    return render(request, "web/unit_criterion.html", context)


@login_required
def department_criteria(request: HttpRequest) -> HttpResponse:
    """The menu's entry to the criterion page: the user's unit in its latest year with data,
    on the first criterion the user may open (a department's own)."""
    landing = home_landing(user=request.user)
    if landing is None or landing.unit.level == Level.COMMUNE:
        return redirect("home")
    set_ids, _ = unit_summary(unit=landing.unit, year=landing.year)
    year_sets = [s for s in set_ids.split(", ") if s]
    choices = criterion_choices(user=request.user, year_sets=year_sets, sets=known_sets())
    if not choices:
        return redirect("home")
    return redirect(
        "unit_criterion", unit_id=landing.unit.pk, year=landing.year, code=choices[0].code
    )


def _national_headers() -> list[str]:
    return [
        gettext("Năm"),
        gettext("Số tỉnh"),
        gettext("Số xã"),
        gettext("Bình quân tiêu chí/xã"),
        gettext("Xã đạt chuẩn"),
    ]


def _national_allowed(request: HttpRequest) -> None:
    if not access.can_view_national(request.user):
        raise PermissionDenied(gettext("Chỉ quản trị hệ thống xem được số liệu toàn quốc."))


@login_required
def national_latest(request: HttpRequest) -> HttpResponse:
    """The national view of the latest year with verdicts."""
    _national_allowed(request)
    latest = Evaluation.objects.order_by("-year").values_list("year", flat=True).first()
    if latest is None:
        return render(request, "web/empty.html")
    return redirect("national", year=latest)


@login_required
def national(request: HttpRequest, year: int) -> HttpResponse:
    """?dinh-dang=csv: the trend across years as CSV."""
    _national_allowed(request)
    points = national_trend()
    headers = _national_headers()
    if _wants_csv(request):
        return _csv(national_trend_table(points, headers), f"toan-quoc-{year}.csv")
    context = {
        "year": year,
        "years": [p.year for p in points],
        "national": national_year(year=year),
        "points": points,
        "headers": headers,
        "chart_data": national_trend_data(points, headers),
    }
    return render(request, "web/national.html", context)
