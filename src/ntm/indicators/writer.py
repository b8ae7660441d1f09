"""The one writer of indicator values: the entry form, every import and the demo go through it.

Callers decide what to write (after their own checks: scope, locks, versions, the file's
problems) and hold the units' row locks; ``values_write`` writes the value rows in bulk, one
audit row per changed cell, and refreshes the verdict of every touched commune-year, all in
the caller's transaction.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from ntm.audit.models import AuditEvent
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import evaluations_refresh, value_object_id

BATCH = 1000

Progress = Callable[[str, int, int], None]
"""Called as progress(phase, done, total)."""


@dataclass(frozen=True)
class CellWrite:
    """One value cell to write: ``new`` None deletes; ``row_id`` is the stored row, if any."""

    unit: Any
    year: int
    criteria_set: str
    indicator: str
    old: float | None
    new: float | None
    row_id: int | None = None
    version: int = 0  # the stored row's version when read

    @property
    def kind(self) -> str:
        if self.row_id is None:
            return "add"
        return "delete" if self.new is None else "change"


def _silent(phase: str, done: int, total: int) -> None:
    return None


@transaction.atomic
def values_write(
    *,
    writes: Sequence[CellWrite],
    actor: Any,
    origin: str,
    origin_detail: str = "",
    source: str = "",
    progress: Progress | None = None,
) -> int:
    """Write the cells whose value changes, audit them, re-evaluate; returns cells written."""
    progress = progress or _silent
    writes = [w for w in writes if w.old != w.new or (w.row_id is None and w.new is not None)]
    author = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    now = timezone.now()
    added = [
        IndicatorValue(
            unit=w.unit,
            year=w.year,
            criteria_set=w.criteria_set,
            indicator=w.indicator,
            value=w.new,
            author=author,
            source=source[:200],
        )
        for w in writes
        if w.kind == "add" and w.new is not None  # a blank cell with no stored row: nothing
    ]
    changed = [
        IndicatorValue(
            pk=w.row_id,
            value=w.new,
            author=author,
            source=source[:200],
            version=w.version + 1,
            updated_at=now,
        )
        for w in writes
        if w.kind == "change" and w.new is not None  # always true: None is a "delete"
    ]
    deleted = [w.row_id for w in writes if w.kind == "delete" and w.row_id is not None]
    total = len(writes)
    for start in range(0, len(added), BATCH):
        progress("Ghi số liệu", start, total)
        IndicatorValue.objects.bulk_create(added[start : start + BATCH])
    for start in range(0, len(changed), BATCH // 2):
        progress("Ghi số liệu", len(added) + start, total)
        IndicatorValue.objects.bulk_update(
            changed[start : start + BATCH // 2],
            ["value", "author", "source", "version", "updated_at"],
        )
    for start in range(0, len(deleted), BATCH):
        IndicatorValue.objects.filter(pk__in=deleted[start : start + BATCH]).delete()
    progress("Ghi nhật ký", 0, 1)
    AuditEvent.objects.bulk_create(
        _audit_rows(writes, author, origin, origin_detail), batch_size=BATCH
    )
    _refresh(writes, progress)
    return len(writes)


def _audit_rows(
    writes: Sequence[CellWrite], author: Any, origin: str, detail: str
) -> list[AuditEvent]:
    """The rows audit_record would write, one per changed value, built for bulk_create."""
    name = author.get_username() if author is not None else "hệ thống"
    return [
        AuditEvent(
            actor=author,
            actor_name=name,
            action="value.set",
            object_type="indicator_value",
            object_id=value_object_id(
                unit=w.unit, year=w.year, criteria_set=w.criteria_set, indicator=w.indicator
            ),
            unit=w.unit,
            year=w.year,
            before={"indicator": w.indicator, "value": w.old},
            after={"indicator": w.indicator, "value": w.new},
            origin=origin,
            origin_detail=detail[:300],
        )
        for w in writes
    ]


def _refresh(writes: Sequence[CellWrite], progress: Progress) -> None:
    """Re-evaluate every touched commune-year (it is judged by whichever set is in force)."""
    by_year: dict[int, dict[int, Any]] = defaultdict(dict)
    for w in writes:
        by_year[w.year][w.unit.pk] = w.unit
    total = sum(len(units) for units in by_year.values())
    done = 0
    for year in sorted(by_year):
        progress("Đánh giá lại tiêu chí", done, total)
        evaluations_refresh(units=list(by_year[year].values()), years=[year])
        done += len(by_year[year])
    progress("Đánh giá lại tiêu chí", total, total)
