"""What an import would do to the verdicts: the dry run judges the touched commune-years.

The planned values are laid over the stored ones in memory and judged by the engine through
the adapter the value writer uses (ntm.indicators.services.evaluations_compute), so the dry run
shows what the commit will store; nothing is written. Each result is compared with the stored
verdict: criteria met before → after, standard met before → after, criteria gained and lost.

Every touched commune-year is judged (a few queries per 500 communes and a columnar engine
run), but the report keeps only the first MAX_SHOWN rows of each list with their full counts:
the job row stays small and the page stays short for a national file.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.model import Level
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import get_any_set
from ntm.exchange.plan import CellChange, Progress
from ntm.indicators.models import Evaluation
from ntm.indicators.services import CriteriaCache, evaluations_compute
from ntm.units.models import Unit

MAX_SHOWN = 200
CHUNK = 500
_MET = "met"
_PHASE = "Đánh giá thử kết quả của các xã"


def _silent(phase: str, done: int, total: int) -> None:
    return None


def verdicts_planned(
    *, changes: Sequence[CellChange], progress: Progress | None = None
) -> dict[str, Any]:
    """The report's "verdicts" part (JSON): the commune-years the import touches and those
    whose result would change, each list cut at MAX_SHOWN, with their counts."""
    progress = progress or _silent
    touched, planned, cells = _touched(changes)
    total = sum(len(units) for units in touched.values())
    cache: CriteriaCache = {}
    names: dict[str, dict[str, str]] = {}
    changed: list[dict[str, Any]] = []
    done = 0
    for year in sorted(touched):
        progress(_PHASE, done, total)
        units = list(touched[year].values())
        after = evaluations_compute(units=units, year=year, cache=cache, planned=planned[year])
        before = _stored(unit_ids=[u.pk for u in units], year=year)
        for row in after:
            change = _compared(before.get(row.unit.pk), row, names)
            if change is not None:
                changed.append(change)
        done += len(units)
    progress(_PHASE, total, total)
    changed.sort(key=lambda r: (r["before_standard"] == r["after_standard"], r["year"], r["unit"]))
    communes = sorted(
        (
            {"unit_id": u.pk, "unit": u.code, "unit_name": u.name, "year": y, "cells": n}
            for (y, u), n in cells.items()
        ),
        key=lambda r: (r["year"], r["unit"]),
    )
    return {
        "communes": communes[:MAX_SHOWN],
        "communes_count": len(communes),
        "changed": changed[:MAX_SHOWN],
        "changed_count": len(changed),
        "standard_gained": sum(
            1 for r in changed if r["after_standard"] and not r["before_standard"]
        ),
        "standard_lost": sum(
            1 for r in changed if r["before_standard"] and not r["after_standard"]
        ),
    }


def _touched(
    changes: Iterable[CellChange],
) -> tuple[
    dict[int, dict[int, Unit]],
    dict[int, dict[tuple[int, str, str], float]],
    dict[tuple[int, Unit], int],
]:
    """Per year: the communes whose values change and their new values; cells per commune-year.

    Only communes are judged (a village's values have no verdict of their own)."""
    touched: dict[int, dict[int, Unit]] = defaultdict(dict)
    planned: dict[int, dict[tuple[int, str, str], float]] = defaultdict(dict)
    cells: dict[tuple[int, Unit], int] = defaultdict(int)
    for c in changes:
        if c.kind == "same" or c.unit.level != Level.COMMUNE.value:
            continue
        touched[c.year][c.unit.pk] = c.unit
        planned[c.year][(c.unit.pk, c.criteria_set, c.indicator.code)] = c.new
        cells[(c.year, c.unit)] += 1
    return touched, planned, cells


def _stored(*, unit_ids: list[int], year: int) -> dict[int, Evaluation]:
    found: dict[int, Evaluation] = {}
    for start in range(0, len(unit_ids), CHUNK):
        rows = Evaluation.objects.filter(unit_id__in=unit_ids[start : start + CHUNK], year=year)
        found.update((row.unit_id, row) for row in rows.defer("tiers"))
    return found


def _compared(
    before: Evaluation | None, after: Evaluation, names: dict[str, dict[str, str]]
) -> dict[str, Any] | None:
    """The row shown for a commune-year whose result changes; None when it stays the same."""
    old = before.criteria if before is not None else {}
    if (
        before is not None
        and before.criteria_set == after.criteria_set
        and before.criteria_met == after.criteria_met
        and before.criteria_missing == after.criteria_missing
        and before.meets_standard == after.meets_standard
        and old == after.criteria
    ):
        return None
    if after.criteria_set not in names:
        names[after.criteria_set] = _criterion_names(after.criteria_set)
    name = names[after.criteria_set]
    gained = [c for c, s in after.criteria.items() if s == _MET and old.get(c) != _MET]
    lost = [c for c, s in old.items() if s == _MET and after.criteria.get(c) != _MET]
    return {
        "unit_id": after.unit.pk,
        "unit": after.unit.code,
        "unit_name": after.unit.name,
        "year": after.year,
        "total": after.criteria_total,
        "before_met": before.criteria_met if before is not None else None,
        "after_met": after.criteria_met,
        "before_missing": before.criteria_missing if before is not None else None,
        "after_missing": after.criteria_missing,
        "before_standard": before.meets_standard if before is not None else None,
        "after_standard": after.meets_standard,
        "gained": [[c, name.get(c, "")] for c in gained],
        "lost": [[c, name.get(c, "")] for c in lost],
    }


def _criterion_names(set_id: str) -> dict[str, str]:
    try:
        return {c.code: c.name for c in get_any_set(set_id).criteria}
    except UnknownCriteriaSetError:
        return {}


def verdicts_shown(*, verdicts: dict[str, Any], user: Any) -> dict[str, Any]:
    """The report's verdicts as the page shows them to ``user``: a link to each commune's page
    for its year where the user may open it, and no overall result for a department (it sees
    its own criteria only, never a commune's verdict)."""
    if not verdicts:
        return {}
    rows = [*verdicts.get("changed", []), *verdicts.get("communes", [])]
    units = Unit.objects.select_related("parent__parent__parent").filter(
        pk__in={r["unit_id"] for r in rows}
    )
    viewable = {u.pk for u in units if access.can_view_unit(user, u)}

    def linked(row: dict[str, Any]) -> dict[str, Any]:
        return {**row, "may_view": row["unit_id"] in viewable}

    changed = [linked(r) for r in verdicts.get("changed", [])]
    communes = [linked(r) for r in verdicts.get("communes", [])]
    return {
        **verdicts,
        "results": access.role_of(user) != Role.DEPARTMENT,
        "changed": changed,
        "communes": communes,
        "more_changed": verdicts.get("changed_count", 0) - len(changed),
        "more_communes": verdicts.get("communes_count", 0) - len(communes),
    }
