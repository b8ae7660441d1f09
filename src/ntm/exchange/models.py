"""An import started on the web: its file, where it stands, and what the dry run found.

The row is also the live status the page polls while the task worker (`ntm worker`) checks or
writes a large file (``done`` of ``total`` in ``phase``); ``task_id`` names the queued task
of its current step.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class ImportJob(models.Model):
    class Status(models.TextChoices):
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra, chờ ghi"
        REFUSED = "refused", "Có lỗi, không ghi gì"
        COMMITTING = "committing", "Đang ghi"
        DONE = "done", "Đã ghi"
        FAILED = "failed", "Lỗi hệ thống, không ghi gì"

    RUNNING = (Status.CHECKING, Status.COMMITTING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    format = models.CharField("định dạng", max_length=20, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices)
    phase = models.CharField("đang làm", max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # Counts, notes, the first errors and changes (see services.plan_report); the full lists
    # are files beside the upload (errors for the annotated copy, the whole diff as CSV).
    report = models.JSONField("kết quả kiểm tra", default=dict)
    digest = models.CharField("dấu vân tay kết quả kiểm tra", max_length=64, blank=True)
    message = models.TextField("thông báo", blank=True)
    # The task queued for the current step ("" when it ran within the request): a task whose
    # id is no longer here was overtaken (the file was checked again) and does nothing.
    task_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    finished_at = models.DateTimeField("thời điểm ghi xong", null=True, blank=True)

    class Meta:
        verbose_name = "lượt nhập tệp"
        verbose_name_plural = "lượt nhập tệp"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "created_at"])]

    @property
    def running(self) -> bool:
        return self.status in self.RUNNING

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.total) if self.total else 0
