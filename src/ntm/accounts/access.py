"""Every access decision goes through this module: one condition per line, tested per branch.

A user has one role and a unit subtree (plus criteria per criteria set, for a department).
Outside what this module allows, pages answer 404 (the object's existence is not revealed) or
403 (the object is visible but the action is not the user's).

Scope across periods. A unit row is one unit in one period (Tỉnh Lai Châu until 30/6/2025, then
a new row from 1/7/2025), and a membership names one row. What the scope is depends on the level
of that row:
- a province: every row under a province row with the same code, in any period, so the
  coordination office (and a department or leader of the province) keeps its province across
  the 2025 reorganisation. Compared on (level, code) up the parent chain: no query beyond the
  membership, which comes with its unit (Membership's base manager);
- a district or a commune: the subtree of that row and of the rows it succeeded (UnitEvent
  predecessors of the same level): a district ends with its row on 30/6/2025 and keeps its
  history; the board of a commune formed by a merger carries the records of the communes it
  was formed from. The predecessors cost a query or two, once per request.
Rows are at most three levels below their root (province > district > commune > village).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from ntm.accounts.models import Membership, Role
from ntm.units.models import Level, Unit, UnitEventLink

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
    ids: list[int] = []
    node: Unit | None = unit
    while node is not None:
        ids.append(node.id)
        node = node.parent
    return ids


def _predecessor_ids(unit: Unit) -> set[int]:
    """Rows of the same level that became this one, back through every recorded event."""
    found: set[int] = set()
    frontier = {unit.pk}
    while frontier:
        events = UnitEventLink.objects.filter(
            unit_id__in=frontier, role=UnitEventLink.Role.SUCCESSOR
        ).values("event_id")
        step = UnitEventLink.objects.filter(
            event_id__in=events, role=UnitEventLink.Role.PREDECESSOR, unit__level=unit.level
        ).values_list("unit_id", flat=True)
        frontier = set(step) - found - {unit.pk}
        found |= frontier
    return found


def scope_roots(m: Membership) -> frozenset[int]:
    """For a district or commune membership: its row and the rows that became it (cached on
    the membership object, so computed once per request)."""
    if m.scope_roots is not None:
        return m.scope_roots
    root = m.unit
    roots = {root.pk, *_predecessor_ids(root)} if root is not None else set()
    m.scope_roots = frozenset(roots)
    return m.scope_roots


def _province_code(m: Membership) -> str | None:
    """The code of the membership's province, when it is rooted at one."""
    root = m.unit
    if root is None or root.level != Level.PROVINCE:
        return None
    return root.code


def _under_province(unit: Unit, code: str) -> bool:
    node: Unit | None = unit
    while node is not None:
        if node.level == Level.PROVINCE and node.code == code:
            return True
        node = node.parent
    return False


def unit_in_scope(user: Any, unit: Unit) -> bool:
    """The unit is in the user's scope (see the module's docstring; admins see everything)."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.ADMIN:
        return True
    if m.unit_id is None:
        return False
    code = _province_code(m)
    if code is not None:
        return _under_province(unit, code)
    ancestors = _ancestors(unit)
    if m.unit_id in ancestors:
        return True  # the common case, without looking for predecessors
    return not scope_roots(m).isdisjoint(ancestors)


def can_view_unit(user: Any, unit: Unit) -> bool:
    return unit_in_scope(user, unit)


def _own_rows_only(m: Membership, unit: Unit) -> bool:
    """A commune board writes for its own commune (and its villages) only: the records of the
    communes merged into it stay readable to it, not editable."""
    if m.role != Role.COMMUNE:
        return True
    return m.unit_id in _ancestors(unit)


def department_criteria(user: Any, set_id: str) -> set[str]:
    """The criteria a department owns in one criteria set (empty for anyone else)."""
    m = membership(user)
    if m is None:
        return set()
    if m.role != Role.DEPARTMENT:
        return set()
    return set(m.criteria_in(set_id))


def can_view_criterion(user: Any, unit: Unit, criterion: str, *, set_id: str) -> bool:
    """A department sees only its own criteria of the set that judges the unit-year; everyone
    else every criterion of their units. `set_id`: the national set (a code names different
    criteria in different sets)."""
    m = membership(user)
    if m is None:
        return False
    if not unit_in_scope(user, unit):
        return False
    if m.role != Role.DEPARTMENT:
        return True
    return criterion in m.criteria_in(set_id)


def can_import_values(user: Any) -> bool:
    """Upload a file of values; every cell is then checked with can_edit_value."""
    return role_of(user) in EDIT_VALUE_ROLES


def can_enter_values(user: Any, unit: Unit) -> bool:
    """Open the entry form of a commune or village (which then shows the editable cells)."""
    m = membership(user)
    if m is None:
        return False
    if m.role not in EDIT_VALUE_ROLES:
        return False
    if unit.level not in COMMUNE_LEVELS:
        return False
    if not _own_rows_only(m, unit):
        return False
    return unit_in_scope(user, unit)


def can_edit_value(user: Any, unit: Unit, criterion: str, *, set_id: str) -> bool:
    m = membership(user)
    if m is None:
        return False
    if m.role not in EDIT_VALUE_ROLES:
        return False
    if m.role == Role.COMMUNE and unit.level not in COMMUNE_LEVELS:
        return False  # a commune board enters its commune's and villages' figures, not sums
    if not _own_rows_only(m, unit):
        return False
    return can_view_criterion(user, unit, criterion, set_id=set_id)


# Everyone who takes part in the work may comment on a value it sees; the leader only reads.
COMMENT_ROLES = EDIT_VALUE_ROLES | {Role.DISTRICT}


def can_comment(user: Any, unit: Unit, criterion: str, *, set_id: str) -> bool:
    """Comment on a value of the criterion (the lock of a dossier under review is a state rule,
    checked by ntm.indicators.evidence.comment_add)."""
    m = membership(user)
    if m is None:
        return False
    if m.role not in COMMENT_ROLES:
        return False
    if not _own_rows_only(m, unit):
        return False
    return can_view_criterion(user, unit, criterion, set_id=set_id)


def can_manage_users(user: Any) -> bool:
    return role_of(user) == Role.ADMIN


def can_view_national(user: Any) -> bool:
    """The whole country, every province side by side: the administrator only (every other
    account is rooted in one province or below it)."""
    m = membership(user)
    if m is None:
        return False
    return m.role == Role.ADMIN


def can_browse_audit(user: Any) -> bool:
    return role_of(user) in (Role.ADMIN, Role.PROVINCE)


def scope_filter(user: Any, prefix: str = "") -> Q:
    """A filter keeping the units in the user's scope: the same answer as unit_in_scope.

    One Q on the unit and its parents up to three levels (no per-row Python): their (level,
    code) for a province, their ids for a district or a commune.
    """
    m = membership(user)
    if m is None:
        return Q(pk__in=[])
    if m.role == Role.ADMIN:
        return Q()
    if m.unit_id is None:
        return Q(pk__in=[])  # not Q(id=None): its parent__id=None half would match provinces
    code = _province_code(m)
    wanted: dict[str, object]
    if code is not None:
        wanted = {"level": Level.PROVINCE.value, "code": code}
    else:
        wanted = {"id__in": sorted(scope_roots(m))}
    path = f"{prefix}__" if prefix else ""
    q = Q()
    for _ in range(4):
        q |= Q(**{f"{path}{key}": value for key, value in wanted.items()})
        path += "parent__"
    return q


def visible_units(user: Any) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user))


# Recognition workflow. A dossier exposes `unit`, `current_role` (the role of its current
# stage, "" once complete or revoked), `criteria_set` (the id of its set) and
# `criterion_codes` (criteria of its set); state rules
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
    if not _own_rows_only(m, unit):
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
    if m.role == Role.DEPARTMENT and not _owns_any(m, dossier):
        return False
    return unit_in_scope(user, dossier.unit)


def can_return(user: Any, dossier: Any) -> bool:
    """Send the dossier back to an earlier stage: the current stage's role, but never a
    department. A department judges the criteria it owns ("không đạt" with its reason, at the
    appraisal stage); sending the whole dossier back is the decision of the province's
    coordination office, which gathers the departments' appraisals (QĐ 2540/QĐ-TTg, QĐ
    18/2022/QĐ-TTg): a department owning one criterion would otherwise void the appraisals
    of every other department. So at the appraisal stage the return is the office's."""
    m = membership(user)
    if m is None:
        return False
    if m.role == Role.DEPARTMENT:
        return False
    if m.role == Role.PROVINCE and dossier.current_role == Role.DEPARTMENT:
        return unit_in_scope(user, dossier.unit)
    return can_act_on_stage(user, dossier)


def can_appraise(user: Any, dossier: Any, criterion: str) -> bool:
    """A department appraises only the criteria it owns, for units of its province."""
    m = membership(user)
    if m is None:
        return False
    if m.role != Role.DEPARTMENT:
        return False
    if criterion not in m.criteria_in(dossier.criteria_set):
        return False
    return unit_in_scope(user, dossier.unit)


def _owns_any(m: Membership, dossier: Any) -> bool:
    return not set(m.criteria_in(dossier.criteria_set)).isdisjoint(dossier.criterion_codes)


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
