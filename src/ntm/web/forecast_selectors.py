"""Reads for the forecasts on the unit and commune pages.

Both go through the selectors `ntm forecast` uses (``ntm.programs.forecast.target_outlook``,
``ntm.indicators.forecast_selectors.commune_outlook``), so a page and the command never
disagree; docs/forecast.md says how the numbers are made.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.utils.translation import gettext

from ntm.core.forecast import ReachYear
from ntm.indicators.forecast_selectors import CommuneOutlook, commune_outlook
from ntm.programs.forecast import target_outlook
from ntm.units.models import Unit
from ntm.web.list_selectors import may_see_verdicts


@dataclass(frozen=True)
class ForecastPoint:
    year: int
    expected: float
    low: int
    high: int


@dataclass(frozen=True)
class UnitForecast:
    """The unit's next target of communes meeting the standard and the count expected by then
    from the data up to the page's year (or the actual count when that year is the target's)."""

    target_year: int
    target: float
    target_name: str
    simulated: bool
    base_year: int | None  # None: the target's year has verdicts; ``actual`` is shown
    path: list[ForecastPoint]  # each year after the base year to the target year

    @property
    def expected(self) -> ForecastPoint | None:
        return self.path[-1] if self.path else None

    def data(self) -> dict[str, Any]:
        """What charts.js draws: the dashed forecast and the target mark."""
        return {
            "base_year": self.base_year,
            "points": [asdict(p) for p in self.path],
            "target": {"year": self.target_year, "value": self.target},
            "names": {
                "forecast": gettext("Dự báo xã đạt chuẩn"),
                "target": gettext("Mục tiêu"),
            },
        }


def unit_page_forecast(*, unit: Unit, year: int, user: Any) -> UnitForecast | None:
    """None for a viewer who sees no overall verdicts, or without a target from ``year`` on."""
    if not may_see_verdicts(user):
        return None
    outlook = target_outlook(unit=unit, year=year)
    if outlook is None:
        return None
    target = outlook.target
    path = (
        []
        if outlook.outlook is None
        else [ForecastPoint(y, c.expected, c.low, c.high) for y, c in outlook.outlook.path]
    )
    return UnitForecast(
        target_year=target.year,
        target=outlook.value,
        target_name=target.name,
        simulated=target.simulated,
        base_year=None if outlook.outlook is None else outlook.outlook.base_year,
        path=path,
    )


@dataclass(frozen=True)
class CommuneForecastView:
    outlook: CommuneOutlook | None  # None: no verdict in the year to forecast from
    reaches: dict[str, ReachYear]  # indicator code -> the year it is expected to be met


def commune_page_forecast(*, unit: Unit, year: int) -> CommuneForecastView:
    outlook = commune_outlook(unit=unit, year=year)
    reaches = {} if outlook is None else {i.code: i.reach for i in outlook.indicators}
    return CommuneForecastView(outlook, reaches)
