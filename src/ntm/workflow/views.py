"""Thin views of the recognition workflow: read through selectors, write through services.

A dossier the user may not see answers 404; an action the user may not take answers 403
(PermissionDenied from the service); an action the stage rules refuse re-renders the page
with the reason (in the user's language) and status 400.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ntm.accounts import access
from ntm.units.models import Unit
from ntm.workflow import selectors, services
from ntm.workflow.alerts import slipping_alerts
from ntm.workflow.forms import AdvanceForm, AppraisalForm, DecisionForm, ReturnForm, RevokeForm
from ntm.workflow.models import Dossier
from ntm.workflow.open_warning import (
    dossier_open_reason,
    dossier_open_warning,
    years_short_of_standard,
)


def _visible(request: HttpRequest, dossier_id: int) -> Dossier:
    dossier = selectors.dossier_visible(user=request.user, dossier_id=dossier_id)
    if dossier is None:
        raise Http404("Không tìm thấy hồ sơ.")
    return dossier


def _page(
    request: HttpRequest, dossier: Dossier, errors: list[str] | None = None, status: int = 200
) -> HttpResponse:
    page = selectors.dossier_page(user=request.user, dossier=dossier)
    return render(
        request, "workflow/dossier.html", {"page": page, "errors": errors or []}, status=status
    )


def _form_errors(form: forms.Form) -> list[str]:
    return [
        f"{form.fields[name].label or name}: {message}" if name in form.fields else str(message)
        for name, problems in form.errors.items()
        for message in problems
    ]


def _act(
    request: HttpRequest,
    dossier_id: int,
    form_class: type[forms.Form],
    run: Callable[[Dossier, dict[str, Any], dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """Validate the form, run the service, then redirect (or show why not, with status 400)."""
    dossier = _visible(request, dossier_id)
    form = form_class(request.POST)
    if not form.is_valid():
        return _page(request, dossier, _form_errors(form), status=400)
    origin = {"origin": "page", "origin_detail": request.path}
    try:
        run(dossier, form.cleaned_data, origin)
    except services.WorkflowError as exc:
        return _page(request, dossier, [str(exc)], status=400)  # rolled back: still current
    messages.success(request, done)
    return redirect("dossier", dossier_id=dossier.pk)


@login_required
def dossier_detail(request: HttpRequest, dossier_id: int) -> HttpResponse:
    return _page(request, _visible(request, dossier_id))


def _expected(data: dict[str, Any]) -> str | None:
    return data.get("stage") or None


@login_required
@require_POST
def dossier_advance(request: HttpRequest, dossier_id: int) -> HttpResponse:
    def run(dossier: Dossier, data: dict[str, Any], origin: dict[str, Any]) -> object:
        return services.dossier_advance(
            actor=request.user,
            dossier=dossier,
            reason=data["reason"],
            expected_stage=_expected(data),
            **origin,
        )

    done = gettext("Đã chuyển hồ sơ sang bước tiếp theo.")
    return _act(request, dossier_id, AdvanceForm, run, done)


@login_required
@require_POST
def dossier_return(request: HttpRequest, dossier_id: int) -> HttpResponse:
    def run(dossier: Dossier, data: dict[str, Any], origin: dict[str, Any]) -> object:
        return services.dossier_return(
            actor=request.user,
            dossier=dossier,
            to_stage=data["to_stage"],
            reason=data["reason"],
            expected_stage=_expected(data),
            **origin,
        )

    return _act(request, dossier_id, ReturnForm, run, gettext("Đã trả lại hồ sơ."))


@login_required
@require_POST
def dossier_appraise(request: HttpRequest, dossier_id: int) -> HttpResponse:
    def run(dossier: Dossier, data: dict[str, Any], origin: dict[str, Any]) -> object:
        return services.appraisal_record(
            actor=request.user,
            dossier=dossier,
            criterion=data["criterion"],
            verdict=data["verdict"],
            note=data["note"],
            **origin,
        )

    return _act(request, dossier_id, AppraisalForm, run, gettext("Đã ghi kết quả thẩm định."))


@login_required
@require_POST
def dossier_recognise(request: HttpRequest, dossier_id: int) -> HttpResponse:
    def run(dossier: Dossier, data: dict[str, Any], origin: dict[str, Any]) -> object:
        return services.dossier_recognise(
            actor=request.user,
            dossier=dossier,
            number=data["number"],
            date=data["date"],
            signer=data["signer"],
            expected_stage=_expected(data),
            **origin,
        )

    return _act(request, dossier_id, DecisionForm, run, gettext("Đã ghi quyết định công nhận."))


@login_required
@require_POST
def dossier_revoke(request: HttpRequest, dossier_id: int) -> HttpResponse:
    def run(dossier: Dossier, data: dict[str, Any], origin: dict[str, Any]) -> object:
        return services.dossier_revoke(
            actor=request.user,
            dossier=dossier,
            number=data["number"],
            date=data["date"],
            signer=data["signer"],
            reason=data["reason"],
            **origin,
        )

    done = gettext("Đã ghi quyết định thu hồi công nhận.")
    return _act(request, dossier_id, RevokeForm, run, done)


@login_required
@require_POST
def dossier_open(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=unit_id)
    if not access.can_view_unit(request.user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    confirmed = request.POST.get("xac_nhan") == "1"
    try:
        services.dossier_open_check(actor=request.user, unit=unit, year=year)
        warning = dossier_open_warning(unit=unit, year=year)
        if warning is not None and not confirmed:
            context = {"unit": unit, "year": year, "warning": warning}
            return render(request, "workflow/dossier_open_confirm.html", context)
        reason = dossier_open_reason(warning=warning) if warning is not None else ""
        dossier = services.dossier_open(
            actor=request.user, unit=unit, year=year, reason=reason, origin_detail=request.path
        )
    except services.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("unit_dossiers", unit_id=unit.pk)
    done = gettext("Đã lập hồ sơ %(unit)s năm %(year)s.")
    messages.success(request, done % {"unit": unit.name, "year": year})
    return redirect("dossier", dossier_id=dossier.pk)


@login_required
def unit_dossiers(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=unit_id)
    if not access.can_view_unit(request.user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    can_open = access.can_open_dossier(request.user, unit)
    open_years = selectors.dossier_open_years(unit=unit) if can_open else []
    context = {
        "unit": unit,
        "dossiers": selectors.unit_dossiers(user=request.user, unit=unit),
        "open_years": open_years,
        "short_years": years_short_of_standard(unit=unit, years=open_years),
        "can_open": can_open,
    }
    return render(request, "workflow/unit_dossiers.html", context)


@login_required
def todo(request: HttpRequest) -> HttpResponse:
    rows = selectors.dossiers_waiting(user=request.user)
    alerts = slipping_alerts(user=request.user)
    return render(request, "workflow/todo.html", {"rows": rows, "alerts": alerts})
