import os
import signal
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = (
        "Chạy máy chủ web (gunicorn) phục vụ ntm, cùng một tiến trình xử lý tác vụ nền "
        "(ntm worker) trừ khi có --no-worker."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="không chạy tác vụ nền ở đây (khi chạy `ntm worker` thành dịch vụ riêng)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"ntm đang chạy tại http://{options['bind']}/ (Ctrl+C để dừng)")
        web = gunicorn_argv(bind=options["bind"], workers=options["workers"])
        if options["no_worker"]:
            os.execv(sys.executable, web)  # gunicorn takes this process over
        else:
            sys.exit(serve_with_worker(web))


def gunicorn_argv(*, bind: str, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "ntm.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--access-logfile",
        "-",
    ]


# The worker runs without the autoreloader, whose parent process would not pass our signal on.
WORKER = [sys.executable, "-m", "ntm.cli", "worker", "--no-reload"]


def serve_with_worker(web: list[str]) -> int:
    """Gunicorn in the foreground and the task worker beside it, in two processes (the web
    workers run no background threads); returns gunicorn's exit code.

    The worker has its own session, so Ctrl+C in the terminal reaches gunicorn only, and a
    signal sent to this process is passed to gunicorn. When gunicorn ends, the worker gets one
    SIGTERM and finishes the job it is running (a re-evaluation commits whole or not at all);
    a second Ctrl+C stops that job, which then rolls back and is marked failed.
    """
    worker = subprocess.Popen(WORKER, start_new_session=True)
    server = subprocess.Popen(web)
    _on_signals(server.send_signal)
    try:
        return server.wait()
    finally:
        _on_signals(lambda _signum: worker.terminate())
        if worker.poll() is None:
            print("Đang chờ tác vụ nền kết thúc (Ctrl+C để dừng ngay)…", file=sys.stderr)
            worker.terminate()
        worker.wait()


def _on_signals(action: Callable[[int], None]) -> None:
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda received, _frame: action(received))
