"""A small world for access tests: Lai Châu's 2019 tree, a village, and another province.

Loaded once per module and committed (flushed afterwards), because the access matrix has
hundreds of cases and loading Lai Châu takes a third of a second.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.core.management import call_command

from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit
from ntm.units.services import units_load_laichau, village_create

PASSWORD = "mat-khau-thu-1"


@dataclass(frozen=True)
class World:
    units: dict[str, int]  # short name -> unit id
    users: dict[str, int]  # role name -> user id


def _since_ever(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=True)


def world_build() -> World:
    from django.contrib.auth import get_user_model

    units_load_laichau()
    province = _since_ever("province", "12")
    district = _since_ever("district", "105")  # Thành phố Lai Châu
    commune = _since_ever("commune", "03409")  # Xã San Thàng
    village = village_create(commune=commune, name="Bản Lùng Thàng")
    other_province = Unit.objects.create(
        code="11", name="Tỉnh Điện Biên", kind="tinh", level="province"
    )
    other_district = Unit.objects.create(
        code="094",
        name="Thành phố Điện Biên Phủ",
        kind="thanh_pho",
        level="district",
        parent=other_province,
    )
    units = {
        "province": province,
        "district": district,
        "commune": commune,
        "village": village,
        "sibling_commune": _since_ever("commune", "03403"),  # Xã Nậm Loỏng, same district
        "other_district": _since_ever("district", "106"),  # Huyện Tam Đường
        "other_district_commune": _since_ever("commune", "03394"),  # Xã Thèn Sin
        "other_province": other_province,
        "other_province_commune": Unit.objects.create(
            code="03127",
            name="Xã Thanh Minh",
            kind="xa",
            level="commune",
            parent=other_district,
            ntm_eligible=True,
        ),
    }
    assert units["other_district_commune"].parent_id == units["other_district"].id
    roots = {
        Role.ADMIN: (None, []),
        Role.PROVINCE: (province, []),
        Role.DISTRICT: (district, []),
        Role.COMMUNE: (commune, []),
        Role.DEPARTMENT: (province, ["2"]),
        Role.LEADER: (province, []),
    }
    User = get_user_model()
    users = {}
    for role, (unit, criteria) in roots.items():
        user = User.objects.create_user(username=f"u.{role}", password=PASSWORD)
        Membership.objects.create(user=user, role=role, unit=unit, criteria=criteria)
        users[str(role)] = user.pk
    users["no_membership"] = User.objects.create_user(username="u.none", password=PASSWORD).pk
    inactive = User.objects.create_user(username="u.inactive", password=PASSWORD, is_active=False)
    Membership.objects.create(user=inactive, role=Role.PROVINCE, unit=province)
    users["inactive"] = inactive.pk
    return World({k: u.pk for k, u in units.items()}, users)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock():
        built = world_build()
        yield built
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def argon2_hashing(settings):
    """Accounts tests check the production hashing: Argon2 first."""
    from tests.conftest import ARGON2_FIRST

    settings.PASSWORD_HASHERS = ARGON2_FIRST
