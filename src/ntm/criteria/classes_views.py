"""The province office's page of commune classes under one set: who has which region or group
and on what basis; change one commune, or upload the province's list (check, then write).

Everyone who sees the province reads the page; the province office (and the administrator)
changes it; anyone else gets 404, as for a unit outside their scope. A province office sees its
province's rows of both structures (access.scope_roots), so the office whose account sits on
Lai Châu's 2019 row groups the communes of the 2025 row under QĐ 51/2025.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.audit.models import Origin
from ntm.core.model import CriteriaSet
from ntm.core.specs import SpecError
from ntm.criteria.classes import (
    ClassesError,
    ClassRow,
    class_kind,
    class_set,
    classes_year,
    commune_class_rows,
    set_years,
)
from ntm.criteria.classes_import import MAX_BASIS, ClassPlan, classes_import
from ntm.criteria.classes_table import LIMITS
from ntm.criteria.services import commune_class_set
from ntm.units.models import Level, Unit
from ntm.units.selectors import judged_on, unit_in_year, unit_province, unit_sort_key


def can_edit_classes(user: Any, province: Unit) -> bool:
    """The province office (or the administrator) of a province it sees."""
    return access.can_manage_criteria(user) and access.can_view_unit(user, province)


class ClassSetForm(forms.Form):
    commune = forms.TypedChoiceField(label=_("Xã"), coerce=int)
    class_code = forms.ChoiceField(label=_("Vùng/nhóm"))
    legal_basis = forms.CharField(
        label=_("Căn cứ"),
        max_length=MAX_BASIS,
        help_text=_("Số, ngày và cơ quan ban hành quyết định phân vùng/phân nhóm."),
    )

    def __init__(self, *args: Any, rows: list[ClassRow], cset: CriteriaSet, **kwargs: Any):
        super().__init__(*args, **kwargs)
        commune, class_code = self.fields["commune"], self.fields["class_code"]
        assert isinstance(commune, forms.ChoiceField) and isinstance(class_code, forms.ChoiceField)
        commune.choices = [(r.unit.pk, f"{r.name} ({r.unit.code})") for r in rows]
        class_code.choices = list(cset.classes.items())


class ClassUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Danh sách (.xlsx hoặc CSV UTF-8)"),
        help_text=_("Cột unit_code (mã xã) hoặc name (tên xã), và cột class (vùng/nhóm)."),
    )
    legal_basis = forms.CharField(label=_("Căn cứ của cả danh sách"), max_length=MAX_BASIS)
    dry_run = forms.BooleanField(label=_("Chỉ kiểm tra, chưa ghi"), required=False, initial=True)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > LIMITS.max_bytes:
            mb = LIMITS.max_bytes // (1024 * 1024)
            raise forms.ValidationError(gettext("Tệp lớn hơn %(mb)s MB.") % {"mb": mb})
        return upload


def _set_or_404(set_id: str) -> CriteriaSet:
    try:
        return class_set(set_id)
    except ClassesError as exc:
        raise Http404(str(exc)) from None


def _year(request: HttpRequest, cset: CriteriaSet) -> int:
    raw = request.GET.get("nam", "")
    return classes_year(cset, int(raw) if raw.isdigit() and int(raw) in set_years(cset) else None)


@login_required
def classes_index(request: HttpRequest, set_id: str) -> HttpResponse:
    """The user's own province (the row in force in the set's year), or, for the
    administrator, the provinces of that year."""
    cset = _set_or_404(set_id)
    year = _year(request, cset)
    m = access.membership(request.user)
    if m is not None and m.role == Role.ADMIN:
        provinces = Unit.objects.filter(level=Level.PROVINCE).valid_on(judged_on(year))
        context = {
            "cset": cset,
            "year": year,
            "year_param": year != classes_year(cset),
            "provinces": sorted(provinces, key=unit_sort_key),
        }
        return render(request, "criteria/classes_index.html", context)
    if m is None or m.unit is None:
        raise Http404
    province = unit_in_year(unit=unit_province(unit=m.unit), year=year)
    if province is None or not access.can_view_unit(request.user, province):
        raise Http404
    return redirect(_page_url(cset, province, year))


def _page_url(cset: CriteriaSet, province: Unit, year: int) -> str:
    url = reverse("criteria_classes", args=[cset.id, province.pk])
    return url if year == classes_year(cset) else f"{url}?nam={year}"


@login_required
def classes_page(request: HttpRequest, set_id: str, unit_id: int) -> HttpResponse:
    cset = _set_or_404(set_id)
    year = _year(request, cset)
    unit = Unit.objects.filter(pk=unit_id, level=Level.PROVINCE).first()
    if unit is None or not access.can_view_unit(request.user, unit):
        raise Http404
    province = unit_in_year(unit=unit, year=year)
    if province is None or not access.can_view_unit(request.user, province):
        raise Http404
    if province.pk != unit.pk:  # the other structure's row of the same province
        return redirect(_page_url(cset, province, year))
    editable = can_edit_classes(request.user, province)
    if request.method == "POST" and not editable:
        raise PermissionDenied
    rows = commune_class_rows(cset=cset, unit=province, year=year)
    one = ClassSetForm(rows=rows, cset=cset)
    upload = ClassUploadForm()
    plan = None
    if request.method == "POST" and request.POST.get("action") == "set":
        one = ClassSetForm(request.POST, rows=rows, cset=cset)
        if _set_one(request, one, cset):
            return redirect(request.get_full_path())
    elif request.method == "POST":
        upload = ClassUploadForm(request.POST, request.FILES)
        plan = _upload(request, upload, cset, province, year)
        if plan is not None and plan.written:
            return redirect(request.get_full_path())
    context = {
        "cset": cset,
        "labels": _labels(cset, province),
        "province": province,
        "year": year,
        "rows": rows,
        "assigned": sum(1 for r in rows if r.class_code is not None),
        "editable": editable,
        "one": one,
        "upload": upload,
        "plan": plan,
    }
    status = 400 if (plan is not None and not plan.ok) or one.errors or upload.errors else 200
    return render(request, "criteria/classes.html", context, status=status)


def _labels(cset: CriteriaSet, province: Unit) -> dict[str, str]:
    """Whole sentences per classification (a translation never assembles them from parts)."""
    if cset.classification == "region":
        return {
            "title": gettext("Phân vùng xã: %(name)s") % {"name": province.name},
            "column": gettext("Vùng"),
            "assigned": gettext("xã đã có vùng"),
            "set_one": gettext("Ghi vùng cho một xã"),
            "missing": gettext("Xã không có quyết định xếp vùng riêng theo vùng của tỉnh."),
        }
    return {
        "title": gettext("Phân nhóm xã: %(name)s") % {"name": province.name},
        "column": gettext("Nhóm"),
        "assigned": gettext("xã đã có nhóm"),
        "set_one": gettext("Ghi nhóm cho một xã"),
        "missing": gettext("Xã chưa được phân nhóm thì chưa đánh giá được theo bộ tiêu chí này."),
    }


def _set_one(request: HttpRequest, form: ClassSetForm, cset: CriteriaSet) -> bool:
    if not form.is_valid():
        return False
    unit = Unit.objects.get(pk=form.cleaned_data["commune"])  # one of the page's communes
    try:
        commune_class_set(
            unit=unit,
            criteria_set=cset.id,
            class_code=form.cleaned_data["class_code"],
            legal_basis=form.cleaned_data["legal_basis"],
            actor=request.user,
            origin=Origin.PAGE,
        )
    except SpecError as exc:
        form.add_error(None, str(exc))
        return False
    messages.success(
        request,
        gettext("Đã ghi %(kind)s %(code)s cho %(name)s.")
        % {"kind": class_kind(cset), "code": form.cleaned_data["class_code"], "name": unit.name},
    )
    return True


def _upload(
    request: HttpRequest, form: ClassUploadForm, cset: CriteriaSet, province: Unit, year: int
) -> ClassPlan | None:
    if not form.is_valid():
        return None
    upload = form.cleaned_data["file"]
    plan = classes_import(
        content=upload.read(),
        file_name=upload.name,
        set_id=cset.id,
        legal_basis=form.cleaned_data["legal_basis"],
        scope=province,
        year=year,
        actor=request.user,
        origin=Origin.FILE,
        dry_run=form.cleaned_data["dry_run"],
    )
    if plan.written:
        counts = plan.counts
        messages.success(
            request,
            gettext("Đã ghi danh sách %(name)s: thêm %(add)s, đổi %(change)s, giữ nguyên %(same)s.")
            % {"name": upload.name, **counts},
        )
    return plan
