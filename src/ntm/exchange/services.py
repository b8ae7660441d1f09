"""Importing a file: the dry run (import_plan) and the all-or-nothing write (import_commit).

The commit reads and checks the file again inside one transaction, after locking the units it
touches (the same mutex values_set takes), so what it writes is what the check saw: any
problem, or any value changed since the dry run the user approved, and nothing is written.
Values, their audit rows (one per changed value, naming the file and its SHA-256) and the
evaluations of every touched commune-year are written in that transaction.
"""

from __future__ import annotations

import gc
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.db import transaction

from ntm.audit.models import Origin
from ntm.exchange.plan import CellChange, Planner, Progress
from ntm.exchange.readers import FileRefused, Limits, ReadResult, read_file
from ntm.exchange.readers.base import FORMAT_LABELS, TemplateMeta
from ntm.indicators.services import value_shown
from ntm.indicators.writer import CellWrite, values_write
from ntm.spreadsheet import Problem

BATCH = 1000


@dataclass(frozen=True)
class ImportSource:
    name: str
    data: bytes

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def origin_detail(self) -> str:
        """What the audit trail records for every value from this file: name and hash."""
        return f"{self.name[:200]} sha256={self.sha256}"


@dataclass
class Plan:
    """The dry run's answer: every valid cell with what it would do, and every problem."""

    source: ImportSource
    format: str
    changes: list[CellChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    template: TemplateMeta | None = None

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, "không xác định")

    @cached_property
    def counts(self) -> dict[str, int]:
        counts = {"add": 0, "change": 0, "same": 0}
        for change in self.changes:
            counts[change.kind] += 1
        return {
            "cells": len(self.changes),
            "added": counts["add"],
            "changed": counts["change"],
            "unchanged": counts["same"],
            "errors": len(self.problems),
        }

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def writes(self) -> list[CellChange]:
        return [c for c in self.changes if c.kind != "same"]

    def digest(self) -> str:
        """A fingerprint of what the commit would do; it changes if stored values change."""
        digest = hashlib.sha256(self.source.sha256.encode())
        for c in sorted(
            self.changes, key=lambda c: (c.unit.pk, c.year, c.criteria_set, c.indicator.code)
        ):
            key = f"{c.unit.pk}|{c.year}|{c.criteria_set}|{c.indicator.code}|{c.old!r}|{c.new!r}\n"
            digest.update(key.encode())
        return digest.hexdigest()


class ImportRefused(Exception):
    """The file has problems: nothing was written. ``plan.problems`` says where and why."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(f"{len(plan.problems)} lỗi, không ghi gì")
        self.plan = plan


class PlanChanged(Exception):
    """Stored values changed since the dry run the user approved: nothing was written."""

    def __init__(self, plan: Plan) -> None:
        super().__init__(
            "Số liệu trong hệ thống đã thay đổi kể từ lúc kiểm tra tệp; chưa ghi gì. "
            "Hãy xem lại kết quả kiểm tra mới rồi ghi lại."
        )
        self.plan = plan


@contextmanager
def _collector_paused() -> Iterator[None]:
    """A national file makes ~10^6 short-lived cell objects without reference cycles; the
    cyclic collector would rescan them over and over (a third of a national dry run)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read(
    source: ImportSource, limits: Limits | None, progress: Progress, max_values: int | None = None
) -> ReadResult:
    progress("Đọc tệp", 0, 1)
    try:
        read = read_file(source.data, limits=limits)
    except FileRefused as exc:
        read = ReadResult(format="", problems=[exc.problem])
    if max_values is not None and len(read.cells) > max_values:
        read = ReadResult(format="", problems=[too_many_values(len(read.cells), max_values)])
    progress("Đọc tệp", 1, 1)
    return read


def too_many_values(count: int, limit: int) -> Problem:
    """The work one import may ask for (checking and writing are linear in the values)."""
    return Problem(
        "",
        None,
        "",
        "",
        "",
        f"Tệp có {_grouped(count)} giá trị, vượt giới hạn {_grouped(limit)} giá trị một lần "
        "nhập; không ghi gì. Hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo tỉnh hoặc theo năm).",
    )


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", ".")  # Vietnamese thousands: 500.000


def _plan(
    source: ImportSource, read: ReadResult, planner: Planner, changes: list[CellChange]
) -> Plan:
    return Plan(
        source=source,
        format=read.format,
        changes=changes,
        problems=planner.problem_list(),
        notes=read.notes,
        template=read.template,
    )


def import_plan(
    *,
    source: ImportSource,
    user: Any,
    limits: Limits | None = None,
    progress: Progress | None = None,
    max_values: int | None = None,
) -> Plan:
    """The dry run: what importing the file would add, change and leave, and its problems.

    ``user`` None is the system (the CLI without --user): every unit and criterion.
    ``max_values``: a file with more values is refused whole (the web's limit per import).
    """
    progress = progress or _silent
    with _collector_paused():
        read = _read(source, limits, progress, max_values)
        planner = Planner(read, user=user, progress=progress)
        changes = planner.run() if read.format else []
        return _plan(source, read, planner, changes)


def import_commit(
    *,
    source: ImportSource,
    user: Any,
    expected_digest: str = "",
    limits: Limits | None = None,
    progress: Progress | None = None,
    max_values: int | None = None,
    origin: str = Origin.FILE,
) -> Plan:
    """Check and write the whole file in one transaction, or raise and write nothing.

    Raises ImportRefused (problems in the file) or PlanChanged (``expected_digest`` given and
    stored values moved since that dry run). ``origin``: Origin.API for a dataValueSets body.
    """
    progress = progress or _silent
    with _collector_paused():
        read = _read(source, limits, progress, max_values)
        return _commit(source, read, user, expected_digest, progress, origin)


def _commit(
    source: ImportSource,
    read: ReadResult,
    user: Any,
    expected_digest: str,
    progress: Progress,
    origin: str = Origin.FILE,
) -> Plan:
    if not read.format:
        raise ImportRefused(_plan(source, read, Planner(read, user=user), []))
    with transaction.atomic():
        planner = Planner(read, user=user, progress=progress)
        changes = planner.run(lock_units=True)
        plan = _plan(source, read, planner, changes)
        if not plan.ok:
            raise ImportRefused(plan)
        if expected_digest and plan.digest() != expected_digest:
            raise PlanChanged(plan)
        _write(plan, user=user, progress=progress, origin=origin)
    return plan


def _silent(phase: str, done: int, total: int) -> None:
    return None


def _write(plan: Plan, *, user: Any, progress: Progress, origin: str = Origin.FILE) -> None:
    """Through the one value writer: rows, one audit row per cell naming the file and its
    hash, and the verdicts of every touched commune-year, in the commit's transaction."""
    actor = user if user is not None and user.is_authenticated else None
    writes = [
        CellWrite(
            unit=c.unit,
            year=c.year,
            criteria_set=c.criteria_set,
            indicator=c.indicator.code,
            old=c.old,
            new=c.new,
            row_id=c.value_id,
            version=c.version,
        )
        for c in plan.writes
    ]
    values_write(
        writes=writes,
        actor=actor,
        origin=origin,
        origin_detail=plan.source.origin_detail,
        source=f"Nhập {'từ tệp' if origin == Origin.FILE else 'qua'} {plan.source.name}",
        progress=progress,
    )


# Reports ----------------------------------------------------------------------------------

MAX_REPORT_ERRORS = 2000
MAX_REPORT_CHANGES = 1000


def cell_place(change: CellChange, fmt: str) -> str:
    """Where a cell is in the file: "Số liệu!G8", "dòng 12", "dataValues[3]"."""
    cell = change.cell
    if cell.sheet:
        return f"{cell.sheet}!{cell.column}{cell.row}"
    return f"dataValues[{cell.row}]" if fmt == "dhis2-json" else f"dòng {cell.row}"


def change_row(change: CellChange, fmt: str) -> dict[str, Any]:
    return {
        "where": cell_place(change, fmt),
        "unit": change.unit.code,
        "unit_name": change.unit.name,
        "year": change.year,
        "indicator": change.indicator.code,
        "old": value_shown(indicator=change.indicator, value=change.old),
        "new": value_shown(indicator=change.indicator, value=change.new),
        "kind": change.kind,
    }


def plan_report(plan: Plan) -> dict[str, Any]:
    """What the page shows of a dry run (JSON): counts, notes, the first errors and changes."""
    shown = [change_row(c, plan.format) for c in plan.writes[:MAX_REPORT_CHANGES]]
    return {
        "format": plan.format,
        "format_label": plan.format_label,
        "counts": plan.counts,
        "notes": plan.notes,
        "errors": [p.as_dict() for p in plan.problems[:MAX_REPORT_ERRORS]],
        "changes": shown,
    }
