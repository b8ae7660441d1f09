"""The audit trail page: who changed what, when, from where; filtered and paginated."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ntm.accounts import access
from ntm.web.audit_changes import event_changes
from ntm.web.audit_forms import AuditFilterForm
from ntm.web.audit_selectors import audit_events

PAGE_SIZE = 50


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not access.can_browse_audit(request.user):
        raise PermissionDenied
    form = AuditFilterForm(request.GET)
    filters = form.cleaned_data if form.is_valid() else {}
    events = audit_events(
        user=request.user,
        unit=filters.get("don_vi", ""),
        username=filters.get("nguoi_dung", ""),
        date_from=filters.get("tu_ngay"),
        date_to=filters.get("den_ngay"),
        action=filters.get("hanh_dong", ""),
    )
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("trang"))
    query = request.GET.copy()
    query.pop("trang", None)
    rows = [(event, event_changes(event)) for event in page]
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "audit/list.html", context, status=200 if form.is_valid() else 400)
