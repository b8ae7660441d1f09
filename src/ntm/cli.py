"""The `ntm` command: Django's manage.py, plus `ntm evaluate`, which needs no database."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "evaluate":
        from ntm.evaluate_command import run

        sys.exit(run(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ntm", *args])


if __name__ == "__main__":
    main()
