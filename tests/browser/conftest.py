"""Browser tests: Playwright (Python) driving Debian's Chromium, never a downloaded browser.

The Chromium binary comes from `apt-get install chromium` (.ci/run installs it). Without it the
browser tests are skipped locally with a message; CI always has it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

CHROMIUM = os.environ.get("NTM_CHROMIUM", "/usr/bin/chromium")
# Chromium flags for a closed network: no background calls home, no sandbox as root.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Playwright's sync API runs an event loop in this thread; Django's ORM calls in the test
# body are still plain synchronous calls, so the async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium() -> Iterator[object]:
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        pytest.skip("Chromium của Debian chưa được cài (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: object) -> Iterator[object]:
    context = chromium.new_context(locale="vi-VN", viewport={"width": 1200, "height": 900})  # type: ignore[attr-defined]
    yield from _checked_page(context)


@pytest.fixture
def phone(chromium: object) -> Iterator[object]:
    context = chromium.new_context(
        locale="vi-VN", viewport={"width": 375, "height": 740}, is_mobile=True
    )  # type: ignore[attr-defined]
    yield from _checked_page(context)


REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  console.error(`Content Security Policy violation: ${e.violatedDirective} blocked ` +
    `${e.blockedURI || "inline"} in ${e.sourceFile || e.documentURI}:${e.lineNumber}`);
});
"""


def _checked_page(context: object) -> Iterator[object]:
    """A page of the context; at the end of the test, no Content-Security-Policy violation
    may have been reported (Chromium reports each one in the console): every script and
    style of every page visited is a static file the policy allows."""
    # Chromium's own console line for a violation does not reach Playwright: the page's
    # securitypolicyviolation event, listened to before any of the page's code runs, does.
    context.add_init_script(REPORT_VIOLATIONS)  # type: ignore[attr-defined]
    page = context.new_page()  # type: ignore[attr-defined]
    page.set_default_timeout(10_000)
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    yield page
    context.close()  # type: ignore[attr-defined]
    assert violations == [], "\n".join(violations)
