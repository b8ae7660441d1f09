"""The administrator's user management pages; everyone else gets 403."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model

from ntm.accounts.models import FailedLogin, Membership, Role
from ntm.accounts.throttle import login_failure_record
from ntm.audit.models import AuditEvent
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

User = get_user_model()


def throttle(username, address="203.0.113.66"):
    """Enough failed logins on the name from one address to make that address wait."""
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login_failure_record(username=username, address=address)


def as_(client, world, who):
    client.force_login(User.objects.get(pk=world.users[who]))
    return client


@pytest.fixture
def admin(client, world):
    return as_(client, world, "admin")


def urls(world):
    target = world.users["commune"]
    return [
        ("get", "/nguoi-dung/"),
        ("get", "/nguoi-dung/them/"),
        ("post", "/nguoi-dung/them/"),
        ("get", f"/nguoi-dung/{target}/"),
        ("post", f"/nguoi-dung/{target}/"),
        ("post", f"/nguoi-dung/{target}/mat-khau/"),
        ("post", f"/nguoi-dung/{target}/trang-thai/"),
        ("post", f"/nguoi-dung/{target}/mo-khoa/"),
        ("post", f"/nguoi-dung/{target}/don-vi-ke-thua/"),
    ]


@pytest.mark.parametrize(
    "who", ["province", "district", "commune", "department", "leader", "no_membership"]
)
def test_user_management_is_forbidden_to_everyone_but_the_administrator(client, world, who):
    as_(client, world, who)
    for method, url in urls(world):
        assert getattr(client, method)(url).status_code == 403, url


def test_user_management_needs_a_login(client, world):
    for method, url in urls(world):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"], url


def test_the_list_shows_each_user_with_role_and_scope(admin, world):
    html = admin.get("/nguoi-dung/").content.decode()
    assert "u.commune" in html and "Ban quản lý xã" in html and "Xã San Thàng (03409)" in html
    assert "u.none" in html and "chưa có vai trò" in html
    assert "đã vô hiệu hóa" in html  # u.inactive


def test_the_list_runs_a_bounded_number_of_queries(admin, world, django_assert_max_num_queries):
    for i in range(20):
        User.objects.create_user(username=f"them.{i}")
    with django_assert_max_num_queries(12):
        admin.get("/nguoi-dung/")


def create(client, **fields):
    data = {
        "username": "xa.moi",
        "name": "Cán bộ xã",
        "role": "commune",
        "unit": "03409",
        "criteria": "",
        "password1": "mat-khau-moi-1",
        "password2": "mat-khau-moi-1",
    }
    return client.post("/nguoi-dung/them/", {**data, **fields})


def test_the_administrator_creates_a_commune_user_by_unit_code(admin, world):
    response = create(admin)
    user = User.objects.get(username="xa.moi")
    assert response.status_code == 302 and response["Location"] == f"/nguoi-dung/{user.pk}/"
    assert (user.membership.role, user.membership.unit_id) == ("commune", world.units["commune"])
    assert user.check_password("mat-khau-moi-1") and user.password.startswith("argon2")
    event = AuditEvent.objects.get(action="user.create", object_id=str(user.pk))
    assert event.actor.username == "u.admin" and event.origin == "page"
    assert event.after["unit_code"] == "03409" and event.before is None
    assert "mat-khau-moi-1" not in str(event.after)


def test_a_unit_can_be_found_by_its_name_without_accents(admin, world):
    create(admin, unit="san thang")
    assert User.objects.get(username="xa.moi").membership.unit_id == world.units["commune"]


def test_a_code_held_by_several_units_asks_which_one(admin, world):
    html = create(admin, role="province", unit="12").content.decode()
    assert "Có 2 đơn vị khớp" in html and 'name="unit_id"' in html
    assert not User.objects.filter(username="xa.moi").exists()
    create(admin, role="province", unit="12", unit_id=str(world.units["province"]))
    assert User.objects.get(username="xa.moi").membership.unit_id == world.units["province"]


def department(client, world, **criteria):
    fields = {f"criteria_{set_id}": codes for set_id, codes in criteria.items()}
    unit_id = str(world.units["province"])
    return create(client, role="department", unit="12", unit_id=unit_id, **fields)


def test_a_department_is_created_with_its_criteria_per_set(admin, world):
    department(admin, world, **{"qd1980-2016": "15, 2", "qd318-2022": "2", "qd51-2025": "2"})
    assert User.objects.get(username="xa.moi").membership.criteria == {
        "qd1980-2016": ["2", "15"],
        "qd318-2022": ["2"],
        "qd51-2025": ["2"],
    }


def test_the_form_has_one_criteria_field_per_commune_set_with_its_criteria(admin, world):
    html = admin.get("/nguoi-dung/them/").content.decode()
    for set_id in ("qd491-2009", "qd1980-2016", "qd318-2022", "qd51-2025"):
        assert f'name="criteria_{set_id}"' in html
    assert "2. Giao thông" in html and "2. Hạ tầng kinh tế - xã hội" in html


def test_a_department_needs_known_criteria_and_the_message_names_set_and_code(admin, world):
    response = department(admin, world, **{"qd51-2025": "99, abc"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bộ tiêu chí qd51-2025 (Quyết định 51/2025/QĐ-TTg) không có tiêu chí 99, abc" in html
    assert not User.objects.filter(username="xa.moi").exists()
    html = department(admin, world, **{"qd1980-2016": "2, 20"}).content.decode()
    assert "Bộ tiêu chí qd1980-2016 (Quyết định 1980/QĐ-TTg) không có tiêu chí 20" in html
    html = department(admin, world).content.decode()
    assert "ít nhất một tiêu chí" in html


def test_a_role_must_match_the_level_of_its_unit(admin, world):
    html = create(admin, role="commune", unit="105").content.decode()
    assert "Không tìm thấy đơn vị “105” phù hợp với vai trò “Ban quản lý xã”" in html


def test_an_administrator_has_no_unit(admin, world):
    create(admin, role="admin", unit="")
    assert User.objects.get(username="xa.moi").membership.unit is None


def test_a_taken_user_name_is_refused(admin, world):
    html = create(admin, username="u.commune").content.decode()
    assert "đã có người dùng" in html


def test_mismatched_passwords_are_refused(admin, world):
    html = create(admin, password2="khac").content.decode()
    assert "Hai mật khẩu không khớp" in html
    assert not User.objects.filter(username="xa.moi").exists()


def test_the_administrator_changes_a_role_and_scope(admin, world):
    target = world.users["commune"]
    response = admin.post(
        f"/nguoi-dung/{target}/",
        {"role": "district", "unit": "105", "name": "", "email": "", "criteria": ""},
    )
    assert response.status_code == 302
    m = Membership.objects.get(user_id=target)
    assert (m.role, m.unit_id) == ("district", world.units["district"])
    event = AuditEvent.objects.get(action="user.update", object_id=str(target))
    assert event.before["role"] == "commune" and event.after["role"] == "district"


def test_saving_without_changes_writes_no_audit_row(admin, world):
    target = world.users["commune"]
    admin.post(
        f"/nguoi-dung/{target}/",
        {"role": "commune", "unit": "03409", "name": "", "email": "", "criteria": ""},
    )
    assert not AuditEvent.objects.filter(action="user.update").exists()


def test_the_edit_page_shows_the_current_scope(admin, world):
    html = admin.get(f"/nguoi-dung/{world.users['department']}/").content.decode()
    assert 'value="12"' in html
    assert 'name="criteria_qd1980-2016" value="2"' in html
    assert 'name="criteria_qd51-2025" value=' not in html  # the bare ["2"]: not QĐ 51
    assert f'name="unit_id" value="{world.units["province"]}"' in html


def test_the_administrator_sets_a_new_password_which_also_unlocks(admin, world, client):
    target = User.objects.get(pk=world.users["commune"])
    throttle(target.username)
    response = admin.post(
        f"/nguoi-dung/{target.pk}/mat-khau/", {"password1": "dat-lai-1", "password2": "dat-lai-1"}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("dat-lai-1")
    assert not FailedLogin.objects.filter(username=target.username).exists()
    event = AuditEvent.objects.get(action="user.password", object_id=str(target.pk))
    assert event.actor.username == "u.admin" and "dat-lai-1" not in str(event.after)


def test_setting_a_password_needs_it_twice(admin, world):
    target = world.users["commune"]
    html = admin.post(
        f"/nguoi-dung/{target}/mat-khau/", {"password1": "a-1", "password2": "b-2"}
    ).content.decode()
    assert "Hai mật khẩu không khớp" in html


def test_the_administrator_deactivates_and_reactivates_a_user(admin, world):
    target = world.users["commune"]
    admin.post(f"/nguoi-dung/{target}/trang-thai/", {"active": "0"})
    assert not User.objects.get(pk=target).is_active
    assert AuditEvent.objects.filter(action="user.deactivate", object_id=str(target)).exists()
    admin.post(f"/nguoi-dung/{target}/trang-thai/", {"active": "1"})
    assert User.objects.get(pk=target).is_active
    assert AuditEvent.objects.filter(action="user.activate", object_id=str(target)).exists()


def test_the_administrator_cannot_deactivate_themselves(admin, world):
    response = admin.post(
        f"/nguoi-dung/{world.users['admin']}/trang-thai/", {"active": "0"}, follow=True
    )
    assert "không thể tự khóa" in response.content.decode()
    assert User.objects.get(pk=world.users["admin"]).is_active


def test_the_administrator_cannot_change_their_own_role(admin, world):
    html = admin.post(
        f"/nguoi-dung/{world.users['admin']}/",
        {
            "role": "province",
            "unit": "12",
            "unit_id": str(world.units["province"]),
            "name": "",
            "email": "",
            "criteria": "",
        },
    ).content.decode()
    assert "không thể tự đổi vai trò" in html
    assert Membership.objects.get(user_id=world.users["admin"]).role == Role.ADMIN


def test_the_administrator_unlocks_a_locked_user(admin, world):
    target = User.objects.get(pk=world.users["commune"])
    throttle(target.username)
    assert "có máy bị chặn đến" in admin.get("/nguoi-dung/").content.decode()
    assert "chủ tài khoản vẫn đăng nhập" in admin.get(f"/nguoi-dung/{target.pk}/").content.decode()
    admin.post(f"/nguoi-dung/{target.pk}/mo-khoa/")
    assert not FailedLogin.objects.filter(username=target.username).exists()
    assert AuditEvent.objects.filter(action="user.unlock", object_id=str(target.pk)).exists()


def test_an_unknown_user_is_404(admin, world):
    assert admin.get("/nguoi-dung/999999/").status_code == 404


def test_a_province_is_not_a_unit_a_commune_board_can_have(world):
    from ntm.accounts.services import AccountError, scope_clean

    with pytest.raises(AccountError, match="Tỉnh Lai Châu là cấp tỉnh"):
        scope_clean(role="commune", unit=Unit.objects.get(pk=world.units["province"]), criteria="")


def test_a_user_name_longer_than_the_column_is_refused_not_stored(admin, world):
    """PostgreSQL refuses to store 151 characters in the 150-character column: the form must
    say so first (this was a server error there)."""
    response = create(admin, username="x" * 200)
    assert response.status_code == 200 and "150" in response.content.decode()
    assert not User.objects.filter(username__startswith="xxxx").exists()


def test_logging_in_with_a_very_long_name_is_an_answer_not_an_error(client, world):
    response = client.post("/dang-nhap/", {"username": "y" * 5000, "password": "x"})
    assert response.status_code == 200
