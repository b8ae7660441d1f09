"""A report asked for on the web: made by the task worker, kept as a file, fetched by its owner."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ReportJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang lập"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    RUNNING = (Status.QUEUED, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField("năm")
    period = models.CharField("kỳ báo cáo", max_length=10)
    format = models.CharField("định dạng", max_length=5)
    header = models.JSONField("thông tin văn bản", default=dict)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices)
    phase = models.CharField("đang làm", max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file_name = models.CharField("tên tệp", max_length=200, blank=True)
    digest = models.CharField("mã kiểm tra dữ liệu", max_length=64, blank=True)
    message = models.TextField("thông báo", blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "báo cáo"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING
