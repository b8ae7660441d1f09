"""A province office user logs in and reads the demo results in a real browser."""

import pytest
from playwright.sync_api import expect

from ntm.accounts.models import Membership, Role
from ntm.demo.services import demo_load
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def province_user(django_user_model):
    demo_load()
    user = django_user_model.objects.create_user(username="tinh.thu", password="mat-khau-thu-1")
    province = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    Membership.objects.create(user=user, role=Role.PROVINCE, unit=province)
    return user


def login(page, live_server, username, password):
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_province_user_reads_2018_results_and_drills_down_to_a_commune(
    page, live_server, province_user
):
    login(page, live_server, "tinh.thu", "mat-khau-thu-1")
    page.goto(f"{live_server.url}/")
    page.click(".years >> text=2018")
    expect(page.locator(".card", has_text="Bình quân tiêu chí/xã")).to_contain_text("13,43")
    expect(page.locator(".card", has_text="Xã đạt chuẩn")).to_contain_text("29")
    # the vendored ECharts draws both charts under the Content-Security-Policy
    expect(page.locator("[data-chart=dien-bien] canvas")).to_have_count(1)
    expect(page.locator("[data-chart=tieu-chi] canvas")).to_have_count(1)
    # the first visible link: the map's data table (folded) names the communes too
    page.locator("a:visible", has_text="Thành phố Lai Châu").first.click()
    page.locator("a:visible", has_text="Xã San Thàng").first.click()
    expect(page.locator("h1")).to_contain_text("San Thàng")
    expect(page.locator("text=Tiêu chí 19.")).to_have_count(1)
