"""The installable app: its web app manifest and its service worker, both public.

The service worker must be served from the site root to control every page (a script under
/static/ could only control /static/), so a view serves the static file at /sw.js, with the
list of app-shell files in front of it: their URLs come from the static files configuration,
and the cache name changes whenever the worker or that list does, so a new release never
serves an old shell.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_GET

WORKER = Path(__file__).parent / "static" / "web" / "sw.js"
# What the entry form needs to open without a connection; pages are cached as they are opened.
SHELL = (
    "web/ntm.css",
    "web/pwa.js",
    "web/favicon.svg",
    "entry/entry.css",
    "entry/offline.css",
    "entry/draft.js",
    "entry/offline.js",
    "vendor/htmx.min.js",
)


@cache
def _worker_source() -> str:
    shell = [static(path) for path in SHELL]
    code = WORKER.read_text(encoding="utf-8")
    version = hashlib.sha256((code + "".join(shell)).encode()).hexdigest()[:12]
    head = f"var SHELL = {json.dumps(shell)};\nvar CACHE = {json.dumps('ntm-' + version)};\n"
    return head + code


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # the browser checks for a new worker every visit
    return response


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    manifest = {
        "name": gettext("Nông thôn mới"),
        "short_name": gettext("Nông thôn mới"),
        "description": gettext("Nhập và theo dõi số liệu xây dựng nông thôn mới"),
        "lang": "vi",
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#2e7d32",
        "icons": [
            {"src": static("web/icons/ntm-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("web/icons/ntm-512.png"), "sizes": "512x512", "type": "image/png"},
            {"src": static("web/icons/ntm.svg"), "sizes": "any", "type": "image/svg+xml"},
        ],
    }
    return JsonResponse(
        manifest,
        content_type="application/manifest+json",
        json_dumps_params={"ensure_ascii": False},
    )
