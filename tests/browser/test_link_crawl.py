"""No page shows a link its viewer cannot follow, a server error or a raw code (issue 10).

Each demo account, and an anonymous visitor, logs in through the login form in its own browser
context and walks the site breadth-first from the home page the browser shows, following the
links it is shown (header menu included), through that context's session: as the real role.
Each kind of page is opened once (url name, level of its unit, before or after the 2025
reorganisation, criteria set, file or page) rather than every year × unit, so that the walk stays
short. Files are fetched, not opened. A followed link must answer below 400: a 403 or 404 behind
a link the page chose to show is the bug this test is for, and a 5xx is never acceptable.

On every page, the text of <main> may not hold a code meant for the program: levels, roles,
stage codes, criteria-set ids, dossier statuses... (collected from the code's choices, so a new
code is checked without editing this list). Text in <code>/<pre>/<kbd> (a command to type) and
in scripts is not read.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.db import models
from django.urls import Resolver404, ResolverMatch, resolve
from playwright.sync_api import expect

from ntm.accounts.demo import DEMO_ACCOUNTS
from ntm.core.registry import national_sets
from ntm.demo.services import demo_load
from ntm.units.models import Unit
from ntm.workflow.stages import STAGES_DIR

pytestmark = pytest.mark.django_db(transaction=True)

ACCOUNTS = {a.username: a for a in DEMO_ACCOUNTS}
PASSWORDS = {a.username: a.password for a in DEMO_ACCOUNTS}
MAX_PAGES = 80  # pages opened per role; the patterns of the site fit within it
# Not followed: leaving the session, switching language (both are forms, but a link to them
# would only end the walk) and the login page of a logged-in user.
NOT_FOLLOWED = {"logout", "set_language", "login"}
DOWNLOAD = re.compile(r"[?&](dinh-dang|mau)=|\.(xlsx|csv|zip)(\?|$)")
DOWNLOAD_NAMES = {
    "exchange_template",
    "criteria_export",
    "evidence_download",
    "exchange_job_errors",
}
# Vietnamese words without their accents that are also codes: a page may say them.
VIETNAMESE_WORDS = {"ban", "quan", "tinh", "xa", "thon", "huyen", "dat", "khong"}
TEXT_JS = """main => {
  const skip = 'code, pre, kbd, samp, script, style, template, noscript, [hidden]';
  const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.parentElement.closest(skip)) parts.push(node.textContent);
  }
  return parts.join(' ');
}"""
LINKS_JS = "links => links.map(a => [a.href, a.hasAttribute('download')])"


def _choices_values() -> set[str]:
    def subclasses(cls: type) -> Iterator[type]:
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return {
        str(value)
        for cls in subclasses(models.TextChoices)
        if cls.__module__.startswith("ntm.")
        for value in cls.values  # type: ignore[attr-defined]
    }


def raw_codes() -> re.Pattern[str]:
    """Codes of the program that a user should never read: every choice value of the models
    (levels, roles, statuses...), stage codes, criteria-set ids, value types and flags."""
    stage_codes = set(
        re.findall(r"code:\s*(\w+)", "".join(p.read_text() for p in STAGES_DIR.glob("*.yaml")))
    )
    codes = (
        _choices_values()
        | stage_codes
        | set(national_sets())
        | {
            "bool",
            "True",
            "False",
            "None",
            "text_verified",
            "code_verified",
            "nang_cao",
        }
    )
    codes = {c for c in codes if len(c) > 2 and not c.isdigit() and c not in VIETNAMESE_WORDS}
    alternatives = "|".join(re.escape(c) for c in sorted(codes, key=len, reverse=True))
    # A code is a whole word: "province" but not "provincial"; "qd51-2025" but not in a path.
    return re.compile(rf"(?<![\w/.-])(?:{alternatives}|mức ntm)(?![\w/-]|\.\w)")


def pattern_key(path: str, levels: dict[int, str]) -> tuple[object, ...]:
    """Which kind of page a link leads to: its url name, the level of its unit, its structure
    (before or after the reorganisation of 2025), its criteria set, and whether it is a file.
    Filters and sorting (?nhom=, ?sap-xep=) change the rows, not the links or the words."""
    parts = urlsplit(path)
    match = _resolved(parts.path)
    if match is None:
        return (parts.path,)
    if is_download(path, marked=False):
        return (match.view_name, "file")  # a file of each kind once: they are slow to build
    kwargs = match.kwargs
    year = kwargs.get("year")
    period = None if year is None else year > 2025
    cset = national_sets().get(kwargs.get("set_id", ""))
    return (
        match.view_name,
        levels.get(kwargs.get("unit_id", 0)),
        period,
        # The sets' pages differ by what a set judges and how it sorts communes (regions or
        # groups); a shipped set of each kind stands for the others, an imported one for itself.
        (cset.level, cset.classification) if cset else kwargs.get("set_id"),
    )


def login(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/dang-nhap/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORDS[username])
    page.locator("main button[type=submit]").click()
    expect(page.locator("header")).to_contain_text(username)


@cache
def _resolved(path: str) -> ResolverMatch | None:
    try:
        return resolve(path)
    except Resolver404:
        return None


def link_name(path: str) -> str | None:
    match = _resolved(urlsplit(path).path)
    return match.url_name if match else None


def is_download(path: str, *, marked: bool) -> bool:
    """A file, not a page: fetched with the user's cookies, never opened in the tab."""
    return marked or bool(DOWNLOAD.search(path)) or link_name(path) in DOWNLOAD_NAMES


class PageReader(HTMLParser):
    """The links of a page (href, marked as a download) and the text of its <main> that a
    reader sees: not scripts, styles, templates, hidden elements, nor code to type."""

    SKIPPED = {"code", "pre", "kbd", "samp", "script", "style", "template", "noscript"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[str, bool]] = []
        self.text: list[str] = []
        self.open: list[tuple[str, bool]] = []  # (tag, skipped) of the elements we are in

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.links.append((str(found["href"]), "download" in found))
        if tag in self.VOID:
            return
        self.open.append((tag, tag in self.SKIPPED or "hidden" in found))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            if self.open.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        tags = [t for t, _ in self.open]
        if "main" in tags and not any(skipped for _, skipped in self.open):
            self.text.append(data)


def crawl(page, live_server, codes: re.Pattern[str], levels: dict[int, str]) -> list[str]:
    """Walk the site as the page's user, from the page the browser shows now (its home).

    The pages behind the links are fetched through the browser context's own session
    (page.request: its cookies, so as the logged-in role) and read as HTML, not rendered: a
    rendered walk of some 400 pages would take minutes. The problems found, one line each.
    """
    origin = live_server.url
    problems: list[str] = []
    home = page.url.removeprefix(origin)
    queue: deque[tuple[str, bool, str]] = deque()
    seen: set[tuple[object, ...]] = {pattern_key(home, levels)}
    looked_at: set[str] = set()  # links already sorted: the menu is on every page

    def follow(links: list[tuple[str, bool]], here: str) -> None:
        for href, marked in links:
            target = urljoin(f"{origin}{here}", href)
            if not target.startswith(f"{origin}/"):
                continue
            target = target.removeprefix(origin).split("#")[0]
            if target in looked_at:
                continue
            looked_at.add(target)
            if link_name(target) in NOT_FOLLOWED:
                continue
            key = pattern_key(target, levels)
            if key not in seen:
                seen.add(key)
                queue.append((target, is_download(target, marked=marked), here))

    follow(page.locator("a[href]").evaluate_all(LINKS_JS), home)
    found = sorted(set(codes.findall(page.locator("main").evaluate(TEXT_JS))))
    if found:  # the home page as rendered: its visible text
        problems.append(f"raw codes {found} on {home}")
    opened = 1
    while queue and opened < MAX_PAGES:
        path, download, source = queue.popleft()
        response = page.request.get(f"{origin}{path}", max_redirects=0 if download else 5)
        if response.status >= 400:
            kind = "download " if download else ""
            problems.append(f"{response.status} {kind}{path} (linked from {source})")
            continue
        if download or "html" not in response.headers.get("content-type", ""):
            continue
        opened += 1
        here = response.url.removeprefix(origin)
        reader = PageReader()
        reader.feed(response.text())
        found = sorted(set(codes.findall(" ".join(reader.text))))
        if found:
            problems.append(f"raw codes {found} on {here}")
        follow(reader.links, here)
    if queue:  # every kind of page is walked, or the bound is too low for the site now
        problems.append(f"stopped after {MAX_PAGES} pages; not walked: {[p for p, *_ in queue]}")
    return problems


@pytest.fixture
def demo() -> None:
    demo_load()


def test_no_page_shows_a_link_its_viewer_cannot_follow(chromium, live_server, demo, subtests):
    codes = raw_codes()
    levels = dict(Unit.objects.values_list("id", "level"))
    for username in [None, *PASSWORDS]:
        with subtests.test(username or "anonymous"):
            context = chromium.new_context(locale="vi-VN", viewport={"width": 1200, "height": 900})
            page = context.new_page()
            page.set_default_timeout(10_000)
            try:
                if username:
                    login(page, live_server, username)
                    if ACCOUNTS[username].unit_code:  # money and programmes of its own unit
                        menu = page.locator("header nav")
                        expect(menu.locator("[data-nav=finance]")).to_have_count(1)
                        expect(menu.locator("[data-nav=programs]")).to_have_count(1)
                else:
                    page.goto(f"{live_server.url}/")
                problems = crawl(page, live_server, codes, levels)
            finally:
                context.close()
            assert not problems, f"{username or 'anonymous'}:\n" + "\n".join(problems)
