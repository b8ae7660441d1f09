"""Report pages: the form on a unit's year, the job's status, the download (its owner only)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ntm.accounts import access
from ntm.reports.forms import ReportForm
from ntm.reports.jobs import ReportBusy, job_file, report_job_create
from ntm.reports.models import ReportJob
from ntm.reports.services import CONTENT_TYPES
from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_name_in, unit_valid_in
from ntm.web.list_selectors import may_see_verdicts


def _reportable_unit(request: HttpRequest, unit_id: int, year: int) -> Unit:
    """A province, district or commune the user sees, in force in ``year``; a department (no
    overall verdicts) cannot make the office's report."""
    unit = Unit.objects.select_related("parent__parent").filter(pk=unit_id).first()
    if unit is None or unit.level == Level.VILLAGE:
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    if not access.can_view_unit(request.user, unit) or not unit_valid_in(unit=unit, year=year):
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    if not may_report(request.user):
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit


def may_report(user: object) -> bool:
    return access.membership(user) is not None and may_see_verdicts(user)


@login_required
def report_new(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _reportable_unit(request, unit_id, year)
    form = ReportForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            job = report_job_create(
                user=request.user,
                unit=unit,
                year=year,
                period=form.cleaned_data["period"],
                fmt=form.cleaned_data["format"],
                header=form.header(),
            )
        except ReportBusy:
            error = _("Bạn đang có báo cáo chưa lập xong; hãy chờ xong rồi lập báo cáo khác.")
        else:
            return redirect("report_job", job_id=job.pk)
    context = {
        "unit": unit,
        "unit_name": unit_name_in(unit=unit, year=year),
        "year": year,
        "form": form,
        "error": error,
        "recent": ReportJob.objects.filter(user_id=_user_id(request)).select_related("unit")[:10],
    }
    return render(request, "reports/new.html", context, status=409 if error else 200)


def _user_id(request: HttpRequest) -> int:
    user_id = request.user.pk
    assert user_id is not None  # the views are login_required
    return int(user_id)


def _own_job(request: HttpRequest, job_id: str) -> ReportJob:
    mine = ReportJob.objects.filter(pk=job_id, user_id=_user_id(request))
    job = mine.select_related("unit").first()
    if job is None:
        raise Http404(_("Không có báo cáo này."))
    return job


@login_required
def report_job(request: HttpRequest, job_id: str) -> HttpResponse:
    job = _own_job(request, job_id)
    context = {"job": job, "unit_name": unit_name_in(unit=job.unit, year=job.year)}
    if request.headers.get("HX-Request"):
        return render(request, "reports/_status.html", context)
    return render(request, "reports/job.html", context)


@login_required
def report_download(request: HttpRequest, job_id: str) -> FileResponse:
    job = _own_job(request, job_id)
    path = job_file(job)
    if job.status != ReportJob.Status.DONE or not path.is_file():
        raise Http404(_("Báo cáo chưa lập xong hoặc tệp không còn; hãy lập lại."))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=CONTENT_TYPES[job.format],
    )
