"""National re-evaluation as a background job, run by the task worker (`ntm worker`).

A change that touches every commune-year of the country (a criteria set imported or replaced on
the web) records a ReevaluationRun and leaves the work to the worker: at national scale it takes
over a minute, too long for a request. The run re-evaluates in one transaction, so readers see
every old verdict until it commits and every new one after: nobody reads a mix. Until then the
pages say so (web.context.reevaluation_notice).
"""

from __future__ import annotations

import logging
from functools import partial
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from ntm.criteria.services import criteria_set_record_save
from ntm.indicators.models import ReevaluationRun
from ntm.indicators.reevaluation import commune_years, reevaluate

log = logging.getLogger(__name__)
Status = ReevaluationRun.Status


def reevaluation_run_enqueue(
    *,
    criteria_set: str,
    years: list[int],
    requested_by: Any = None,
    pending_set: dict[str, Any] | None = None,
) -> ReevaluationRun:
    """Record a run in the caller's transaction; the job is enqueued once that commits (a
    worker must not start on a change it cannot see yet, nor on one that was rolled back).
    ``pending_set``: a criteria set the run stores itself before re-evaluating."""
    run = ReevaluationRun.objects.create(
        criteria_set=criteria_set,
        years=sorted(years),
        requested_by=requested_by if getattr(requested_by, "is_authenticated", False) else None,
        pending_set=pending_set,
    )
    transaction.on_commit(partial(reevaluate_run.enqueue, run.pk))
    return run


@task()
def reevaluate_run(run_id: int) -> int:
    """Re-evaluate the run's scope; returns how many commune-years it went through.

    Progress is written twice, outside and at the end of the big transaction: ``total`` when
    the run starts, ``done`` in the transaction that writes the verdicts. Counts written in
    between would stay invisible until the commit (PostgreSQL) or wait behind its write lock
    (SQLite); finer progress would need a store outside the database, shared by the web
    processes, which ntm does not have (its cache is per process).
    """
    run = ReevaluationRun.objects.get(pk=run_id)
    if run.status != Status.QUEUED:  # a job run twice: nothing to redo
        return run.done
    years = run.years or None
    run.status, run.started_at = Status.RUNNING, timezone.now()
    run.total = sum(len(ids) for ids in commune_years(years=years).values())
    run.save(update_fields=["status", "started_at", "total"])
    counts = {"done": 0, "total": run.total}
    try:
        with transaction.atomic():
            _wait_for_earlier_runs()
            if run.pending_set is not None:
                _store_pending_set(run, counts)
            else:
                reevaluate(
                    years=years,
                    progress=lambda done, total: counts.update(done=done, total=total),
                )
            ReevaluationRun.objects.filter(pk=run.pk).update(
                status=Status.DONE, finished_at=timezone.now(), **counts
            )
    except BaseException as exc:  # SystemExit too: a worker stopped by force mid-run
        log.exception("Re-evaluation run %s failed", run.pk)
        ReevaluationRun.objects.filter(pk=run.pk).update(
            status=Status.FAILED, finished_at=timezone.now(), error=_failure(run, exc)
        )
        raise
    return counts["done"]


def _store_pending_set(run: ReevaluationRun, counts: dict[str, int]) -> None:
    """Store the set (audited as its uploader) and re-evaluate what it judges, in the run's
    transaction (criteria_set_record_save does both)."""
    assert run.pending_set is not None
    criteria_set_record_save(**run.pending_set, actor=run.requested_by)
    counts["done"] = counts["total"]


def _wait_for_earlier_runs() -> None:
    """Two workers must not re-evaluate at once: each would delete the verdicts the other has
    not committed yet and then collide on inserting them. Every run locks the running runs'
    rows in id order, so a second run waits for the first to commit (PostgreSQL). SQLite
    ignores the lock and serialises writers by itself."""
    list(ReevaluationRun.objects.select_for_update().filter(status=Status.RUNNING).order_by("pk"))


def _failure(run: ReevaluationRun, exc: BaseException) -> str:
    scope = f"theo bộ tiêu chí {run.criteria_set}" if run.criteria_set else "toàn bộ"
    reason = str(exc) or type(exc).__name__
    if run.pending_set is not None:
        return (
            f"Không áp dụng được bộ tiêu chí {run.criteria_set} ({reason}). Không có gì bị thay "
            "đổi: bộ tiêu chí và kết quả vẫn như trước; hãy nhập lại bảng tính."
        )
    return (
        f"Không đánh giá lại được kết quả {scope} ({reason}). Không kết quả nào bị thay đổi: "
        "các trang vẫn hiện kết quả trước thay đổi; chạy lại bằng `ntm reevaluate`."
    )


def reevaluation_runs_close(*, years: list[int] | None) -> int:
    """After `ntm reevaluate` went through ``years`` (None: every year) for the whole country,
    the runs it covered have nothing left to do, failed or killed ones included."""
    runs = ReevaluationRun.objects.exclude(status=Status.DONE)
    closed = 0
    for run in runs:
        if years is None or (run.years and set(run.years) <= set(years)):
            run.status, run.finished_at = Status.DONE, timezone.now()
            run.error = (run.error + " " if run.error else "") + "Đã làm lại bằng ntm reevaluate."
            run.save(update_fields=["status", "finished_at", "error"])
            closed += 1
    return closed
