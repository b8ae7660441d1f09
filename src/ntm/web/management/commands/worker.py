"""`ntm worker`: the task worker (django-tasks-db's `db_worker`, same options) under a name
operators recognise. It runs the queued background jobs: web imports of large files and
national re-evaluations."""

from __future__ import annotations

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = (
        "Chạy tiến trình xử lý tác vụ nền của ntm (nhập tệp lớn trên web, đánh giá lại toàn "
        "quốc); cùng các tùy chọn với db_worker. `ntm serve` tự chạy một tiến trình như vậy."
    )
