"""Scopes across the 1/7/2025 reorganisation, on Lai Châu's two structures.

Before: province 12 > district 105 (Thành phố Lai Châu) > Xã San Thàng (03409), rows in force
"since before our records" until 30/6/2025. After: a new province row 12 from 1/7/2025 with its
38 communes directly under it; San Thàng and four others became Phường Tân Phong (03408).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from ntm.accounts import access
from ntm.accounts.demo import DEMO_ACCOUNTS, demo_accounts_create
from ntm.accounts.models import Membership, Role
from ntm.audit.models import AuditEvent
from ntm.units.models import Unit, UnitEvent, UnitEventLink
from ntm.units.services import village_create

pytestmark = pytest.mark.django_db

User = get_user_model()
NEW_STRUCTURE = dt.date(2025, 7, 1)


def person(world: Any, who: str) -> Any:
    return User.objects.get(pk=world.users[who])


def new_row(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from=NEW_STRUCTURE)


def old_row(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=True)


def in_scope(user: Any, unit: Unit) -> bool:
    """The page answer and the list answer, which must agree."""
    single = access.unit_in_scope(user, unit)
    listed = access.visible_units(user).filter(pk=unit.pk).exists()
    assert single is listed, unit
    return single


# --- the province office keeps its province ---------------------------------------------------


@pytest.mark.parametrize("who", ["province", "leader", "department"])
def test_a_province_account_sees_the_2019_commune_and_the_2025_commune(world, who):
    user = person(world, who)
    assert Membership.objects.get(user=user).unit.valid_to == dt.date(2025, 6, 30)
    assert in_scope(user, old_row("commune", "03409"))  # Xã San Thàng, 2019
    assert in_scope(user, new_row("commune", "03408"))  # Phường Tân Phong, 2025
    assert in_scope(user, new_row("province", "12"))


def test_the_province_office_reaches_all_38_communes_of_2025(world):
    user = person(world, "province")
    communes = Unit.objects.filter(level="commune", valid_from=NEW_STRUCTURE)
    assert communes.count() == 38
    assert access.visible_units(user).filter(pk__in=communes).count() == 38


def test_a_province_account_rooted_at_the_2025_row_reaches_the_2019_communes(world):
    user = User.objects.create_user(username="vp.2025")
    Membership.objects.create(user=user, role=Role.PROVINCE, unit=new_row("province", "12"))
    assert in_scope(user, old_row("commune", "03409"))
    assert in_scope(user, new_row("commune", "03408"))


def test_a_province_keeps_only_its_own_code(world):
    user = person(world, "province")
    assert not in_scope(user, Unit.objects.get(pk=world.units["other_province_commune"]))


def test_the_province_office_opens_the_2025_province_page(client, world):
    client.force_login(person(world, "province"))
    assert client.get(f"/don-vi/{new_row('province', '12').pk}/2026/").status_code == 200


# --- a district ends with its row ------------------------------------------------------------


def test_a_district_account_sees_its_2019_communes_and_nothing_of_2026(world):
    user = person(world, "district")
    assert in_scope(user, old_row("commune", "03409"))
    assert in_scope(user, Unit.objects.get(pk=world.units["sibling_commune"]))
    assert not in_scope(user, new_row("commune", "03408"))
    assert not in_scope(user, new_row("province", "12"))
    later = access.visible_units(user).filter(valid_from__gte=NEW_STRUCTURE)
    assert not later.exists()


# --- a commune that merged -----------------------------------------------------------------


def test_a_commune_account_of_a_merged_commune_keeps_its_old_commune(world):
    user = person(world, "commune")
    assert in_scope(user, old_row("commune", "03409"))
    assert in_scope(user, Unit.objects.get(pk=world.units["village"]))
    assert not in_scope(user, new_row("commune", "03408"))
    assert access.can_edit_value(user, old_row("commune", "03409"), "2", set_id="qd318-2022")


def test_the_users_page_offers_the_successor_and_the_administrator_confirms(client, world):
    target = person(world, "commune")
    successor = new_row("commune", "03408")
    client.force_login(person(world, "admin"))
    html = client.get("/nguoi-dung/").content.decode()
    assert f'action="/nguoi-dung/{target.pk}/don-vi-ke-thua/"' in html
    assert "đơn vị kế thừa: Phường Tân Phong (03408)" in html

    response = client.post(f"/nguoi-dung/{target.pk}/don-vi-ke-thua/", {"unit_id": successor.pk})
    assert response.status_code == 302 and response["Location"] == "/nguoi-dung/"
    assert Membership.objects.get(user=target).unit == successor
    event = AuditEvent.objects.get(action="user.succeed", object_id=str(target.pk))
    assert event.actor.username == "u.admin" and event.origin == "page"
    assert (event.before["unit_code"], event.after["unit_code"]) == ("03409", "03408")
    assert event.after["unit_id"] == successor.pk and event.unit == successor

    moved = person(world, "commune")
    assert in_scope(moved, successor)
    assert in_scope(moved, old_row("commune", "03409"))  # its own history, as a predecessor
    assert in_scope(moved, old_row("commune", "03418"))  # Xã Bản Giang, merged with it
    assert not in_scope(moved, old_row("commune", "03403"))  # Nậm Loỏng: not a predecessor
    # The records of the communes merged into it are read-only to the new board.
    ban_giang = old_row("commune", "03418")
    assert not access.can_edit_value(moved, ban_giang, "2", set_id="qd1980-2016")
    assert not access.can_open_dossier(moved, ban_giang)
    assert not access.can_enter_values(moved, ban_giang)
    assert access.can_edit_value(moved, successor, "2", set_id="qd51-2025")
    assert (
        f"/nguoi-dung/{target.pk}/don-vi-ke-thua/"
        not in client.get("/nguoi-dung/").content.decode()
    )


def test_a_unit_that_is_not_a_successor_is_refused(client, world):
    target = person(world, "commune")
    client.force_login(person(world, "admin"))
    other = new_row("commune", "03571")  # Xã Dào San of 2025
    response = client.post(
        f"/nguoi-dung/{target.pk}/don-vi-ke-thua/", {"unit_id": other.pk}, follow=True
    )
    assert "Xã Dào San không phải đơn vị kế thừa của Xã San Thàng" in response.content.decode()
    assert Membership.objects.get(user=target).unit_id == world.units["commune"]
    assert not AuditEvent.objects.filter(action="user.succeed").exists()


def test_a_commune_still_in_force_is_not_offered_a_move(client, world):
    user = User.objects.create_user(username="xa.2025")
    Membership.objects.create(user=user, role=Role.COMMUNE, unit=new_row("commune", "03571"))
    client.force_login(person(world, "admin"))
    assert (
        f"/nguoi-dung/{user.pk}/don-vi-ke-thua/" not in client.get("/nguoi-dung/").content.decode()
    )
    response = client.post(
        f"/nguoi-dung/{user.pk}/don-vi-ke-thua/",
        {"unit_id": new_row("commune", "03571").pk},
        follow=True,
    )
    assert "vẫn đang có hiệu lực" in response.content.decode()


def test_a_commune_split_in_two_lets_the_administrator_choose(client, world):
    old = Unit.objects.get(pk=world.units["other_province_commune"])  # Xã Thanh Minh
    old.valid_to = dt.date(2025, 6, 30)
    old.save()
    halves = [
        Unit.objects.create(
            code=code, name=name, kind="xa", level="commune", valid_from=NEW_STRUCTURE
        )
        for code, name in (("93001", "Xã Thanh Minh Một"), ("93002", "Xã Thanh Minh Hai"))
    ]
    event = UnitEvent.objects.create(kind="split", effective=NEW_STRUCTURE)
    UnitEventLink.objects.create(event=event, unit=old, role="predecessor", partial=True)
    for half in halves:
        UnitEventLink.objects.create(event=event, unit=half, role="successor")
    user = User.objects.create_user(username="xa.thanhminh")
    Membership.objects.create(user=user, role=Role.COMMUNE, unit=old)

    client.force_login(person(world, "admin"))
    html = client.get("/nguoi-dung/").content.decode()
    assert "chọn một" in html
    for half in halves:
        assert f'type="radio" name="unit_id" value="{half.pk}"' in html
    client.post(f"/nguoi-dung/{user.pk}/don-vi-ke-thua/", {"unit_id": halves[1].pk})
    assert Membership.objects.get(user=user).unit == halves[1]


def test_offering_successors_costs_the_same_queries_for_many_accounts(
    client, world, django_assert_max_num_queries
):
    communes = Unit.objects.filter(level="commune", valid_from__isnull=True, valid_to__isnull=False)
    for n, commune in enumerate(communes[:30]):
        user = User.objects.create_user(username=f"xa.{n}")
        Membership.objects.create(user=user, role=Role.COMMUNE, unit=commune)
    client.force_login(person(world, "admin"))
    # 15: one more than before for every page, the pending re-evaluation for the banner
    # (web.context.reevaluation_notice)
    with django_assert_max_num_queries(15):
        html = client.get("/nguoi-dung/").content.decode()
    assert html.count("don-vi-ke-thua/") >= 30


# --- one answer for pages and lists ----------------------------------------------------------


def test_scope_filter_and_unit_in_scope_agree_on_every_unit_for_every_demo_account(world):
    """Every unit of both structures (and a village under each period's commune), every role."""
    village_create(commune=new_row("commune", "03408"), name="Tổ dân phố 1")
    demo_accounts_create()
    units = list(Unit.objects.select_related("parent__parent__parent"))
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(username=account.username)
        listed = set(access.visible_units(user).values_list("pk", flat=True))
        single = {u.pk for u in units if access.unit_in_scope(user, u)}
        assert listed == single, account.username
        assert single, account.username


def test_the_scope_of_a_province_costs_no_query_beyond_the_membership(
    world, django_assert_num_queries
):
    user = person(world, "province")
    province = Unit.objects.get(pk=world.units["province"])
    with django_assert_num_queries(1):  # the membership, with its unit
        access.scope_filter(user)
        access.scope_filter(user, "unit")
        access.unit_in_scope(user, province)


def test_the_scope_of_a_commune_looks_for_predecessors_once(world, django_assert_max_num_queries):
    user = person(world, "commune")
    commune = Unit.objects.select_related("parent__parent").get(pk=world.units["commune"])
    with django_assert_max_num_queries(1):
        access.unit_in_scope(user, commune)  # its own row: no need for predecessors
    with django_assert_max_num_queries(2):
        access.scope_filter(user)
        access.scope_filter(user, "unit")
