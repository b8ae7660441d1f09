"""Reports asked for on the web run in the task queue (`ntm worker`), never in a web worker.

The job row carries the phase for the status page; the finished file is kept under
DATA_DIR/reports by the job's uuid (never a name the user chose) until its owner fetches it.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext_noop
from django_tasks import TaskContext, task

from ntm.audit.models import Origin
from ntm.reports.data import ReportError
from ntm.reports.models import ReportJob
from ntm.reports.services import header_from, report_make

log = logging.getLogger(__name__)
Status = ReportJob.Status
MAX_ACTIVE_PER_USER = 3  # a user's unfinished reports: more would only fill the queue


class ReportBusy(Exception):
    """The user already has MAX_ACTIVE_PER_USER reports being made."""


def report_root() -> Path:
    return Path(settings.DATA_DIR) / "reports"


def job_file(job: ReportJob) -> Path:
    return report_root() / f"{job.pk.hex}.{job.format}"


def report_job_create(
    *, user: Any, unit: Any, year: int, period: str, fmt: str, header: dict[str, Any]
) -> ReportJob:
    """Queue a report; the user's row is locked so two clicks are counted one after the other."""
    from django.contrib.auth import get_user_model

    with transaction.atomic():
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        active = ReportJob.objects.filter(user=user, status__in=ReportJob.RUNNING).count()
        if active >= MAX_ACTIVE_PER_USER:
            raise ReportBusy
        job = ReportJob.objects.create(
            user=user,
            unit=unit,
            year=year,
            period=period,
            format=fmt,
            header=header,
            status=Status.QUEUED,
            phase=gettext_noop("Chờ máy xử lý nền"),
        )
        job.task_id = report_job_run.enqueue(str(job.pk)).id
        job.save(update_fields=["task_id"])
    return job


@task(takes_context=True)
def report_job_run(context: TaskContext, job_id: str) -> str:
    job = ReportJob.objects.select_related("user", "unit").filter(pk=job_id).first()
    if job is None or job.task_id != context.task_result.id:
        return "overtaken"
    try:
        _run(job)
    except BaseException:  # the worker stopped by force in the middle
        _fail(job.pk, "Máy xử lý nền bị dừng giữa chừng. Hãy lập lại báo cáo.")
        raise
    return str(ReportJob.objects.values_list("status", flat=True).get(pk=job.pk))


def _run(job: ReportJob) -> None:
    ReportJob.objects.filter(pk=job.pk).update(status=Status.RUNNING, phase=gettext_noop("Bắt đầu"))
    try:
        made = report_make(
            unit=job.unit,
            year=job.year,
            period=job.period,
            fmt=job.format,
            header=header_from(job.header),
            actor=job.user,
            origin=Origin.PAGE,
            origin_detail=f"báo cáo {job.pk}",
            step=_step(job.pk),
        )
    except ReportError as exc:
        _fail(job.pk, str(exc))
        return
    except Exception as exc:
        log.exception("report job %s failed", job.pk)
        _fail(job.pk, f"Lỗi hệ thống khi lập báo cáo: {type(exc).__name__}.")
        return
    path = job_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(made.content)
    ReportJob.objects.filter(pk=job.pk).update(
        status=Status.DONE,
        phase=gettext_noop("Xong"),
        file_name=made.file_name,
        digest=made.digest,
        finished_at=timezone.now(),
        message="",
    )


def _step(job_id: Any) -> Any:
    def tell(phase: str, done: int, total: int) -> None:
        try:
            ReportJob.objects.filter(pk=job_id).update(phase=phase, done=done, total=total)
        except DatabaseError:  # a busy database must not stop the report for a progress line
            log.warning("report job %s: progress not saved", job_id)

    return tell


def _fail(job_id: Any, message: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED,
        phase=gettext_noop("Dừng"),
        message=message[:2000],
        finished_at=timezone.now(),
    )
