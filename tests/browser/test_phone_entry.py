"""A commune officer on a phone: the form fits the screen and survives a dropped connection."""

import pytest
from playwright.sync_api import expect

from ntm.demo.services import demo_load
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)


def demo_commune_logged_in(phone, live_server) -> Unit:
    """The demo loaded, and Dào San's board logged in on the phone; returns the commune."""
    demo_load()
    commune = Unit.objects.get(level="commune", code="03571", valid_from__isnull=True)
    phone.goto(f"{live_server.url}/dang-nhap/")
    phone.fill("input[name=username]", "xa.daosan")
    phone.fill("input[name=password]", "demo-commune-03571")
    phone.locator("main button[type=submit]").click()
    expect(phone.locator("header")).to_contain_text("xa.daosan")
    return commune


def test_the_entry_form_fits_a_phone_and_keeps_a_draft_across_a_reload(phone, live_server):
    commune = demo_commune_logged_in(phone, live_server)

    phone.goto(f"{live_server.url}/xa/{commune.id}/2018/nhap/")
    overflow = phone.evaluate(
        "document.scrollingElement.scrollWidth - document.scrollingElement.clientWidth"
    )
    assert overflow <= 1  # no horizontal scrolling of the form
    # Under the Content-Security-Policy (style-src 'self') htmx must not add its inline
    # indicator styles: the page's htmx-config turns them off, ntm.css has them.
    phone.wait_for_function("window.htmx !== undefined")
    assert phone.evaluate("htmx.config.includeIndicatorStyles") is False
    assert phone.evaluate("document.querySelectorAll('style, [style]').length") == 0

    field = phone.locator("input[name='val-14.2']")
    field.fill("55,5")
    field.dispatch_event("input")
    phone.wait_for_timeout(300)  # the draft is written on input
    phone.reload()  # the connection dropped before saving
    expect(phone.locator("input[name='val-14.2']")).to_have_value("55,5")
    expect(phone.locator("#draft-notice")).to_be_visible()


def no_sideways_scroll(page) -> bool:
    return page.evaluate(
        "document.scrollingElement.scrollWidth <= document.documentElement.clientWidth"
    )


def test_a_phone_shows_the_communes_verdict_on_the_first_screen(phone, live_server):
    commune = demo_commune_logged_in(phone, live_server)

    phone.goto(f"{live_server.url}/xa/{commune.id}/2018/")
    verdict = phone.locator("#verdict")
    expect(verdict).to_be_visible()
    assert verdict.bounding_box()["y"] < 740 - verdict.bounding_box()["height"]
    assert no_sideways_scroll(phone)  # the header's links and the year links scroll inside
    demo = phone.locator("details.demo")
    assert demo.bounding_box()["height"] < 40  # one line until tapped
    demo.locator("summary").click()
    expect(demo).to_contain_text("Lai Châu")

    phone.goto(f"{live_server.url}/xa/{commune.id}/2018/nhap/?loc=chua-dat")
    assert no_sideways_scroll(phone)
    first = phone.locator("nav.jump li a").first
    target = first.get_attribute("href")
    first.click()
    assert phone.evaluate("location.hash") == target
