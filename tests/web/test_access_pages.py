"""Every role on the existing pages, through HTTP, with the demo's accounts.

A unit outside the user's scope answers 404, exactly like a unit that does not exist.
"""

from __future__ import annotations

import pytest

from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def unit(level: str, code: str) -> Unit:
    return Unit.objects.get(level=level, code=code, valid_from__isnull=True)


def province() -> Unit:
    return unit("province", "12")


def district() -> Unit:
    return unit("district", "105")  # Thành phố Lai Châu


def san_thang() -> Unit:
    return unit("commune", "03409")


def dao_san() -> Unit:
    return unit("commune", "03571")  # Huyện Phong Thổ


def nam_loong() -> Unit:
    return unit("commune", "03403")  # same district as San Thàng


def status(client, url: str) -> int:
    return client.get(url).status_code


def province_2026():
    return Unit.objects.get(level="province", code="12", valid_from__isnull=False)


# --- home -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "landing"),
    [
        # The office, its departments and leader keep their province across 1/7/2025: they
        # land on the province of 2026; the district and the 2019 commune end in 2020.
        ("quantri", lambda: f"/don-vi/{province_2026().id}/2026/"),
        ("vanphong.laichau", lambda: f"/don-vi/{province_2026().id}/2026/"),
        ("huyen.tplaichau", lambda: f"/don-vi/{district().id}/2020/"),
        ("xa.santhang", lambda: f"/xa/{san_thang().id}/2020/"),
        ("so.giaothong", lambda: f"/don-vi/{province_2026().id}/2026/"),
        ("lanhdao.laichau", lambda: f"/don-vi/{province_2026().id}/2026/"),
    ],
)
def test_home_sends_each_user_to_their_own_unit_in_the_latest_year(as_user, username, landing):
    response = as_user(username).get("/")
    assert response.status_code == 302 and response["Location"] == landing()


def test_a_user_without_a_role_is_told_so(client, demo, office_user):
    client.force_login(office_user)
    response = client.get("/")
    assert response.status_code == 200
    assert "chưa được phân quyền" in response.content.decode()
    assert status(client, f"/don-vi/{province().id}/2018/") == 404
    assert status(client, f"/xa/{san_thang().id}/2018/") == 404


# --- a commune board --------------------------------------------------------------------------


def test_a_commune_user_reads_their_own_commune(as_user):
    html = as_user("xa.santhang").get(f"/xa/{san_thang().id}/2018/").content.decode()
    assert "Xã San Thàng (03409)" in html and "Tiêu chí 19." in html


@pytest.mark.parametrize("other", [nam_loong, dao_san])
def test_a_commune_user_opening_another_commune_gets_404(as_user, other):
    assert status(as_user("xa.santhang"), f"/xa/{other().id}/2018/") == 404
    assert status(as_user("xa.santhang"), f"/don-vi/{other().id}/2018/") == 404


def test_a_commune_user_cannot_open_the_district_or_province(as_user):
    client = as_user("xa.santhang")
    assert status(client, f"/don-vi/{district().id}/2018/") == 404
    assert status(client, f"/don-vi/{province().id}/2018/") == 404


def test_a_commune_page_links_up_only_when_the_parent_is_in_scope(as_user):
    url = f"/xa/{san_thang().id}/2018/"
    assert f"/don-vi/{district().id}/" not in as_user("xa.santhang").get(url).content.decode()
    assert f"/don-vi/{district().id}/" in as_user("huyen.tplaichau").get(url).content.decode()


def test_the_404_page_is_in_vietnamese_and_reveals_nothing(as_user):
    html = as_user("xa.santhang").get(f"/xa/{dao_san().id}/2018/").content.decode()
    assert "Không tìm thấy trang" in html
    assert "Dào San" not in html


# --- a district -------------------------------------------------------------------------------


def test_a_district_user_sees_only_its_communes(as_user):
    client = as_user("huyen.tplaichau")
    html = client.get(f"/don-vi/{district().id}/2018/").content.decode()
    assert "San Thàng" in html and "Nậm Loỏng" in html
    assert status(client, f"/xa/{nam_loong().id}/2018/") == 200
    assert status(client, f"/xa/{dao_san().id}/2018/") == 404
    assert status(client, f"/don-vi/{province().id}/2018/") == 404
    assert status(client, f"/don-vi/{dao_san().parent_id}/2018/") == 404


# --- departments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "own", "other"),
    [("so.giaothong", "Tiêu chí 2.", "Tiêu chí 15."), ("so.yte", "Tiêu chí 15.", "Tiêu chí 2.")],
)
def test_a_department_sees_only_its_criteria_on_the_commune_page(as_user, username, own, other):
    html = as_user(username).get(f"/xa/{san_thang().id}/2018/").content.decode()
    assert own in html and other not in html
    assert "Tiêu chí 1." not in html and "Tiêu chí 19." not in html
    assert "chỉ xem được các tiêu chí do đơn vị mình phụ trách" in html


def test_a_department_sees_the_aggregates_of_its_province(as_user):
    html = as_user("so.giaothong").get(f"/don-vi/{province().id}/2018/").content.decode()
    assert "13,43" in html and "Huyện Tam Đường" in html


def test_other_roles_see_every_criterion(as_user):
    html = as_user("vanphong.laichau").get(f"/xa/{san_thang().id}/2018/").content.decode()
    assert "Tiêu chí 2." in html and "Tiêu chí 15." in html
    assert "chỉ xem được các tiêu chí" not in html


# --- leader and administrator -----------------------------------------------------------------


@pytest.mark.parametrize("username", ["lanhdao.laichau", "quantri"])
def test_leaders_and_the_administrator_read_everything_in_scope(as_user, username):
    client = as_user(username)
    assert status(client, f"/don-vi/{province().id}/2018/") == 200
    assert status(client, f"/don-vi/{district().id}/2018/") == 200
    assert status(client, f"/xa/{dao_san().id}/2018/") == 200


# --- the header -------------------------------------------------------------------------------

NAV = {
    "quantri": {"home", "search", "todo", "audit", "users", "national", "criteria", "password"},
    "vanphong.laichau": {"home", "search", "todo", "audit", "criteria", "password"},
    "huyen.tplaichau": {"home", "search", "todo", "criteria", "password"},
    "xa.santhang": {"home", "search", "todo", "criteria", "password"},
    "so.giaothong": {"home", "search", "todo", "department", "criteria", "password"},
    "lanhdao.laichau": {"home", "search", "todo", "criteria", "password"},
}
NAV_KEYS = (
    "home",
    "search",
    "todo",
    "department",
    "audit",
    "users",
    "national",
    "criteria",
    "password",
)


@pytest.mark.parametrize("username", sorted(NAV))
def test_the_header_links_only_what_the_user_may_use(as_user, username):
    html = as_user(username).get("/bo-tieu-chi/").content.decode()
    shown = {key for key in NAV_KEYS if f'data-nav="{key}"' in html}
    assert shown == NAV[username]
    assert "Đăng xuất" in html


def test_the_header_of_a_user_without_a_role_has_no_unit_links(client, demo, office_user):
    client.force_login(office_user)
    html = client.get("/").content.decode()
    assert 'data-nav="search"' not in html and 'data-nav="todo"' not in html
    assert 'data-nav="password"' in html


def test_the_language_switcher_posts_to_set_language(as_user):
    client = as_user("xa.santhang")
    html = client.get("/bo-tieu-chi/").content.decode()
    assert 'action="/i18n/setlang/"' in html and 'value="en"' in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/bo-tieu-chi/"})
    assert response.status_code == 302 and response.cookies["django_language"].value == "en"


def test_pages_are_in_vietnamese_by_default(as_user):
    html = as_user("xa.santhang").get("/bo-tieu-chi/").content.decode()
    assert '<html lang="vi">' in html and "Tìm đơn vị" in html
