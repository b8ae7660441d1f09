"""Imports started on the web: the stored file, the dry run, the commit, the status page.

A small file (up to sync_max_bytes) is checked, and later written, within the request. A larger
one is a task in the database queue (Django's task interface), run by the task worker
(`ntm worker`, which `ntm serve` starts beside gunicorn): the job row names the task, the
worker writes phase, done and total to the row while it checks, and the page polls the row. A
queued job survives a restart of the web server and every web server sees it.

The commit writes inside one transaction: progress written there would only become visible at
its end (PostgreSQL) or wait behind its write lock (SQLite). So the row says how many values
are being written before the transaction opens, and the page waits for the end; inside the
transaction the worker holds a lock on the job row, which tells the page (PostgreSQL) that a
long commit is still alive.

A job whose worker died says so and may be run again: its task ended without finishing the
job (a worker stopped by force), or nothing was heard from it for STALE_AFTER (a killed
worker; COMMIT_STALE_AFTER for a commit where the database cannot show its lock, SQLite).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import TaskContext, TaskResultStatus, task
from django_tasks.exceptions import TaskException
from django_tasks_db.models import DBTaskResult

from ntm.core.values import format_number
from ntm.exchange.annotate import diff_csv
from ntm.exchange.models import ImportJob
from ntm.exchange.plan import Progress
from ntm.exchange.readers.base import MB, Limits
from ntm.exchange.services import (
    ImportRefused,
    ImportSource,
    Plan,
    PlanChanged,
    import_commit,
    import_plan,
    plan_report,
)
from ntm.exchange.verdicts import verdicts_planned
from ntm.spreadsheet import Problem

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=10)
COMMIT_STALE_AFTER = dt.timedelta(hours=1)
CHECK, COMMIT = "check", "commit"
Status = ImportJob.Status


# Settings ---------------------------------------------------------------------------------


def import_limits() -> Limits:
    # The readers stop at max_cells; above the per-import limit, so that a refusal can name
    # the file's count (services.too_many_values).
    cells = max(Limits().max_cells, max_values())
    return Limits(max_bytes=int(getattr(settings, "NTM_IMPORT_MAX_MB", 50)) * MB, max_cells=cells)


def sync_max_bytes() -> int:
    """Files up to this size are checked and written within the request."""
    return int(getattr(settings, "NTM_IMPORT_SYNC_MAX_BYTES", 256 * 1024))


def max_values() -> int:
    """Values one web import may hold: checking and writing take time in proportion."""
    return int(getattr(settings, "NTM_IMPORT_MAX_VALUES", 500_000))


def max_active_per_user() -> int:
    return int(getattr(settings, "NTM_IMPORT_MAX_ACTIVE_PER_USER", 2))


def max_queued() -> int:
    return int(getattr(settings, "NTM_IMPORT_MAX_QUEUED", 20))


def import_root() -> Path:
    return Path(getattr(settings, "NTM_IMPORT_ROOT", Path(settings.DATA_DIR) / "imports"))


# Files ------------------------------------------------------------------------------------


def job_file(job: ImportJob, suffix: str = "") -> Path:
    """Where the upload (and its error list, its comparison CSV) are kept: a uuid name."""
    return import_root() / f"{job.pk.hex}{suffix}"


def job_create(*, user: Any, name: str, data: bytes) -> ImportJob:
    clean = name.replace("\\", "/").rsplit("/", 1)[-1][:255] or "tep-nhap"
    source = ImportSource(clean, data)
    job = ImportJob(
        user=user,
        file_name=clean,
        size=len(data),
        sha256=source.sha256,
        status=Status.CHECKING,
        phase="Chờ kiểm tra",
    )
    path = job_file(job)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    job.save()
    return job


def job_source(job: ImportJob) -> ImportSource:
    return ImportSource(job.file_name, job_file(job).read_bytes())


def job_problems(job: ImportJob) -> list[Problem]:
    path = job_file(job, ".errors.json")
    if not path.is_file():
        return []
    return [Problem.from_dict(d) for d in json.loads(path.read_text(encoding="utf-8"))]


def _store(job: ImportJob, plan: Plan, progress: Progress | None = None) -> None:
    job.report = plan_report(plan)
    if plan.ok:  # a file with errors writes nothing: no verdict would change
        job.report["verdicts"] = verdicts_planned(changes=plan.changes, progress=progress)
    job.format = plan.format
    job.digest = plan.digest()
    errors = json.dumps([p.as_dict() for p in plan.problems], ensure_ascii=False)
    job_file(job, ".errors.json").write_text(errors, encoding="utf-8")
    job_file(job, ".diff.csv").write_bytes(diff_csv(plan.changes, plan.format))


# Limits -----------------------------------------------------------------------------------


class ImportBusy(Exception):
    """Another job now would pass a limit on unfinished jobs: nothing was stored or queued."""


def job_admit(*, user: Any, size: int) -> None:
    """Raise ImportBusy if ``user`` may not start a job on a file of ``size`` bytes now.

    Called in the transaction that then creates or starts the job: the user's row is locked
    first, so two uploads at the same moment are counted one after the other, not both
    against the same count."""
    list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
    running = ImportJob.objects.filter(user=user, status__in=ImportJob.RUNNING)
    active = sum(1 for job in running if not job_state(job).interrupted)
    limit = max_active_per_user()
    if active >= limit:
        raise ImportBusy(
            _(
                "Bạn đang có %(active)d lượt nhập chưa xong; mỗi người được chạy tối đa "
                "%(limit)d lượt cùng lúc. Hãy chờ một lượt xong rồi làm tiếp (các lượt gần "
                "đây có ở trang «Nhập số liệu từ tệp»)."
            )
            % {"active": active, "limit": limit}
        )
    if size > sync_max_bytes() and _queued() >= max_queued():
        raise ImportBusy(
            _(
                "Hàng đợi nhập tệp đang đầy (%(queued)d lượt đang chờ máy xử lý nền). Hãy thử "
                "lại sau ít phút."
            )
            % {"queued": _queued()}
        )


def _queued() -> int:
    """Import tasks waiting for a worker, everyone's (the database backend of settings.TASKS)."""
    return DBTaskResult.objects.ready().filter(task_path=import_job_run.module_path).count()


# Running a step ---------------------------------------------------------------------------


def job_start(job: ImportJob, step: str) -> bool:
    """Run ``step`` (CHECK or COMMIT): within the request for a small file, else queue it.

    The job is claimed first: its row moves on only if it is still as this request read it
    (status and time of the last change), so of two clicks on "Ghi" (or two tabs) one starts
    the step and the other gets False and just shows the job. The task is queued in the
    transaction that claims the job and names the task, so a worker never finds a task its
    job does not know yet.
    """
    read_status, read_at = job.status, job.updated_at
    job.status = Status.COMMITTING if step == COMMIT else Status.CHECKING
    job.message, job.done, job.total, job.task_id = "", 0, 0, ""
    job.phase = _commit_phase(job) if step == COMMIT else "Chờ kiểm tra"
    job.updated_at = timezone.now()
    fields = ["status", "message", "phase", "done", "total", "task_id", "updated_at"]
    with transaction.atomic():
        if job.size > sync_max_bytes():
            job.task_id = import_job_run.enqueue(str(job.pk), step).id
        claimed = ImportJob.objects.filter(
            pk=job.pk, status=read_status, updated_at=read_at
        ).update(**{name: getattr(job, name) for name in fields})
        if not claimed:
            transaction.set_rollback(True)  # and the queued task with it
            return False
    if not job.task_id:
        _guarded(job.pk, _STEPS[step])
    return True


def _commit_phase(job: ImportJob) -> str:
    counts = (job.report or {}).get("counts", {})
    writes = counts.get("added", 0) + counts.get("changed", 0)
    return f"{_grouped(writes)} giá trị"  # shown as "Đang ghi (12.345 giá trị)"


def _grouped(number: int) -> str:
    return format_number(number)  # Vietnamese thousands: 12.345


@task(takes_context=True)
def import_job_run(context: TaskContext, job_id: str, step: str) -> str:
    """The worker's side of a job; does nothing if the job moved on since it was queued."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.task_id != context.task_result.id:
        return "overtaken"
    try:
        _guarded(job.pk, _STEPS[step])
    except BaseException:  # SystemExit: the worker was stopped by force in the middle
        _fail(job.pk, "Máy xử lý nền bị dừng giữa chừng, không ghi gì. Hãy chạy lại.")
        raise
    return str(ImportJob.objects.values_list("status", flat=True).get(pk=job.pk))


def _guarded(job_id: Any, action: Callable[[Any], None]) -> None:
    """Run a step; an unexpected error ends the job FAILED with a message, never half-written
    (the commit's transaction has rolled back by then)."""
    try:
        action(job_id)
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _fail(job_id, f"Lỗi hệ thống, không ghi gì: {type(exc).__name__}: {exc}")


def _fail(job_id: Any, message: str) -> None:
    ImportJob.objects.filter(pk=job_id).update(
        status=Status.FAILED, message=message[:2000], phase="Dừng do lỗi"
    )


def _progress(job_id: Any) -> Progress:
    """Phase, done and total on the job row, at most twice a second (the dry run)."""
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        if connection.in_atomic_block:  # in a transaction nobody would see it before the end
            return
        try:
            ImportJob.objects.filter(pk=job_id).update(
                phase=phase, done=done, total=total, updated_at=timezone.now()
            )
        except DatabaseError:  # a busy database must not stop the import for a progress line
            log.warning("import job %s: progress not saved", job_id)

    return report


def _commit_lock(job_id: Any) -> Progress:
    """The commit's progress: none is visible, but the first report inside its transaction
    locks the job row until the end, which the status page reads as "alive"."""
    locked = [False]

    def report(phase: str, done: int, total: int) -> None:
        if connection.in_atomic_block and not locked[0]:
            list(ImportJob.objects.select_for_update().filter(pk=job_id).values_list("pk"))
            locked[0] = True

    return report


def job_check(job_id: Any) -> None:
    """The dry run; the job ends CHECKED (ready to write) or REFUSED (with its problems)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    plan = import_plan(
        source=job_source(job),
        user=job.user,
        limits=import_limits(),
        progress=_progress(job.pk),
        max_values=max_values(),
    )
    _store(job, plan, _progress(job.pk))
    if plan.ok:
        job.status = Status.CHECKED
        job.message = ""
    else:
        job.status = Status.REFUSED
        job.message = (
            f"Tệp có {_grouped(len(plan.problems))} lỗi: không ghi gì. Sửa các lỗi rồi tải lên lại."
        )
    job.phase = "Kiểm tra xong"
    _finish(job)


def job_commit(job_id: Any) -> None:
    """Write what the approved dry run showed, or nothing (the job says why)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        plan = import_commit(
            source=job_source(job),
            user=job.user,
            expected_digest=job.digest,
            limits=import_limits(),
            progress=_commit_lock(job.pk),
            max_values=max_values(),
        )
    except ImportRefused as exc:
        _store(job, exc.plan)
        job.status = Status.REFUSED
        job.message = (
            f"Khi ghi, tệp có {_grouped(len(exc.plan.problems))} lỗi (số liệu hoặc quyền đã thay đổi từ "
            "lúc kiểm tra): không ghi gì."
        )
    except PlanChanged as exc:
        _store(job, exc.plan)
        job.status = Status.CHECKED
        job.message = str(exc)
    else:
        counts = plan.counts
        job.status = Status.DONE
        job.finished_at = timezone.now()
        job.message = (
            f"Đã ghi: thêm {_grouped(counts['added'])} giá trị, sửa "
            f"{_grouped(counts['changed'])} giá trị, {_grouped(counts['unchanged'])} giá trị "
            "giữ nguyên; đã đánh giá lại các xã liên quan."
        )
    job.phase = "Xong"
    _finish(job, "finished_at")


def _finish(job: ImportJob, *extra: str) -> None:
    """Save a step's outcome, unless the job was started again meanwhile (after it was taken
    for interrupted, say): then the newer run owns the row and this outcome is dropped."""
    fields = ["status", "message", "phase", "report", "format", "digest", *extra]
    ImportJob.objects.filter(pk=job.pk, task_id=job.task_id).update(
        updated_at=timezone.now(), **{name: getattr(job, name) for name in fields}
    )


_STEPS: dict[str, Callable[[Any], None]] = {CHECK: job_check, COMMIT: job_commit}


# Where a job stands -----------------------------------------------------------------------


@dataclass(frozen=True)
class JobState:
    """What the status page shows of a job: ``waiting`` in the queue (``waiting_long``: no
    worker took it for STALE_AFTER), or ``interrupted`` (its worker died)."""

    waiting: bool = False
    waiting_long: bool = False
    interrupted: bool = False


def job_state(job: ImportJob) -> JobState:
    if not job.running:
        return JobState()
    status = _task_status(job)
    silent = timezone.now() - job.updated_at
    if status == TaskResultStatus.READY:
        return JobState(waiting=True, waiting_long=silent > STALE_AFTER)
    if status in (TaskResultStatus.FAILED, TaskResultStatus.SUCCESSFUL):
        return JobState(interrupted=True)  # the task ended, the job did not
    return JobState(interrupted=_gone_silent(job, silent))


def _task_status(job: ImportJob) -> str | None:
    """The queued task's status; None for a step run within a request, or a result pruned."""
    if not job.task_id:
        return None
    try:
        return str(import_job_run.get_result(job.task_id).status)
    except TaskException:
        return None


def _gone_silent(job: ImportJob, silent: dt.timedelta) -> bool:
    if job.status != Status.COMMITTING:
        return silent > STALE_AFTER
    if not connection.features.has_select_for_update_skip_locked:  # SQLite: a lock is unseen
        return silent > COMMIT_STALE_AFTER
    return silent > STALE_AFTER and not _commit_alive(job)


def _commit_alive(job: ImportJob) -> bool:
    """A commit holds the job row's lock until its transaction ends (_commit_lock)."""
    with transaction.atomic():
        free = ImportJob.objects.select_for_update(skip_locked=True).filter(pk=job.pk)
        return not list(free.values_list("pk"))  # skipped: someone holds the lock
