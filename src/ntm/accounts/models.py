"""Who a user is in the programme: one role, a unit subtree, and criteria for a department."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    PROVINCE = "province", _("Văn phòng điều phối tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
    COMMUNE = "commune", _("Ban quản lý xã")
    DEPARTMENT = "department", _("Sở, ngành phụ trách tiêu chí")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    # The root of the user's subtree; null only for the system administrator.
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Criterion codes a department owns, e.g. ["2"] for transport; empty for other roles.
    criteria = models.JSONField(_("tiêu chí phụ trách"), default=list, blank=True)

    class Meta:
        verbose_name = _("phân quyền")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


class LoginFailure(models.Model):
    """Failed logins per user name, for the lockout (kept in the database: several workers)."""

    username = models.CharField(max_length=150, unique=True)
    count = models.PositiveIntegerField(default=0)
    last_failure = models.DateTimeField(auto_now=True)
    locked_until = models.DateTimeField(null=True, blank=True)
