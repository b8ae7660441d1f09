"""The verdicts follow the rules and the units: re-evaluation after what the apps below announce
(ntm.criteria.signals, ntm.units.signals). Connected in IndicatorsConfig.ready; each runs in the
sender's transaction, so nobody reads a mix of old and new verdicts."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from ntm.criteria.signals import classes_saved, set_save_requested, set_saved, spec_saved
from ntm.indicators import reevaluation  # its functions looked up on it: tests replace them
from ntm.indicators.reevaluation import province_commune_ids, years_judged_by
from ntm.indicators.tasks import reevaluation_run_enqueue
from ntm.units.models import Unit
from ntm.units.signals import units_loaded


@receiver(spec_saved)
def spec_reevaluate(*, province_code: str, **_: Any) -> None:
    """Every commune-year of the province, in both structures: a specification can change any
    year it covers, and a shortened one gives years back to the national thresholds."""
    reevaluation.reevaluate(unit_ids=province_commune_ids(province_code=province_code))


@receiver(classes_saved)
def classes_reevaluate(*, units: list[Unit], set_id: str, **_: Any) -> None:
    """The communes' verdicts of the years the set judges (or judged, per the stored verdict):
    a class under QĐ 51/2025 changes nothing in 2018."""
    years = years_judged_by(set_id=set_id, unit_ids=[u.pk for u in units])
    if years:
        reevaluation.reevaluate(units=units, years=years)


@receiver(set_saved)
def set_reevaluate(*, set_id: str, **_: Any) -> None:
    """Every commune-year judged by the set, before or after the change (a new effective date
    moves years between sets). National in scope: in the caller's transaction (the task
    worker's, for the web page)."""
    years = years_judged_by(set_id=set_id)
    if years:
        reevaluation.reevaluate(years=years)


@receiver(set_save_requested)
def set_save_enqueue(*, set_id: str, arguments: dict[str, Any], actor: Any, **_: Any) -> None:
    """The web page's import: the worker stores the set and re-evaluates, after the commit."""
    reevaluation_run_enqueue(
        criteria_set=set_id, years=[], requested_by=actor, pending_set=arguments
    )


@receiver(units_loaded)
def units_reevaluate(*, unit_ids: list[int], **_: Any) -> None:
    """The communes an administrative change touched (new events, merged or split units)."""
    reevaluation.reevaluate(unit_ids=unit_ids)
