"""Forecasts: each indicator of a commune, when each commune meets the standard, how many will.

Deliberately simple; docs/forecast.md says the same for users.

Indicators (``indicator_forecast``). A numeric indicator is forecast by a straight line fitted
by least squares to its values of the last ``WINDOW`` years (at least ``MIN_POINTS``), under
one criteria set (indicators of different decisions measure different things, so a history
stops at a change of set). The point forecast is clipped to the indicator's physical range
(0-100 for a percentage, ≥ 0 otherwise). Its uncertainty is the ordinary prediction interval of
the line, sd = s * sqrt(1 + 1/n + (x - mean)² / Sxx) with s the residual standard deviation,
under a normal approximation (with 3-5 points a Student t would be up to 2.5 times wider: the
interval is optimistic). A yes/no indicator keeps its last value; the chance it has changed
after h years is that of a symmetric switch with the commune's own yearly switch rate,
smoothed (switches + 1) / (years + 2) so that a short history is never certain.

Communes (``commune_forecast``). Whether a commune meets the standard is forecast from its
number of criteria met per year, which survives the changes of criteria set (QĐ 491/2009 →
QĐ 1980/2016 → QĐ 318/2022, 19 criteria each; a count under a set of another size is rescaled
to the latest set's size). The same line and interval as above, the residual sd floored at
``SIGMA_FLOOR`` criterion (counts are whole numbers: a perfect line is not certainty). The
probability of meeting the standard in year Y is P(count(Y) ≥ total - 0.5). The expected year is
the first year whose point forecast reaches the total (probability ≥ 0.5), with the years the
probability passes 0.1 and 0.9 as its range. A commune that meets the standard in the last
year of its history counts as meeting later (recognition stands once granted; slipping data is
the alerts' business). Fewer than ``MIN_POINTS`` years: "không dự báo được", with the reason.

Expected years from the indicators (``indicator_reach_year``, ``expected_year``). Each
numeric indicator a commune does not meet, with a confirmed threshold, gets the first year the
line above reaches its threshold (P ≥ 0.5, range where P passes 0.1 and 0.9). The commune's
expected year is the latest of these (it needs them all) when every unmet indicator has one;
otherwise (a yes/no indicator, missing data, a falling trend) it is the year of the
criteria-count line, and the note says which indicator could not be forecast.

Count (``count_forecast``). The expected number of communes meeting the standard is the sum of
the communes' probabilities; its 90% interval comes from the exact distribution of a sum of
independent yes/no outcomes (Poisson binomial). Communes are not independent (one budget, one
province-wide push), so the true interval is wider. Communes without a forecast are counted
at their last verdict and reported apart.

Backtest (``backtest``). Fit on the years up to Y1, forecast Y2, compare with the verdicts of
Y2: the count error (forecast - actual), the share of communes whose forecast verdict
(probability ≥ 0.5) was right and the mean absolute error of the number of criteria met.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

import numpy as np

from ntm.core.model import Indicator, Op

WINDOW = 5  # years of history a line is fitted to: older years say little about the pace now
MIN_POINTS = 3  # a line through 2 points has no residuals, so no measure of its uncertainty
SIGMA_FLOOR = 0.5  # criteria: the resolution of a whole-number count
HORIZON = 15  # years ahead an expected year is looked for
LEVEL = 0.9  # every interval is a 90% interval
_Z = 1.6448536269514722  # the standard normal's 95th percentile: a two-sided 90% interval


@dataclass(frozen=True)
class Line:
    """A least-squares line through (year, value) points and its prediction uncertainty."""

    slope: float
    intercept: float
    sigma: float  # residual standard deviation
    n: int
    x_mean: float
    sxx: float

    def predict(self, year: int) -> tuple[float, float]:
        """(point forecast, standard deviation of a new observation) in ``year``."""
        mean = self.intercept + self.slope * year
        spread = math.sqrt(1 + 1 / self.n + (year - self.x_mean) ** 2 / self.sxx)
        return mean, self.sigma * spread


def line_fit(points: Sequence[tuple[int, float]], sigma_floor: float = 0.0) -> Line | None:
    """The line through the last WINDOW points (years ascending); None if fewer than MIN_POINTS."""
    recent = sorted(points)[-WINDOW:]
    if len(recent) < MIN_POINTS:
        return None
    x = np.array([p[0] for p in recent], dtype=np.float64)
    y = np.array([p[1] for p in recent], dtype=np.float64)
    x_mean = float(x.mean())
    sxx = float(((x - x_mean) ** 2).sum())
    if sxx == 0:
        return None  # every point in one year: no trend to speak of
    slope = float(((x - x_mean) * (y - y.mean())).sum() / sxx)
    intercept = float(y.mean()) - slope * x_mean
    residuals = y - (intercept + slope * x)
    sigma = math.sqrt(float((residuals**2).sum()) / (len(recent) - 2))
    return Line(slope, intercept, max(sigma, sigma_floor), len(recent), x_mean, sxx)


def normal_cdf(z: float) -> float:
    return 0.5 * (1 + math.erf(z / math.sqrt(2)))


def _exceeds(mean: float, sd: float, bound: float) -> float:
    """P(X ≥ bound) for X ~ N(mean, sd²); a step when sd is 0."""
    if sd <= 0:
        return 1.0 if mean >= bound else 0.0
    return 1 - normal_cdf((bound - mean) / sd)


def too_short(points: int) -> str:
    return f"không dự báo được: cần ít nhất {MIN_POINTS} năm số liệu, mới có {points}"


# --- Indicators -------------------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorForecast:
    code: str
    year: int
    method: str  # "trend", "persistence" or "" when there is no forecast
    value: float | None  # point forecast (clipped to the physical range)
    low: float | None  # 90% interval
    high: float | None
    p_meets: float | None  # None when the threshold is unconfirmed or there is no forecast
    reason: str = ""  # why there is no forecast


def bounds_of(ind: Indicator) -> tuple[float, float]:
    """The physical range of an indicator's values (every numeric one is a rate, an income or a
    count, see indicators.services.value_problem)."""
    if ind.op.is_boolean:
        return 0.0, 1.0
    return (0.0, 100.0) if ind.unit == "%" else (0.0, math.inf)


def indicator_forecast(
    ind: Indicator, threshold: float | None, history: Sequence[tuple[int, float]], year: int
) -> IndicatorForecast:
    """Forecast ``ind`` in ``year`` from its (year, value) history under one criteria set."""
    if not history:
        return IndicatorForecast(ind.code, year, "", None, None, None, None, too_short(0))
    if ind.op.is_boolean:
        return _persistence(ind, threshold, history, year)
    line = line_fit(history)
    if line is None:
        return IndicatorForecast(
            ind.code, year, "", None, None, None, None, too_short(len(history))
        )
    mean, sd = line.predict(year)
    lo, hi = bounds_of(ind)

    def clip(v: float) -> float:
        return round(min(max(v, lo), hi), 2)

    p = None
    if threshold is not None:
        above = _exceeds(mean, sd, threshold)
        p = above if ind.op in (Op.GE, Op.GT) else 1 - above
    return IndicatorForecast(
        ind.code, year, "trend", clip(mean), clip(mean - _Z * sd), clip(mean + _Z * sd), p
    )


def _persistence(
    ind: Indicator, threshold: float | None, history: Sequence[tuple[int, float]], year: int
) -> IndicatorForecast:
    ordered = sorted(history)
    last_year, last = ordered[-1]
    switches = sum(1 for a, b in pairwise(ordered) if a[1] != b[1])
    rate = (switches + 1) / (len(ordered) - 1 + 2)
    horizon = max(year - last_year, 0)
    # A two-state chain switching with probability q each year stays put with (1+(1-2q)^h)/2.
    p_same = (1 + (1 - 2 * rate) ** horizon) / 2
    p = None if threshold is None else (p_same if last == threshold else 1 - p_same)
    return IndicatorForecast(ind.code, year, "persistence", last, None, None, p)


# --- Communes -------------------------------------------------------------------------------


@dataclass(frozen=True)
class VerdictPoint:
    """A commune's stored verdict of one year."""

    year: int
    criteria_met: int
    criteria_total: int
    meets_standard: bool


@dataclass(frozen=True)
class CommuneForecast:
    year: int
    criteria_total: int
    criteria_met: float | None  # expected in ``year`` (clipped to 0..total)
    low: float | None
    high: float | None
    p_meets: float  # probability of meeting the standard in ``year``
    expected_year: int | None  # first year the commune is expected to meet the standard
    year_range: tuple[int | None, int | None]  # years the probability passes 0.1 and 0.9
    met_since: int | None  # meeting the standard in its last year: the first year of that run
    forecast: bool  # False: no forecast (p_meets is the last verdict, see ``reason``)
    reason: str = ""


def commune_forecast(history: Sequence[VerdictPoint], year: int) -> CommuneForecast:
    """Forecast one commune in ``year`` from its verdicts (any years before ``year``)."""
    points = sorted((p for p in history if p.year < year), key=lambda p: p.year)
    if not points:
        return CommuneForecast(
            year, 0, None, None, None, 0.0, None, (None, None), None, False, too_short(0)
        )
    last = points[-1]
    total = last.criteria_total
    if last.meets_standard:
        since = last.year
        for point in reversed(points):
            if not point.meets_standard:
                break
            since = point.year
        return CommuneForecast(
            year, total, float(total), None, None, 1.0, since, (since, since), since, True, "",
        )  # fmt: skip
    scaled = [(p.year, p.criteria_met * total / p.criteria_total) for p in points]
    line = line_fit(scaled, SIGMA_FLOOR)
    if line is None:
        return CommuneForecast(
            year, total, None, None, None, 0.0, None, (None, None), None, False,
            too_short(len(points)),
        )  # fmt: skip
    mean, sd = line.predict(year)

    def clip(v: float) -> float:
        return round(min(max(v, 0.0), float(total)), 2)

    p = _exceeds(mean, sd, total - 0.5)
    expected, early, late, reason = _years(line, total, last.year)
    return CommuneForecast(
        year, total, clip(mean), clip(mean - _Z * sd), clip(mean + _Z * sd), p, expected,
        (early, late), None, True, reason,
    )  # fmt: skip


def _first_years(p_of: Callable[[int], float], last: int) -> dict[float, int | None]:
    """The first year after ``last`` (up to HORIZON ahead) whose probability reaches 0.1, 0.5
    and 0.9; None for a level never reached."""
    first: dict[float, int | None] = {0.1: None, 0.5: None, 0.9: None}
    for year in range(last + 1, last + HORIZON + 1):
        p = p_of(year)
        for level, found in first.items():
            if found is None and p >= level:
                first[level] = year
    return first


def _years(line: Line, total: int, last: int) -> tuple[int | None, int | None, int | None, str]:
    """(expected year, early, late, reason if none) from the line's probabilities by year."""

    def p_of(year: int) -> float:
        return _exceeds(*line.predict(year), total - 0.5)

    first = _first_years(p_of, last)
    reason = ""
    if first[0.5] is None:
        reason = (
            "không dự báo được năm đạt chuẩn: số tiêu chí đạt không tăng"
            if line.slope <= 0
            else f"chưa đạt chuẩn đến năm {last + HORIZON} theo xu hướng hiện nay"
        )
    return first[0.5], first[0.1], first[0.9], reason


# --- Expected years from the indicators ----------------------------------------------------


@dataclass(frozen=True)
class ReachYear:
    """When one indicator a commune does not meet is expected to reach its threshold."""

    code: str
    year: int | None  # the first year the line's point forecast reaches the threshold
    year_range: tuple[int | None, int | None]  # years the probability passes 0.1 and 0.9
    reason: str = ""  # why there is no year


def indicator_reach_year(
    ind: Indicator, threshold: float | None, history: Sequence[tuple[int, float]], year: int
) -> ReachYear:
    """The year ``ind``, not met in ``year``, is expected to meet ``threshold``: the line of
    ``indicator_forecast`` through its (year, value) history up to ``year``, looked for up to
    HORIZON years ahead. Only a numeric indicator with a confirmed threshold and a value in
    ``year`` has one: a yes/no indicator has no trend to extend."""

    def none(reason: str) -> ReachYear:
        return ReachYear(ind.code, None, (None, None), reason)

    if ind.op.is_boolean:
        return none("chỉ tiêu có/không: không có xu hướng để dự báo năm đạt")
    if threshold is None:
        return none("ngưỡng chưa được xác nhận")
    points = [p for p in history if p[0] <= year]
    if not any(p[0] == year for p in points):
        return none(f"chưa có số liệu năm {year}")
    line = line_fit(points)
    if line is None:
        return none(too_short(len(points)))
    upward = ind.op in (Op.GE, Op.GT)

    def p_of(at: int) -> float:
        above = _exceeds(*line.predict(at), threshold)
        return above if upward else 1 - above

    first = _first_years(p_of, year)
    if first[0.5] is None:
        improving = line.slope > 0 if upward else line.slope < 0
        return none(
            f"chưa đạt ngưỡng đến năm {year + HORIZON} theo xu hướng hiện nay"
            if improving
            else "không dự báo được năm đạt: chỉ tiêu không tiến về ngưỡng"
        )
    return ReachYear(ind.code, first[0.5], (first[0.1], first[0.9]))


MET, INDICATORS, CRITERIA, NONE = "met", "indicators", "criteria", "none"


@dataclass(frozen=True)
class ExpectedYear:
    """The year a commune is expected to meet the standard, and what it was read from."""

    year: int | None
    year_range: tuple[int | None, int | None]
    basis: str  # MET (already meets it), INDICATORS, CRITERIA (the count's line) or NONE
    note: str = ""  # why the indicators could not give it, or why there is no year


def expected_year(commune: CommuneForecast, reaches: Sequence[ReachYear]) -> ExpectedYear:
    """The latest year among the commune's unmet indicators when every one of them has a year
    (the standard needs them all); otherwise the year of its criteria-count line, saying why."""
    if commune.met_since is not None:
        return ExpectedYear(commune.met_since, (commune.met_since, commune.met_since), MET)
    if reaches and all(r.year is not None for r in reaches):
        lates = [r.year_range[1] for r in reaches]
        return ExpectedYear(
            max(r.year for r in reaches if r.year is not None),
            (
                max(r.year_range[0] or 0 for r in reaches),
                None if None in lates else max(r for r in lates if r is not None),
            ),
            INDICATORS,
        )
    blocked = next((r for r in reaches if r.year is None), None)
    why = (
        f"chỉ tiêu {blocked.code}: {blocked.reason}"
        if blocked is not None
        else "không có chỉ tiêu chưa đạt nào để dự báo"
    )
    if commune.expected_year is None:
        return ExpectedYear(None, (None, None), NONE, f"{why}; {commune.reason}")
    return ExpectedYear(
        commune.expected_year,
        commune.year_range,
        CRITERIA,
        f"theo xu hướng số tiêu chí đạt — {why}",
    )


# --- Count ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountForecast:
    expected: float
    low: int
    high: int
    communes: int
    without_forecast: int  # counted at their last verdict


def count_forecast(forecasts: Sequence[CommuneForecast]) -> CountForecast:
    """Expected number meeting the standard and its 90% interval (Poisson binomial)."""
    probabilities = [f.p_meets for f in forecasts]
    # dist[k] = P(exactly k communes meet the standard), built one commune at a time.
    dist = np.zeros(len(probabilities) + 1)
    dist[0] = 1.0
    for p in probabilities:
        dist[1:] = dist[1:] * (1 - p) + dist[:-1] * p
        dist[0] *= 1 - p
    cumulative = np.cumsum(dist)
    tail = (1 - LEVEL) / 2
    low = int(np.searchsorted(cumulative, tail - 1e-12))
    high = int(np.searchsorted(cumulative, 1 - tail - 1e-12))
    return CountForecast(
        expected=round(sum(probabilities), 2),
        low=low,
        high=min(high, len(probabilities)),
        communes=len(forecasts),
        without_forecast=sum(1 for f in forecasts if not f.forecast),
    )


# --- Backtest -------------------------------------------------------------------------------

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Backtest:
    fit_year: int
    check_year: int
    communes: int  # communes with history up to fit_year and a verdict in check_year
    forecast: CountForecast
    actual: int
    error: float  # forecast - actual, communes meeting the standard
    accuracy: float | None  # share of communes whose verdict was forecast right
    criteria_mae: float | None  # mean |forecast - actual| criteria met, communes with a line


def backtest(
    histories: Mapping[K, Sequence[VerdictPoint]], fit_year: int, check_year: int
) -> Backtest:
    """Fit on the years up to ``fit_year``, forecast ``check_year``, compare with its verdicts."""
    if check_year <= fit_year:
        raise ValueError(f"năm kiểm tra {check_year} phải sau năm khớp {fit_year}")
    pairs: list[tuple[CommuneForecast, VerdictPoint]] = []
    for history in histories.values():
        actual = next((p for p in history if p.year == check_year), None)
        fitted = [p for p in history if p.year <= fit_year]
        if actual is None or not fitted:
            continue
        pairs.append((commune_forecast(fitted, check_year), actual))
    forecasts = [f for f, _ in pairs]
    count = count_forecast(forecasts)
    actual_count = sum(1 for _, a in pairs if a.meets_standard)
    right = [(f.p_meets >= 0.5) == a.meets_standard for f, a in pairs]
    errors = [
        abs(f.criteria_met - a.criteria_met * f.criteria_total / a.criteria_total)
        for f, a in pairs
        if f.criteria_met is not None
    ]
    return Backtest(
        fit_year=fit_year,
        check_year=check_year,
        communes=len(pairs),
        forecast=count,
        actual=actual_count,
        error=round(count.expected - actual_count, 2),
        accuracy=round(sum(right) / len(right), 4) if right else None,
        criteria_mae=round(sum(errors) / len(errors), 2) if errors else None,
    )
