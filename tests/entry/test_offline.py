"""The entry form on a phone with a poor connection: a light first load, an installable app."""

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from tests.entry.conftest import form_url

pytestmark = pytest.mark.django_db

BUDGET = 300 * 1024  # bytes over the wire, gzip-compressed, for the form's first load
ASSET = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*rel="stylesheet"[^>]*\shref)="(/[^"]+)"')


def _asset_bytes(client, url: str) -> bytes:
    if url.startswith(settings.STATIC_URL) or url.startswith("/" + settings.STATIC_URL):
        path = url.split(settings.STATIC_URL.strip("/") + "/", 1)[1].split("?")[0]
        found = finders.find(path)
        assert found, url
        with open(found, "rb") as f:
            return f.read()
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content


def test_the_entry_forms_first_load_is_at_most_300_kb_compressed(board, commune):
    response = board.get(form_url(commune))
    assert response.status_code == 200
    html = response.content
    assets = ASSET.findall(html.decode())
    assert any("entry/offline.js" in a for a in assets) and any("htmx" in a for a in assets)
    total = len(gzip.compress(html)) + sum(
        len(gzip.compress(_asset_bytes(board, url))) for url in assets
    )
    assert total <= BUDGET, f"{total} octets nén > {BUDGET}"


def test_the_manifest_names_the_app_in_vietnamese_and_starts_at_home(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Nông thôn mới"
    assert manifest["start_url"] == "/"
    assert {icon["type"] for icon in manifest["icons"]} == {"image/png", "image/svg+xml"}
    for icon in manifest["icons"]:
        assert finders.find(icon["src"].split(settings.STATIC_URL.strip("/") + "/", 1)[1])


def test_the_service_worker_is_served_from_the_root_with_the_app_shell(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    code = response.content.decode()
    assert code.startswith("var SHELL = [")
    assert "entry/offline.js" in code and "vendor/htmx.min.js" in code


def test_every_page_links_the_manifest_and_registers_the_worker(board, commune):
    html = board.get(form_url(commune)).content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert 'data-worker="/sw.js"' in html
    assert 'id="offline-queue"' in html and f'data-unit="{commune.code}"' in html
