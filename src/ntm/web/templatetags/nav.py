"""The header's links: only those the user may follow, decided by the access module."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from ntm.accounts import access
from ntm.accounts.models import Role

register = template.Library()

# Pages built in other apps, linked by path so the header does not depend on their url names.
TASKS_PAGE_PATH = "/viec-can-lam/"
AUDIT_PATH = "/nhat-ky/"


@dataclass(frozen=True)
class Link:
    label: str | Promise  # lazy: translated when the header is rendered
    url: str
    key: str


@register.simple_tag
def nav_links(user: Any) -> list[Link]:
    if not user.is_authenticated:
        return []
    has_role = access.membership(user) is not None
    candidates = [
        (True, Link(_("Trang chủ"), reverse("home"), "home")),
        (has_role, Link(_("Tìm đơn vị"), reverse("unit_search"), "search")),
        (has_role, Link(_("Việc cần làm"), TASKS_PAGE_PATH, "todo")),
        *_own_unit_links(user),
        (
            access.role_of(user) == Role.DEPARTMENT,
            Link(_("Tiêu chí của ngành"), reverse("department_criteria"), "department"),
        ),
        (
            access.can_view_national(user),
            Link(_("Toàn quốc"), reverse("national_latest"), "national"),
        ),
        (access.can_browse_audit(user), Link(_("Nhật ký"), AUDIT_PATH, "audit")),
        (access.can_manage_users(user), Link(_("Người dùng"), reverse("users"), "users")),
        (True, Link(_("Bộ tiêu chí"), reverse("criteria_sets"), "criteria")),
        (True, Link(_("Đổi mật khẩu"), reverse("password_change"), "password")),
    ]
    return [link for allowed, link in candidates if allowed]


def _own_unit_links(user: Any) -> list[tuple[bool, Link]]:
    """Money and programme pages of the user's own unit, for every role that may read them
    (the administrator has no unit of its own: it reaches them from a unit's page)."""
    m = access.membership(user)
    unit = m.unit if m is not None else None
    if unit is None:
        return []
    return [
        (
            access.can_view_resources(user, unit),
            Link(_("Nguồn vốn"), reverse("finance_capital", args=[unit.pk]), "finance"),
        ),
        (
            access.can_view_programs(user, unit),
            Link(_("Chương trình"), reverse("programs_training", args=[unit.pk]), "programs"),
        ),
    ]
