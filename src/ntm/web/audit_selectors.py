"""Reads of the audit trail: the filtered, scoped list behind the audit page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from ntm.accounts import access
from ntm.audit.models import AuditEvent
from ntm.core.values import fold
from ntm.units.models import Unit


def _units_matching(query: str) -> QuerySet[Unit]:
    """Units whose code is the query (digits) or whose name holds it, ignoring accents and case."""
    needle = " ".join(fold(query).split())
    if needle.isdigit():
        return Unit.objects.filter(code=needle)
    return Unit.objects.filter(name_folded__contains=needle)


def audit_events(
    *,
    user: Any,
    unit: str = "",
    username: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    action: str = "",
) -> QuerySet[AuditEvent]:
    """Events the user may browse, newest first, filtered.

    `unit` (a code or part of a name) keeps events of the matching units and of the units
    below them; `action` ending in "." is a prefix ("dossier." is every dossier action).
    A province sees only events of units in its subtree; the administrator sees everything.
    """
    events = AuditEvent.objects.filter(access.scope_filter(user, "unit")).select_related("unit")
    if unit.strip():
        matched = _units_matching(unit).values("id")
        events = events.filter(
            Q(unit__in=matched)
            | Q(unit__parent__in=matched)
            | Q(unit__parent__parent__in=matched)
            | Q(unit__parent__parent__parent__in=matched)
        )
    if username.strip():
        events = events.filter(actor_name__icontains=username.strip())
    if date_from:
        events = events.filter(at__date__gte=date_from)
    if date_to:
        events = events.filter(at__date__lte=date_to)
    if action.endswith("."):
        events = events.filter(action__startswith=action)
    elif action:
        events = events.filter(action=action)
    return events.order_by("-at", "-id")
