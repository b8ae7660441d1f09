"""Every access decision goes through this module: one condition per line, tested per branch.

A user has one role and a unit subtree (plus criteria for a department). Outside what this
module allows, pages answer 404 (the object's existence is not revealed) or 403 (the object is
visible but the action is not the user's).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

EDIT_VALUE_ROLES = {Role.ADMIN, Role.PROVINCE, Role.COMMUNE, Role.DEPARTMENT}
COMMUNE_LEVELS = ("commune", "village")


def membership(user: Any) -> Membership | None:
    if user is None:
        return None
    if not user.is_authenticated:
        return None
    if not user.is_active:
        return None
    try:
        return user.membership  # type: ignore[no-any-return]
    except Membership.DoesNotExist:
        return None


def role_of(user: Any) -> str | None:
    m = membership(user)
    return m.role if m else None


def _ancestors(unit: Unit) -> list[int]:
    ids, node = [], unit
    while node is not None:
        ids.append(node.id)
        node = node.parent
    return ids


def unit_in_scope(user: Any, unit: Unit) -> bool:
    """The unit is the user's root or below it (admins see everything)."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.ADMIN:
        return True
    if m.unit_id is None:
        return False
    return m.unit_id in _ancestors(unit)


def can_view_unit(user: Any, unit: Unit) -> bool:
    return unit_in_scope(user, unit)


def can_view_criterion(user: Any, unit: Unit, criterion: str) -> bool:
    """A department sees only its own criteria; everyone else every criterion of their units."""
    m = membership(user)
    if m is None:
        return False
    if not unit_in_scope(user, unit):
        return False
    if m.role != Role.DEPARTMENT:
        return True
    return criterion in m.criteria


def can_edit_value(user: Any, unit: Unit, criterion: str) -> bool:
    m = membership(user)
    if m is None:
        return False
    if m.role not in EDIT_VALUE_ROLES:
        return False
    if m.role == Role.COMMUNE and unit.level not in COMMUNE_LEVELS:
        return False  # a commune board enters its commune's and villages' figures, not sums
    return can_view_criterion(user, unit, criterion)


def can_manage_users(user: Any) -> bool:
    return role_of(user) == Role.ADMIN


def can_browse_audit(user: Any) -> bool:
    return role_of(user) in (Role.ADMIN, Role.PROVINCE)


def scope_filter(user: Any, prefix: str = "") -> Q:
    """A filter restricting a queryset to units in the user's subtree (up to 4 levels deep)."""
    m = membership(user)
    if m is None:
        return Q(pk__in=[])
    if m.role == Role.ADMIN:
        return Q()
    if m.unit_id is None:
        return Q(pk__in=[])  # not Q(id=None): its parent__id=None half would match provinces
    field = f"{prefix}__" if prefix else ""
    q = Q(**{f"{field}id": m.unit_id})
    path = field
    for _ in range(3):
        path += "parent__"
        q |= Q(**{f"{path}id": m.unit_id})
    return q


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user))


# Recognition workflow. A dossier exposes `unit`, `current_role` (the role of its current
# stage, "" once complete or revoked) and `criterion_codes` (criteria of its set); state rules
# (which stage allows what) live in ntm.workflow.services, these functions only say who.


def can_view_dossier(user: Any, dossier: Any) -> bool:
    return unit_in_scope(user, dossier.unit)


def can_open_dossier(user: Any, unit: Unit) -> bool:
    """Only the commune's own management board opens its dossier."""
    m = membership(user)
    if m is None:
        return False
    if m.role != Role.COMMUNE:
        return False
    if unit.level != "commune":
        return False
    return unit_in_scope(user, unit)


def can_act_on_stage(user: Any, dossier: Any) -> bool:
    """Move the dossier on or back: the current stage's role, within its scope."""
    m = membership(user)
    if m is None:
        return False
    if not dossier.current_role:
        return False
    if m.role != dossier.current_role:
        return False
    if m.role == Role.DEPARTMENT and not set(m.criteria) & set(dossier.criterion_codes):
        return False
    return unit_in_scope(user, dossier.unit)


def can_appraise(user: Any, dossier: Any, criterion: str) -> bool:
    """A department appraises only the criteria it owns, for units of its province."""
    m = membership(user)
    if m is None:
        return False
    if m.role != Role.DEPARTMENT:
        return False
    if criterion not in m.criteria:
        return False
    return unit_in_scope(user, dossier.unit)


def can_revoke(user: Any, dossier: Any) -> bool:
    """Revoking a recognition is the province's, whatever stage the dossier is at."""
    m = membership(user)
    if m is None:
        return False
    if m.role != Role.PROVINCE:
        return False
    return unit_in_scope(user, dossier.unit)


def can_manage_criteria(user: Any) -> bool:
    """Import criteria sets and provincial specifications (a specification stays in scope)."""
    m = membership(user)
    if m is None:
        return False
    return m.role in (Role.ADMIN, Role.PROVINCE)


# Programme resources (ntm.programs): courses, OCOP, bodies, targets... Everyone in scope reads
# them; the province office (and the administrator) records them.


def can_view_programs(user: Any, unit: Unit) -> bool:
    return unit_in_scope(user, unit)


def can_manage_programs(user: Any, unit: Unit) -> bool:
    m = membership(user)
    if m is None:
        return False
    if m.role not in (Role.ADMIN, Role.PROVINCE):
        return False
    return unit_in_scope(user, unit)


# Capital and community contributions (ntm.finance). Everyone in scope reads them; the province
# office records them for its province, a commune board for its commune and villages.
EDIT_RESOURCES_ROLES = {Role.ADMIN, Role.PROVINCE, Role.COMMUNE}


def can_view_resources(user: Any, unit: Unit) -> bool:
    return unit_in_scope(user, unit)


def can_edit_resources(user: Any, unit: Unit) -> bool:
    m = membership(user)
    if m is None:
        return False
    if m.role not in EDIT_RESOURCES_ROLES:
        return False
    if m.role == Role.COMMUNE and unit.level not in COMMUNE_LEVELS:
        return False  # a commune board records its commune's figures, not the district's
    return unit_in_scope(user, unit)
