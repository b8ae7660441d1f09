"""Background jobs in tests: run what is queued, with the worker's own code.

Tests keep the database task backend of the settings, so a job waits in its table as it does
in production (a page can be read while it is queued). ``run_tasks`` then does what
`ntm db_worker --batch` does, through its ``Worker.run_task``, inside the test's transaction;
the command's loop around it (signal handlers, recycling old connections) would end that
transaction.
"""

from __future__ import annotations

from django.db import transaction
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def run_tasks() -> int:
    """Run every queued job, oldest first; returns how many ran (failed ones included)."""
    worker = Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        with transaction.atomic():
            job = DBTaskResult.objects.ready().get_locked()
            if job is None:
                return ran
            job.claim(worker.worker_id)
        worker.run_task(job)
        ran += 1
