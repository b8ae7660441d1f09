"""Imports started on the web: the stored file, the dry run, the commit, the live status.

A small file is checked (and later written) within the request. A large one runs in a
background thread of the web process while the page polls the ImportJob row. The commit
writes inside one transaction, so its progress cannot be seen through the database until it
ends; it is kept in this process's memory (``_LIVE``) too, which the status page reads when
the poll lands on the same process. A job whose process died stays "running": after
STALE_AFTER without news the page says it was interrupted and offers to check again.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.utils import timezone

from ntm.exchange.annotate import diff_csv
from ntm.exchange.models import ImportJob
from ntm.exchange.plan import Progress
from ntm.exchange.readers.base import MB, Limits, Problem
from ntm.exchange.services import (
    ImportRefused,
    ImportSource,
    Plan,
    PlanChanged,
    import_commit,
    import_plan,
    plan_report,
)

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=10)
_LIVE: dict[str, tuple[str, int, int]] = {}


def import_limits() -> Limits:
    return Limits(max_bytes=int(getattr(settings, "NTM_IMPORT_MAX_MB", 50)) * MB)


def sync_max_bytes() -> int:
    """Files up to this size are checked and written within the request."""
    return int(getattr(settings, "NTM_IMPORT_SYNC_MAX_BYTES", 256 * 1024))


def import_root() -> Path:
    return Path(getattr(settings, "NTM_IMPORT_ROOT", Path(settings.DATA_DIR) / "imports"))


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
        status=ImportJob.Status.CHECKING,
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


def _store(job: ImportJob, plan: Plan) -> None:
    job.report = plan_report(plan)
    job.format = plan.format
    job.digest = plan.digest()
    errors = json.dumps([p.as_dict() for p in plan.problems], ensure_ascii=False)
    job_file(job, ".errors.json").write_text(errors, encoding="utf-8")
    job_file(job, ".diff.csv").write_bytes(diff_csv(plan.changes, plan.format))


def _progress(job_id: Any) -> Progress:
    key = str(job_id)
    last = [0.0]

    def report(phase: str, done: int, total: int) -> None:
        _LIVE[key] = (phase, done, total)
        now = time.monotonic()
        if now - last[0] < 0.5 and done < total:
            return
        last[0] = now
        if connection.in_atomic_block:  # inside the commit it would be invisible anyway
            return
        try:
            ImportJob.objects.filter(pk=job_id).update(
                phase=phase, done=done, total=total, updated_at=timezone.now()
            )
        except DatabaseError:  # a busy database must not stop the import for a progress line
            log.warning("import job %s: progress not saved", job_id)

    return report


def job_check(job_id: Any) -> None:
    """The dry run; the job ends CHECKED (ready to write) or REFUSED (with its problems)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    plan = import_plan(
        source=job_source(job), user=job.user, limits=import_limits(), progress=_progress(job.pk)
    )
    _store(job, plan)
    if plan.ok:
        job.status = ImportJob.Status.CHECKED
        job.message = ""
    else:
        job.status = ImportJob.Status.REFUSED
        job.message = f"Tệp có {len(plan.problems)} lỗi: không ghi gì. Sửa các lỗi rồi tải lên lại."
    job.phase = "Kiểm tra xong"
    job.save()


def job_commit(job_id: Any) -> None:
    """Write what the approved dry run showed, or nothing (the job says why)."""
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    try:
        plan = import_commit(
            source=job_source(job),
            user=job.user,
            expected_digest=job.digest,
            limits=import_limits(),
            progress=_progress(job.pk),
        )
    except ImportRefused as exc:
        _store(job, exc.plan)
        job.status = ImportJob.Status.REFUSED
        job.message = (
            f"Khi ghi, tệp có {len(exc.plan.problems)} lỗi (số liệu hoặc quyền đã thay đổi từ "
            "lúc kiểm tra): không ghi gì."
        )
    except PlanChanged as exc:
        _store(job, exc.plan)
        job.status = ImportJob.Status.CHECKED
        job.message = str(exc)
    else:
        counts = plan.counts
        job.status = ImportJob.Status.DONE
        job.finished_at = timezone.now()
        job.message = (
            f"Đã ghi: thêm {counts['added']} giá trị, sửa {counts['changed']} giá trị, "
            f"{counts['unchanged']} giá trị giữ nguyên; đã đánh giá lại các xã liên quan."
        )
    job.phase = "Xong"
    job.save()


def job_start(job: ImportJob, action: Callable[[Any], None], *, background: bool) -> None:
    if action is job_commit:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.COMMITTING, phase="Chờ ghi", done=0, total=0
        )
    if not background:
        _guarded(job.pk, action)
        return
    name = f"ntm-import-{job.pk.hex}"
    thread = threading.Thread(target=_in_thread, args=(job.pk, action), daemon=True, name=name)
    thread.start()


def _in_thread(job_id: Any, action: Callable[[Any], None]) -> None:
    try:
        _guarded(job_id, action)
    finally:
        connection.close()  # a thread's connection is its own: close it, or it leaks


def _guarded(job_id: Any, action: Callable[[Any], None]) -> None:
    """Run a step; an unexpected error ends the job FAILED with a message, never half-written
    (the commit's transaction has rolled back by then)."""
    try:
        action(job_id)
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        ImportJob.objects.filter(pk=job_id).update(
            status=ImportJob.Status.FAILED,
            message=f"Lỗi hệ thống, không ghi gì: {type(exc).__name__}: {exc}"[:2000],
            phase="Dừng do lỗi",
        )
    finally:
        _LIVE.pop(str(job_id), None)


def job_live(job: ImportJob) -> tuple[str, int, int, bool]:
    """(phase, done, total, interrupted) as the status page shows it."""
    live = _LIVE.get(str(job.pk))
    if live is not None:
        return (*live, False)
    stale = job.running and timezone.now() - job.updated_at > STALE_AFTER
    return job.phase, job.done, job.total, stale
