"""The report part of ``make bench``: ``ntm report`` for the province with the most communes.

Runs in the throwaway database of bench/importing.py after the national year was imported
and re-evaluated, so the report reads real verdicts for every commune of the province.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path
from typing import Any

from ntm.core.values import format_number as vn

YEAR = 2018
FORMATS = ("xlsx", "docx", "pdf")


def largest_province() -> tuple[str, str, int]:
    """Code, name and number of communes of the province with the most communes."""
    from django.db.models import Count

    from ntm.units.models import Unit

    counts = (
        Unit.objects.filter(level="commune")
        .values("parent__parent__code", "parent__parent__name")
        .annotate(n=Count("id"))
        .order_by("-n", "parent__parent__code")
    )
    top = counts.first()
    if top is None:
        raise SystemExit("Không có xã nào để lập báo cáo")
    return top["parent__parent__code"], top["parent__parent__name"], top["n"]


def measure(*, formats: tuple[str, ...] = FORMATS) -> dict[str, Any]:
    """Seconds of ``ntm report --unit PROVINCE --year 2018 --format F`` for each format."""
    from django.core.management import call_command

    code, name, communes = largest_province()
    record: dict[str, Any] = {"report_unit": code, "report_communes": communes}
    with tempfile.TemporaryDirectory(prefix="ntm-bench-report-") as folder:
        for fmt in formats:
            path = Path(folder) / f"bao-cao.{fmt}"
            start = time.perf_counter()
            call_command(
                "report",
                "--unit",
                code,
                "--year",
                str(YEAR),
                "--format",
                fmt,
                "-o",
                str(path),
                verbosity=0,
                stdout=io.StringIO(),
                stderr=io.StringIO(),
            )
            seconds = time.perf_counter() - start
            size = path.stat().st_size
            record[f"report_{fmt}_s"] = seconds
            print(
                f"ntm report {name} ({vn(communes)} xã, {YEAR}, {fmt}): "
                f"{seconds:8.3f} s, {vn(size / 1024)} KB",
                flush=True,
            )
    return record
