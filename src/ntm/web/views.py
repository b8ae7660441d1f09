"""Thin views: check access, read through selectors, render Vietnamese pages.

A unit outside the user's scope answers 404, exactly like a unit that does not exist.
"""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.summary import bucket_labels
from ntm.criteria.selectors import NoClassError, all_sets, get_any_set
from ntm.finance.money_charts import unit_money
from ntm.indicators.gap_selectors import commune_gap_in_year
from ntm.indicators.rescore import commune_before_merger
from ntm.indicators.selectors import (
    commune_detail,
    communes_unjudged,
    unit_summary,
    years_with_data,
)
from ntm.ui.periods import not_in_year
from ntm.units.models import Level, Unit
from ntm.units.selectors import (
    structure_note,
    unit_in_year,
    unit_predecessors,
    unit_valid_in,
    with_year_names,
)
from ntm.web.chart_selectors import CHARTS, UnitCharts, chart_table, size_note, unit_charts
from ntm.web.forecast_selectors import commune_page_forecast, unit_page_forecast
from ntm.web.list_selectors import may_see_verdicts
from ntm.web.map_selectors import unit_map
from ntm.web.selectors import child_rows, home_landing, units_found

# The first criteria set (QĐ 491/2009) judges from 2010; 2035 leaves room after the 2026-2030
# period. Pages answer 404 outside these years, never a server error.
MIN_YEAR, MAX_YEAR = 2010, 2035


def _visible_unit(request: HttpRequest, unit_id: int, **filters: Any) -> Unit:
    unit = Unit.objects.select_related("parent__parent").filter(pk=unit_id, **filters).first()
    if unit is None or not access.can_view_unit(request.user, unit):
        raise Http404("Không có đơn vị này trong phạm vi của bạn.")
    return unit


def _parent_link(request: HttpRequest, unit: Unit) -> Unit | None:
    parent = unit.parent
    return parent if parent is not None and access.can_view_unit(request.user, parent) else None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if access.membership(request.user) is None:
        return render(request, "web/no_role.html")
    landing = home_landing(user=request.user)
    if landing is None:
        return render(request, "web/empty.html")
    return redirect(landing.route, unit_id=landing.unit.pk, year=landing.year)


def _year_checked(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise Http404(gettext("Năm %(year)s nằm ngoài các năm của chương trình.") % {"year": year})
    return year


def _row_for_year(request: HttpRequest, unit: Unit, year: int, route: str) -> HttpResponse | None:
    """A redirect to the row of the same unit in force in ``year`` (Tỉnh Lai Châu of 2019 ->
    of 2026), or None when ``unit`` is that row. 404 when the unit did not exist that year."""
    if unit_valid_in(unit=unit, year=year):
        return None
    other = unit_in_year(unit=unit, year=year)
    if other is None or not access.can_view_unit(request.user, other):
        return not_in_year(request, unit, year)
    return redirect(route, unit_id=other.pk, year=year)


@login_required
def unit_overview(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_id)
    if unit.level == Level.COMMUNE:
        return redirect("commune", unit_id=unit.id, year=year)
    moved = _row_for_year(request, unit, _year_checked(year), "unit")
    if moved is not None:
        return moved
    with_year_names([unit], year)
    charts = unit_charts(unit=unit, year=year, user=request.user)
    download = _chart_csv(request, unit, year, charts)
    if download is not None:
        return download
    set_ids, summary = unit_summary(unit=unit, year=year)
    forecast = unit_page_forecast(unit=unit, year=year, user=request.user)
    context = {
        "unit": unit,
        "parent": _parent_link(request, unit),
        "year": year,
        "years": years_with_data(unit=unit),
        "set_ids": set_ids,
        "summary": summary,
        "rows": child_rows(unit=unit, year=year, user=request.user),
        "unjudged": communes_unjudged(unit=unit, year=year),
        "can_import": access.can_import_values(request.user),
        "structure_note": structure_note(unit=unit, year=year),
        "bucket_labels": list(summary.buckets),
        "verdicts": may_see_verdicts(request.user),
        "charts": charts,
        "chart_data": {
            "headers": _chart_headers(),
            **charts.data(),
            "forecast": None if forecast is None else forecast.data(),
        },
        "forecast": forecast,
        "size_note": size_note(runs=charts.size_runs),
        "chart_headers": _chart_headers(),
        "unit_map": unit_map(unit=unit, year=year, user=request.user),
        "money": unit_money(unit=unit, year=year, user=request.user),
    }
    return render(request, "web/unit.html", context)


def _chart_headers() -> dict[str, list[str]]:
    """The columns of each chart's data table, shared by the page and its CSV download."""
    return {
        "dien-bien": [
            gettext("Năm"),
            gettext("Số xã"),
            gettext("Bình quân tiêu chí/xã"),
            gettext("Xã đạt chuẩn"),
        ],
        "tieu-chi": [gettext("Tiêu chí"), gettext("Số xã đạt"), gettext("Số xã có kết quả")],
    }


def _chart_csv(
    request: HttpRequest, unit: Unit, year: int, charts: UnitCharts
) -> HttpResponse | None:
    """?bieu-do=dien-bien|tieu-chi&dinh-dang=csv: one chart's table as CSV (semicolons and
    Vietnamese numbers, as a Vietnamese spreadsheet reads them); None for the page itself."""
    chart = request.GET.get("bieu-do", "")
    if request.GET.get("dinh-dang") != "csv" or chart not in CHARTS:
        return None
    headers = _chart_headers()[chart]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{unit.code}-{year}-{chart}.csv"'
    response.write("\ufeff")  # the byte order mark: Excel then reads the accents as UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows(chart_table(charts=charts, chart=chart, headers=headers))
    return response


def _year_param(request: HttpRequest, name: str) -> int | None:
    """A year given in the query string (?truoc=2019), None when absent or not a year."""
    raw = request.GET.get(name, "")
    return int(raw) if raw.isdigit() and MIN_YEAR <= int(raw) <= MAX_YEAR else None


def _before_merger(request: HttpRequest, unit: Unit) -> Any:
    """The re-scoring from the predecessors, for a user who may see every one of them as a
    whole commune (not a department, which sees only its own criteria)."""
    if access.role_of(request.user) == Role.DEPARTMENT:
        return None
    if not all(access.can_view_unit(request.user, p) for p in unit_predecessors(unit=unit)):
        return None
    return commune_before_merger(unit=unit, year=_year_param(request, "truoc"))


def _commune_unjudged(request: HttpRequest, unit: Unit, year: int, reason: str) -> HttpResponse:
    context = {
        "unit": unit,
        "parent": _parent_link(request, unit),
        "year": year,
        "years": sorted({year, *unit.evaluations.values_list("year", flat=True)}),
        "reason": reason,
        "eligible": unit.ntm_eligible,
        "before_merger": _before_merger(request, unit),
    }
    return render(request, "web/commune_unjudged.html", context)


@login_required
def commune_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_id, level=Level.COMMUNE)
    moved = _row_for_year(request, unit, _year_checked(year), "commune")
    if moved is not None:
        return moved
    with_year_names([unit], year)
    try:
        if not unit.ntm_eligible:
            raise NoClassError(
                gettext(
                    "%(name)s không thuộc Chương trình xây dựng nông thôn mới (phường, thị trấn)."
                )
                % {"name": unit.name}
            )
        detail = commune_detail(unit=unit, year=year)
    except (NoClassError, UnknownCriteriaSetError) as exc:
        return _commune_unjudged(request, unit, year, str(exc))
    shown = [
        c
        for c in detail.cset.criteria
        if access.can_view_criterion(request.user, unit, c.code, set_id=detail.cset.id)
    ]
    gap = commune_gap_in_year(unit=unit, year=year, detail=detail)
    shown_codes = {c.code for c in shown}
    context = {
        "unit": unit,
        "parent": _parent_link(request, unit),
        "year": year,
        "years": sorted(set(unit.evaluations.values_list("year", flat=True))),
        "cset": detail.cset,
        # What is still missing, only for the criteria this user may see (a department: its own).
        "gap": [] if gap.meets_standard else [c for c in gap.criteria if c.code in shown_codes],
        "class_code": detail.class_code,
        "result": detail.result,
        "partial": len(shown) < len(detail.cset.criteria),
        "criteria": [
            (
                crit,
                detail.result.criteria[crit.code],
                [
                    (
                        ind,
                        detail.result.indicators[ind.code],
                        ind.threshold(detail.cset.primary_tier, detail.class_code),
                    )
                    for ind in crit.indicators
                ],
            )
            for crit in shown
        ],
        "bucket_labels": bucket_labels(detail.result.criteria_total),
        "can_enter": access.can_enter_values(request.user, unit),
        "can_import": access.can_import_values(request.user),
        "before_merger": _before_merger(request, unit),
        # Nothing to forecast for a commune meeting the standard: the page says "đã đạt".
        "forecast": None if gap.meets_standard else commune_page_forecast(unit=unit, year=year),
    }
    return render(request, "web/commune.html", context)


@login_required
def unit_search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    hits, total = units_found(user=request.user, query=query) if query else ([], 0)
    return render(request, "web/search.html", {"q": query, "hits": hits, "total": total})


@login_required
def criteria_sets(request: HttpRequest) -> HttpResponse:
    sets = sorted(all_sets().values(), key=lambda s: (s.level.value, s.effective))
    rows = [(s, len(s.indicators), len(s.unconfirmed_cells())) for s in sets]
    context = {"rows": rows, "can_import": access.can_manage_criteria(request.user)}
    return render(request, "web/criteria_sets.html", context)


@login_required
def criteria_set_page(request: HttpRequest, set_id: str) -> HttpResponse:
    try:
        cset = get_any_set(set_id)
    except UnknownCriteriaSetError as exc:
        raise Http404(str(exc)) from None
    tier = cset.primary_tier
    table = [
        (
            crit,
            [(ind, [ind.threshold(tier, cls) for cls in cset.classes]) for ind in crit.indicators],
        )
        for crit in cset.criteria
    ]
    return render(request, "web/criteria_set.html", {"cset": cset, "table": table})
