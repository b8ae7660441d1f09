"""Reads on accounts: the user list, login locks, and finding the unit a user is rooted at."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.contrib.auth import get_user_model
from django.utils import timezone

from ntm.accounts.models import LoginFailure, Membership, Role
from ntm.core.model import Level as SetLevel
from ntm.criteria.selectors import all_sets
from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_search, unit_sort_key

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


@cache
def criterion_codes() -> dict[str, str]:
    """Criterion code -> its names over every commune-level national set, oldest first.

    A department's criteria are codes, and a code can name different criteria in different
    sets ("2" is Giao thông until 2025, Hạ tầng kinh tế - xã hội in QĐ 51/2025): say so.
    """
    names: dict[str, list[str]] = {}
    for s in sorted(all_sets().values(), key=lambda s: s.effective):
        if s.level is not SetLevel.COMMUNE:
            continue
        for crit in s.criteria:
            seen = names.setdefault(crit.code, [])
            if crit.name not in seen:
                seen.append(crit.name)
    return {code: " / ".join(found) for code, found in names.items()}


def login_lock_of(*, username: str) -> dt.datetime | None:
    """When the lock on this user name ends, if it is locked now."""
    return (
        LoginFailure.objects.filter(username=username, locked_until__gt=timezone.now())
        .values_list("locked_until", flat=True)
        .first()
    )


@dataclass(frozen=True)
class UserRow:
    user: Any
    membership: Membership | None
    locked_until: dt.datetime | None


def user_rows() -> list[UserRow]:
    """Every user with role, unit and lock, by role then user name (three queries)."""
    users = list(get_user_model().objects.order_by("username"))
    memberships = {
        m.user_id: m
        for m in Membership.objects.select_related("unit__parent").filter(
            user__in=[u.pk for u in users]
        )
    }
    locks = dict(
        LoginFailure.objects.filter(locked_until__gt=timezone.now()).values_list(
            "username", "locked_until"
        )
    )
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
