"""Every demo role in 2018 and in 2026, through the real pages (issue 13).

2018: 96 communes in 8 districts under QĐ 1980/2016. 2026: the structure of 1/7/2025 (province >
36 xã and 2 phường, no district) under QĐ 51/2025. The province's accounts keep their province
across the change; a district ends on 30/6/2025; a commune board keeps its own 2019 commune; a
department sees only its criteria of each set; the leader only reads.

The demo is loaded once (it is the slow part) and each role is a subtest, so that one role's
failure does not hide another's.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import expect

from ntm.accounts.demo import DEMO_ACCOUNTS
from ntm.demo.services import demo_load
from ntm.units.models import Unit, UnitEventLink

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}
REORGANISED = dt.date(2025, 7, 1)
CRITERION = re.compile(r"^Tiêu chí \d+\. ")
# Anything that leads to entering or changing figures: the entry form, the file import.
EDIT_LINKS = "main a[href$='/nhap/'], main a[href='/nhap-tep/']"
OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
      if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0 || r.right <= width + 1 || clipped(el)) continue;
    out.push(`${el.parentElement.tagName.toLowerCase()}.${el.parentElement.className} > ${el.tagName.toLowerCase()}.${el.className} "${(el.textContent || '').trim().slice(0, 40)}" right=${Math.round(r.right)}`);
  }
  const s = document.scrollingElement;
  return {page: s.scrollWidth - s.clientWidth, width, out};
}"""


def login(page, live_server, username: str) -> None:
    """Through the login form, as a fresh visitor; lands on the user's home page."""
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.locator("main button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(username)


def year_link(page, year: int):
    """The page's own year switch (a commune page has a second one, before the merger)."""
    return page.locator("main > .years").get_by_role("link", name=str(year), exact=True)


def card(page, label: str):
    return page.locator(".card", has_text=re.compile(rf"^\s*{re.escape(label)}"))


def detail_table(page):
    """The table of a unit page that lists the units under it (the other one counts them)."""
    return page.locator("main table", has=page.locator("th", has_text="Đơn vị"))


def criteria_headers(page):
    return page.locator("main table th", has_text=CRITERION)


def path(page, live_server) -> str:
    return page.url.removeprefix(live_server.url)


def refused(page, live_server, url: str) -> None:
    """A 404 page saying the unit is not there (for this user or this year): neither a server
    error, nor data, nor a link to a unit outside the user's scope."""
    response = page.goto(f"{live_server.url}{url}")
    assert response is not None
    assert response.status == 404, f"{url}: {response.status}"
    expect(page.locator("main")).to_contain_text(re.compile("Không tìm thấy|không có trong"))
    expect(page.locator(".card")).to_have_count(0)
    expect(page.locator("main a").filter(has_not_text="Về trang chủ")).to_have_count(0)


def overflow(page) -> str | None:
    """What sticks out sideways (outside the scroll containers), or None when the page fits."""
    found = page.evaluate(OVERFLOW_JS)
    if found["page"] <= 1 and not found["out"]:
        return None
    return (
        f"{page.url}: the page scrolls sideways by {found['page']} px;"
        f" wider than {found['width']} px: {found['out'][:6]}"
    )


@pytest.fixture
def demo() -> None:
    demo_load()


@pytest.fixture
def narrow(chromium) -> Iterator[object]:
    context = chromium.new_context(
        locale="vi-VN", viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_each_demo_role_in_2018_and_2026(page, narrow, live_server, demo, subtests):
    province_2019 = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    province_2025 = Unit.objects.get(level="province", code="12", valid_from=REORGANISED)
    district = Unit.objects.get(level="district", code="105", valid_from__isnull=True)
    san_thang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    successor = Unit.objects.get(
        event_links__role=UnitEventLink.Role.SUCCESSOR,
        event_links__event__links__unit=san_thang,
        event_links__event__links__role=UnitEventLink.Role.PREDECESSOR,
    )
    province_2018 = f"/don-vi/{province_2019.id}/2018/"
    province_2026 = f"/don-vi/{province_2025.id}/2026/"

    with subtests.test("province office: 2018 by district, 2026 by commune under QĐ 51/2025"):
        login(page, live_server, "vanphong.laichau")
        assert path(page, live_server) == province_2026  # home: the latest year, its row
        year_link(page, 2018).click()
        assert path(page, live_server) == province_2018  # back to the 2019 row
        expect(page.locator("h1")).to_contain_text("Tỉnh Lai Châu — năm 2018")
        expect(card(page, "Số xã")).to_contain_text("96")
        expect(card(page, "Bình quân tiêu chí/xã")).to_contain_text("13,43")
        expect(card(page, "Xã đạt chuẩn")).to_contain_text("29")
        expect(page.locator("main")).to_contain_text("QĐ 1980/QĐ-TTg")
        districts = detail_table(page).locator("a")
        expect(districts).to_have_count(8)
        for href in districts.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert re.fullmatch(r"/don-vi/\d+/2018/", href), href
        expect(districts.filter(has_text="Thành phố Lai Châu")).to_have_count(1)
        expect(districts.filter(has_text="Huyện")).to_have_count(7)

        year_link(page, 2026).click()
        assert path(page, live_server) == province_2026  # the 2025-structure province row
        expect(page.locator("h1")).to_contain_text("Tỉnh Lai Châu — năm 2026")
        expect(page.get_by_role("link", name="QĐ 51/2025/QĐ-TTg")).to_be_visible()
        expect(card(page, "Số xã")).to_contain_text("32")
        rows = detail_table(page).locator("a")
        expect(rows).to_have_count(32)
        for href in rows.evaluate_all("links => links.map(a => a.getAttribute('href'))"):
            assert re.fullmatch(r"/xa/\d+/2026/", href), f"not a commune: {href}"
        expect(detail_table(page)).not_to_contain_text("Huyện")
        expect(page.locator("main")).not_to_contain_text("Phường")  # wards are not in it
        expect(page.locator("main h2", has_text="4 xã chưa được đánh giá")).to_be_visible()
        unjudged = page.locator("main h2:has-text('chưa được đánh giá') + ul > li")
        expect(unjudged).to_have_count(4)
        for item in unjudged.all():
            expect(item).to_contain_text(
                "chưa được xác định nhóm theo bộ tiêu chí QĐ 51/2025/QĐ-TTg"
            )

        rows.filter(has_text="Xã Dào San").click()
        expect(page.locator("h1")).to_contain_text("Xã Dào San (03571) — năm 2026")
        expect(page.locator("main")).to_contain_text("51/2025/QĐ-TTg")
        expect(page.locator("main")).to_contain_text("nhóm 3")
        expect(card(page, "Tiêu chí đạt")).to_contain_text("/10")
        expect(criteria_headers(page)).to_have_count(10)
        expect(page.locator("main")).not_to_contain_text("Bạn chỉ xem được")

        # San Thàng (2019 list) in 2026: not there, and the office is pointed to its successor.
        response = page.goto(f"{live_server.url}/xa/{san_thang.id}/2026/")
        assert response is not None and response.status == 404
        expect(page.locator("main")).to_contain_text("Xã San Thàng không có trong danh mục")
        page.locator("main ul a", has_text=successor.name).click()
        assert path(page, live_server) == f"/xa/{successor.id}/2026/"

    with subtests.test("province office: a 2026 commune listed as not evaluated"):
        login(page, live_server, "vanphong.laichau")
        page.locator("main h2:has-text('chưa được đánh giá') + ul a").first.click()
        expect(page.locator("h1")).to_contain_text("— năm 2026")
        expect(page.locator("main")).to_contain_text("Chưa đánh giá được xã này")
        expect(page.locator(".card")).to_have_count(0)  # no verdict, not a failing one
        # Its communes before the merger, re-scored: a section of the page, not of its title.
        expect(page.locator("main #truoc-sap-nhap")).to_be_visible()
        assert "Trước sáp nhập" not in page.title(), page.title()

    with subtests.test("390 px wide: nothing but the tables scrolls sideways"):
        login(narrow, live_server, "vanphong.laichau")
        problems = [overflow(narrow)]  # the 2026 province page
        detail_table(narrow).locator("a", has_text="Xã Dào San").click()
        expect(narrow.locator("h1")).to_contain_text("Dào San")
        problems.append(overflow(narrow))  # a 2026 commune, with its communes before the merger
        narrow.goto(f"{live_server.url}{province_2018}")
        expect(narrow.locator("h1")).to_contain_text("năm 2018")
        problems.append(overflow(narrow))
        problems = [p for p in problems if p]
        assert not problems, "\n".join(problems)

    with subtests.test("district: its 2 communes in 2018; no 2026 (no districts then)"):
        login(page, live_server, "huyen.tplaichau")
        assert path(page, live_server) == f"/don-vi/{district.id}/2020/"  # its last year
        expect(year_link(page, 2026)).to_have_count(0)
        year_link(page, 2018).click()
        expect(page.locator("h1")).to_contain_text("Thành phố Lai Châu — năm 2018")
        expect(card(page, "Số xã")).to_have_text(re.compile(r"^\s*Số xã\s*2\s*$"))
        communes = detail_table(page).locator("a")
        expect(communes).to_have_count(2)
        expect(communes.filter(has_text="Xã San Thàng")).to_have_count(1)
        expect(communes.filter(has_text="Xã Nậm Loỏng")).to_have_count(1)
        expect(page.locator("main a", has_text="Tỉnh Lai Châu")).to_have_count(0)
        communes.filter(has_text="Xã San Thàng").click()
        expect(page.locator("h1")).to_contain_text("Xã San Thàng (03409) — năm 2018")
        refused(page, live_server, f"/don-vi/{district.id}/2026/")
        refused(page, live_server, province_2026)  # not the province's 2026 data either
        refused(page, live_server, province_2018)

    with subtests.test("commune: its 2018 page and entry form; not its successor's 2026 page"):
        login(page, live_server, "xa.santhang")
        assert path(page, live_server) == f"/xa/{san_thang.id}/2020/"
        expect(year_link(page, 2026)).to_have_count(0)
        year_link(page, 2018).click()
        expect(page.locator("h1")).to_contain_text("Xã San Thàng (03409) — năm 2018")
        expect(card(page, "Tiêu chí đạt")).to_contain_text("/19")
        expect(criteria_headers(page)).to_have_count(19)
        page.locator("main a", has_text="Nhập số liệu").first.click()
        assert path(page, live_server) == f"/xa/{san_thang.id}/2018/nhap/"
        expect(page.locator("input[name='val-14.2']")).to_be_visible()
        refused(page, live_server, f"/xa/{san_thang.id}/2026/")
        refused(page, live_server, f"/xa/{successor.id}/2026/")  # Phường Tân Phong, 1/7/2025
        refused(page, live_server, f"/don-vi/{successor.id}/2026/")
        refused(page, live_server, province_2026)

    with subtests.test("transport department: criterion 2 of each period's set, only it"):
        login(page, live_server, "so.giaothong")
        assert path(page, live_server) == province_2026
        year_link(page, 2018).click()
        detail_table(page).locator("a", has_text="Thành phố Lai Châu").click()
        detail_table(page).locator("a", has_text="Xã San Thàng").click()
        expect(page.locator("h1")).to_contain_text("Xã San Thàng (03409) — năm 2018")
        expect(page.locator("main [role=note]")).to_contain_text(
            "Bạn chỉ xem được các tiêu chí do đơn vị mình phụ trách."
        )
        expect(criteria_headers(page)).to_have_count(1)
        expect(criteria_headers(page)).to_contain_text("Tiêu chí 2. Giao thông")

        page.locator("header a", has_text="Trang chủ").click()  # the 2026 province page
        detail_table(page).locator("a", has_text="Xã Dào San").click()
        expect(page.locator("h1")).to_contain_text("Xã Dào San (03571) — năm 2026")
        expect(page.locator("main [role=note]").first).to_contain_text(
            "Bạn chỉ xem được các tiêu chí do đơn vị mình phụ trách."
        )
        expect(criteria_headers(page)).to_have_count(1)
        expect(criteria_headers(page)).to_contain_text("Tiêu chí 2. Hạ tầng kinh tế - xã hội")

    with subtests.test("leader: both periods, read only"):
        login(page, live_server, "lanhdao.laichau")
        offered: dict[str, list[str]] = {}

        def edit_links() -> None:
            links = page.locator(EDIT_LINKS)
            hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
            if hrefs:
                offered[path(page, live_server)] = hrefs

        assert path(page, live_server) == province_2026
        expect(card(page, "Số xã")).to_contain_text("32")
        edit_links()
        detail_table(page).locator("a", has_text="Xã Dào San").click()
        expect(criteria_headers(page)).to_have_count(10)
        edit_links()
        page.goto(f"{live_server.url}{province_2026}")
        year_link(page, 2018).click()
        assert path(page, live_server) == province_2018
        expect(card(page, "Bình quân tiêu chí/xã")).to_contain_text("13,43")
        expect(card(page, "Xã đạt chuẩn")).to_contain_text("29")
        edit_links()
        detail_table(page).locator("a", has_text="Thành phố Lai Châu").click()
        detail_table(page).locator("a", has_text="Xã San Thàng").click()
        expect(criteria_headers(page)).to_have_count(19)
        edit_links()
        # Each would end on "Bạn không có quyền" for the leader: show where they lead.
        status = {
            href: page.request.get(f"{live_server.url}{href}").status
            for hrefs in offered.values()
            for href in hrefs
        }
        assert not offered, f"entry/import links shown to the leader: {offered}; status {status}"
