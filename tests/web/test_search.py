"""Unit search: accents and case ignored, results within the user's scope, Vietnamese order."""

from __future__ import annotations

import re

import pytest

from ntm.core.values import vietnamese_sort_key
from ntm.units.models import Unit, bare_name

pytestmark = pytest.mark.django_db


def names(html: str) -> list[str]:
    """The unit names of the result table, in order."""
    return re.findall(r"<tr>\s*<td>(?:<a [^>]*>)?([^<]+?)(?:</a>| <span)", html)


def search(client, q: str) -> str:
    return client.get("/tim-don-vi/", {"q": q}).content.decode()


def test_search_ignores_accents_and_case(as_user):
    client = as_user("vanphong.laichau")
    assert "Xã Dào San" in names(search(client, "dao san"))
    assert "Xã Dào San" in names(search(client, "DÀO SAN"))
    assert "Thành phố Lai Châu" in names(search(client, "lai chau"))


def test_the_administrator_finds_units_of_every_period(as_user):
    html = search(as_user("quantri"), "lai chau")
    assert names(html).count("Tỉnh Lai Châu") == 2  # before and after 1/7/2025
    assert html.count('/2026/"') >= 1  # the 2025 province links to its latest year


def test_search_by_code(as_user):
    assert names(search(as_user("vanphong.laichau"), "03409")) == ["Xã San Thàng"]


def test_results_stay_within_the_users_scope(as_user):
    assert names(search(as_user("huyen.tplaichau"), "dao san")) == []
    assert "Không tìm thấy đơn vị nào" in search(as_user("huyen.tplaichau"), "dao san")
    assert names(search(as_user("huyen.tplaichau"), "nam loong")) == ["Xã Nậm Loỏng"]
    assert names(search(as_user("xa.santhang"), "san")) == ["Xã San Thàng"]
    assert names(search(as_user("xa.santhang"), "lai chau")) == []


def test_results_are_in_vietnamese_order(as_user):
    found = names(search(as_user("vanphong.laichau"), "d"))
    assert found == sorted(found, key=lambda n: vietnamese_sort_key(bare_name(n)))
    assert found.index("Xã Dào San") < found.index("Phường Đoàn Kết")


def test_results_link_to_the_unit_page_of_the_latest_year(as_user):
    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    district = commune.parent
    assert f'href="/xa/{commune.id}/2020/"' in search(as_user("vanphong.laichau"), "san thang")
    assert f'href="/don-vi/{district.id}/2020/"' in search(
        as_user("vanphong.laichau"), "thanh pho lai chau"
    )


def test_an_empty_query_shows_only_the_form(as_user):
    html = search(as_user("vanphong.laichau"), "  ")
    assert 'name="q"' in html and names(html) == []


def test_search_needs_a_login(client, demo):
    response = client.get("/tim-don-vi/", {"q": "lai chau"})
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_a_user_without_a_role_finds_nothing(client, demo, office_user):
    client.force_login(office_user)
    assert names(search(client, "lai chau")) == []


def test_search_runs_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(15):
        search(client, "xa")
