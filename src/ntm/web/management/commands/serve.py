import os
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Chạy máy chủ web (gunicorn) phục vụ ntm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"ntm đang chạy tại http://{options['bind']}/ (Ctrl+C để dừng)")
        argv = [
            sys.executable,
            "-m",
            "gunicorn",
            "ntm.wsgi:application",
            "--bind",
            options["bind"],
            "--workers",
            str(options["workers"]),
            "--access-logfile",
            "-",
        ]
        os.execv(sys.executable, argv)
