"""Money against results: capital planned, allocated and disbursed in a range of years, per
commune and per criterion served, beside the criteria the communes gained over the range.

Capital sums come from the finance selectors (a figure counts only when its whole period lies
in the range; totals are never added to their parts). Criteria gained are read from the stored
verdicts (Evaluation), never recomputed: a commune gains a criterion it meets at the end of the
range and did not meet at the end of the year before it, under the same criteria set. Across a
change of set (QĐ 491/2009 to QĐ 1980/2016, or to QĐ 51/2025) the numbering changed, so no gain
is counted there.

A work (công trình) serving several criteria counts in full for each of them: the documents
do not split a work's cost between criteria, so the per-criterion sums overlap and are not
added up.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import get_any_set, set_in_force
from ntm.finance import selectors
from ntm.finance.models import CapitalEntry, Stage
from ntm.indicators.models import SIMULATED_SOURCE
from ntm.indicators.selectors import evaluations_under
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year, unit_sort_key, with_year_names

# A commune lags when it has disbursed less than 70% of what was planned for the years of the
# range that have ended. A working threshold chosen for this page, not a legal one: below it,
# close to a third of a finished year's plan is unspent, which is worth a question to the
# commune. The current year is left out: its plan may be disbursed until 31 January of the
# next year (Luật Đầu tư công 2019, điều 68).
LAG_RATIO = Decimal("0.7")
MET = "met"  # the status the engine stores in Evaluation.criteria for a met criterion
SORTS = ("ten", "ke-hoach", "giai-ngan", "ty-le", "tang")
RATE_COLUMN = 4  # in results_table: shown with one decimal, as the page shows it


@dataclass
class Money:
    plan: Decimal | None = None
    allocated: Decimal | None = None
    disbursed: Decimal | None = None

    def add(self, summaries: dict[str, selectors.StageSummary]) -> None:
        for stage in Stage:
            self._add(stage.value, summaries[stage].total)

    def _add(self, name: str, amount: Decimal | None) -> None:
        if amount is not None:
            setattr(self, name, (getattr(self, name) or Decimal(0)) + amount)

    @property
    def rate(self) -> Decimal | None:
        """Disbursed against the plan, in percent."""
        if not self.plan or self.disbursed is None:
            return None
        return self.disbursed * 100 / self.plan

    @property
    def spent(self) -> bool:
        return bool(self.disbursed or self.allocated)


@dataclass
class CommuneMoney:
    unit: Unit
    money: Money = field(default_factory=Money)
    ended: Money = field(default_factory=Money)  # the range's years that have ended
    met_base: int | None = None
    met: int | None = None
    gained: int | None = None  # None: no verdict in one of the years, or another set

    @property
    def lagging(self) -> bool:
        plan = self.ended.plan
        if not plan:
            return False
        return (self.ended.disbursed or Decimal(0)) < plan * LAG_RATIO

    @property
    def no_gain(self) -> bool:
        return self.money.spent and self.gained == 0


@dataclass
class CriterionMoney:
    code: str
    name: str
    money: Money = field(default_factory=Money)
    gained: int | None = None  # communes that newly meet it
    met: int = 0  # communes meeting it at the end of the range

    @property
    def no_gain(self) -> bool:
        return self.money.spent and self.gained == 0


@dataclass(frozen=True)
class MoneyResults:
    year_from: int
    year_to: int
    communes: list[CommuneMoney]
    criteria: list[CriterionMoney]
    elsewhere: Money  # figures on the district or province itself, or on former communes
    verdicts: bool  # the user sees a commune's overall verdict (not a department)
    set_id: str | None
    simulated: bool  # some figure is the demo's simulated data

    @property
    def base_year(self) -> int:
        return self.year_from - 1

    @property
    def total(self) -> Money:
        out = Money()
        for row in self.communes:
            for name in ("plan", "allocated", "disbursed"):
                out._add(name, getattr(row.money, name))
        return out


def _set_of(year: int) -> str | None:
    try:
        return set_in_force(year=year).id
    except UnknownCriteriaSetError:
        return None


def default_from(*, year: int, span: int) -> int:
    """The first year of the ``span`` years up to ``year`` whose year before is judged under
    the same set as ``year``: a range whose gains can be counted (2017 for 2020, as 2016 was
    the first year of QĐ 1980/2016)."""
    wanted = _set_of(year)
    for first in range(year - span + 1, year):
        if _set_of(first - 1) == wanted:
            return first
    return year


def _criterion_names(set_id: str | None) -> dict[str, str]:
    if set_id is None:
        return {}
    try:
        return {c.code: c.name for c in get_any_set(set_id).criteria}
    except UnknownCriteriaSetError:
        return {}


def _communes(*, unit: Unit, year: int, user: Any) -> list[Unit]:
    rows = communes_in_year(unit=unit, year=year).filter(access.scope_filter(user))
    return sorted(with_year_names(list(rows), year), key=unit_sort_key)


def _commune_of(entry: CapitalEntry, ids: set[int]) -> int | None:
    """The commune a figure belongs to: its unit, or the commune of its village."""
    if entry.unit_id in ids:
        return entry.unit_id
    parent = entry.unit.parent_id
    return parent if parent in ids else None


def _money_rows(
    entries: list[CapitalEntry],
    rows: dict[int, CommuneMoney],
    ended_by: int,
    tree: selectors.SourceTree,
) -> Money:
    """Fill each commune's money (and that of the ended years); what belongs to no shown
    commune is returned."""
    groups: dict[int | None, list[CapitalEntry]] = defaultdict(list)
    ids = set(rows)
    for e in entries:
        groups[_commune_of(e, ids)].append(e)
    elsewhere = Money()
    for commune_id, group in groups.items():
        summaries = selectors.capital_stage_summaries(entries=group, tree=tree)
        if commune_id is None:
            elsewhere.add(summaries)
            continue
        rows[commune_id].money.add(summaries)
        ended = [e for e in group if e.year_to <= ended_by]
        rows[commune_id].ended.add(selectors.capital_stage_summaries(entries=ended, tree=tree))
    return elsewhere


def _unknown(*, unit: Unit, year_from: int, year_to: int, rows: dict[int, CommuneMoney]) -> None:
    """A stage with an unreadable figure has no sum for its commune (shown "–", never lower)."""
    unreadable = selectors.capital_unreadable(unit=unit, year_from=year_from, year_to=year_to)
    ids = set(rows)
    for entry in unreadable.select_related("unit").only("unit__parent_id", "stage"):
        commune_id = _commune_of(entry, ids)
        if commune_id is not None:
            setattr(rows[commune_id].money, entry.stage, None)
            setattr(rows[commune_id].ended, entry.stage, None)


def _criteria_money(entries: list[CapitalEntry], tree: selectors.SourceTree) -> dict[str, Money]:
    """Criterion code -> the money of the works serving it (each work summed on its own)."""
    works: dict[int, list[CapitalEntry]] = defaultdict(list)
    for e in entries:
        if e.work is not None and isinstance(e.work.criteria, list) and e.work.criteria:
            works[e.work.pk].append(e)
    out: dict[str, Money] = defaultdict(Money)
    for group in works.values():
        summaries = selectors.capital_stage_summaries(entries=group, tree=tree)
        for code in dict.fromkeys(str(c) for c in group[0].work.criteria):  # type: ignore[union-attr]
            out[code].add(summaries)
    return out


Verdict = tuple[str, int, dict[str, str]]  # (criteria set, criteria met, criterion -> status)


def _verdicts(*, unit: Unit, year: int) -> dict[int, Verdict]:
    rows = evaluations_under(unit=unit, year=year).values_list(
        "unit_id", "criteria_set", "criteria_met", "criteria"
    )
    return {pk: (set_id, met, criteria) for pk, set_id, met, criteria in rows}


def _gains(
    rows: dict[int, CommuneMoney],
    now: dict[int, Verdict],
    before: dict[int, Verdict],
    set_id: str | None,
) -> tuple[Counter[str], Counter[str], bool]:
    """Per criterion of ``set_id``: communes gaining it, communes meeting it; and whether any
    commune could be compared at all. Fills each commune's counts (under any set)."""
    gained: Counter[str] = Counter()
    met: Counter[str] = Counter()
    compared = False
    for pk, row in rows.items():
        if pk not in now:
            continue
        own_set, row.met, criteria = now[pk]
        if own_set == set_id:  # the criteria table is in the year's (main) set
            met.update(code for code, status in criteria.items() if status == MET)
        if pk not in before or before[pk][0] != own_set:
            continue
        row.met_base = before[pk][1]
        old = before[pk][2]
        new = [c for c, status in criteria.items() if status == MET and old.get(c) != MET]
        row.gained = len(new)
        if own_set == set_id:
            compared = True
            gained.update(new)
    return gained, met, compared


def _criteria_rows(
    *, set_id: str | None, money: dict[str, Money], gains: tuple[Counter[str], Counter[str], bool]
) -> list[CriterionMoney]:
    gained, met, compared = gains
    names = _criterion_names(set_id)
    out = []
    for code in [*names, *sorted(set(money) - set(names))]:
        row = CriterionMoney(code, names.get(code, ""), money.get(code, Money()))
        row.gained = gained[code] if compared else None
        row.met = met[code]
        out.append(row)
    return out


def money_results(
    *, unit: Unit, year_from: int, year_to: int, user: Any, today: dt.date | None = None
) -> MoneyResults:
    """The page's rows for the communes under ``unit`` in force in ``year_to`` that the user
    may see. A department sees the criteria it owns and no commune's overall gain."""
    today = today or dt.date.today()
    rows = {u.pk: CommuneMoney(u) for u in _communes(unit=unit, year=year_to, user=user)}
    entries = list(selectors.capital_entries(unit=unit, year_from=year_from, year_to=year_to))
    tree = selectors.capital_source_tree()
    elsewhere = _money_rows(entries, rows, today.year - 1, tree)
    _unknown(unit=unit, year_from=year_from, year_to=year_to, rows=rows)
    now = _verdicts(unit=unit, year=year_to)
    set_ids = Counter(v[0] for v in now.values())
    set_id = set_ids.most_common(1)[0][0] if set_ids else None
    gains = _gains(rows, now, _verdicts(unit=unit, year=year_from - 1), set_id)
    money = _criteria_money(entries, tree)
    criteria = _criteria_rows(set_id=set_id, money=money, gains=gains)
    verdicts = access.role_of(user) != Role.DEPARTMENT
    if not verdicts:
        owned = access.department_criteria(user, set_id) if set_id else set()
        criteria = [c for c in criteria if c.code in owned]
        for row in rows.values():
            row.met = row.met_base = row.gained = None
    simulated = any(e.figure_source.startswith(SIMULATED_SOURCE) for e in entries)
    return MoneyResults(
        year_from, year_to, list(rows.values()), criteria, elsewhere, verdicts, set_id, simulated
    )


def _sort_value(row: CommuneMoney, order: str) -> Decimal | int | None:
    if order == "ke-hoach":
        return row.money.plan
    if order == "giai-ngan":
        return row.money.disbursed
    if order == "ty-le":
        return row.money.rate
    return row.gained


def communes_sorted(rows: list[CommuneMoney], order: str) -> list[CommuneMoney]:
    """By name, or by a figure (largest first; rows without it last, in name order). The rate
    sorts smallest first: the laggards are what the reader looks for."""
    if order not in SORTS[1:]:
        return rows
    known = [r for r in rows if _sort_value(r, order) is not None]
    known.sort(key=lambda r: _sort_value(r, order) or 0, reverse=order != "ty-le")
    return known + [r for r in rows if _sort_value(r, order) is None]


def results_table(*, results: MoneyResults, rows: list[CommuneMoney]) -> list[list[Any]]:
    """The communes' table as plain values (headers first), for the CSV and xlsx downloads."""
    headers = [
        gettext("Xã"),
        gettext("Kế hoạch (triệu đồng)"),
        gettext("Đã bố trí (triệu đồng)"),
        gettext("Đã giải ngân (triệu đồng)"),
        gettext("Giải ngân/kế hoạch (%)"),
        gettext("Tiêu chí đạt năm %(year)s") % {"year": results.base_year},
        gettext("Tiêu chí đạt năm %(year)s") % {"year": results.year_to},
        gettext("Tiêu chí tăng thêm"),
        gettext("Giải ngân chậm"),
        gettext("Có vốn, không tăng tiêu chí"),
    ]
    yes = gettext("có")
    # A department sees no commune's overall verdict: the verdict columns are left out.
    verdict_columns = {5, 6, 7, 9}
    body: list[list[Any]] = [
        [
            r.unit.name,
            r.money.plan,
            r.money.allocated,
            r.money.disbursed,
            r.money.rate,
            r.met_base,
            r.met,
            r.gained,
            yes if r.lagging else "",
            yes if r.no_gain else "",
        ]
        for r in rows
    ]
    table: list[list[Any]] = [list(headers), *body]
    if results.verdicts:
        return table
    return [[c for k, c in enumerate(row) if k not in verdict_columns] for row in table]
