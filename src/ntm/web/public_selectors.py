"""Reads for the public page (no login): only what the province has made public.

Public here means decided or reported, never work in progress:
- a commune met the standard when a recognition decision was recorded on its dossier in the
  workflow (number and date of the decision; a revocation decision ends it). Verdicts computed
  from entered values are not public: values are not approved one by one, so a verdict may rest
  on a draft;
- community contributions as the province recorded them (figures and period only).
No evidence, no comment, no indicator value, no person's name (not the decision's signer, not
who entered a figure).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext

from ntm.finance.models import Contribution
from ntm.finance.selectors import MEASURES, contributions
from ntm.units.models import Level, Unit
from ntm.units.selectors import judged_on, unit_for_year, unit_sort_key
from ntm.web.map_selectors import (
    GREEN,
    GREY,
    Category,
    CommuneMap,
    MapMode,
    MapRow,
    commune_shapes,
    map_communes,
)
from ntm.workflow.models import Decision, Dossier

# The tier a recognition of the standard itself is filed under (not nâng cao, kiểu mẫu).
STANDARD_TIER = "ntm"
MODE = "cong-nhan"


@dataclass(frozen=True)
class Recognition:
    unit: Unit
    year: int  # the year the dossier was assessed for
    number: str
    date: dt.date
    revoked_on: dt.date | None
    revocation_number: str

    def holds_in(self, year: int) -> bool:
        """Recognised for ``year``: assessed for it or before, not revoked by its end."""
        end = judged_on(year)
        return self.year <= year and (self.revoked_on is None or self.revoked_on > end)


@dataclass(frozen=True)
class YearRecognitions:
    year: int
    recognitions: list[Recognition]
    cumulative: int  # communes recognised for this year or before, still recognised at its end


def _province_q(codes: list[str], path: str = "unit") -> Q:
    """Rows whose unit is, or is below, a province with one of ``codes`` (any period)."""
    q = Q()
    for depth in range(4):
        hop = "__parent" * depth
        q |= Q(**{f"{path}{hop}__level": Level.PROVINCE, f"{path}{hop}__code__in": codes})
    return q


def _province_code(row: tuple[Any, ...]) -> str | None:
    levels, codes = row[0::2], row[1::2]
    return next((c for lv, c in zip(levels, codes, strict=True) if lv == Level.PROVINCE), None)


def _chain_fields(path: str) -> list[str]:
    out = []
    for depth in range(4):
        hop = "__parent" * depth
        out += [f"{path}{hop}__level", f"{path}{hop}__code"]
    return out


def public_provinces(*, year: int) -> list[tuple[Unit, int]]:
    """Provinces with a recognition decision or a recorded contribution, as (the province's
    row in force in ``year``, or its latest row; the year to show), in Vietnamese order."""
    decided = Decision.objects.filter(kind=Decision.Kind.RECOGNITION)
    rows = list(decided.values_list(*_chain_fields("dossier__unit")).distinct())
    rows += list(Contribution.objects.values_list(*_chain_fields("unit")).distinct())
    codes = {code for row in rows if (code := _province_code(row))}
    out = []
    for code in codes:
        unit = unit_for_year(code=code, year=year, level=Level.PROVINCE)
        if unit is None:
            latest = Unit.objects.filter(level=Level.PROVINCE, code=code)
            unit = latest.order_by("-valid_to").first()
            shown = unit.valid_to.year if unit is not None and unit.valid_to else year
        else:
            shown = year
        if unit is not None:
            out.append((unit, shown))
    return sorted(out, key=lambda pair: unit_sort_key(pair[0]))


def province_recognitions(*, province: Unit) -> list[Recognition]:
    """Every recognition decision on a commune of the province, in any period (by code)."""
    dossiers = (
        Dossier.objects.filter(_province_q([province.code]), tier=STANDARD_TIER)
        .filter(decisions__kind=Decision.Kind.RECOGNITION)
        .distinct()
        .select_related("unit")
        .prefetch_related("decisions")
    )
    out = []
    for dossier in dossiers:
        decisions = {d.kind: d for d in dossier.decisions.all()}
        granted = decisions[Decision.Kind.RECOGNITION]
        revoked = decisions.get(Decision.Kind.REVOCATION)
        out.append(
            Recognition(
                unit=dossier.unit,
                year=dossier.year,
                number=granted.number,
                date=granted.date,
                revoked_on=revoked.date if revoked else None,
                revocation_number=revoked.number if revoked else "",
            )
        )
    return sorted(out, key=lambda r: (r.year, unit_sort_key(r.unit)))


def recognitions_by_year(*, recognitions: list[Recognition]) -> list[YearRecognitions]:
    by_year: dict[int, list[Recognition]] = defaultdict(list)
    for r in recognitions:
        by_year[r.year].append(r)
    return [
        YearRecognitions(year, by_year[year], sum(r.holds_in(year) for r in recognitions))
        for year in sorted(by_year)
    ]


def public_map(*, province: Unit, year: int, recognitions: list[Recognition]) -> CommuneMap:
    """The province's communes in force in ``year``, recognised or not at its end; no links
    (the commune pages need a login)."""
    held = {r.unit.pk: r for r in recognitions if r.holds_in(year)}
    yes = Category("co", gettext("Đã được công nhận đạt chuẩn"), GREEN)
    no = Category("chua", gettext("Chưa được công nhận"), GREY)
    rows = []
    for commune in map_communes(unit=province, year=year, user=None):
        r = held.get(commune.pk)
        text = (
            gettext("Quyết định số %(number)s ngày %(date)s")
            % {"number": r.number, "date": f"{r.date:%d/%m/%Y}"}
            if r
            else "–"
        )
        rows.append(MapRow(commune, "", {MODE: yes.key if r else no.key}, [text]))
    mode = MapMode(MODE, gettext("Công nhận đạt chuẩn"), [yes, no])
    shapes = commune_shapes(unit_ids=[row.unit.pk for row in rows])
    return CommuneMap(year, [mode], [gettext("Công nhận đạt chuẩn")], rows, shapes)


@dataclass(frozen=True)
class ContributionRow:
    unit: Unit
    commune: Unit | None  # the commune of a village's figure
    date_from: dt.date
    date_to: dt.date
    figures: dict[str, Any]  # MEASURES -> Decimal or None


def province_contributions(*, province: Unit, until: dt.date) -> list[ContributionRow]:
    """Community contributions recorded for the province, its communes and villages, in
    every period of the province's code ending by ``until`` (the page's year: a figure for
    2010-9/2019 is not shown for 2018): figures and period only."""
    found: list[Contribution] = []
    for row in Unit.objects.filter(level=Level.PROVINCE, code=province.code):
        found += contributions(unit=row, date_to=until)
    villages = {c.unit.parent_id for c in found if c.unit.level == Level.VILLAGE}
    parents = Unit.objects.in_bulk([pk for pk in villages if pk is not None])
    rows = [
        ContributionRow(
            c.unit,
            parents.get(c.unit.parent_id or 0) if c.unit.level == Level.VILLAGE else None,
            c.date_from,
            c.date_to,
            {name: getattr(c, name) for name in MEASURES},
        )
        for c in found
    ]
    return sorted(rows, key=lambda r: (r.date_from, r.date_to, unit_sort_key(r.unit)))
