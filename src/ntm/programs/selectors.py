"""Reads for capabilities 9-12: training and OCOP totals, organisation coverage, target progress.

"Subtree" is the unit, its children and grandchildren (province -> districts -> communes), the
same reach as ntm.indicators.selectors.evaluations_under.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from ntm.indicators.models import SIMULATED_SOURCE, Evaluation, IndicatorValue
from ntm.indicators.selectors import unit_summary
from ntm.programs.models import (
    Body,
    BodyKind,
    CommunicationActivity,
    Cooperative,
    Course,
    CourseLevel,
    EmulationMovement,
    Enterprise,
    OcopProduct,
    ProductionModel,
    Resolution,
    Target,
    TargetKind,
)
from ntm.units.models import Level, Unit
from ntm.units.selectors import communes_in_year, units_at_or_under

# The level whose units are counted when a coverage question names no level.
KIND_LEVEL = {
    BodyKind.STEERING: Level.DISTRICT,
    BodyKind.OFFICE: Level.PROVINCE,
    BodyKind.BOARD: Level.COMMUNE,
    BodyKind.VILLAGE_BOARD: Level.VILLAGE,
}


def subtree_q(unit: Unit, field: str = "unit") -> Q:
    return (
        Q(**{field: unit})
        | Q(**{f"{field}__parent": unit})
        | Q(**{f"{field}__parent__parent": unit})
    )


def subtree_units(*, unit: Unit) -> QuerySet[Unit]:
    return Unit.objects.filter(Q(pk=unit.pk) | Q(parent=unit) | Q(parent__parent=unit))


# --- Training, communication, emulation -----------------------------------------------------


def courses_in(
    *, unit: Unit, year_from: int, year_to: int, until: dt.date | None = None
) -> QuerySet[Course]:
    """Courses starting in the years (and, with ``until``, on or before that day)."""
    years = Q(start_date__year__gte=year_from, start_date__year__lte=year_to)
    courses = Course.objects.filter(subtree_q(unit), years)
    return courses.filter(start_date__lte=until) if until else courses


def training_summary(
    *, unit: Unit, year_from: int, year_to: int, until: dt.date | None = None
) -> dict[str, int]:
    totals = courses_in(unit=unit, year_from=year_from, year_to=year_to, until=until).aggregate(
        courses=Count("id"), attendances=Sum("attendances")
    )
    return {"courses": totals["courses"], "attendances": totals["attendances"] or 0}


def training_by_year(*, unit: Unit) -> list[dict[str, Any]]:
    rows = (
        Course.objects.filter(subtree_q(unit))
        .values("start_date__year")
        .annotate(courses=Count("id"), attendances=Sum("attendances"))
        .order_by("start_date__year")
    )
    return [
        {"year": r["start_date__year"], "courses": r["courses"], "attendances": r["attendances"]}
        for r in rows
    ]


def training_by_level(*, unit: Unit) -> list[dict[str, Any]]:
    rows = Course.objects.filter(subtree_q(unit)).values("level")
    rows = rows.annotate(courses=Count("id"), attendances=Sum("attendances")).order_by("level")
    return [{**r, "label": CourseLevel(r["level"]).label} for r in rows]


def communications_in(*, unit: Unit) -> QuerySet[CommunicationActivity]:
    rows = CommunicationActivity.objects.filter(subtree_q(unit))
    return rows.select_related("unit").order_by("-date")


def movements_in(*, unit: Unit) -> QuerySet[EmulationMovement]:
    rows = EmulationMovement.objects.filter(subtree_q(unit)).select_related("unit")
    return rows.order_by("launch_date")


# --- Production --------------------------------------------------------------------------------


def ocop_in(*, unit: Unit, on: dt.date | None = None) -> QuerySet[OcopProduct]:
    """Products of the subtree; on a date, those recognised by then and not yet expired."""
    rows = OcopProduct.objects.filter(subtree_q(unit, "commune"))
    if on is not None:
        rows = rows.filter(recognised_on__lte=on)
        rows = rows.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=on))
    return rows.select_related("commune").order_by("-stars", "name")


def ocop_summary(*, unit: Unit, on: dt.date | None = None) -> dict[str, Any]:
    counts = dict(ocop_in(unit=unit, on=on).order_by().values_list("stars").annotate(n=Count("id")))
    by_stars = {str(s): counts.get(s, 0) for s in (3, 4, 5)}
    return {"products": sum(by_stars.values()), "by_stars": by_stars}


def cooperatives_in(*, unit: Unit) -> QuerySet[Cooperative]:
    rows = Cooperative.objects.filter(subtree_q(unit, "commune")).select_related("commune")
    return rows.order_by("name")


def production_models_in(*, unit: Unit) -> QuerySet[ProductionModel]:
    return ProductionModel.objects.filter(subtree_q(unit)).select_related("unit").order_by("-year")


def enterprises_in(*, unit: Unit) -> QuerySet[Enterprise]:
    return Enterprise.objects.filter(subtree_q(unit)).select_related("unit").order_by("name")


# --- Organisation ------------------------------------------------------------------------------


def _established_by(on: dt.date) -> Q:
    """Dated on or before ``on``; known only by year: that year has started."""
    return Q(decision_date__lte=on) | Q(decision_date__isnull=True, by_year__lte=on.year)


def _units_at(*, unit: Unit, level: str, on: dt.date) -> QuerySet[Unit]:
    rows = units_at_or_under(unit=unit, on=on, levels=[level])
    if level == Level.COMMUNE:
        rows = rows.filter(ntm_eligible=True)  # wards and towns are outside the programme
    return rows


def organisation_coverage(
    *, unit: Unit, kind: str, on: dt.date, level: str | None = None
) -> dict[str, Any]:
    """How many units of a level under ``unit`` had set up a body of ``kind`` by ``on``.

    Counts units in force on ``on`` (a commune renamed or merged later is a new unit and needs
    its own record). Commune-level totals count only the programme's rural communes.
    """
    level = level or KIND_LEVEL[BodyKind(kind)]
    units = _units_at(unit=unit, level=level, on=on)
    with_body = Body.objects.filter(_established_by(on), kind=kind, unit__in=units)
    return {
        "units_with": with_body.values("unit").distinct().count(),
        "units_total": units.count(),
        "level": level,
    }


def resolution_coverage(*, unit: Unit, level: str, on: dt.date) -> dict[str, Any]:
    units = _units_at(unit=unit, level=level, on=on)
    dated = Q(date__lte=on) | Q(date__isnull=True, by_year__lte=on.year)
    issued = Resolution.objects.filter(dated, unit__in=units)
    return {
        "units_with": issued.values("unit").distinct().count(),
        "units_total": units.count(),
        "level": level,
    }


def bodies_in(*, unit: Unit) -> QuerySet[Body]:
    rows = Body.objects.filter(subtree_q(unit)).select_related("unit")
    return rows.order_by("unit__level", "unit__name", "kind")


def resolutions_in(*, unit: Unit) -> QuerySet[Resolution]:
    rows = Resolution.objects.filter(subtree_q(unit)).select_related("unit")
    return rows.order_by("unit__level", "unit__name")


# --- Targets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Progress:
    target: Target
    goal: float | str
    actual: float | str | None
    percent: int | None  # 0-100 for the progress bar; None when not measurable
    data_year: int | None  # the year of the evaluations used (latest up to the target's year)
    note: str
    simulated: bool = False  # the data year's values include simulated (demo) values


def _data_year(unit: Unit, year: int) -> int | None:
    scope = subtree_q(unit)
    years = Evaluation.objects.filter(scope, year__lte=year, unit__ntm_eligible=True)
    latest = years.order_by("-year").values_list("year", flat=True).first()
    return latest


def _percent(actual: float | None, goal: float | None) -> int | None:
    if actual is None or not goal:
        return None
    return max(0, min(100, round(100 * actual / goal)))


def _unit_completes(target: Target, year: int | None) -> Progress:
    """A unit completes when all its programme communes meet the standard in the data year.

    Limit: a district's own criteria (QĐ 320/QĐ-TTg for districts, QĐ 558 for cities) are not
    in the data yet, so only the communes' side of the district standard is checked.
    """
    named = target.named_unit
    assert named is not None
    goal = f"{named.name} hoàn thành"
    if year is None:
        return Progress(target, goal, None, None, None, "Chưa có số liệu đánh giá.")
    _, summary = unit_summary(unit=named, year=year)
    if not summary.communes:
        return Progress(target, goal, None, None, year, "Đơn vị không có xã thuộc chương trình.")
    done = summary.meeting_standard == summary.communes
    actual = f"{'Đạt' if done else 'Chưa đạt'}: {summary.meeting_standard}/{summary.communes} xã đạt chuẩn"
    note = "Chỉ xét điều kiện các xã; tiêu chí riêng của cấp huyện chưa có trong dữ liệu."
    return Progress(
        target, goal, actual, _percent(summary.meeting_standard, summary.communes), year, note
    )


def _indicator(target: Target, year: int | None, last: int) -> Progress:
    unit = target.named_unit or target.unit
    rows = IndicatorValue.objects.filter(unit=unit, indicator=target.indicator, year__lte=last)
    row = rows.order_by("-year").first()
    goal = target.value if target.value is not None else ""
    if row is None:
        return Progress(target, goal, None, None, None, "Chưa có giá trị chỉ tiêu.")
    return Progress(target, goal, row.value, _percent(row.value, target.value), row.year, "")


def target_progress(*, target: Target, as_of: int | None = None) -> Progress:
    """Progress of one target, flagged when the values behind it are simulated: a target
    "reached" only in the demo's invented data must never read as reached. ``as_of``: read
    the data of that year at the latest (a report of 2018 shows the progress of 2018)."""
    progress = _progress(target, target.year if as_of is None else min(as_of, target.year))
    if progress.data_year is None:
        return progress
    unit = target.named_unit or target.unit
    simulated = IndicatorValue.objects.filter(
        unit__in=communes_in_year(unit=unit, year=progress.data_year),
        year=progress.data_year,
        source=SIMULATED_SOURCE,
    ).exists()
    if not simulated:
        return progress
    note = " ".join(
        filter(None, [progress.note, "Tính từ số liệu mô phỏng (demo), không phải số liệu thật."])
    )
    return replace(progress, simulated=True, note=note)


def _progress(target: Target, last: int) -> Progress:
    year = _data_year(target.unit, last)
    if target.kind == TargetKind.UNIT_COMPLETES:
        return _unit_completes(target, year)
    if target.kind == TargetKind.INDICATOR:
        return _indicator(target, year, last)
    goal = target.value if target.value is not None else 0.0
    if year is None:
        return Progress(target, goal, None, None, None, "Chưa có số liệu đánh giá.")
    _, summary = unit_summary(unit=target.unit, year=year)
    actual = (
        summary.meeting_standard if target.kind == TargetKind.COMMUNES else summary.avg_criteria
    )
    return Progress(target, goal, actual, _percent(actual, goal), year, "")


def targets_in(*, unit: Unit, year_from: int, year_to: int) -> QuerySet[Target]:
    rows = Target.objects.filter(subtree_q(unit), year__gte=year_from, year__lte=year_to)
    return rows.select_related("unit", "named_unit").order_by("year", "id")


def target_rows(
    *, unit: Unit, year_from: int, year_to: int, as_of: int | None = None
) -> list[Progress]:
    return [
        target_progress(target=t, as_of=as_of)
        for t in targets_in(unit=unit, year_from=year_from, year_to=year_to)
    ]


def _number(value: float | str | None) -> float | int | str | None:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def targets_progress(
    *, unit: Unit, year_from: int, year_to: int, as_of: int | None = None
) -> list[dict[str, Any]]:
    """[{"name", "target", "actual"}] for the targets of the subtree in the years (progress
    from the data of ``as_of`` at the latest)."""
    rows = target_rows(unit=unit, year_from=year_from, year_to=year_to, as_of=as_of)
    return [
        {
            "name": p.target.name,
            "year": p.target.year,
            "target": _number(p.goal),
            "actual": _number(p.actual),
            "data_year": p.data_year,
            "simulated_data": p.simulated,
            "note": p.note,
        }
        for p in rows
    ]
