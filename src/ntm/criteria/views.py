"""Criteria workbooks on the web: the province office's upload (preview, then commit) and the
download of any set or specification as a workbook.

Between preview and commit the file waits in the user's own session with its SHA-256: the
commit imports exactly the bytes that were previewed, planned again against the database.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ntm.accounts import access
from ntm.audit.models import Origin
from ntm.audit.services import audit_request
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.models import ProvincialSpec
from ntm.criteria.selectors import all_sets, criteria_workbook, database_sets
from ntm.criteria.workbook_import import STATUS_LABELS, workbook_import, workbook_plan
from ntm.criteria.workbook_read import MAX_BYTES, WorkbookError

View = Callable[..., HttpResponse]
SESSION_KEY = "criteria_workbook"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("Bảng tính (.xlsx)"),
        help_text=_("Trang 'Bo tieu chi' và 'Chi tieu' như tệp tải về từ trang này."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(gettext("Tệp quá lớn cho một bảng tiêu chí."))
        return upload


def criteria_manager_required(view: View) -> View:
    """Logged in and allowed to import criteria (access.can_manage_criteria), else 403."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_manage_criteria(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@criteria_manager_required
def import_page(request: HttpRequest) -> HttpResponse:
    if request.method == "POST" and "commit" in request.POST:
        return _commit(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    context: dict[str, Any] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            plan = workbook_plan(content=content, filename=upload.name, user=request.user)
        except WorkbookError as exc:
            context["problems"] = exc.problems
        else:
            request.session[SESSION_KEY] = {
                "name": upload.name,
                "sha256": plan.sha256,
                "content": base64.b64encode(content).decode("ascii"),
            }
            context.update(plan=plan, labels=STATUS_LABELS)
    return render(request, "criteria/import.html", {**context, **_downloads(request.user)})


def _commit(request: HttpRequest) -> HttpResponse:
    stored = request.session.get(SESSION_KEY) or {}
    content = base64.b64decode(stored.get("content", ""))
    sha = hashlib.sha256(content).hexdigest()
    if not stored or sha != request.POST.get("sha256") or sha != stored.get("sha256"):
        messages.error(request, gettext("Tệp đã xem trước không còn; hãy tải lên lại."))
        return redirect("criteria_import")
    try:
        plan = workbook_import(
            content=content,
            filename=stored["name"],
            actor=request.user,
            user=request.user,
            origin=Origin.FILE,
            background=True,  # a set is national: its re-evaluation is too long for a request
        )
    except WorkbookError as exc:
        context = {"form": UploadForm(), "problems": exc.problems}
        return render(request, "criteria/import.html", {**context, **_downloads(request.user)})
    del request.session[SESSION_KEY]
    what = gettext("bộ tiêu chí") if plan.kind == "set" else gettext("quy định")
    messages.success(
        request, gettext("Đã lưu %(what)s %(id)s.") % {"what": what, "id": plan.target}
    )
    return redirect("criteria_import")


def _downloads(user: Any) -> dict[str, Any]:
    imported = database_sets()
    sets = sorted(all_sets(imported=imported).values(), key=lambda s: (s.level.value, s.effective))
    specs = [
        spec
        for spec in ProvincialSpec.objects.select_related("province").order_by("spec_id")
        if access.can_view_unit(user, spec.province)
    ]
    return {"sets": sets, "imported": imported, "specs": specs}


@login_required
def export_workbook(request: HttpRequest, export_id: str) -> HttpResponse:
    """Any set for anyone logged in; a specification for those who see its province."""
    spec = ProvincialSpec.objects.filter(spec_id=export_id).select_related("province").first()
    hidden = spec is not None and not access.can_view_unit(request.user, spec.province)
    if hidden and export_id not in all_sets():  # a set id wins over a specification id
        raise Http404
    try:
        name, content = criteria_workbook(export_id=export_id)
    except UnknownCriteriaSetError as exc:
        raise Http404(str(exc)) from None
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    audit_request(
        request,
        action="export.criteria",
        object_type="criteria_workbook",
        object_id=export_id,
        unit=spec.province if spec is not None and not hidden else None,
        after={"file": name},
    )
    return response
