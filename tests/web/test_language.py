"""Vietnamese first, English on request: the language switcher, through HTTP.

Only the django_language cookie set by the switcher (POST /i18n/setlang/) changes the
language; the browser's Accept-Language never does. Numbers stay Vietnamese in both languages
(13,43 and 2018, never 13.43 or 2,018): the data is Vietnamese and the entry form reads
numbers the Vietnamese way, so an English page writes them as the Vietnamese one does.
"""

from __future__ import annotations

import gettext as gnu_gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

PO_FILE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def san_thang() -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def choose(client, language: str) -> None:
    response = client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture(autouse=True)
def thread_language_restored():
    """Whatever a test does, later tests start from the default (Vietnamese) language."""
    yield
    translation.deactivate()


# --- Vietnamese first ----------------------------------------------------------------------


def test_vietnamese_is_the_default_even_for_an_english_browser(client, laichau):
    response = client.get("/dang-nhap/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    html = response.content.decode()
    assert response["Content-Language"] == "vi"
    assert '<html lang="vi">' in html
    assert "Tên đăng nhập" in html and "Mật khẩu" in html
    assert "Username" not in html and "Password" not in html


def test_an_unknown_language_in_the_cookie_falls_back_to_vietnamese(client, laichau):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    html = page(client, "/dang-nhap/")
    assert '<html lang="vi">' in html and "Tên đăng nhập" in html


# --- English on request --------------------------------------------------------------------


def test_the_login_page_in_english(client, laichau):
    choose(client, "en")
    response = client.get("/dang-nhap/")
    html = response.content.decode()
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    assert ">Username</label>" in html and ">Password</label>" in html
    assert "Forgot your password?" in html
    assert "Tên đăng nhập" not in html


def test_a_failed_login_says_why_in_english(client, laichau):
    choose(client, "en")
    html = client.post("/dang-nhap/", {"username": "ai-do", "password": "sai"}).content.decode()
    assert "Wrong username or password." in html
    assert "attempts left from this computer before a 15-minute wait" in html


def test_the_province_page_in_english_keeps_vietnamese_numbers(client, as_user):
    client = as_user("vanphong.laichau")
    choose(client, "en")
    html = page(client, f"/don-vi/{province().id}/2018/")
    assert "Average criteria per commune" in html
    assert "Communes by number of criteria met" in html
    assert ">Home</a>" in html and ">Find a unit</a>" in html  # the header's links
    assert "Demo data:" in html  # the notice on every page
    assert "Bình quân tiêu chí/xã" not in html
    # Vietnamese number format in both languages; a year is never written "2,018".
    shown = re.sub(r'<script id="chart-data".*?</script>', "", html, flags=re.S)  # JSON numbers
    assert "13,43" in shown and "13.43" not in shown
    assert "2018" in shown and "2,018" not in shown
    # Data stays as written: unit names are not translated.
    assert "Huyện Tam Đường" in html


def test_the_entry_form_in_english(client, as_user):
    client = as_user("xa.santhang")
    choose(client, "en")
    html = page(client, f"/xa/{san_thang().id}/2018/nhap/")
    assert "Data entry: " in html
    assert ">Save data</button>" in html
    assert "The commune&#x27;s threshold:" in html or "The commune's threshold:" in html
    assert "Criterion 14. Giáo dục và Đào tạo" in html  # criterion names are data
    assert re.search(r'<option value="1"( selected)?>met</option>', html) and "(empty)" in html
    assert "Lưu số liệu" not in html
    assert "≥ 70%" in html  # thresholds keep their Vietnamese writing


def test_the_live_check_explains_a_bad_number_in_english(client, as_user):
    client = as_user("xa.santhang")
    choose(client, "en")
    url = f"/so-lieu/{san_thang().id}/2018/kiem-tra/"
    html = client.post(url, {"val-14.2": "bảy mươi"}).content.decode()
    assert "Indicator 14.2: “bảy mươi” is not a number (write it like 1.234,5" in html
    assert ">Invalid</span>" in html


def test_the_to_do_page_in_english(client, as_user):
    client = as_user("xa.santhang")
    choose(client, "en")
    html = page(client, "/viec-can-lam/")
    assert "<h1>To do</h1>" in html
    assert "Recognition dossiers waiting for xa.santhang." in html
    assert ">Current stage</th>" in html and ">Status</th>" in html
    assert "Việc cần làm" not in html


def test_switching_back_to_vietnamese_restores_every_page(client, as_user):
    client = as_user("xa.santhang")
    choose(client, "en")
    assert "<h1>To do</h1>" in page(client, "/viec-can-lam/")
    choose(client, "vi")
    todo = page(client, "/viec-can-lam/")
    assert '<html lang="vi">' in todo and "<h1>Việc cần làm</h1>" in todo
    assert "To do" not in todo
    form = page(client, f"/xa/{san_thang().id}/2018/nhap/")
    assert ">Lưu số liệu</button>" in form and "Save data" not in form


def test_an_english_request_leaves_no_english_behind(client, laichau):
    """Code run outside a request (commands, services called directly) stays Vietnamese."""
    choose(client, "en")
    assert "Username" in page(client, "/dang-nhap/")
    assert translation.get_language() == settings.LANGUAGE_CODE
    assert translation.gettext("Tên đăng nhập") == "Tên đăng nhập"


# --- The catalog ---------------------------------------------------------------------------


def po_entries(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file: {"msgid": ..., "msgstr": ..., "flags": ...} and friends.

    A tiny reader for the subset makemessages writes (no polib here on purpose).
    """
    entries: list[dict[str, str]] = []
    current: dict[str, str] = {}
    key = ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if current:
                entries.append(current)
            current, key = {}, ""
        elif line.startswith("#,"):
            current["flags"] = current.get("flags", "") + line[2:]
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            current[key] += _unquote(line)
        else:
            key, _, rest = line.partition(" ")
            current[key] = _unquote(rest)
    return entries


def _unquote(text: str) -> str:
    body = text.strip()[1:-1]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), body)


def translations(entry: dict[str, str]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_every_message_has_an_english_translation():
    entries = po_entries(PO_FILE)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "Language: en" in header["msgstr"]
    assert "fuzzy" not in header.get("flags", "")
    assert len(messages) > 300
    untranslated = [e["msgid"] for e in messages if not all(t.strip() for t in translations(e))]
    assert untranslated == []
    assert [e["msgid"] for e in messages if "fuzzy" in e.get("flags", "")] == []


def test_translations_keep_the_placeholders_of_their_message():
    named = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z]+\}")
    for entry in po_entries(PO_FILE)[1:]:
        expected = sorted(named.findall(entry["msgid"]))
        for text in translations(entry):
            assert sorted(named.findall(text)) == expected, entry["msgid"]


def test_the_compiled_catalog_matches_the_po_file():
    """The .mo next to the .po is committed: it must hold every message of the .po."""
    with MO_FILE.open("rb") as handle:
        catalog = gnu_gettext.GNUTranslations(handle)
    for entry in po_entries(PO_FILE)[1:]:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            assert catalog.ngettext(msgid, entry["msgid_plural"], 2) == entry["msgstr[1]"]
        else:
            assert catalog.gettext(msgid) == entry["msgstr"], msgid
