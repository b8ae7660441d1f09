"""The pages, through HTTP, as a province office user reads them."""

import pytest

from ntm.accounts.models import Membership, Role
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def browser(client, demo, office_user):
    """The province office: a user whose scope is the 2019 province of Lai Châu."""
    Membership.objects.create(user=office_user, role=Role.PROVINCE, unit=province())
    client.force_login(office_user)
    return client


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def test_pages_need_a_login(demo, client):
    response = client.get(f"/don-vi/{province().id}/2018/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_province_page_shows_the_2018_aggregates_in_vietnamese_format(demo, browser):
    html = browser.get(f"/don-vi/{province().id}/2018/").content.decode()
    assert "13,43" in html
    assert ">29<" in html
    assert "Huyện Tam Đường" in html
    assert "mô phỏng" in html  # the demo says its data is simulated


def test_province_page_runs_a_bounded_number_of_queries(
    demo, browser, django_assert_max_num_queries
):
    # 47 in November 2026, of which the money section (finance/_unit_money.html) takes 6.
    with django_assert_max_num_queries(50):
        browser.get(f"/don-vi/{province().id}/2018/")


def test_district_page_lists_its_communes(demo, browser):
    district = Unit.objects.get(level="district", code="105", valid_from__isnull=True)
    html = browser.get(f"/don-vi/{district.id}/2018/").content.decode()
    assert "San Thàng" in html and "Nậm Loỏng" in html


def test_commune_page_lists_every_criterion_with_thresholds(demo, browser):
    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    html = browser.get(f"/xa/{commune.id}/2018/").content.decode()
    assert "Tiêu chí 19." in html
    assert "14.2" in html and "≥ 70%" in html
    assert "minh họa" in html  # illustrative provincial thresholds are labelled


def test_home_redirects_to_the_latest_year_of_the_province(demo, browser):
    response = browser.get("/")
    assert response.status_code == 302 and response["Location"].endswith("/2026/")


def test_criteria_set_page_marks_unconfirmed_thresholds(demo, browser):
    html = browser.get("/bo-tieu-chi/qd51-2025/").content.decode()
    assert "chưa xác nhận" in html


def test_unknown_criteria_set_is_404(demo, browser):
    assert browser.get("/bo-tieu-chi/khong-co/").status_code == 404
