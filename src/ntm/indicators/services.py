"""Writes of indicator values, evidence files and comments; each writes its audit rows.

Every value write refreshes the evaluation in the same transaction, so every page and
aggregate read from Evaluation rows is current as soon as the write returns.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import transaction
from django.utils.translation import gettext

from ntm.audit.models import AuditEvent
from ntm.core.evaluate import NO_THRESHOLD, NO_VALUE, STATUS_NAMES, evaluate_batch
from ntm.core.model import CriteriaSet, Indicator, Level, Op
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.values import format_measure
from ntm.criteria.selectors import (
    NoClassError,
    RecordedClasses,
    commune_class,
    criteria_set_for_province,
    recorded_classes,
    set_in_force,
)
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.units.models import Unit
from ntm.units.selectors import unit_province, unit_region, unit_valid_in


class IndicatorInputError(ValueError):
    """Bad input for a value write, with a message naming unit, year, indicator.

    Messages are in the active language: Vietnamese, or English for a user who chose it.
    """


@dataclass(frozen=True)
class Conflict:
    """One indicator saved by someone else after the form was opened."""

    indicator: str
    submitted: float | None
    stored: float | None
    stored_by: str
    stored_at: dt.datetime | None


class ValuesLockedError(IndicatorInputError):
    """The commune-year's dossier is under review or recognised: values are frozen."""


def lock_of(*, unit: Any, year: int) -> dict[str, Any] | None:
    """What locks the commune-year (its dossier's number and stage), for the messages."""
    # Imported here: the workflow app reads indicators, so the import stays one-way at load.
    from ntm.workflow.selectors import dossier_locking

    dossier = dossier_locking(unit=unit, year=year)
    if dossier is None:
        return None
    stage = dossier.stage.name if dossier.stage else dossier.get_status_display()
    return {"unit": unit.name, "year": year, "dossier": dossier.pk, "stage": stage}


def _refuse_if_locked(*, unit: Any, year: int) -> None:
    lock = lock_of(unit=unit, year=year)
    if lock is None:
        return
    raise ValuesLockedError(
        gettext(
            "Xã %(unit)s, năm %(year)s: số liệu đang bị khóa vì hồ sơ số %(dossier)s đang ở "
            "bước «%(stage)s». Chỉ sửa được khi hồ sơ được trả lại bước tự đánh giá."
        )
        % lock
    )


def lock_unit(unit: Any) -> None:
    """The unit row is the commune-year's mutex (see values_set): a lock check made after it
    cannot be overtaken by a dossier being submitted meanwhile."""
    Unit.objects.select_for_update().filter(pk=unit.pk).first()


class ConflictError(Exception):
    """The save was refused as a whole: values changed meanwhile; both values are listed."""

    def __init__(self, *, message: str, conflicts: list[Conflict]) -> None:
        super().__init__(message)
        self.conflicts = conflicts


CriteriaCache = dict[tuple[int | None, int, str], CriteriaSet]


def commune_criteria(
    *,
    unit: Any,
    year: int,
    cache: CriteriaCache | None = None,
    recorded: RecordedClasses | None = None,
) -> tuple[CriteriaSet, str]:
    """The set (with the province's specifications) and the class that judge this unit.

    A village (thôn, bản) is judged by a village-level set when one is in force; the lookup
    raises UnknownCriteriaSetError otherwise (none of the shipped sets is village-level).
    """
    province = unit_province(unit=unit)
    level = Level.VILLAGE if unit.level == Level.VILLAGE.value else Level.COMMUNE
    key = (province.id if province.level == "province" else None, year, level.value)
    cache = {} if cache is None else cache
    if key not in cache:
        set_id = set_in_force(year=year, level=level).id if level is Level.VILLAGE else ""
        cache[key] = criteria_set_for_province(province_id=key[0], year=year, set_id=set_id)
    cset = cache[key]
    return cset, commune_class(
        unit=unit,
        cset=cset,
        region=lambda: province.region or unit_region(unit=unit) or "",
        recorded=recorded,
    )


def value_problem(*, indicator: Indicator, value: float) -> str | None:
    """Why a value cannot be right for the indicator (a phrase following "the value ..."), or None."""
    if not math.isfinite(value):
        return gettext("không phải là số")
    if indicator.op.is_boolean:
        if value in (0.0, 1.0):
            return None
        return gettext("chỉ nhận giá trị đạt (1) hoặc không đạt (0)")
    # Every numeric indicator of the shipped sets is a rate, an income or a count.
    if value < 0:
        return gettext("không được là số âm")
    if indicator.unit == "%" and value > 100:
        return gettext("là tỷ lệ phần trăm, phải từ 0 đến 100")
    return None


def value_shown(*, indicator: Indicator, value: float | None) -> str:
    """A value as the pages write it: "đạt", "không", "13,43%", "36 triệu đồng/người/năm"."""
    if value is None:
        return gettext("(trống)")
    if indicator.op is Op.KHONG:
        return gettext("có") if value == 1 else gettext("không")
    if indicator.op.is_boolean:
        return gettext("đạt") if value == 1 else gettext("không đạt")
    unit = "%" if indicator.unit == "%" else f" {indicator.unit}"
    return f"{format_measure(value)}{unit}"


@transaction.atomic
def values_set(
    *,
    unit: Any,
    year: int,
    values: Mapping[str, float | None],
    author: Any = None,
    source: str = "",
    origin: str = "page",
    origin_detail: str = "",
    expected_versions: Mapping[str, int | None] | None = None,
) -> Evaluation | None:
    """Upsert (None deletes) the values of one commune-year, then refresh its evaluation.

    ``expected_versions`` holds the version of each value when the user's form was opened
    (None: the value did not exist). If any value in ``values`` was changed by someone else
    since, to something other than what this save sends, ConflictError is raised and nothing
    is written. Every change is written to the audit trail (who, before, after, from where).
    """
    cset, _ = commune_criteria(unit=unit, year=year)
    _check_inputs(unit=unit, year=year, cset=cset, values=values)
    # The unit row is the commune-year's mutex: two saves of the same commune run one after
    # the other, so the version check below and the writes after it see the same rows, even
    # for values that do not exist yet (which no row lock could cover).
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    _refuse_if_locked(unit=unit, year=year)
    key = {"unit": unit, "year": year, "criteria_set": cset.id}
    current = {
        row.indicator: row
        for row in IndicatorValue.objects.filter(**key, indicator__in=list(values))
        .select_for_update(of=("self",))
        .select_related("author")
    }
    if expected_versions is not None:
        _refuse_conflicts(
            unit=unit,
            year=year,
            cset=cset,
            values=values,
            current=current,
            expected=expected_versions,
        )
    from ntm.indicators.writer import CellWrite, values_write  # the writer imports this module

    writes = [
        CellWrite(
            unit=unit,
            year=year,
            criteria_set=cset.id,
            indicator=code,
            old=row.value if row else None,
            new=value,
            row_id=row.pk if row else None,
            version=row.version if row else 0,
        )
        for code, value in values.items()
        for row in [current.get(code)]
    ]
    values_write(
        writes=writes, actor=author, origin=origin, origin_detail=origin_detail, source=source
    )
    return evaluation_stored(unit=unit, year=year)


def evaluation_stored(*, unit: Any, year: int) -> Evaluation | None:
    return Evaluation.objects.filter(unit=unit, year=year).first()


def value_object_id(*, unit: Any, year: int, criteria_set: str, indicator: str) -> str:
    """How the audit trail names one value cell."""
    return f"{unit.id}:{year}:{criteria_set}:{indicator}"


def _check_inputs(
    *, unit: Any, year: int, cset: CriteriaSet, values: Mapping[str, float | None]
) -> None:
    for code, value in values.items():
        indicator = cset.indicator(code)
        if indicator is None:
            raise IndicatorInputError(
                gettext(
                    "Xã %(unit)s, năm %(year)s: chỉ tiêu '%(code)s' không có trong bộ tiêu chí "
                    "%(set)s"
                )
                % {"unit": unit.name, "year": year, "code": code, "set": cset.id}
            )
        problem = None if value is None else value_problem(indicator=indicator, value=value)
        if problem:
            raise IndicatorInputError(
                gettext("%(unit)s, năm %(year)s, chỉ tiêu %(code)s: giá trị %(value)s %(problem)s")
                % {
                    "unit": unit.name,
                    "year": year,
                    "code": code,
                    "value": format_measure(value),
                    "problem": problem,
                }
            )


def _refuse_conflicts(
    *,
    unit: Any,
    year: int,
    cset: CriteriaSet,
    values: Mapping[str, float | None],
    current: Mapping[str, IndicatorValue],
    expected: Mapping[str, int | None],
) -> None:
    conflicts = []
    for code, value in values.items():
        if code not in expected:
            continue
        row = current.get(code)
        stored = row.value if row else None
        changed_meanwhile = (row.version if row else None) != expected[code]
        if changed_meanwhile and stored != value:
            by, at = _last_writer(unit=unit, year=year, cset=cset, code=code, row=row)
            conflicts.append(Conflict(code, value, stored, by, at))
    if conflicts:
        raise ConflictError(
            message=_conflict_message(unit, year, cset, conflicts), conflicts=conflicts
        )


def _last_writer(
    *, unit: Any, year: int, cset: CriteriaSet, code: str, row: IndicatorValue | None
) -> tuple[str, dt.datetime | None]:
    object_id = value_object_id(unit=unit, year=year, criteria_set=cset.id, indicator=code)
    event = AuditEvent.objects.filter(action="value.set", object_id=object_id).first()
    if event is not None:
        return event.actor_name, event.at
    author = row.author.get_username() if row and row.author else gettext("không rõ")
    return author, row.updated_at if row else None


def _conflict_message(unit: Any, year: int, cset: CriteriaSet, conflicts: list[Conflict]) -> str:
    parts = []
    for c in conflicts:
        ind = cset.indicator(c.indicator)
        assert ind is not None  # checked by _check_inputs
        parts.append(
            gettext("chỉ tiêu %(code)s: bạn nhập %(submitted)s, %(who)s đã lưu %(stored)s")
            % {
                "code": c.indicator,
                "submitted": value_shown(indicator=ind, value=c.submitted),
                "who": c.stored_by,
                "stored": value_shown(indicator=ind, value=c.stored),
            }
        )
    return gettext(
        "%(unit)s, năm %(year)s: trong lúc bạn nhập, số liệu đã được người khác lưu; "
        "chưa lưu thay đổi nào của bạn. %(conflicts)s."
    ) % {"unit": unit.name, "year": year, "conflicts": "; ".join(parts)}


def evaluation_refresh(*, unit: Any, year: int) -> Evaluation | None:
    """Refresh one commune-year; None when it cannot be judged (not in force, no class)."""
    rows = evaluations_refresh(units=[unit], years=[year])
    return rows[0] if rows else None


def evaluations_refresh(
    *,
    units: Iterable[Any],
    years: Iterable[int],
    progress: Callable[[int], None] | None = None,
) -> list[Evaluation]:
    """Evaluate many communes at once (columnar) and replace their stored verdicts.

    A commune-year that cannot be judged (the unit is not in force at the year's end, or has
    no region or group under the set) keeps no verdict: a stale one is deleted.
    """
    units = list(units)
    saved: list[Evaluation] = []
    cache: CriteriaCache = {}
    for year in years:
        rows = evaluations_compute(units=units, year=year, cache=cache)
        saved += _replace(rows, [u.pk for u in units], year)
        if progress:
            progress(1)
    return saved


Planned = Mapping[tuple[int, str, str], float]
"""Values not stored yet, by (unit id, set id, indicator code): an import's dry run."""


def evaluations_compute(
    *,
    units: list[Any],
    year: int,
    cache: CriteriaCache | None = None,
    planned: Planned | None = None,
) -> list[Evaluation]:
    """The verdicts the engine gives now, as unsaved rows: the one adapter from engine output
    to stored rows, used to write (evaluations_refresh) and to check (reevaluation.verify).

    ``planned`` values replace the stored ones in memory (an import's dry run: the verdicts
    its values would give); nothing is written."""
    cache = {} if cache is None else cache
    units = [u for u in units if unit_valid_in(unit=u, year=year)]
    recorded = recorded_classes(unit_ids=[u.pk for u in units])
    groups: dict[str, tuple[CriteriaSet, list[tuple[Any, str]]]] = {}
    for unit in units:
        try:
            cset, cls = commune_criteria(unit=unit, year=year, cache=cache, recorded=recorded)
        except (NoClassError, UnknownCriteriaSetError):
            continue
        key = f"{cset.id}|{cset.spec_id}"
        groups.setdefault(key, (cset, []))[1].append((unit, cls))
    rows: list[Evaluation] = []
    for cset, members in groups.values():
        rows += _evaluate_group(cset, year, members, planned or {})
    return rows


def _evaluate_group(
    cset: CriteriaSet, year: int, members: list[tuple[Any, str]], planned: Planned
) -> list[Evaluation]:
    column = {ind.code: j for j, ind in enumerate(cset.indicators)}
    row_of = {unit.id: n for n, (unit, _) in enumerate(members)}
    matrix = np.full((len(members), len(column)), np.nan)
    ids = list(row_of)
    for start in range(0, len(ids), CHUNK):
        stored = IndicatorValue.objects.filter(
            unit_id__in=ids[start : start + CHUNK], year=year, criteria_set=cset.id
        ).values_list("unit_id", "indicator", "value")
        for unit_id, code, value in stored:
            if code in column:
                matrix[row_of[unit_id], column[code]] = value
    if planned:
        for (unit_id, set_id, code), value in planned.items():
            if set_id == cset.id and unit_id in row_of and code in column:
                matrix[row_of[unit_id], column[code]] = value
    classes = [cls for _, cls in members]
    by_tier = {t.code: evaluate_batch(cset, classes, matrix, t.code) for t in cset.tiers}
    main = by_tier[cset.primary_tier]
    missing = ((main.criterion_status == NO_VALUE) | (main.criterion_status == NO_THRESHOLD)).sum(
        axis=1
    )
    rows = []
    for n, (unit, cls) in enumerate(members):
        rows.append(
            Evaluation(
                unit=unit,
                year=year,
                criteria_set=cset.id,
                spec_ids=cset.spec_id,
                class_code=cls,
                criteria_met=int(main.criteria_met[n]),
                criteria_total=len(cset.criteria),
                criteria_missing=int(missing[n]),
                meets_standard=bool(main.meets_standard[n]),
                tiers={t: bool(r.meets_standard[n]) for t, r in by_tier.items()},
                criteria={
                    c.code: STATUS_NAMES[int(main.criterion_status[n, k])]
                    for k, c in enumerate(cset.criteria)
                },
            )
        )
    return rows


# SQLite allows 999 parameters per statement in old builds; stay well below.
CHUNK = 500

# The fields of a stored verdict that the engine decides (not ids, not timestamps).
VERDICT_FIELDS = (
    "criteria_set",
    "spec_ids",
    "class_code",
    "criteria_met",
    "criteria_total",
    "criteria_missing",
    "meets_standard",
    "tiers",
    "criteria",
)


def _replace(rows: list[Evaluation], unit_ids: list[int], year: int) -> list[Evaluation]:
    """Upsert the computed verdicts and delete those of units that can no longer be judged.

    An upsert, not delete-then-insert: a value saved while a national re-evaluation runs in
    another transaction would otherwise insert beside the run's uncommitted row and fail on
    the unique (unit, year) once the run commits (PostgreSQL); ON CONFLICT waits and updates.
    """
    judged = {row.unit.pk for row in rows}
    unjudged = [pk for pk in unit_ids if pk not in judged]
    with transaction.atomic():
        for start in range(0, len(unjudged), CHUNK):
            Evaluation.objects.filter(
                unit_id__in=unjudged[start : start + CHUNK], year=year
            ).delete()
        return Evaluation.objects.bulk_create(
            rows,
            batch_size=500,
            update_conflicts=True,
            unique_fields=["unit", "year"],
            update_fields=[*VERDICT_FIELDS, "evaluated_at"],
        )
