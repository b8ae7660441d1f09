"""Thin pages for capabilities 9-12: one page per area and unit, one create form per record kind.

A unit outside the user's scope answers 404; recording is the province office's (403 otherwise).
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from ntm.accounts import access
from ntm.exchange.records import spec_for
from ntm.exchange.records_web import records_upload_handle
from ntm.programs import selectors
from ntm.programs.models import NUMBER_RANGE, YEAR_RANGE, BodyKind
from ntm.programs.records import KINDS
from ntm.programs.services import RECORD_KINDS, program_record_create
from ntm.ui.fields import VietnameseNumberField
from ntm.units.models import Level, Unit

AREA_OF_KIND = {
    "course": "programs_training",
    "communication": "programs_training",
    "movement": "programs_training",
    "ocop": "programs_production",
    "cooperative": "programs_production",
    "production_model": "programs_production",
    "enterprise": "programs_production",
    "body": "programs_organisation",
    "resolution": "programs_organisation",
    "target": "programs_targets",
}
UNIT_FIELDS = ("unit", "commune", "named_unit")


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent"), pk=unit_id)
    if not access.can_view_programs(request.user, unit):
        raise Http404(_("Không tìm thấy đơn vị."))
    return unit


def _context(request: HttpRequest, unit: Unit, **extra: object) -> dict[str, object]:
    can_add = access.can_manage_programs(request.user, unit)
    # The unit above is linked only for those who may open it (a district's office sees its
    # own programmes, not the province's).
    parent = unit.parent
    if parent is not None and not access.can_view_programs(request.user, parent):
        parent = None
    return {"unit": unit, "parent": parent, "can_add": can_add, **extra}


@login_required
def training(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    context = _context(
        request,
        unit,
        total=selectors.training_summary(unit=unit, year_from=1900, year_to=2100),
        by_year=selectors.training_by_year(unit=unit),
        by_level=selectors.training_by_level(unit=unit),
        communications=selectors.communications_in(unit=unit)[:50],
        movements=selectors.movements_in(unit=unit),
    )
    return render(request, "programs/training.html", context)


@login_required
def production(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    context = _context(
        request,
        unit,
        ocop=selectors.ocop_summary(unit=unit),
        products=selectors.ocop_in(unit=unit),
        cooperatives=selectors.cooperatives_in(unit=unit),
        models=selectors.production_models_in(unit=unit),
        enterprises=selectors.enterprises_in(unit=unit),
    )
    return render(request, "programs/production.html", context)


def _coverage_day(request: HttpRequest, unit: Unit) -> dt.date:
    """?ngay=YYYY-MM-DD, else today, or the last day of a unit that no longer exists."""
    try:
        return dt.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        today = dt.date.today()
        return min(today, unit.valid_to) if unit.valid_to else today


@login_required
def organisation(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    on = _coverage_day(request, unit)
    lines = []
    for level in (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE):
        for kind in BodyKind:
            cov = selectors.organisation_coverage(unit=unit, kind=kind, on=on, level=level)
            if cov["units_total"] and cov["units_with"]:
                lines.append({"kind": kind.label, "level": Level(level).label, **cov})
        res = selectors.resolution_coverage(unit=unit, level=level, on=on)
        if res["units_total"] and res["units_with"]:
            lines.append(
                {"kind": _("Nghị quyết, quyết định về NTM"), "level": Level(level).label, **res}
            )
    context = _context(
        request,
        unit,
        on=on,
        lines=lines,
        bodies=selectors.bodies_in(unit=unit)[:200],
        resolutions=selectors.resolutions_in(unit=unit)[:200],
    )
    return render(request, "programs/organisation.html", context)


@login_required
def targets(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    rows = selectors.target_rows(unit=unit, year_from=1900, year_to=2100)
    return render(request, "programs/targets.html", _context(request, unit, rows=rows))


def _form_class(kind: str, unit: Unit) -> type[forms.ModelForm]:  # type: ignore[type-arg]
    spec = RECORD_KINDS[kind]
    form_class = forms.modelform_factory(spec.model, exclude=("source", "simulated", "created_at"))
    for name in UNIT_FIELDS:
        field = form_class.base_fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = selectors.subtree_units(unit=unit).order_by("level", "name")
    for name, field in form_class.base_fields.items():
        if isinstance(field, forms.DateField):
            field.widget = forms.DateInput(attrs={"type": "date"})
        if isinstance(field, forms.IntegerField | forms.FloatField):
            form_class.base_fields[name] = _number_field(name, field)
    return form_class


def _number_field(name: str, field: forms.Field) -> VietnameseNumberField:
    """Numbers read by the one parser (Django's take "1e308" and Arabic-Indic digits)."""
    low, high = YEAR_RANGE if "year" in name else NUMBER_RANGE[name]
    return VietnameseNumberField(
        minimum=low,
        maximum=high,
        integer=isinstance(field, forms.IntegerField),
        required=field.required,
        label=field.label,
        help_text=field.help_text,
    )


@login_required
def record_create(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    unit = _unit(request, unit_id)
    if kind not in RECORD_KINDS:
        raise Http404(_("Không có loại hồ sơ này."))
    if not access.can_manage_programs(request.user, unit):
        raise PermissionDenied(_("Chỉ văn phòng điều phối tỉnh được ghi thông tin này."))
    form_class = _form_class(kind, unit)
    spec = RECORD_KINDS[kind]
    form = form_class(request.POST or None, initial={spec.unit_field: unit.pk})
    if request.method == "POST" and form.is_valid():
        try:
            program_record_create(
                actor=request.user,
                kind=kind,
                data=form.cleaned_data,
                origin_detail=request.path,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Đã ghi %(label)s.") % {"label": spec.label})
            return redirect(AREA_OF_KIND[kind], unit_id=unit.pk)
    status = 400 if request.method == "POST" else 200
    context = {"unit": unit, "form": form, "label": spec.label, "back": AREA_OF_KIND[kind]}
    return render(request, "programs/form.html", context, status=status)


AREA_OF_SHEET = {spec.kind: AREA_OF_KIND[spec.record] for spec in KINDS}


@login_required
def records_upload(request: HttpRequest, unit_id: int, kind: str) -> HttpResponse:
    """Excel import of one record kind (generic importer): template, dry run, commit."""
    unit = _unit(request, unit_id)
    if kind not in AREA_OF_SHEET:
        raise Http404
    if not access.can_manage_programs(request.user, unit):
        raise PermissionDenied
    spec = spec_for(kind)
    upload = records_upload_handle(request, spec=spec, kind=kind)
    if upload.template is not None:
        return upload.template
    form, report = upload.form, upload.report
    context = _context(request, unit, form=form, report=report, spec=spec, kind=kind)
    context["area"] = AREA_OF_SHEET[kind]
    return render(request, "programs/upload.html", context, status=upload.status)
