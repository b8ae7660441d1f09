"""What a report is made from: one read of the selectors the pages and commands use.

Everything the text, the annexes and the appendix print comes from ``report_data``, as plain
JSON values, so the report can never disagree with `ntm summary`, `ntm resources` or the unit
page, and its hash (sha256 of the canonical JSON) says exactly which data it was made from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import F, Q, Sum

from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.values import json_plain, vietnamese_sort_key
from ntm.criteria.selectors import get_any_set
from ntm.finance.models import CapitalEntry, Contribution, Stage
from ntm.finance.selectors import (
    MEASURES,
    capital_summary,
    capital_table,
    contributions,
    contributions_summary,
    subtree_q,
)
from ntm.indicators.models import SIMULATED_SOURCE, IndicatorValue
from ntm.indicators.selectors import evaluations_under, years_with_data
from ntm.programs.forecast import forecast_data
from ntm.programs.models import BodyKind, Target, TargetKind
from ntm.programs.selectors import (
    communications_in,
    courses_in,
    movements_in,
    organisation_coverage,
    resolution_coverage,
    targets_progress,
    training_summary,
)
from ntm.units.models import Level, Unit, bare_name
from ntm.units.selectors import communes_in_year, unit_in_year, unit_name_in
from ntm.web.chart_selectors import criteria_met_counts
from ntm.web.list_selectors import STANDARD_TIER, commune_rows
from ntm.web.summary_selectors import summary_data
from ntm.workflow.models import Dossier, Status

PERIODS = {"annual": (12, 31), "h1": (6, 30)}
# Disbursed below this share of the allocated capital of a year that has ended is "slow": the
# programme's annual plans expect capital allocated in a year to be disbursed within it, and
# the provinces' reports flag sources well short of that; 70% is the line they commonly draw.
SLOW_DISBURSEMENT_PERCENT = 70
HARDEST_SHOWN = 3  # criteria named as the hardest in the limitations


class ReportError(Exception):
    """A report that cannot be made, said in a Vietnamese sentence."""


@dataclass(frozen=True)
class ReportData:
    data: dict[str, Any]

    @property
    def digest(self) -> str:
        return data_digest(self.data)


def data_digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, ensure_ascii=False, default=json_plain)
    return hashlib.sha256(text.encode()).hexdigest()


def period_end(*, year: int, period: str) -> dt.date:
    month, day = PERIODS[period]
    return dt.date(year, month, day)


def report_data(*, unit: Unit, year: int, period: str = "annual") -> ReportData:
    """Everything the report of ``unit`` for ``year`` says, read from current data."""
    if period not in PERIODS:
        raise ReportError(f"Kỳ báo cáo '{period}' không có; chọn annual hoặc h1.")
    row = unit_in_year(unit=unit, year=year)
    if row is None or not communes_in_year(unit=row, year=year).exists():
        raise ReportError(f"{unit.name} không có xã nào thuộc chương trình năm {year}.")
    years = [y for y in years_with_data(unit=row) if y <= year]
    if year not in years:
        raise ReportError(
            f"{unit_name_in(unit=row, year=year)} chưa có kết quả đánh giá năm {year}."
        )
    end = period_end(year=year, period=period)
    first = years[0]
    data: dict[str, Any] = {
        "unit": {"code": row.code, "level": row.level, "name": unit_name_in(unit=row, year=year)},
        "year": year,
        "period": period,
        "period_end": end,
        "first_year": first,
        "previous_year": years[-2] if len(years) > 1 else None,
        "summary": _summary(row, year, by_child=row.level != Level.COMMUNE),
        "summary_first": _summary(unit_in_year(unit=row, year=first) or row, first),
        "summary_previous": None,
        "set": _set_info(row, year),
        "tiers": _tiers(row, year),
        "criteria": _criteria(row, year),
        "communes": _communes(row, year),
        "organisation": _organisation(row, end),
        "training": training_summary(unit=row, year_from=first, year_to=year, until=end),
        "courses": _courses(row, first, year, end),
        "communication": _communication(row, end),
        "contributions": _contributions(row, end),
        "capital": _capital(row, first, year),
        "targets": _targets(row, year),
        "forecast": _forecast(row, year),
        "slipping": _slipping(row, year),
        "simulated": _simulated(row, year),
        "slow_percent": SLOW_DISBURSEMENT_PERCENT,
    }
    if data["previous_year"] is not None:
        previous = data["previous_year"]
        data["summary_previous"] = _summary(unit_in_year(unit=row, year=previous) or row, previous)
    data["set_sizes"] = {
        s["year"]: _set_size(s["criteria_set"])
        for s in (data["summary"], data["summary_first"], data["summary_previous"])
        if s is not None
    }
    # one JSON round trip: Decimals and dates become what every writer and the hash see
    return ReportData(json.loads(json.dumps(data, ensure_ascii=False, default=json_plain)))


def _summary(unit: Unit, year: int, *, by_child: bool = False) -> dict[str, Any]:
    return summary_data(unit=unit, year=year, by_child=by_child)


def _set_info(unit: Unit, year: int) -> list[dict[str, Any]]:
    ids = sorted(
        set(evaluations_under(unit=unit, year=year).values_list("criteria_set", flat=True))
    )
    out: list[dict[str, Any]] = []
    for set_id in ids:
        try:
            s = get_any_set(set_id)
        except UnknownCriteriaSetError:
            out.append({"id": set_id, "title": set_id, "decision": "", "criteria": None})
            continue
        out.append(
            {"id": set_id, "title": s.title, "decision": s.decision, "criteria": len(s.criteria)}
        )
    return out


def _set_size(set_ids: str) -> int | None:
    """Criteria in the set judging a year ("a, b" when two sets judged it: the first's)."""
    try:
        return len(get_any_set(set_ids.split(",")[0].strip()).criteria)
    except UnknownCriteriaSetError:
        return None


def _tiers(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Communes at each recognition level of the set (NTM, nâng cao, kiểu mẫu) by the engine."""
    counts: Counter[tuple[str, str]] = Counter()
    for set_id, tiers in evaluations_under(unit=unit, year=year).values_list(
        "criteria_set", "tiers"
    ):
        for code, met in tiers.items():
            counts[set_id, code] += bool(met)
    out = []
    for set_id in sorted({s for s, _ in counts}):
        try:
            names = {t.code: t.name for t in get_any_set(set_id).tiers}
        except UnknownCriteriaSetError:
            names = {}
        for code in names or sorted(c for s, c in counts if s == set_id):
            out.append(
                {
                    "set": set_id,
                    "code": code,
                    "name": names.get(code, code),
                    "communes": counts[set_id, code],
                }
            )
    return out


def _criteria(unit: Unit, year: int) -> list[dict[str, Any]]:
    # user None: the report is the office's, with every criterion (never a department's view)
    return [
        {"set": c.set_id, "code": c.code, "name": c.name, "met": c.met, "judged": c.judged}
        for c in criteria_met_counts(unit=unit, year=year, user=None)
    ]


def _communes(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Every commune, by district then name in Vietnamese order (as the annex lists them)."""
    rows = sorted(
        commune_rows(unit=unit, year=year),
        key=lambda r: (
            vietnamese_sort_key(bare_name(r.district.name)) if r.district else (),
            vietnamese_sort_key(bare_name(r.unit.name)),
        ),
    )
    out = []
    for r in rows:
        e = r.evaluation
        out.append(
            {
                "code": r.unit.code,
                "name": r.unit.name,
                "district": r.district.name if r.district else None,
                "set": e.criteria_set if e else None,
                "criteria_met": e.criteria_met if e else None,
                "criteria_total": e.criteria_total if e else None,
                "missing": e.criteria_missing if e else None,
                "meets_standard": e.meets_standard if e else None,
                "recognised": r.recognised,
                "criteria": dict(e.criteria) if e else {},
                "reason": r.reason,
            }
        )
    return out


def _organisation(unit: Unit, on: dt.date) -> dict[str, Any]:
    bodies = {
        kind.value: organisation_coverage(unit=unit, kind=kind.value, on=on)
        for kind in BodyKind
        if unit.level != Level.COMMUNE or kind in (BodyKind.BOARD, BodyKind.VILLAGE_BOARD)
    }
    levels = [lv for lv in (Level.DISTRICT, Level.COMMUNE) if _has_level(unit, lv, on)]
    resolutions = {lv: resolution_coverage(unit=unit, level=lv, on=on) for lv in levels}
    return {"bodies": bodies, "resolutions": resolutions}


def _has_level(unit: Unit, level: str, on: dt.date) -> bool:
    order = [Level.PROVINCE, Level.DISTRICT, Level.COMMUNE]
    if order.index(Level(unit.level)) >= order.index(Level(level)):
        return False
    return level != Level.DISTRICT or on < dt.date(2025, 7, 1)


def _contributions(unit: Unit, end: dt.date) -> dict[str, Any]:
    """Since the first figure recorded (the programme's campaigns began in 2010) to the end."""
    first = (
        Contribution.objects.filter(subtree_q(unit), date_to__lte=end)
        .order_by("date_from")
        .values_list("date_from", flat=True)
        .first()
    )
    if first is None:
        return {"from": None, "to": end, "sums": None, "rows": []}
    sums = contributions_summary(unit=unit, date_from=first, date_to=end)
    rows = [
        {
            "unit": c.unit.name,
            "from": c.date_from,
            "to": c.date_to,
            "work": c.work.name if c.work else "",
            **{m: getattr(c, m) for m in MEASURES},
        }
        for c in contributions(unit=unit, date_from=first, date_to=end)
    ]
    return {"from": first, "to": end, "sums": sums, "rows": rows}


def _communication(unit: Unit, end: dt.date) -> dict[str, Any]:
    """Communication activities and emulation movements recorded up to the end of the period."""
    activities = communications_in(unit=unit).filter(date__lte=end)
    movements = movements_in(unit=unit).filter(
        Q(launch_date__isnull=True) | Q(launch_date__lte=end)
    )
    return {
        "activities": activities.count(),
        "reach": activities.aggregate(total=Sum("reach"))["total"],
        "movements": [
            {"name": m.name, "launched_by": m.launched_by, "date": m.launch_date} for m in movements
        ],
    }


def _courses(unit: Unit, first: int, year: int, end: dt.date) -> list[dict[str, Any]]:
    rows = courses_in(unit=unit, year_from=first, year_to=year, until=end).select_related("unit")
    return [
        {
            "unit": c.unit.name,
            "topic": c.topic,
            "level": c.get_level_display(),
            "start": c.start_date,
            "attendances": c.attendances,
        }
        for c in rows.order_by("start_date", "pk")
    ]


def _capital(unit: Unit, first: int, year: int) -> dict[str, Any]:
    programme = capital_summary(unit=unit, year_from=first, year_to=year)
    lines = capital_table(unit=unit, year_from=year, year_to=year)
    rows: list[dict[str, Any]] = [
        {
            "label": line.label,
            "code": line.code,
            "depth": line.depth,
            **{stage.value: line.amounts.get(stage) for stage in Stage},
            "rate": line.rate,
        }
        for line in lines
    ]
    slow = [
        r
        for r in rows
        if r["code"] != "total" and r["rate"] is not None and r["rate"] < SLOW_DISBURSEMENT_PERCENT
    ]
    return {
        "programme": programme,
        "periods": _capital_periods(unit, year),
        "year_rows": rows,
        "slow": slow,
    }


def _capital_periods(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Figures given for several years that include ``year`` (a 2011-2020 total), each summed
    over its own period only: splitting them by year would invent figures."""
    spans = (
        CapitalEntry.objects.filter(subtree_q(unit), year_from__lte=year, year_to__gte=year)
        .exclude(year_from=F("year_to"))
        .values_list("year_from", "year_to")
        .distinct()
        .order_by("year_from", "year_to")
    )
    return [
        {"from": yf, "to": yt, "summary": capital_summary(unit=unit, year_from=yf, year_to=yt)}
        for yf, yt in spans
    ]


def _targets(unit: Unit, year: int) -> list[dict[str, Any]]:
    return targets_progress(unit=unit, year_from=year, year_to=year + 10, as_of=year)


def _forecast(unit: Unit, year: int) -> dict[str, Any] | None:
    """The forecast for the nearest later target year of "communes meeting the standard"."""
    target_year = (
        Target.objects.filter(
            unit__code=unit.code, unit__level=unit.level, kind=TargetKind.COMMUNES, year__gt=year
        )
        .order_by("year")
        .values_list("year", flat=True)
        .first()
    )
    if target_year is None:
        return None
    # from the report year's data at the latest: a report of 2018 does not read 2019
    data = forecast_data(unit=unit, target_year=target_year, last_year=year)
    data.pop("communes", None)  # the annex lists communes; the text needs the count
    return data


def _slipping(unit: Unit, year: int) -> list[dict[str, Any]]:
    """Communes recognised in an earlier year whose data of ``year`` fails the standard."""
    failing = {
        e.unit_id: e for e in evaluations_under(unit=unit, year=year).filter(meets_standard=False)
    }
    recognised = Dossier.objects.filter(
        unit_id__in=failing, year__lt=year, tier=STANDARD_TIER, status=Status.RECOGNISED
    ).select_related("unit")
    seen: dict[int, dict[str, Any]] = {}
    for d in recognised.order_by("year"):
        e = failing[d.unit_id]
        seen.setdefault(
            d.unit_id,
            {
                "code": d.unit.code,
                "name": d.unit.name,
                "recognised_year": d.year,
                "not_met": sorted(
                    (c for c, s in e.criteria.items() if s == "not_met"), key=_criterion_order
                ),
            },
        )
    return list(seen.values())


def _criterion_order(code: str) -> tuple[int, str]:
    return (int(code), code) if code.isdigit() else (10**6, code)


def _simulated(unit: Unit, year: int) -> bool:
    """Whether any value behind the year's verdicts was invented (the demo's simulated data)."""
    communes = communes_in_year(unit=unit, year=year)
    return IndicatorValue.objects.filter(
        unit__in=communes, year=year, source=SIMULATED_SOURCE
    ).exists()
