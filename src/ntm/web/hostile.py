"""Text no office ever types is refused at the door, before any view or database sees it.

A NUL character (U+0000) in the address, a query parameter or a form field is refused with
"400" and a Vietnamese page: PostgreSQL cannot store it in text at all (every such request
was a server error there) and SQLite would store it silently, so one rule here closes the
whole kind for every view, present and future. Uploaded files are not form fields: their
contents are checked by the readers that open them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

NUL = "\x00"


def _has_nul(pairs: Iterable[tuple[str, list[str]]]) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in pairs)


def request_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    if _has_nul(request.GET.lists()):
        return True
    return request.method == "POST" and _has_nul(request.POST.lists())


class RefuseNulMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            return render(request, "400.html", status=400)
        return self.get_response(request)
