"""Thin views: read through selectors, render Vietnamese pages."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from ntm.core.registry import UnknownCriteriaSetError, get_set, national_sets
from ntm.core.summary import bucket_labels
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import commune_detail, unit_summary, years_with_data
from ntm.units.models import Unit
from ntm.web.selectors import child_rows


@login_required
def home(request: HttpRequest) -> HttpResponse:
    latest = Evaluation.objects.order_by("-year").select_related("unit").first()
    if latest is None:
        return render(request, "web/empty.html")
    province = latest.unit
    while province.parent is not None:
        province = province.parent
    return redirect("unit", unit_id=province.id, year=latest.year)


@login_required
def unit_overview(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id)
    if unit.level == "commune":
        return redirect("commune", unit_id=unit.id, year=year)
    set_ids, summary = unit_summary(unit=unit, year=year)
    context = {
        "unit": unit,
        "year": year,
        "years": years_with_data(unit=unit),
        "set_ids": set_ids,
        "summary": summary,
        "rows": child_rows(unit=unit, year=year),
        "bucket_labels": list(summary.buckets),
    }
    return render(request, "web/unit.html", context)


@login_required
def commune_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_object_or_404(Unit, pk=unit_id, level="commune")
    detail = commune_detail(unit=unit, year=year)
    context = {
        "unit": unit,
        "year": year,
        "years": sorted(set(unit.evaluations.values_list("year", flat=True))),
        "cset": detail.cset,
        "class_code": detail.class_code,
        "result": detail.result,
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
            for crit in detail.cset.criteria
        ],
        "bucket_labels": bucket_labels(detail.result.criteria_total),
    }
    return render(request, "web/commune.html", context)


@login_required
def criteria_sets(request: HttpRequest) -> HttpResponse:
    sets = sorted(national_sets().values(), key=lambda s: (s.level.value, s.effective))
    rows = [(s, len(s.indicators), len(s.unconfirmed_cells())) for s in sets]
    return render(request, "web/criteria_sets.html", {"rows": rows})


@login_required
def criteria_set_page(request: HttpRequest, set_id: str) -> HttpResponse:
    try:
        cset = get_set(set_id)
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
