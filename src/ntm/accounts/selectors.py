"""Reads on accounts: the user list, login locks, and finding the unit a user is rooted at."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ntm.accounts.models import Membership, Role
from ntm.accounts.throttle import login_throttle_of, throttled_names
from ntm.core.model import CriteriaSet
from ntm.core.model import Level as SetLevel
from ntm.criteria.selectors import all_sets
from ntm.units.models import Level, Unit, UnitEventLink
from ntm.units.selectors import unit_search, unit_sort_key, unit_successors_current

_ROLE_ORDER = {role: i for i, role in enumerate(Role.values)}

# The unit levels each role may be rooted at. A department serves its province; a leader may
# lead a province, a district or a commune.
ROLE_LEVELS: dict[str, tuple[str, ...]] = {
    Role.ADMIN: (),
    Role.PROVINCE: (Level.PROVINCE,),
    Role.DISTRICT: (Level.DISTRICT,),
    Role.COMMUNE: (Level.COMMUNE,),
    Role.DEPARTMENT: (Level.PROVINCE,),
    Role.LEADER: (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE),
}


def department_sets() -> list[CriteriaSet]:
    """The commune-level sets a department is given criteria for, oldest first.

    A department's criteria are named per set: "2" is Giao thông until 2025 and Hạ tầng kinh
    tế - xã hội in QĐ 51/2025, so a code alone does not say which criterion is owned.
    """
    sets = [s for s in all_sets().values() if s.level is SetLevel.COMMUNE]
    return sorted(sets, key=lambda s: (s.effective, s.id))


def newest_set() -> CriteriaSet:
    """The commune-level set of the newest period (QĐ 51/2025 from 2026)."""
    return department_sets()[-1]


def login_lock_of(*, username: str) -> dt.datetime | None:
    """Until when some address must wait before trying this name again (failed logins), if
    one must now; the owner from an address that has not failed is never kept out."""
    return login_throttle_of(username=username)


@dataclass(frozen=True)
class UserRow:
    user: Any
    membership: Membership | None
    locked_until: dt.datetime | None


def departments_without(*, rows: Iterable[UserRow], set_id: str) -> list[UserRow]:
    """Active departments owning no criterion of the set: they can appraise none of its dossiers."""
    return [
        r
        for r in rows
        if r.user.is_active
        and r.membership is not None
        and r.membership.role == Role.DEPARTMENT
        and not r.membership.criteria_in(set_id)
    ]


def successor_offers(
    *, rows: Iterable[UserRow], on: dt.date | None = None
) -> dict[int, list[Unit]]:
    """User id -> the communes in force that the user's commune became, for accounts rooted at
    a commune row that has ended (merged on 1/7/2025, say); the administrator confirms a move.

    Two queries for every such account together; a unit changed twice since (rare) follows
    the whole trail on its own.
    """
    day = on or timezone.localdate()
    ended = {
        r.user.pk: r.membership.unit
        for r in rows
        if r.membership is not None
        and r.membership.unit is not None
        and r.membership.unit.level == Level.COMMUNE
        and not r.membership.unit.is_valid_on(day)
    }
    if not ended:
        return {}
    unit_ids = {u.pk for u in ended.values()}
    events: dict[int, set[int]] = {}
    for unit_id, event_id in UnitEventLink.objects.filter(
        unit_id__in=unit_ids, role=UnitEventLink.Role.PREDECESSOR
    ).values_list("unit_id", "event_id"):
        events.setdefault(unit_id, set()).add(event_id)
    after: dict[int, list[Unit]] = {}
    successors = UnitEventLink.objects.filter(
        event_id__in={e for ids in events.values() for e in ids},
        role=UnitEventLink.Role.SUCCESSOR,
    ).select_related("unit__parent")
    for link in successors:
        after.setdefault(link.event_id, []).append(link.unit)
    offers: dict[int, list[Unit]] = {}
    for user_id, unit in ended.items():
        found = {u.pk: u for e in events.get(unit.pk, ()) for u in after.get(e, [])}
        if any(not u.is_valid_on(day) for u in found.values()):
            offers[user_id] = unit_successors_current(unit=unit, on=day)
        else:
            offers[user_id] = sorted(found.values(), key=unit_sort_key)
    return {user_id: units for user_id, units in offers.items() if units}


def user_rows() -> list[UserRow]:
    """Every user with role, unit and login throttle, by role then user name (three queries,
    and a few per name with recent failed logins)."""
    users = list(get_user_model().objects.order_by("username"))
    memberships = {
        m.user_id: m
        for m in Membership.objects.select_related("unit__parent").filter(
            user__in=[u.pk for u in users]
        )
    }
    locks = throttled_names()
    rows = [UserRow(u, memberships.get(u.pk), locks.get(u.username)) for u in users]
    return sorted(
        rows,
        key=lambda r: (_ROLE_ORDER.get(r.membership.role, 99) if r.membership else 99,),
    )


def unit_candidates(*, text: str, role: str, on: dt.date | None = None) -> list[Unit]:
    """The units a role may be rooted at that match a code (exactly) or a name (loosely).

    Codes are reused across periods (Tỉnh Lai Châu 12 before and after 1/7/2025), so a code can
    give several units; `on` keeps the one in force that day.
    """
    levels = ROLE_LEVELS.get(role, ())
    text = text.strip()
    if not text or not levels:
        return []
    if text.isdigit():
        units = Unit.objects.filter(code=text, level__in=levels).select_related("parent")
        if on is not None:
            units = units.valid_on(on)
        return sorted(units, key=unit_sort_key)
    found = [u for level in levels for u in unit_search(query=text, level=level, at=on, limit=20)]
    return sorted(found, key=unit_sort_key)[:20]
