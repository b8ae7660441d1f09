"""Reads of capital and contributions: summaries over a unit's subtree and a period.

A figure for a period (year_from..year_to, or a run of months) counts only when the whole of
its period lies inside the asked range: a 2011-2020 total is not part of "2015", and is never
spread over years.

Totals and remainders ("chưa phân loại"). Figures are grouped by (unit, period). In a group
with a total (source "total") the parts are compared with it, and what they do not explain is
the group's unclassified remainder (negative when the parts exceed the total: a data problem
shown as such, not corrected). A group without a total counts the sum of its parts. A parent
source's own figure stands for its subtree; children are added up only where the parent has
no figure of its own, so that "central budget" and its "development investment" part are never
counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, ExpressionWrapper, Q, QuerySet, Sum

from ntm.finance.models import TOTAL_CODE, CapitalEntry, CapitalSource, Contribution, Stage
from ntm.units.models import Unit

MEASURES = ("land_m2", "labour_days", "cash_million_vnd", "materials_million_vnd")
SUBTREE_DEPTH = 4  # province > district > commune > village
UNCLASSIFIED_LABEL = "Chưa phân loại"
# The largest figure the columns can give back (18 digits, 3 decimals). Forms and imports keep
# far below it (MAX_MILLION_VND), but a row beyond it - Infinity stored by an older release, a
# hand edit - would make Django's converter raise on every page, so selectors leave such rows
# out and show the sums they would have entered in as unknown ("–").
READABLE = Decimal("999999999999999")


def readable_q(*names: str) -> Q:
    """Rows whose figures ``names`` are empty or within READABLE."""
    q = Q()
    for name in names:
        inside = Q(**{f"{name}__lte": READABLE, f"{name}__gte": -READABLE})
        q &= inside | Q(**{f"{name}__isnull": True})
    return q


def subtree_q(unit: Unit, prefix: str = "unit") -> Q:
    """Rows whose unit is ``unit`` or below it (down to villages)."""
    q, path = Q(**{prefix: unit}), prefix
    for _ in range(SUBTREE_DEPTH - 1):
        path += "__parent"
        q |= Q(**{path: unit})
    return q


def capital_entries(
    *, unit: Unit, year_from: int | None = None, year_to: int | None = None
) -> QuerySet[CapitalEntry]:
    rows = _capital_rows(unit=unit, year_from=year_from, year_to=year_to).filter(
        readable_q("amount")
    )
    return rows.select_related("unit", "source", "work").order_by(
        "year_from", "year_to", "unit__code", "source__order", "stage"
    )


def _capital_rows(
    *, unit: Unit, year_from: int | None, year_to: int | None
) -> QuerySet[CapitalEntry]:
    rows = CapitalEntry.objects.filter(subtree_q(unit))
    if year_from is not None:
        rows = rows.filter(year_from__gte=year_from)
    if year_to is not None:
        rows = rows.filter(year_to__lte=year_to)
    return rows


def capital_unreadable(
    *, unit: Unit, year_from: int | None = None, year_to: int | None = None
) -> QuerySet[CapitalEntry]:
    """The rows capital_entries leaves out (a figure beyond READABLE): what they would have
    entered in is unknown."""
    rows = _capital_rows(unit=unit, year_from=year_from, year_to=year_to)
    return rows.exclude(readable_q("amount"))


@dataclass
class StageSummary:
    total: Decimal | None = None
    by_source: dict[str, Decimal] = field(default_factory=dict)
    unclassified: Decimal | None = None
    # Top-level source code -> what it explains (its own figure, else its children's): parts
    # that never overlap, so that a chart may stack them with the unclassified remainder.
    by_root: dict[str, Decimal] = field(default_factory=dict)
    unknown: bool = False  # an unreadable figure would have entered: no sum is given


def _root_of(source: CapitalSource, parents: dict[int, int | None]) -> int:
    node = source.pk
    while parents.get(node) is not None:
        node = parents[node]  # type: ignore[assignment]
    return node


def _explained_by_root(
    entries: list[CapitalEntry], parents: dict[int, int | None]
) -> dict[int, Decimal]:
    """Each root source's part: its own figure, else its children's sum."""
    own: dict[int, Decimal] = defaultdict(Decimal)
    below: dict[int, Decimal] = defaultdict(Decimal)
    for e in entries:
        root = _root_of(e.source, parents)
        (own if e.source_id == root else below)[root] += e.amount
    return {r: own[r] if r in own else below[r] for r in {*own, *below}}


def _explained(entries: list[CapitalEntry], parents: dict[int, int | None]) -> Decimal:
    """The parts' sum, each root source counted once (its own figure, else its children's)."""
    return sum(_explained_by_root(entries, parents).values(), Decimal(0))


def _stage_summary(
    entries: Iterable[CapitalEntry],
    parents: dict[int, int | None],
    root_codes: dict[int, str] | None = None,
) -> StageSummary:
    groups: dict[tuple[int, int, int], list[CapitalEntry]] = defaultdict(list)
    for e in entries:
        groups[(e.unit_id, e.year_from, e.year_to)].append(e)
    out = StageSummary()
    for group in groups.values():
        totals = [e.amount for e in group if e.source.code == TOTAL_CODE]
        parts = [e for e in group if e.source.code != TOTAL_CODE]
        for e in parts:
            out.by_source[e.source.code] = out.by_source.get(e.source.code, Decimal(0)) + e.amount
        by_root = _explained_by_root(parts, parents)
        for root, amount in by_root.items():
            code = (root_codes or {}).get(root, str(root))
            out.by_root[code] = out.by_root.get(code, Decimal(0)) + amount
        explained = sum(by_root.values(), Decimal(0))
        group_total = sum(totals, Decimal(0)) if totals else explained
        out.total = (out.total or Decimal(0)) + group_total
        if totals:
            out.unclassified = (out.unclassified or Decimal(0)) + group_total - explained
    return out


def _parents() -> dict[int, int | None]:
    return dict(CapitalSource.objects.values_list("id", "parent_id"))


def capital_summary(*, unit: Unit, year_from: int, year_to: int) -> dict[str, Any]:
    """Mobilised and allocated capital ("huy động và bố trí" = stage allocated), million VND.

    {"total": Decimal | None, "by_source": {code: Decimal}, "unclassified": Decimal | None};
    total is None without any figure, unclassified None where no total was entered.
    """
    rows = capital_entries(unit=unit, year_from=year_from, year_to=year_to)
    summary = _stage_summary(rows.filter(stage=Stage.ALLOCATED), _parents())
    return {
        "total": summary.total,
        "by_source": summary.by_source,
        "unclassified": summary.unclassified,
    }


@dataclass(frozen=True)
class CapitalLine:
    label: str
    code: str  # source code, "total" or "unclassified"
    depth: int
    amounts: dict[str, Decimal | None]  # stage -> amount

    @property
    def rate(self) -> Decimal | None:
        """Disbursement rate in percent: disbursed / allocated."""
        allocated, disbursed = self.amounts.get(Stage.ALLOCATED), self.amounts.get(Stage.DISBURSED)
        if not allocated or disbursed is None:
            return None
        return disbursed * 100 / allocated


def capital_table(*, unit: Unit, year_from: int, year_to: int) -> list[CapitalLine]:
    """The page's table: one line per source with figures, the total and "chưa phân loại"."""
    rows = list(capital_entries(unit=unit, year_from=year_from, year_to=year_to))
    parents = _parents()
    by_stage: dict[str, StageSummary] = {
        stage: _stage_summary([e for e in rows if e.stage == stage], parents) for stage in Stage
    }
    used = {code for s in by_stage.values() for code in s.by_source}
    lines = []
    for source in CapitalSource.objects.exclude(code=TOTAL_CODE):
        if source.code in used:
            amounts = {stage: s.by_source.get(source.code) for stage, s in by_stage.items()}
            depth = 1 if source.parent_id else 0
            lines.append(CapitalLine(source.name, source.code, depth, amounts))
    if any(s.unclassified is not None for s in by_stage.values()):
        amounts = {stage: s.unclassified for stage, s in by_stage.items()}
        lines.append(CapitalLine(UNCLASSIFIED_LABEL, "unclassified", 0, amounts))
    unknown = set(
        _capital_rows(unit=unit, year_from=year_from, year_to=year_to)
        .exclude(readable_q("amount"))
        .values_list("stage", flat=True)
    )
    if rows or unknown:
        amounts = {stage: None if stage in unknown else s.total for stage, s in by_stage.items()}
        lines.append(CapitalLine("Tổng cộng", TOTAL_CODE, 0, amounts))
    return lines


@dataclass(frozen=True)
class SourceTree:
    parents: dict[int, int | None]  # source id -> parent id
    codes: dict[int, str]  # source id -> code
    names: dict[str, str]  # code -> name, in the sources' order


def capital_source_tree() -> SourceTree:
    """The sources' tree, read once and passed to capital_stage_summaries."""
    rows = list(CapitalSource.objects.values_list("id", "parent_id", "code", "name"))
    return SourceTree(
        {pk: parent for pk, parent, _, _ in rows},
        {pk: code for pk, _, code, _ in rows},
        {code: name for _, _, code, name in rows},
    )


def capital_stage_summaries(
    *, entries: Iterable[CapitalEntry], tree: SourceTree | None = None
) -> dict[str, StageSummary]:
    """Stage -> the summary of ``entries`` (chosen by the caller: one work, one commune, one
    period...), totals and parts handled as in the module's docstring; ``by_root`` is keyed by
    the top-level source's code."""
    rows = list(entries)
    tree = capital_source_tree() if tree is None else tree
    return {
        stage: _stage_summary([e for e in rows if e.stage == stage], tree.parents, tree.codes)
        for stage in Stage
    }


def capital_by_period(
    *, unit: Unit, year_to: int, tree: SourceTree | None = None
) -> dict[tuple[int, int], dict[str, StageSummary]]:
    """(year_from, year_to) -> stage -> summary, for every period ending by ``year_to``: a
    yearly figure is (y, y), a figure for several years keeps its own period (never spread).
    A stage with an unreadable figure in a period has an empty summary (total None)."""
    tree = capital_source_tree() if tree is None else tree
    periods: dict[tuple[int, int], list[CapitalEntry]] = defaultdict(list)
    for e in capital_entries(unit=unit, year_to=year_to):
        periods[(e.year_from, e.year_to)].append(e)
    out = {
        period: capital_stage_summaries(entries=group, tree=tree)
        for period, group in sorted(periods.items())
    }
    # A stage one unreadable figure would have entered is unknown: no sum, shown as "–".
    unknown = capital_unreadable(unit=unit, year_to=year_to)
    for first, last, stage in unknown.values_list("year_from", "year_to", "stage").distinct():
        summaries = out.setdefault((first, last), {s: StageSummary() for s in Stage})
        summaries[stage] = StageSummary(unknown=True)
    return dict(sorted(out.items()))


def capital_years(*, unit: Unit) -> tuple[int, int] | None:
    """The first and last year with a figure in the unit's subtree."""
    rows = CapitalEntry.objects.filter(subtree_q(unit))
    first = rows.order_by("year_from").values_list("year_from", flat=True).first()
    last = rows.order_by("-year_to").values_list("year_to", flat=True).first()
    return (first, last) if first is not None and last is not None else None


def _contribution_rows(
    *, unit: Unit, date_from: dt.date | None, date_to: dt.date | None
) -> QuerySet[Contribution]:
    rows = Contribution.objects.filter(subtree_q(unit))
    if date_from is not None:
        rows = rows.filter(date_from__gte=date_from)
    if date_to is not None:
        rows = rows.filter(date_to__lte=date_to)
    return rows


def contributions(
    *, unit: Unit, date_from: dt.date | None = None, date_to: dt.date | None = None
) -> QuerySet[Contribution]:
    rows = _contribution_rows(unit=unit, date_from=date_from, date_to=date_to)
    return (
        rows.filter(readable_q(*MEASURES))
        .select_related("unit", "work")
        .order_by("date_from", "date_to", "unit__code")
    )


def contributions_summary(*, unit: Unit, date_from: dt.date, date_to: dt.date) -> dict[str, Any]:
    """{"land_m2", "labour_days", "cash_million_vnd", "materials_million_vnd"}: Decimal sums
    of figures whose period lies within the range (None where there is no figure)."""
    rows = _contribution_rows(unit=unit, date_from=date_from, date_to=date_to)
    sums = rows.filter(readable_q(*MEASURES)).aggregate(**{n: Sum(n) for n in MEASURES})
    unknown = {n for n in MEASURES if rows.exclude(readable_q(n)).exists()}
    return {name: None if name in unknown else sums[name] for name in MEASURES}


def contributions_by_period(
    *, unit: Unit, year_to: int
) -> dict[tuple[int, int], dict[str, Decimal | None]]:
    """(first year, last year) -> measure -> sum, for the contributions whose months end by
    ``year_to``: months within one year are (y, y); a run over several years keeps its span.
    A sum one unreadable figure would have entered is None, as in contributions_summary."""
    rows = _contribution_rows(unit=unit, date_from=None, date_to=dt.date(year_to, 12, 31))
    keys = ("date_from__year", "date_to__year")
    sums = (
        rows.filter(readable_q(*MEASURES))
        .values(*keys)
        .annotate(**{f"sum_{n}": Sum(n) for n in MEASURES})
        .order_by(*keys)
    )
    out: dict[tuple[int, int], dict[str, Decimal | None]] = {
        (r["date_from__year"], r["date_to__year"]): {n: r[f"sum_{n}"] for n in MEASURES}
        for r in sums
    }
    # One query for the unreadable figures: which measures of which periods they spoil.
    flags = {f"bad_{n}": ExpressionWrapper(~readable_q(n), BooleanField()) for n in MEASURES}
    spoilt = rows.exclude(readable_q(*MEASURES)).annotate(**flags)
    for row in spoilt.values(*keys, *flags):
        sums_of = out.setdefault((row[keys[0]], row[keys[1]]), dict.fromkeys(MEASURES))
        for name in MEASURES:
            if row[f"bad_{name}"]:
                sums_of[name] = None
    return dict(sorted(out.items()))
