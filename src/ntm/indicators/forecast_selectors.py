"""Reads for the forecast: verdict and value histories of a unit's communes, fed to core.forecast.

A commune's history is that of its unit row: a commune formed by a merger starts a new history
(its predecessors' verdicts were given on other territories). See docs/forecast.md.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ntm.core.evaluate import evaluate_unit
from ntm.core.forecast import (
    WINDOW,
    Backtest,
    CommuneForecast,
    CountForecast,
    ExpectedYear,
    IndicatorForecast,
    ReachYear,
    VerdictPoint,
    backtest,
    commune_forecast,
    count_forecast,
    expected_year,
    indicator_forecast,
    indicator_reach_year,
)
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import NoClassError, recorded_classes
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.selectors import years_with_data
from ntm.indicators.services import CriteriaCache, commune_criteria
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year, names_in_year, unit_in_year, unit_sort_key


class ForecastError(ValueError):
    """No forecast can be made for the unit and year; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class IndicatorOutlook:
    """An indicator a commune did not meet in the base year, and its forecast."""

    code: str
    text: str
    unit: str
    op: str
    value: float | None  # in the base year
    threshold: float | None
    forecast: IndicatorForecast
    reach: ReachYear  # the year it is expected to meet its threshold


@dataclass(frozen=True)
class CommuneOutlook:
    unit: Unit
    name: str
    last: VerdictPoint  # the verdict of its last year of data
    forecast: CommuneForecast
    indicators: list[IndicatorOutlook]
    expected: ExpectedYear  # from the indicators' years, else from ``forecast``


@dataclass(frozen=True)
class ForecastReport:
    base_year: int  # the last year of data used
    target_year: int
    communes: list[CommuneOutlook]
    count: CountForecast
    path: list[tuple[int, CountForecast]]  # each year after the base year to the target year
    actual: int | None  # communes meeting the standard in the target year, when known
    backtest: Backtest | None
    backtest_note: str


def verdict_histories(*, communes: list[Unit], last_year: int) -> dict[int, list[VerdictPoint]]:
    """Unit id -> its stored verdicts up to ``last_year``, oldest first (one query)."""
    rows = (
        Evaluation.objects.filter(unit__in=communes, year__lte=last_year)
        .order_by("year")
        .values_list("unit_id", "year", "criteria_met", "criteria_total", "meets_standard")
    )
    out: dict[int, list[VerdictPoint]] = {c.pk: [] for c in communes}
    for unit_id, year, met, total, meets in rows:
        out[unit_id].append(VerdictPoint(year, met, total, meets))
    return out


def base_year_of(*, unit: Unit, target_year: int, last_year: int | None = None) -> int:
    """The last year before ``target_year`` (and not after ``last_year``) with verdicts for the
    unit's communes."""
    until = target_year - 1 if last_year is None else min(last_year, target_year - 1)
    years = [y for y in years_with_data(unit=unit) if y <= until]
    if not years:
        raise ForecastError(
            f"{unit.name}: chưa có kết quả đánh giá nào trước năm {target_year} để dự báo"
        )
    return years[-1]


@dataclass(frozen=True)
class _Frame:
    base: int
    communes: list[Unit]  # in force in the base year, in the units' order
    histories: dict[int, list[VerdictPoint]]  # up to the base year


def _frame(*, unit: Unit, target_year: int, last_year: int | None) -> _Frame:
    base = base_year_of(unit=unit, target_year=target_year, last_year=last_year)
    base_unit = unit_in_year(unit=unit, year=base) or unit
    communes = sorted(communes_in_year(unit=base_unit, year=base), key=unit_sort_key)
    return _Frame(base, communes, verdict_histories(communes=communes, last_year=base))


def _path(frame: _Frame, target_year: int) -> list[tuple[int, CountForecast]]:
    """The expected count in each year after the base year up to ``target_year``."""
    histories = [h for h in frame.histories.values() if h]
    return [
        (year, count_forecast([commune_forecast(h, year) for h in histories]))
        for year in range(frame.base + 1, target_year + 1)
    ]


@dataclass(frozen=True)
class CountOutlook:
    """The expected count alone (for a page): what ``unit_forecast`` says of it."""

    base_year: int
    target_year: int
    path: list[tuple[int, CountForecast]]

    @property
    def count(self) -> CountForecast:
        return self.path[-1][1]


def unit_count_outlook(
    *, unit: Unit, target_year: int, last_year: int | None = None
) -> CountOutlook:
    """The expected number of the unit's communes meeting the standard in each year to
    ``target_year``, from the verdicts up to ``last_year`` (a few queries)."""
    frame = _frame(unit=unit, target_year=target_year, last_year=last_year)
    return CountOutlook(frame.base, target_year, _path(frame, target_year))


def unit_forecast(
    *,
    unit: Unit,
    target_year: int,
    backtest_years: tuple[int, int] | None = None,
    last_year: int | None = None,
) -> ForecastReport:
    """The forecast for ``target_year`` of the communes in force under ``unit`` in the last year
    with data before it (and not after ``last_year``); backtest on ``backtest_years`` (fit,
    check), by default a two-year forecast checked against the year before the base year."""
    frame = _frame(unit=unit, target_year=target_year, last_year=last_year)
    base = frame.base
    outlooks = _outlooks(frame=frame, target_year=target_year)
    path = _path(frame, target_year)
    fit, check = backtest_years or (base - 3, base - 1)
    tested, note = _backtest(unit=unit, fit=fit, check=check)
    return ForecastReport(
        base_year=base,
        target_year=target_year,
        communes=outlooks,
        count=path[-1][1],
        path=path,
        actual=_actual(unit=unit, year=target_year),
        backtest=tested,
        backtest_note=note,
    )


def _outlooks(*, frame: _Frame, target_year: int) -> list[CommuneOutlook]:
    communes, histories = frame.communes, frame.histories
    names = names_in_year(units=communes, year=frame.base)
    indicators = _indicator_outlooks(communes=communes, year=frame.base, target_year=target_year)
    out = []
    for c in communes:
        if not histories[c.pk]:
            continue
        forecast = commune_forecast(histories[c.pk], target_year)
        own = indicators.get(c.pk, [])
        out.append(
            CommuneOutlook(
                unit=c,
                name=names[c.pk],
                last=histories[c.pk][-1],
                forecast=forecast,
                indicators=own,
                expected=expected_year(forecast, [i.reach for i in own]),
            )
        )
    return out


def commune_outlook(*, unit: Unit, year: int) -> CommuneOutlook | None:
    """The commune's outlook from its data up to ``year``, as `ntm forecast --target-year
    <year + 1>` gives it; None when it has no verdict in ``year``."""
    histories = verdict_histories(communes=[unit], last_year=year)
    if not histories[unit.pk] or histories[unit.pk][-1].year != year:
        return None
    frame = _Frame(year, [unit], histories)
    return _outlooks(frame=frame, target_year=year + 1)[0]


def _actual(*, unit: Unit, year: int) -> int | None:
    """Communes meeting the standard in ``year`` if the year has verdicts (a past target)."""
    row = unit_in_year(unit=unit, year=year)
    if row is None:
        return None
    verdicts = Evaluation.objects.filter(year=year, unit__in=communes_in_year(unit=row, year=year))
    if not verdicts.exists():
        return None
    return verdicts.filter(meets_standard=True).count()


def _backtest(*, unit: Unit, fit: int, check: int) -> tuple[Backtest | None, str]:
    if check <= fit:
        return None, f"năm kiểm tra {check} phải sau năm khớp {fit}"
    row = unit_in_year(unit=unit, year=fit)
    if row is None:
        return None, f"không có đơn vị mã {unit.code} vào 31/12/{fit}"
    communes = list(communes_in_year(unit=row, year=fit))
    histories = verdict_histories(communes=communes, last_year=check)
    tested = backtest({k: v for k, v in histories.items() if v}, fit, check)
    if not tested.communes:
        return None, f"không có xã nào có kết quả đánh giá cả đến năm {fit} và năm {check}"
    return tested, ""


def _indicator_outlooks(
    *, communes: list[Unit], year: int, target_year: int
) -> dict[int, list[IndicatorOutlook]]:
    """Unit id -> forecasts of the indicators it did not meet in ``year``, each from its values
    under the set judging ``year`` (the last WINDOW years of that set)."""
    cache: CriteriaCache = {}
    recorded = recorded_classes(unit_ids=[c.pk for c in communes])
    judged: dict[int, tuple[CriteriaSet, str]] = {}
    for commune in communes:
        try:
            judged[commune.pk] = commune_criteria(
                unit=commune, year=year, cache=cache, recorded=recorded
            )
        except (NoClassError, UnknownCriteriaSetError):
            continue
    # unit id -> (criteria set, indicator) -> [(year, value)]
    history: dict[int, dict[tuple[str, str], list[tuple[int, float]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    rows = IndicatorValue.objects.filter(
        unit_id__in=list(judged), year__gt=year - WINDOW, year__lte=year
    ).values_list("unit_id", "criteria_set", "indicator", "year", "value")
    for unit_id, set_id, code, value_year, value in rows:
        history[unit_id][(set_id, code)].append((value_year, value))
    out: dict[int, list[IndicatorOutlook]] = {}
    for unit_id, (cset, cls) in judged.items():
        own = history[unit_id]
        now = {
            code: value
            for (set_id, code), points in own.items()
            if set_id == cset.id
            for value_year, value in points
            if value_year == year
        }
        result = evaluate_unit(cset, cls, now)
        out[unit_id] = []
        for ind in cset.indicators:
            judged_ind = result.indicators[ind.code]
            if judged_ind.status not in ("not_met", "missing"):
                continue
            points = own.get((cset.id, ind.code), [])
            threshold = judged_ind.threshold
            out[unit_id].append(
                IndicatorOutlook(
                    code=ind.code,
                    text=ind.text,
                    unit=ind.unit,
                    op=ind.op.value,
                    value=judged_ind.value,
                    threshold=threshold,
                    forecast=indicator_forecast(ind, threshold, points, target_year),
                    reach=indicator_reach_year(ind, threshold, points, year),
                )
            )
    return out
