"""Slipping alerts: communes recognised as meeting the standard whose current data fails a
criterion again.

A commune is recognised for year Y when a dossier of Y carries a recognition decision and has
not been revoked (the workflow's own record; a revoked one is no longer a recognition). Its
stored evaluations from Y on are read; they are refreshed on every write of a value, so the
latest one is the commune's current data. Each criterion "not_met" in the latest evaluated
year is an alert, with the values behind it (from the gap engine, ``core.gap``) and since when:
the first year from which the criterion failed in every evaluated year up to the latest, under
the same criteria set (a code names a different criterion in another set).

Only recognitions of a set's first tier (nông thôn mới) are watched: the stored verdicts are
those of the first tier. Who sees an alert is who may see the criterion of the commune
(``access.can_view_criterion``): the province's office, the district and the commune board for
the units in their scope, a department for its own criteria, the leader read-only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.gap import CommuneGap, CriterionGap
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import get_any_set
from ntm.indicators.gap_selectors import commune_gaps
from ntm.indicators.models import Evaluation
from ntm.units.models import Unit
from ntm.units.selectors import unit_sort_key
from ntm.workflow.models import Decision, Dossier, Status

RESPONSIBLE_ROLES = (Role.PROVINCE, Role.DISTRICT, Role.COMMUNE, Role.DEPARTMENT, Role.LEADER)


@dataclass(frozen=True)
class SlippingAlert:
    unit: Unit
    recognised_year: int
    decision: Decision  # the recognition decision (number, date)
    year: int  # the latest evaluated year, whose data fails the criterion
    since: int  # the first year of the run of failing years that ends in ``year``
    criterion: CriterionGap  # code, name and the failing indicators with their values
    can_open: bool  # the user may open the commune's page


def slipping_alerts(*, user: Any) -> list[SlippingAlert]:
    """The recognised communes in the user's scope failing a criterion the user may see."""
    if access.role_of(user) not in RESPONSIBLE_ROLES:
        return []
    recognised = _recognitions(user)
    evaluations: dict[int, list[Evaluation]] = defaultdict(list)
    stored = Evaluation.objects.filter(unit_id__in=recognised).order_by("unit_id", "year")
    for evaluation in stored:
        if evaluation.year >= recognised[evaluation.unit_id].year:
            evaluations[evaluation.unit_id].append(evaluation)
    slipping = {
        unit_id: history
        for unit_id, history in evaluations.items()
        if "not_met" in history[-1].criteria.values()
    }
    gaps = commune_gaps(
        commune_years=[(recognised[unit_id].unit, h[-1].year) for unit_id, h in slipping.items()]
    )
    alerts: list[SlippingAlert] = []
    for unit_id, history in slipping.items():
        gap = gaps.get((unit_id, history[-1].year))
        if gap is not None:  # None: no class or set any more; the stored verdict is refreshed
            alerts += _unit_alerts(user, recognised[unit_id], history, gap)
    return sorted(alerts, key=lambda a: unit_sort_key(a.unit))


def _recognitions(user: Any) -> dict[int, Dossier]:
    """The latest recognised first-tier dossier of each commune in the user's scope."""
    dossiers = (
        Dossier.objects.filter(access.scope_filter(user, "unit"))
        .filter(status=Status.RECOGNISED, decisions__kind=Decision.Kind.RECOGNITION)
        .distinct()
        .select_related("unit__parent__parent")
        .prefetch_related("decisions")
        .order_by("year", "id")
    )
    latest: dict[int, Dossier] = {}
    first_tiers: dict[str, str | None] = {}  # a set is read once, not once per dossier
    for dossier in dossiers:
        if dossier.criteria_set not in first_tiers:
            first_tiers[dossier.criteria_set] = _first_tier(dossier.criteria_set)
        if dossier.tier == first_tiers[dossier.criteria_set]:
            latest[dossier.unit_id] = dossier  # later years overwrite earlier ones
    return latest


def _first_tier(set_id: str) -> str | None:
    try:
        return get_any_set(set_id).primary_tier
    except UnknownCriteriaSetError:
        return None


def _unit_alerts(
    user: Any, dossier: Dossier, history: list[Evaluation], gap: CommuneGap
) -> list[SlippingAlert]:
    latest = history[-1]
    unit = dossier.unit
    failing = [
        code
        for code, status in latest.criteria.items()
        if status == "not_met"
        and access.can_view_criterion(user, unit, code, set_id=latest.criteria_set)
    ]
    if not failing:
        return []
    decision = [d for d in dossier.decisions.all() if d.kind == Decision.Kind.RECOGNITION][-1]
    can_open = access.can_view_unit(user, unit)
    return [
        SlippingAlert(
            unit=unit,
            recognised_year=dossier.year,
            decision=decision,
            year=latest.year,
            since=_failing_since(history, crit.code),
            criterion=crit,
            can_open=can_open,
        )
        for crit in gap.criteria
        if crit.code in failing
    ]


def _failing_since(history: list[Evaluation], code: str) -> int:
    """The first year of the unbroken run of evaluated years, ending with the latest, in which
    the criterion is not met under the latest year's set."""
    latest = history[-1]
    since = latest.year
    for evaluation in reversed(history):
        if evaluation.criteria_set != latest.criteria_set:
            break
        if evaluation.criteria.get(code) != "not_met":
            break
        since = evaluation.year
    return since
