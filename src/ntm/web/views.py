"""Thin views: check access, read through selectors, render Vietnamese pages.

A unit outside the user's scope answers 404, exactly like a unit that does not exist.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ntm.accounts import access
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.summary import bucket_labels
from ntm.criteria.selectors import all_sets, get_any_set
from ntm.indicators.selectors import commune_detail, unit_summary, years_with_data
from ntm.units.models import Level, Unit
from ntm.web.selectors import child_rows, home_landing, units_found


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


@login_required
def unit_overview(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_id)
    if unit.level == Level.COMMUNE:
        return redirect("commune", unit_id=unit.id, year=year)
    set_ids, summary = unit_summary(unit=unit, year=year)
    context = {
        "unit": unit,
        "parent": _parent_link(request, unit),
        "year": year,
        "years": years_with_data(unit=unit),
        "set_ids": set_ids,
        "summary": summary,
        "rows": child_rows(unit=unit, year=year, user=request.user),
        "bucket_labels": list(summary.buckets),
    }
    return render(request, "web/unit.html", context)


@login_required
def commune_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _visible_unit(request, unit_id, level=Level.COMMUNE)
    detail = commune_detail(unit=unit, year=year)
    shown = [
        c for c in detail.cset.criteria if access.can_view_criterion(request.user, unit, c.code)
    ]
    context = {
        "unit": unit,
        "parent": _parent_link(request, unit),
        "year": year,
        "years": sorted(set(unit.evaluations.values_list("year", flat=True))),
        "cset": detail.cset,
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
    return render(request, "web/criteria_sets.html", {"rows": rows})


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
