"""The forecast of communes meeting the standard set against the programme's target.

Here, not in the indicators app, because targets (``programs.Target``) sit above it.
"""

from __future__ import annotations

from typing import Any

from ntm.indicators.forecast_selectors import ForecastReport, unit_forecast
from ntm.programs.models import Target, TargetKind
from ntm.units.models import Unit
from ntm.units.selectors import unit_name_in

METHOD = (
    "Xu hướng tuyến tính (bình phương tối thiểu) của số tiêu chí đạt mỗi xã trong tối đa 5 năm "
    "gần nhất, khoảng dự báo 90% từ phần dư; số xã đạt chuẩn dự kiến là tổng xác suất đạt chuẩn "
    "của các xã (khoảng 90% giả định các xã độc lập, nên thực tế rộng hơn). Xem docs/forecast.md."
)


def communes_target(*, unit: Unit, year: int) -> Target | None:
    """The target "communes meeting the standard" of the unit (any period's row) for ``year``."""
    targets = Target.objects.filter(
        unit__code=unit.code, unit__level=unit.level, kind=TargetKind.COMMUNES, year=year
    )
    return targets.order_by("-created_at", "-pk").first()


def forecast_data(
    *, unit: Unit, target_year: int, backtest_years: tuple[int, int] | None = None
) -> dict[str, Any]:
    """The forecast as the CLI writes it (see docs/forecast.md for the fields)."""
    report = unit_forecast(unit=unit, target_year=target_year, backtest_years=backtest_years)
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
        f = outlook.forecast
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
                "expected_year": f.expected_year,
                "expected_year_range": list(f.year_range),
                "reason": f.reason,
                "indicators": [
                    {
                        "code": ind.code,
                        "text": ind.text,
                        "unit": ind.unit,
                        "op": ind.op,
                        "value": ind.value,
                        "threshold": ind.threshold,
                        "method": ind.forecast.method,
                        "forecast": ind.forecast.value,
                        "interval": [ind.forecast.low, ind.forecast.high],
                        "p_meets": None
                        if ind.forecast.p_meets is None
                        else round(ind.forecast.p_meets, 4),
                        "reason": ind.forecast.reason,
                    }
                    for ind in outlook.indicators
                ],
            }
        )
    return sorted(rows, key=order)


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
