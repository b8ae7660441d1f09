"""Reads for the money charts of a unit page: capital by source and year, plan against
disbursement by year, community contributions by year and kind.

Sums come from the finance selectors (totals beside parts, parent sources, unreadable rows are
handled there). A figure for several years (year_from < year_to, a run of months over several
years) is never spread over its years: it is not drawn in a yearly chart and stands in the
data table as its own row, labelled as a figure for the whole period.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from ntm.accounts import access
from ntm.core.values import format_number
from ntm.finance import selectors
from ntm.finance.models import Contribution, Stage
from ntm.indicators.models import SIMULATED_SOURCE
from ntm.units.models import Unit

MONEY_CHARTS = ("von-nguon", "von-giai-ngan", "dong-gop")
UNCLASSIFIED = "unclassified"


@dataclass(frozen=True)
class Period:
    year_from: int
    year_to: int

    @property
    def yearly(self) -> bool:
        return self.year_from == self.year_to

    @property
    def label(self) -> str:
        if self.yearly:
            return str(self.year_from)
        return gettext("%(first)s–%(last)s (số cả giai đoạn)") % {
            "first": self.year_from,
            "last": self.year_to,
        }


@dataclass(frozen=True)
class CapitalPoint:
    period: Period
    parts: dict[str, Decimal | None]  # top-level source code (or "unclassified") -> amount
    total: Decimal | None


@dataclass(frozen=True)
class StagePoint:
    period: Period
    plan: Decimal | None
    allocated: Decimal | None
    disbursed: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Disbursed against the plan, in percent."""
        if not self.plan or self.disbursed is None:
            return None
        return self.disbursed * 100 / self.plan


@dataclass(frozen=True)
class ContributionPoint:
    period: Period
    measures: dict[str, Decimal | None]  # selectors.MEASURES -> sum


@dataclass(frozen=True)
class UnitMoney:
    sources: list[tuple[str, str]]  # (code, name) of each stacked part, in the sources' order
    capital: list[CapitalPoint]
    stages: list[StagePoint]
    contributions: list[ContributionPoint]
    figure_sources: list[str]  # where the figures come from, as entered
    simulated: bool  # some figure is the demo's simulated data

    @property
    def has_data(self) -> bool:
        return bool(self.capital or self.stages or self.contributions)

    @classmethod
    def empty(cls) -> UnitMoney:
        return cls([], [], [], [], [], False)

    @property
    def drawn(self) -> set[str]:
        """The charts with at least one yearly figure to draw."""
        yearly = {
            "von-nguon": any(p.period.yearly for p in self.capital),
            "von-giai-ngan": any(p.period.yearly for p in self.stages),
            "dong-gop": any(p.period.yearly for p in self.contributions),
        }
        return {chart for chart, drawn in yearly.items() if drawn}

    @property
    def tables(self) -> dict[str, list[list[str]]]:
        """Chart -> its data table (headers first), for the charts that have rows."""
        tables = {chart: money_table(money=self, chart=chart) for chart in MONEY_CHARTS}
        return {chart: rows for chart, rows in tables.items() if len(rows) > 1}

    def data(self) -> dict[str, Any]:
        """What money_charts.js draws: yearly figures only, as numbers."""
        return {
            "headers": money_headers(sources=self.sources),
            "sources": [code for code, _ in self.sources],
            "capital": [
                {"year": p.period.year_from, **{c: _num(v) for c, v in p.parts.items()}}
                for p in self.capital
                if p.period.yearly
            ],
            "stages": [
                {
                    "year": p.period.year_from,
                    "plan": _num(p.plan),
                    "allocated": _num(p.allocated),
                    "disbursed": _num(p.disbursed),
                }
                for p in self.stages
                if p.period.yearly
            ],
            "contributions": [
                {"year": p.period.year_from, **{k: _num(v) for k, v in p.measures.items()}}
                for p in self.contributions
                if p.period.yearly
            ],
        }


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def money_headers(*, sources: list[tuple[str, str]]) -> dict[str, list[str]]:
    """The columns of each chart's data table, shared by the page and the CSV download."""
    return {
        "von-nguon": [
            gettext("Năm"),
            *(name for _, name in sources),
            gettext("Tổng cộng"),
        ],
        "von-giai-ngan": [
            gettext("Năm"),
            gettext("Kế hoạch"),
            gettext("Đã bố trí"),
            gettext("Đã giải ngân"),
            gettext("Giải ngân/kế hoạch (%)"),
        ],
        "dong-gop": [
            gettext("Năm"),
            gettext("Đất hiến (m²)"),
            gettext("Ngày công"),
            gettext("Tiền mặt (triệu đồng)"),
            gettext("Vật liệu (triệu đồng)"),
        ],
    }


def _stacked_sources(codes: set[str], names: dict[str, str]) -> list[tuple[str, str]]:
    ordered = [(code, name) for code, name in names.items() if code in codes]
    if UNCLASSIFIED in codes:
        ordered.append((UNCLASSIFIED, selectors.UNCLASSIFIED_LABEL))
    return ordered


def _figure_sources(*, unit: Unit, year: int) -> list[str]:
    """Where the figures shown come from, as entered (one query)."""
    capital = selectors.capital_entries(unit=unit, year_to=year).order_by()
    gifts = Contribution.objects.filter(selectors.subtree_q(unit), date_to__year__lte=year)
    found = capital.values_list("figure_source", flat=True).union(
        gifts.order_by().values_list("figure_source", flat=True)
    )
    return sorted(s for s in found if s)


def unit_money(*, unit: Unit, year: int, user: Any) -> UnitMoney | None:
    """The unit's money up to ``year`` (its subtree, as the finance pages count it), or None
    when the user may not see finance."""
    if not access.can_view_resources(user, unit):
        return None
    tree = selectors.capital_source_tree()
    by_period = selectors.capital_by_period(unit=unit, year_to=year, tree=tree)
    gifts = selectors.contributions_by_period(unit=unit, year_to=year)
    capital, stages, codes = [], [], set()
    for (first, last), summaries in by_period.items():
        period = Period(first, last)
        allocated = summaries[Stage.ALLOCATED]
        if allocated.total is not None or allocated.unknown:
            parts: dict[str, Decimal | None] = dict(allocated.by_root)
            if allocated.unclassified is not None:
                parts[UNCLASSIFIED] = allocated.unclassified
            codes |= set(parts)
            capital.append(CapitalPoint(period, parts, allocated.total))
        stages.append(StagePoint(period, *(summaries[s].total for s in Stage)))
    sources = _stacked_sources(codes, tree.names)
    kept = [code for code, _ in sources]
    capital = [CapitalPoint(p.period, {c: p.parts.get(c) for c in kept}, p.total) for p in capital]
    contributions = [ContributionPoint(Period(*k), v) for k, v in gifts.items()]
    found = _figure_sources(unit=unit, year=year)
    simulated = any(s.startswith(SIMULATED_SOURCE) for s in found)
    return UnitMoney(sources, capital, stages, contributions, found, simulated)


def _cells(values: list[Decimal | None], digits: int = 0) -> list[str]:
    return [format_number(float(v), digits) if v is not None else "–" for v in values]


def money_table(*, money: UnitMoney, chart: str) -> list[list[str]]:
    """The rows of one chart's data table as the page shows them (Vietnamese numbers, period
    figures labelled), headers first: the CSV download is this list."""
    headers = money_headers(sources=money.sources)[chart]
    if chart == "von-nguon":
        body = [[p.period.label, *_cells([*p.parts.values(), p.total])] for p in money.capital]
    elif chart == "von-giai-ngan":
        body = [
            [
                p.period.label,
                *_cells([p.plan, p.allocated, p.disbursed]),
                *_cells([p.rate], 1),
            ]
            for p in money.stages
        ]
    else:
        body = [
            [p.period.label, *_cells([p.measures[m] for m in selectors.MEASURES])]
            for p in money.contributions
        ]
    return [headers, *body]
