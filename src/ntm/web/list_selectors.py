"""Reads for the list of communes behind a unit's counts: one row per commune in force in the
year, filtered and sorted as the query string asks (the unit page links each count here)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import QueryDict

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.summary import bucket_bounds, bucket_labels
from ntm.core.values import fold, vietnamese_sort_key
from ntm.indicators.models import Evaluation
from ntm.indicators.selectors import communes_unjudged, evaluations_under
from ntm.units.models import Level, Unit, bare_name
from ntm.units.selectors import communes_in_year, unit_sort_key, with_year_names
from ntm.workflow.models import Dossier, Status

ORDERS = ("ten", "tieu-chi", "-tieu-chi", "huyen")
# The tier a recognition of the standard itself is filed under (not nâng cao, kiểu mẫu).
STANDARD_TIER = "ntm"


@dataclass(frozen=True)
class ListFilter:
    """What the query string asks for; empty values filter nothing."""

    bucket: str = ""  # ?nhom=15-18, a bucket label
    meets: bool | None = None  # ?dat=1 or ?dat=0: judged and meeting / not meeting
    missing: bool = False  # ?thieu=1: some criterion lacks data, or no verdict at all
    district: str = ""  # ?huyen=105, a district code
    text: str = ""  # ?q=san thang, accents and case ignored
    order: str = ""  # ?sap-xep=ten|tieu-chi|-tieu-chi|huyen

    def query(self, **changes: str) -> str:
        """The query string of this filter with some parameters changed (for the sort links)."""
        params = QueryDict(mutable=True)
        pairs = {
            "nhom": self.bucket,
            "dat": "" if self.meets is None else str(int(self.meets)),
            "thieu": "1" if self.missing else "",
            "huyen": self.district,
            "q": self.text,
            "sap-xep": self.order,
            **changes,
        }
        for key, value in pairs.items():
            if value:
                params[key] = value
        return params.urlencode()


def list_filter_parse(*, params: Any, verdicts: bool) -> ListFilter:
    """The filter a query string asks for; unknown values are ignored, and the verdict filter
    too for a user who may not see verdicts (a department)."""
    dat = params.get("dat", "")
    order = params.get("sap-xep", "")
    return ListFilter(
        bucket=params.get("nhom", "").strip(),
        meets={"1": True, "0": False}.get(dat) if verdicts else None,
        missing=params.get("thieu", "") == "1",
        district=params.get("huyen", "").strip(),
        text=" ".join(params.get("q", "").split())[:100],
        order=order if order in ORDERS else "",
    )


@dataclass(frozen=True)
class CommuneRow:
    unit: Unit
    district: Unit | None  # None in a structure without districts (from 1/7/2025)
    evaluation: Evaluation | None
    reason: str  # why there is no verdict; "" when there is one
    recognised: bool
    bucket: str

    @property
    def criteria_met(self) -> int | None:
        return self.evaluation.criteria_met if self.evaluation else None


@dataclass(frozen=True)
class CommuneTable:
    rows: list[CommuneRow]  # filtered and sorted
    total: int  # rows before filtering
    districts: list[Unit]  # for the district filter, empty when the year has none
    bucket_labels: list[str]
    order: str

    @property
    def has_districts(self) -> bool:
        return bool(self.districts)


def may_see_verdicts(user: Any) -> bool:
    """A department sees only its own criteria, never a commune's overall verdict."""
    return access.role_of(user) != Role.DEPARTMENT


def _bucket(evaluation: Evaluation) -> str:
    bounds = bucket_bounds(evaluation.criteria_total)
    labels = bucket_labels(evaluation.criteria_total)
    met = evaluation.criteria_met
    return labels[next((k for k, lo in enumerate(bounds) if met >= lo), len(bounds))]


def _all_rows(*, unit: Unit, year: int, user: Any) -> list[CommuneRow]:
    return commune_rows(unit=unit, year=year, scope=access.scope_filter(user))


def commune_rows(*, unit: Unit, year: int, scope: Q | None = None) -> list[CommuneRow]:
    """Every commune of ``unit`` in ``year`` (within ``scope``, a filter on the communes), with
    its district of that year, stored verdict or the reason it has none, and recognition."""
    communes = list(
        communes_in_year(unit=unit, year=year).filter(scope or Q()).select_related("parent")
    )
    with_year_names(communes, year)
    ids = {c.pk for c in communes}
    parents = {c.parent_id: c.parent for c in communes if c.parent is not None}
    districts = [p for p in parents.values() if p.level == Level.DISTRICT]
    with_year_names(districts, year)
    evaluations = {e.unit_id: e for e in evaluations_under(unit=unit, year=year)}
    reasons = {u.unit.pk: u.reason for u in communes_unjudged(unit=unit, year=year)}
    recognised = set(
        Dossier.objects.filter(
            unit_id__in=ids, year=year, tier=STANDARD_TIER, status=Status.RECOGNISED
        ).values_list("unit_id", flat=True)
    )
    rows = []
    for commune in communes:
        evaluation = evaluations.get(commune.pk)
        parent = parents.get(commune.parent_id)  # the object named for the year
        rows.append(
            CommuneRow(
                unit=commune,
                district=parent if parent is not None and parent.level == Level.DISTRICT else None,
                evaluation=evaluation,
                reason="" if evaluation else reasons.get(commune.pk, ""),
                recognised=commune.pk in recognised,
                bucket=_bucket(evaluation) if evaluation else "",
            )
        )
    return rows


def _kept(row: CommuneRow, f: ListFilter) -> bool:
    e = row.evaluation
    if f.bucket and row.bucket != f.bucket:
        return False
    if f.meets is not None and (e is None or e.meets_standard != f.meets):
        return False
    if f.missing and e is not None and not e.criteria_missing:
        return False
    if f.district and (row.district is None or row.district.code != f.district):
        return False
    return not f.text or fold(f.text) in fold(row.unit.name)


def _name_key(row: CommuneRow) -> tuple[object, ...]:
    return unit_sort_key(row.unit)


def _district_key(row: CommuneRow) -> tuple[object, ...]:
    district = vietnamese_sort_key(bare_name(row.district.name)) if row.district else ()
    return (district, *_name_key(row))


def _sorted(rows: list[CommuneRow], order: str) -> list[CommuneRow]:
    rows = sorted(rows, key=_district_key if order == "huyen" else _name_key)
    if order in ("tieu-chi", "-tieu-chi"):
        judged = [r for r in rows if r.criteria_met is not None]
        # stable sort: equal counts stay in name order; communes without a verdict go last
        judged.sort(key=lambda r: r.criteria_met or 0, reverse=order == "-tieu-chi")
        rows = judged + [r for r in rows if r.criteria_met is None]
    return rows


def commune_table(*, unit: Unit, year: int, user: Any, wanted: ListFilter) -> CommuneTable:
    """Every programme commune under ``unit`` in force in ``year`` that the user may see, under
    its name of that year, with its verdict (or why it has none), then filtered and sorted.

    ``?thieu=1`` keeps communes whose verdict counted a criterion without data, and those with
    no verdict at all. The default order is by district, then name, when the year has districts.
    """
    rows = _all_rows(unit=unit, year=year, user=user)
    districts = {r.district.pk: r.district for r in rows if r.district is not None}
    shown_districts = sorted(districts.values(), key=unit_sort_key)
    # A district's own list needs no district column: every row would say the same.
    if unit.level != Level.PROVINCE:
        shown_districts = []
    total = next((r.evaluation.criteria_total for r in rows if r.evaluation), 19)
    order = wanted.order or ("huyen" if shown_districts else "ten")
    kept = [r for r in rows if _kept(r, wanted)]
    return CommuneTable(
        rows=_sorted(kept, order),
        total=len(rows),
        districts=shown_districts,
        bucket_labels=bucket_labels(total),
        order=order,
    )
