"""The forecast of communes meeting the standard set against the programme's target.

Here, not in the indicators app, because targets (``programs.Target``) sit above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ntm.indicators.forecast_selectors import (
    CountOutlook,
    ForecastError,
    ForecastReport,
    IndicatorOutlook,
    unit_count_outlook,
    unit_forecast,
)
from ntm.indicators.selectors import years_with_data
from ntm.programs.models import Target, TargetKind
from ntm.units.models import Unit
from ntm.units.selectors import unit_name_in

METHOD = (
    "Xu hướng tuyến tính (bình phương tối thiểu) của số tiêu chí đạt mỗi xã trong tối đa 5 năm "
    "gần nhất, khoảng dự báo 90% từ phần dư; số xã đạt chuẩn dự kiến là tổng xác suất đạt chuẩn "
    "của các xã (khoảng 90% giả định các xã độc lập, nên thực tế rộng hơn). Năm dự kiến đạt "
    "chuẩn của một xã: năm muộn nhất mà các chỉ tiêu chưa đạt của xã đạt ngưỡng theo xu hướng "
    "của từng chỉ tiêu; nếu có chỉ tiêu không dự báo được thì theo xu hướng số tiêu chí đạt. "
    "Xem docs/forecast.md."
)


def communes_target(*, unit: Unit, year: int) -> Target | None:
    """The target "communes meeting the standard" of the unit (any period's row) for ``year``."""
    targets = Target.objects.filter(
        unit__code=unit.code, unit__level=unit.level, kind=TargetKind.COMMUNES, year=year
    )
    return targets.order_by("-created_at", "-pk").first()


@dataclass(frozen=True)
class TargetOutlook:
    """The unit's next target of communes meeting the standard, seen from a page's year."""

    target: Target
    value: float
    outlook: CountOutlook | None  # None when the target's year already has verdicts (actual)


def target_outlook(*, unit: Unit, year: int) -> TargetOutlook | None:
    """The first target "communes meeting the standard" of the unit for ``year`` or later, with
    the count expected from the data up to ``year`` (what `ntm forecast --target-year T
    --base-year year` prints); None without such a target or any data to forecast from."""
    target = (
        Target.objects.filter(
            unit__code=unit.code,
            unit__level=unit.level,
            kind=TargetKind.COMMUNES,
            year__gte=year,
            value__isnull=False,
        )
        .order_by("year", "-created_at", "-pk")
        .first()
    )
    if target is None or target.value is None:
        return None
    if target.year == year and year in years_with_data(unit=unit):
        return TargetOutlook(target, target.value, None)
    try:
        outlook = unit_count_outlook(unit=unit, target_year=target.year, last_year=year)
    except ForecastError:
        return None
    return TargetOutlook(target, target.value, outlook)


def forecast_data(
    *,
    unit: Unit,
    target_year: int,
    backtest_years: tuple[int, int] | None = None,
    last_year: int | None = None,
) -> dict[str, Any]:
    """The forecast as the CLI writes it (see docs/forecast.md for the fields)."""
    report = unit_forecast(
        unit=unit, target_year=target_year, backtest_years=backtest_years, last_year=last_year
    )
    target = communes_target(unit=unit, year=target_year)
    count = report.count
    return {
        "unit_code": unit.code,
        "name": unit_name_in(unit=unit, year=report.base_year),
        "target_year": target_year,
        "base_year": report.base_year,
        "method": METHOD,
        "expected": {
            "count": count.expected,
            "low": count.low,
            "high": count.high,
            "level": 0.9,
            "communes": count.communes,
            "without_forecast": count.without_forecast,
        },
        "target": None
        if target is None or target.value is None
        else {
            "value": target.value,
            "name": target.name,
            "source": target.legal_source or target.source,
            "simulated": target.simulated,
            "expected_minus_target": round(count.expected - target.value, 2),
        },
        "actual": report.actual,
        "communes": _communes(report),
        "backtest": _backtest(report),
        "backtest_note": report.backtest_note,
    }


def _communes(report: ForecastReport) -> list[dict[str, Any]]:
    def order(row: dict[str, Any]) -> tuple[int, int, float]:
        year = row["expected_year"]
        return (0 if row["met_since"] else 1, year if year is not None else 10_000, -row["p_meets"])

    rows = []
    for outlook in report.communes:
        f, expected = outlook.forecast, outlook.expected
        rows.append(
            {
                "unit_code": outlook.unit.code,
                "name": outlook.name,
                "criteria_met": outlook.last.criteria_met,
                "criteria_total": outlook.last.criteria_total,
                "met_since": f.met_since,
                "forecast": f.forecast,
                "expected_criteria_met": f.criteria_met,
                "interval": [f.low, f.high],
                "p_meets": round(f.p_meets, 4),
                "expected_year": expected.year,
                "expected_year_range": list(expected.year_range),
                "reason": f.reason,
                "expected_year_basis": expected.basis,
                "expected_year_note": expected.note,
                "criteria_expected_year": f.expected_year,
                "criteria_expected_year_range": list(f.year_range),
                "indicators": [_indicator(ind) for ind in outlook.indicators],
            }
        )
    return sorted(rows, key=order)


def _indicator(ind: IndicatorOutlook) -> dict[str, Any]:
    forecast, reach = ind.forecast, ind.reach
    return {
        "code": ind.code,
        "text": ind.text,
        "unit": ind.unit,
        "op": ind.op,
        "value": ind.value,
        "threshold": ind.threshold,
        "method": forecast.method,
        "forecast": forecast.value,
        "interval": [forecast.low, forecast.high],
        "p_meets": None if forecast.p_meets is None else round(forecast.p_meets, 4),
        "reason": forecast.reason,
        "expected_year": reach.year,
        "expected_year_range": list(reach.year_range),
        "expected_year_reason": reach.reason,
    }


def _backtest(report: ForecastReport) -> dict[str, Any] | None:
    tested = report.backtest
    if tested is None:
        return None
    return {
        "fit_year": tested.fit_year,
        "check_year": tested.check_year,
        "communes": tested.communes,
        "forecast": tested.forecast.expected,
        "interval": [tested.forecast.low, tested.forecast.high],
        "actual": tested.actual,
        "error": tested.error,
        "accuracy": tested.accuracy,
        "criteria_mae": tested.criteria_mae,
    }
