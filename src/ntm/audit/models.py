from __future__ import annotations

from django.conf import settings
from django.db import models


class Origin(models.TextChoices):
    PAGE = "page", "Trang web"
    FILE = "file", "Tệp nhập"
    API = "api", "API"
    CLI = "cli", "Dòng lệnh"
    SYSTEM = "system", "Hệ thống"


class AuditEvent(models.Model):
    """One change: who, when, what (before/after), from which page, file or API call."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_name = models.CharField("người thực hiện", max_length=150, blank=True)
    action = models.CharField("hành động", max_length=40)  # e.g. value.set, dossier.return
    object_type = models.CharField("đối tượng", max_length=40)
    object_id = models.CharField(max_length=64, blank=True)
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    origin = models.CharField("nguồn", max_length=10, choices=Origin.choices, default=Origin.PAGE)
    origin_detail = models.CharField(
        "chi tiết nguồn", max_length=300, blank=True
    )  # path, file name + hash

    class Meta:
        indexes = [models.Index(fields=["unit", "at"]), models.Index(fields=["actor", "at"])]
        ordering = ["-at", "-id"]
