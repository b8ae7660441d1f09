"""Finance pages: capital by source and stage, contributions, entry forms, Excel upload."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ntm.accounts import access
from ntm.exchange.records import REGISTRY, spec_for
from ntm.exchange.records_web import records_upload_handle
from ntm.finance import selectors
from ntm.finance.forms import CapitalEntryForm, ContributionForm
from ntm.finance.services import (
    MEASURES,
    FinanceError,
    capital_entry_save,
    contribution_save,
    work_get_or_create,
)
from ntm.units.models import Unit


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=unit_id)
    if not access.can_view_resources(request.user, unit):
        raise Http404
    return unit


def _editable(request: HttpRequest, unit: Unit) -> Unit:
    if not access.can_edit_resources(request.user, unit):
        raise PermissionDenied
    return unit


def _year(request: HttpRequest, name: str, default: int) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else default


@login_required
def capital_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    span = selectors.capital_years(unit=unit) or (dt.date.today().year,) * 2
    year_from, year_to = _year(request, "tu", span[0]), _year(request, "den", span[1])
    context = {
        "unit": unit,
        "year_from": year_from,
        "year_to": year_to,
        "lines": selectors.capital_table(unit=unit, year_from=year_from, year_to=year_to),
        "entries": selectors.capital_entries(unit=unit, year_from=year_from, year_to=year_to),
        "can_edit": access.can_edit_resources(request.user, unit),
    }
    return render(request, "finance/capital.html", context)


@login_required
def contributions_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    rows = selectors.contributions(unit=unit)
    first, last = rows.first(), rows.order_by("-date_to").first()
    summary = None
    if first and last:
        summary = selectors.contributions_summary(
            unit=unit, date_from=first.date_from, date_to=last.date_to
        )
    context = {
        "unit": unit,
        "rows": rows,
        "summary": summary,
        "can_edit": access.can_edit_resources(request.user, unit),
    }
    return render(request, "finance/contributions.html", context)


def _work(request: HttpRequest, unit: Unit, name: str) -> Any:
    return (
        work_get_or_create(actor=request.user, unit=unit, name=name, criteria=[]) if name else None
    )


@login_required
def capital_entry_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _editable(request, _unit(request, unit_id))
    form = CapitalEntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            capital_entry_save(
                actor=request.user,
                unit=unit,
                source=data["source"],
                stage=data["stage"],
                year_from=data["year_from"],
                year_to=data["year_to"] or data["year_from"],
                amount=data["amount"],
                work=_work(request, unit, data["work"]),
                figure_source=data["figure_source"],
                note=data["note"],
                origin_detail=request.path,
            )
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi khoản vốn."))
            return redirect("finance_capital", unit_id=unit.pk)
    return render(request, "finance/entry.html", {"unit": unit, "form": form, "what": _("vốn")})


@login_required
def contribution_entry_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _editable(request, _unit(request, unit_id))
    form = ContributionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        (y1, m1), (y2, m2) = data["month_from"], data["month_to"]
        try:
            contribution_save(
                actor=request.user,
                unit=unit,
                date_from=dt.date(y1, m1, 1),
                date_to=dt.date(y2, m2, calendar.monthrange(y2, m2)[1]),
                values={name: data[name] for name in MEASURES},
                work=_work(request, unit, data["work"]),
                figure_source=data["figure_source"],
                note=data["note"],
                origin_detail=request.path,
            )
        except FinanceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Đã ghi đóng góp."))
            return redirect("finance_contributions", unit_id=unit.pk)
    context = {"unit": unit, "form": form, "what": _("đóng góp của cộng đồng")}
    return render(request, "finance/entry.html", context)


@login_required
def records_upload_page(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    unit = _editable(request, _unit(request, unit_id))
    if kind not in ("capital", "contributions") or kind not in REGISTRY:
        raise Http404
    spec = spec_for(kind)
    upload = records_upload_handle(request, spec=spec, kind=kind)
    if upload.template is not None:
        return upload.template
    form, report = upload.form, upload.report
    context = {"unit": unit, "form": form, "report": report, "spec": spec, "kind": kind}
    return render(request, "finance/upload.html", context, status=upload.status)
