"""Thin views: the template download, the export, and the import pages (upload, dry run with
live status, commit, the file of errors). Access: a unit outside the user's scope is 404; an
import job is its uploader's only (404 for anyone else)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ntm.accounts import access
from ntm.audit.services import audit_request
from ntm.core.years import YearsError, years_parse
from ntm.exchange import jobs
from ntm.exchange.annotate import errors_csv, workbook_annotated
from ntm.exchange.export import (
    CONTENT_TYPES,
    FORMATS,
    ExportError,
    export_bytes,
    export_collect,
    export_filename,
    export_summary,
)
from ntm.exchange.models import ImportJob
from ntm.exchange.readers.base import MB, WORKBOOK_FORMATS
from ntm.exchange.template import TemplateError, template_build
from ntm.exchange.verdicts import verdicts_shown
from ntm.units.models import Level, Unit
from ntm.units.selectors import years_in_force


def _unit_or_404(request: HttpRequest, unit_id: int) -> Unit:
    unit = Unit.objects.select_related("parent__parent__parent").filter(pk=unit_id).first()
    if unit is None or not access.can_view_unit(request.user, unit):
        raise Http404(_("Không có đơn vị này trong phạm vi của bạn."))
    return unit


def _download(data: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    # The uploader chose the name: quotes and Vietnamese letters are encoded (RFC 6266).
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _may_import(user: Any) -> bool:
    return access.can_import_values(user)


@login_required
@require_GET
def template_download(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    level = Level.VILLAGE.value if request.GET.get("cap") == "thon" else Level.COMMUNE.value
    try:
        data = template_build(unit=unit, year=year, user=request.user, level=level)
    except TemplateError as exc:
        context = {"message": str(exc), "back": request.META.get("HTTP_REFERER", "/")}
        return render(request, "exchange/problem.html", context, status=400)
    name = f"bieu-mau-ntm-{unit.code}-{year}{'-thon' if level == 'village' else ''}.xlsx"
    audit_request(
        request,
        action="export.template",
        object_type="unit",
        object_id=unit.code,
        unit=unit,
        year=year,
        after={"file": name, "level": level},
    )
    return _download(data, name, CONTENT_TYPES["xlsx"])


@login_required
@require_GET
def export_page(request: HttpRequest, unit_id: int) -> HttpResponse:
    unit = _unit_or_404(request, unit_id)
    fmt = request.GET.get("dinh_dang", "")
    years_text = request.GET.get("nam", "").strip()
    context: dict[str, Any] = {"unit": unit, "formats": FORMATS, "years": years_text, "fmt": fmt}
    if not fmt:
        context["years"] = years_text or _default_years(unit)
        return render(request, "exchange/export.html", context)
    try:
        if fmt not in FORMATS:
            raise ExportError(_("Định dạng «%(format)s» không hỗ trợ") % {"format": fmt})
        data = export_collect(code=unit.code, years=years_parse(years_text), user=request.user)
    except (ExportError, YearsError) as exc:
        context["error"] = str(exc)
        return render(request, "exchange/export.html", context, status=400)
    body = export_bytes(data, fmt, user=request.user)
    name = export_filename(data, fmt)
    audit_request(
        request,
        action="export.data",
        object_type="unit",
        object_id=unit.code,
        unit=unit,
        after=export_summary(data, fmt, name),
    )
    return _download(body, name, CONTENT_TYPES[fmt])


def _default_years(unit: Unit) -> str:
    years = years_in_force(unit=unit, first=2011, last=dt.date.today().year)
    if not years:
        return str(dt.date.today().year)
    return f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated or not _may_import(request.user):
        raise PermissionDenied(_("Tài khoản của bạn không có quyền nhập số liệu."))
    limits = jobs.import_limits()
    context: dict[str, Any] = {
        "max_mb": limits.max_bytes // MB,
        "recent": ImportJob.objects.filter(user=request.user)[:10],
    }
    if request.method == "GET":
        return render(request, "exchange/upload.html", context)
    upload = request.FILES.get("tep")
    if upload is None or not upload.size:
        context["error"] = _("Chưa chọn tệp, hoặc tệp rỗng.")
        return render(request, "exchange/upload.html", context, status=400)
    if upload.size > limits.max_bytes:
        context["error"] = _(
            "Tệp «%(name)s» lớn hơn giới hạn %(mb)s MB một lần nhập; "
            "hãy chia thành nhiều tệp nhỏ hơn."
        ) % {"name": upload.name, "mb": context["max_mb"]}
        return render(request, "exchange/upload.html", context, status=400)
    try:
        with transaction.atomic():  # admitted and created under the user's row lock
            jobs.job_admit(user=request.user, size=upload.size)
            job = jobs.job_create(user=request.user, name=upload.name or "", data=upload.read())
    except jobs.ImportBusy as exc:
        context["error"] = str(exc)
        return render(request, "exchange/upload.html", context, status=429)
    jobs.job_start(job, jobs.CHECK)
    return redirect("exchange_job", job_id=job.pk)


def _job_or_404(request: HttpRequest, job_id: Any) -> ImportJob:
    user = request.user
    job = ImportJob.objects.filter(pk=job_id, user=user).first() if user.is_authenticated else None
    if job is None:
        raise Http404(_("Không tìm thấy lượt nhập này."))
    return job


def _job_context(job: ImportJob, user: Any) -> dict[str, Any]:
    state = jobs.job_state(job)
    report = job.report or {}
    counts = report.get("counts", {})
    shown_errors = len(report.get("errors", []))
    return {
        "job": job,
        "phase": job.phase,
        "done": job.done,
        "total": job.total,
        "percent": job.percent,
        "waiting": state.waiting,
        "waiting_long": state.waiting_long,
        "stale_minutes": int(jobs.STALE_AFTER.total_seconds() // 60),
        "interrupted": state.interrupted,
        "report": report,
        "counts": counts,
        "more_errors": counts.get("errors", 0) - shown_errors,
        "more_changes": counts.get("added", 0)
        + counts.get("changed", 0)
        - len(report.get("changes", [])),
        "annotated": job.format in WORKBOOK_FORMATS,
        # Not polled while the job runs: the page shows a result only once it stands still.
        "verdicts": {}
        if job.running
        else verdicts_shown(verdicts=report.get("verdicts") or {}, user=user),
    }


@login_required
@require_GET
def import_job(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job_or_404(request, job_id)
    return render(request, "exchange/job.html", _job_context(job, request.user))


@login_required
@require_GET
def import_job_status(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The part of the job page that changes; HTMX polls it while the job runs."""
    job = _job_or_404(request, job_id)
    return render(request, "exchange/_status.html", _job_context(job, request.user))


@login_required
@require_POST
def import_job_commit(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job_or_404(request, job_id)
    if job.status != ImportJob.Status.CHECKED:
        context = {
            "message": _("Lượt nhập «%(name)s» không ở trạng thái chờ ghi (%(status)s).")
            % {"name": job.file_name, "status": job.get_status_display().lower()},
            "back": f"/nhap-tep/{job.pk}/",
        }
        return render(request, "exchange/problem.html", context, status=409)
    return _start(request, job, jobs.COMMIT)


@login_required
@require_POST
def import_job_recheck(request: HttpRequest, job_id: Any) -> HttpResponse:
    """Check the file again: after a failure, or a job whose worker died."""
    job = _job_or_404(request, job_id)
    interrupted = jobs.job_state(job).interrupted
    if job.status == ImportJob.Status.DONE or (job.running and not interrupted):
        return redirect("exchange_job", job_id=job.pk)
    return _start(request, job, jobs.CHECK)


def _start(request: HttpRequest, job: ImportJob, step: str) -> HttpResponse:
    try:
        with transaction.atomic():  # admitted and claimed under the user's row lock
            jobs.job_admit(user=request.user, size=job.size)
            started = jobs.job_start(job, step)
    except jobs.ImportBusy as exc:
        context = {"message": str(exc), "back": f"/nhap-tep/{job.pk}/"}
        return render(request, "exchange/problem.html", context, status=429)
    if not started:
        messages.info(request, _("Lượt nhập này vừa được bắt đầu từ một cửa sổ khác."))
    return redirect("exchange_job", job_id=job.pk)


@login_required
@require_GET
def import_job_errors(request: HttpRequest, job_id: Any) -> HttpResponse:
    """The user's workbook with red, commented cells; a CSV of errors for other formats."""
    job = _job_or_404(request, job_id)
    problems = jobs.job_problems(job)
    if not problems:
        raise Http404(_("Lượt nhập này không có lỗi."))
    stem = job.file_name.rsplit(".", 1)[0]
    if job.format in WORKBOOK_FORMATS:
        try:
            data = workbook_annotated(jobs.job_file(job).read_bytes(), problems)
            return _download(data, f"{stem}-loi.xlsx", CONTENT_TYPES["xlsx"])
        except Exception:  # a workbook openpyxl reads but cannot rewrite: give the list
            pass
    return _download(errors_csv(problems), f"{stem}-loi.csv", CONTENT_TYPES["csv"])


@login_required
@require_GET
def import_job_diff(request: HttpRequest, job_id: Any) -> HttpResponse:
    job = _job_or_404(request, job_id)
    path = jobs.job_file(job, ".diff.csv")
    if not path.is_file():
        raise Http404(_("Chưa có bảng đối chiếu."))
    stem = job.file_name.rsplit(".", 1)[0]
    return _download(path.read_bytes(), f"{stem}-doi-chieu.csv", CONTENT_TYPES["csv"])
