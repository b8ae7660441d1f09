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


# Chromium's emulated offline network (set_offline) does not hold for a page controlled by a
# service worker: such a page may still say it is online and its fetches may get through (and
# Playwright's routes do not see them). So, beside set_offline, every document of the test
# reads the network state from a flag the test sets: navigator.onLine is false and the API's
# fetches fail, as on a phone without signal. The page's code is the real one.
NETWORK_CUT = """(() => {
  const cut = () => localStorage.getItem('test-offline') === '1';
  Object.defineProperty(Navigator.prototype, 'onLine', { get: () => !cut(), configurable: true });
  const real = window.fetch.bind(window);
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (cut() && url.includes('/api/')) return Promise.reject(new TypeError('Failed to fetch'));
    return real(input, init);
  };
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (cut()) throw new TypeError('Failed to fetch');
    return submit.call(this);
  };
})();"""


def test_values_saved_offline_are_sent_when_the_connection_returns_and_a_conflict_is_asked(
    phone, live_server
):
    demo_load()
    phone.context.add_init_script(NETWORK_CUT)
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
    phone.evaluate("localStorage.setItem('test-offline', '1')")  # see NETWORK_CUT
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
    phone.evaluate("localStorage.removeItem('test-offline')")
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

    # The pages kept on the phone were this officer's: the login page (a session ended, or
    # another user on the same phone) drops them.
    def kept_pages() -> int:
        return phone.evaluate(
            """async () => {
                const names = (await caches.keys()).filter((n) => n.endsWith('-pages'));
                let count = 0;
                for (const name of names) {
                    const keys = await (await caches.open(name)).keys();
                    count += keys.filter((r) => !r.url.endsWith('/__ntm_owner__')).length;
                }
                return count;
            }"""
        )

    assert kept_pages() > 0
    phone.context.clear_cookies()
    phone.goto(f"{live_server.url}/dang-nhap/")
    phone.wait_for_function(
        """async () => {
            for (const name of (await caches.keys()).filter((n) => n.endsWith('-pages'))) {
                const keys = await (await caches.open(name)).keys();
                if (keys.some((r) => !r.url.endsWith('/__ntm_owner__') && !r.url.includes('/dang-nhap/')))
                    return false;
            }
            return true;
        }"""
    )
    left = phone.evaluate(
        """async () => {
            const out = [];
            for (const name of (await caches.keys()).filter((n) => n.endsWith('-pages'))) {
                for (const r of await (await caches.open(name)).keys()) out.push(r.url);
            }
            return out;
        }"""
    )
    assert not [u for u in left if "/nhap/" in u or "/xa/" in u], left
