"""The access module, every function against every role and unit relation.

Relations are named from the point of view of Lai Châu's tree: the province 12, its district
105 (Thành phố Lai Châu), the commune San Thàng and one of its villages; the sibling commune
Nậm Loỏng, another district and its commune, and another province with a commune.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from ntm.accounts import access
from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

UNITS = [
    "province",
    "district",
    "commune",
    "village",
    "sibling_commune",
    "other_district",
    "other_district_commune",
    "other_province",
    "other_province_commune",
]
LAICHAU = {u for u in UNITS if not u.startswith("other_province")}
ROLES = ["admin", "province", "district", "commune", "department", "leader"]
NOBODY = ["no_membership", "inactive", "anonymous"]
PEOPLE = ROLES + NOBODY

# What each person may see: everything for the administrator, their subtree for the others.
VISIBLE: dict[str, set[str]] = {
    "admin": set(UNITS),
    "province": LAICHAU,
    "department": LAICHAU,
    "leader": LAICHAU,
    "district": {"district", "commune", "village", "sibling_commune"},
    "commune": {"commune", "village"},
    "no_membership": set(),
    "inactive": set(),
    "anonymous": set(),
}
EDITORS = {"admin", "province", "commune", "department"}
# The world's department was given the bare list ["2"]: criterion 2 of the sets up to 2025
# (Giao thông), nothing of QĐ 51/2025, whose "2" is another criterion.
DEPARTMENT_CRITERIA = {"qd1980-2016": {"2"}, "qd51-2025": set()}
SETS = list(DEPARTMENT_CRITERIA)


def person(world: Any, who: str) -> Any:
    if who == "anonymous":
        return AnonymousUser()
    return get_user_model().objects.get(pk=world.users[who])


def unit(world: Any, name: str) -> Unit:
    return Unit.objects.get(pk=world.units[name])


@pytest.mark.parametrize("name", UNITS)
@pytest.mark.parametrize("who", PEOPLE)
def test_unit_in_scope_and_can_view_unit_follow_the_subtree(world, who, name):
    user, target = person(world, who), unit(world, name)
    expected = name in VISIBLE[who]
    assert access.unit_in_scope(user, target) is expected
    assert access.can_view_unit(user, target) is expected


@pytest.mark.parametrize("set_id", SETS)
@pytest.mark.parametrize("criterion", ["2", "15"])
@pytest.mark.parametrize("name", UNITS)
@pytest.mark.parametrize("who", PEOPLE)
def test_can_view_criterion_limits_a_department_to_its_criteria_of_the_set(
    world, who, name, criterion, set_id
):
    owned = DEPARTMENT_CRITERIA[set_id]
    expected = name in VISIBLE[who] and (who != "department" or criterion in owned)
    user, target = person(world, who), unit(world, name)
    assert access.can_view_criterion(user, target, criterion, set_id=set_id) is expected


@pytest.mark.parametrize("set_id", SETS)
@pytest.mark.parametrize("criterion", ["2", "15"])
@pytest.mark.parametrize("name", UNITS)
@pytest.mark.parametrize("who", PEOPLE)
def test_can_edit_value_only_for_editing_roles_in_scope(world, who, name, criterion, set_id):
    target = unit(world, name)
    expected = (
        who in EDITORS
        and name in VISIBLE[who]
        and (who != "commune" or target.level in ("commune", "village"))
        and (who != "department" or criterion in DEPARTMENT_CRITERIA[set_id])
    )
    user = person(world, who)
    assert access.can_edit_value(user, target, criterion, set_id=set_id) is expected


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_administrator_manages_users(world, who):
    assert access.can_manage_users(person(world, who)) is (who == "admin")


@pytest.mark.parametrize("who", PEOPLE)
def test_only_the_administrator_sees_the_national_view(world, who):
    assert access.can_view_national(person(world, who)) is (who == "admin")


@pytest.mark.parametrize("who", PEOPLE)
def test_the_administrator_and_the_province_office_browse_the_audit_trail(world, who):
    assert access.can_browse_audit(person(world, who)) is (who in {"admin", "province"})


@pytest.mark.parametrize("who", PEOPLE)
def test_visible_units_and_scope_filter_give_the_subtree(world, who):
    user, named = person(world, who), {v: k for k, v in world.units.items()}
    seen = access.visible_units(user).filter(pk__in=named).values_list("pk", flat=True)
    assert {named[pk] for pk in seen} == VISIBLE[who]
    filtered = Unit.objects.filter(access.scope_filter(user), pk__in=named)
    assert {named[u.pk] for u in filtered} == VISIBLE[who]


@pytest.mark.parametrize("who", PEOPLE)
def test_scope_filter_with_a_prefix_follows_the_relation(world, who):
    """scope_filter(user, "parent") keeps the units whose parent is in scope."""
    user, named = person(world, who), {v: k for k, v in world.units.items()}
    children = Unit.objects.filter(access.scope_filter(user, "parent"), pk__in=named)
    expected = {
        n for n in UNITS if (p := unit(world, n).parent) and named.get(p.pk) in VISIBLE[who]
    }
    if who == "admin":
        expected = set(UNITS)  # an empty filter: everything, whatever the relation
    assert {named[u.pk] for u in children} == expected


@pytest.mark.parametrize("who", PEOPLE)
def test_membership_and_role_of_name_the_role_of_active_users_only(world, who):
    user = person(world, who)
    expected = who if who in ROLES else None
    assert access.role_of(user) == expected
    m = access.membership(user)
    assert (m.role if m else None) == expected


def test_membership_of_none_is_none():
    assert access.membership(None) is None
    assert access.role_of(None) is None


def test_a_non_admin_membership_without_a_unit_sees_nothing(world):
    """Not every province: Q(id=None) | Q(parent__id=None) would have matched them all."""
    user = get_user_model().objects.create_user(username="u.orphan")
    Membership.objects.create(user=user, role=Role.PROVINCE, unit=None)
    assert not access.visible_units(user).exists()
    assert not access.unit_in_scope(user, unit(world, "province"))


def test_a_commune_role_rooted_above_a_commune_still_cannot_edit_sums(world):
    """A misconfigured board rooted at a district sees it but enters figures only for communes."""
    user = get_user_model().objects.create_user(username="u.misrooted")
    Membership.objects.create(user=user, role=Role.COMMUNE, unit=unit(world, "district"))
    assert access.can_view_unit(user, unit(world, "district"))
    assert not access.can_edit_value(user, unit(world, "district"), "2", set_id="qd1980-2016")
    assert access.can_edit_value(user, unit(world, "commune"), "2", set_id="qd1980-2016")


def test_a_department_without_criteria_sees_units_but_no_criterion(world):
    user = get_user_model().objects.create_user(username="u.dept-empty")
    Membership.objects.create(user=user, role=Role.DEPARTMENT, unit=unit(world, "province"))
    assert access.can_view_unit(user, unit(world, "commune"))
    assert not access.can_view_criterion(user, unit(world, "commune"), "2", set_id="qd1980-2016")
