"""A commune officer saves the entry form without a connection: the values wait on the phone,
survive a reload, and are sent when the connection returns, never over someone else's change."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ntm.audit.models import AuditEvent
from ntm.demo.services import demo_load
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import values_set
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)

YEAR = 2018


def stored(commune: Unit, code: str) -> float | None:
    row = IndicatorValue.objects.filter(unit=commune, year=YEAR, indicator=code).first()
    return row.value if row else None


def test_values_saved_offline_are_sent_when_the_connection_returns_and_a_conflict_is_asked(
    phone, live_server
):
    demo_load()
    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    phone.goto(f"{live_server.url}/dang-nhap/")
    phone.fill("input[name=username]", "xa.santhang")
    phone.fill("input[name=password]", "demo-commune-03409")
    phone.locator("main button[type=submit]").click()
    expect(phone.locator("header")).to_contain_text("xa.santhang")
    form = f"{live_server.url}/xa/{commune.id}/{YEAR}/nhap/"
    phone.goto(form)
    phone.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15_000)
    phone.reload()  # now through the service worker, which keeps the page
    phone.wait_for_function("window.htmx !== undefined")
    codes = phone.eval_on_selector_all(
        "input[inputmode=decimal][name^='val-']", "els => els.map(e => e.name.slice(4))"
    )[:3]
    before = {code: stored(commune, code) for code in codes}

    phone.context.set_offline(True)
    for code, raw in zip(codes, ("41", "42", "43"), strict=True):
        phone.fill(f"input[name='val-{code}']", raw)
    phone.locator("button[type=submit][form=entry-form]").click()
    queue = phone.locator("#offline-queue")
    expect(queue).to_contain_text("Không có mạng — 3 giá trị chờ gửi")
    expect(phone.locator(".ind.queued")).to_have_count(3)

    phone.reload()  # still offline: the page and its files come from the service worker
    expect(queue).to_contain_text("Không có mạng — 3 giá trị chờ gửi")
    expect(phone.locator(f"input[name='val-{codes[1]}']")).to_have_value("42")
    expect(phone.locator(".ind.queued")).to_have_count(3)
    assert {code: stored(commune, code) for code in codes} == before

    # Meanwhile the district office corrects the first value.
    values_set(
        unit=commune,
        year=YEAR,
        values={codes[0]: 77.0},
        author=get_user_model().objects.get(username="quantri"),
    )
    phone.context.set_offline(False)
    # Chromium's emulated network does not always tell a page loaded offline that it is back
    # online; a phone does, with this event (offline.js also retries on its own).
    phone.evaluate("window.dispatchEvent(new Event('online'))")
    conflict = queue.locator(".offline-conflicts li")
    expect(conflict).to_contain_text(f"Chỉ tiêu {codes[0]}: bạn nhập 41")
    expect(conflict).to_contain_text("đã lưu 77")
    expect(conflict).to_contain_text("quantri")
    assert stored(commune, codes[0]) == 77.0  # all or nothing: nothing was written
    assert stored(commune, codes[1]) == before[codes[1]]

    conflict.locator("[data-choice=theirs]").click()
    expect(queue).to_contain_text("Đã gửi 2 giá trị")
    assert [stored(commune, code) for code in codes] == [77.0, 42.0, 43.0]
    audited = AuditEvent.objects.filter(unit=commune, year=YEAR, origin="api")
    assert audited.count() == 2
    expect(phone.locator(".ind.queued")).to_have_count(0)
