"""The workflow functions of the access module, one branch at a time."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ntm.accounts import access
from ntm.units.models import Unit
from tests.workflow.conftest import unit

pytestmark = pytest.mark.django_db


def dossier(
    role: str, criteria: tuple[str, ...] = ("1", "2", "3"), set_id: str = "qd1980-2016"
) -> SimpleNamespace:
    return SimpleNamespace(
        unit=unit("commune", "03409"),
        current_role=role,
        criteria_set=set_id,
        criterion_codes=list(criteria),
    )


@pytest.mark.parametrize(
    ("who", "stage_role", "allowed"),
    [
        ("xa", "commune", True),
        ("xa_khac", "commune", False),  # another commune
        ("xa", "district", False),  # not its stage
        ("huyen", "district", True),
        ("huyen_khac", "district", False),  # another district
        ("so_gt", "department", True),
        ("tinh", "province", True),
        ("tinh", "commune", False),
        ("lanh_dao", "province", False),
        ("xa", "", False),  # complete or revoked: nobody acts
    ],
)
def test_can_act_on_stage(request, who, stage_role, allowed):
    user = request.getfixturevalue(who).user
    assert access.can_act_on_stage(user, dossier(stage_role)) is allowed


def test_a_department_owning_no_criterion_of_the_set_cannot_act(so_gt):
    assert not access.can_act_on_stage(so_gt.user, dossier("department", ("1", "3")))


def test_anonymous_and_roleless_users_can_do_nothing(laichau, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    bare = django_user_model.objects.create_user(username="khong_vai_tro")
    for user in (AnonymousUser(), bare, None):
        assert not access.can_act_on_stage(user, dossier("commune"))
        assert not access.can_appraise(user, dossier("department"), "2")
        assert not access.can_revoke(user, dossier(""))
        assert not access.can_open_dossier(user, unit("commune", "03409"))
        assert not access.can_view_dossier(user, dossier("commune"))


@pytest.mark.parametrize(
    ("who", "criterion", "allowed"),
    [("so_gt", "2", True), ("so_gt", "3", False), ("tinh", "2", False), ("xa", "2", False)],
)
def test_can_appraise(request, who, criterion, allowed):
    user = request.getfixturevalue(who).user
    assert access.can_appraise(user, dossier("department"), criterion) is allowed


def test_a_department_owns_criterion_2_of_the_old_sets_only_unless_given_qd51(so_gt):
    """so_gt was given the bare ["2"]: Giao thông up to 2025, not QĐ 51/2025's "2"."""
    assert not access.can_appraise(so_gt.user, dossier("department", set_id="qd51-2025"), "2")
    assert not access.can_act_on_stage(so_gt.user, dossier("department", set_id="qd51-2025"))


def test_a_department_of_the_2025_province_row_appraises_for_the_same_province(
    make_client, laichau
):
    """A province keeps its code across 1/7/2025: the new row's department is Lai Châu's."""
    so_moi = make_client("so_2025", "department", unit("province", "12", new=True), ["2"])
    assert access.can_appraise(so_moi.user, dossier("department"), "2")


def test_a_department_of_another_province_cannot_appraise(make_client, laichau):
    dien_bien = Unit.objects.create(code="11", name="Tỉnh Điện Biên", kind="tinh", level="province")
    so_khac = make_client("so_dienbien", "department", dien_bien, ["2"])
    assert not access.can_appraise(so_khac.user, dossier("department"), "2")


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("tinh", True), ("huyen", False), ("xa", False), ("so_gt", False), ("lanh_dao", False)],
)
def test_can_revoke(request, who, allowed):
    assert access.can_revoke(request.getfixturevalue(who).user, dossier("")) is allowed


@pytest.mark.parametrize(
    ("who", "code", "level", "allowed"),
    [
        ("xa", "03409", "commune", True),
        ("xa", "03403", "commune", False),
        ("huyen", "03409", "commune", False),
        ("xa", "105", "district", False),
    ],
)
def test_can_open_dossier(request, who, code, level, allowed):
    user = request.getfixturevalue(who).user
    assert access.can_open_dossier(user, unit(level, code)) is allowed


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("xa", True), ("xa_khac", False), ("huyen", True), ("huyen_khac", False), ("so_gt", True)],
)
def test_can_view_dossier(request, who, allowed):
    assert access.can_view_dossier(request.getfixturevalue(who).user, dossier("commune")) is allowed
