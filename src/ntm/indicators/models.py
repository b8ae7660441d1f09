"""Indicator values per unit and year, and the evaluation results kept beside them.

Results are refreshed in the same transaction as every write (services.values_set), never by
a nightly batch: a page always shows what the data says now.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

# The source written on every value the demo invents; pages and reports flag figures built on
# such values (e.g. a target "reached" only in simulated data).
SIMULATED_SOURCE = "Dữ liệu mô phỏng (demo)"


class IndicatorValue(models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="indicator_values"
    )
    year = models.PositiveSmallIntegerField("năm")
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    indicator = models.CharField("chỉ tiêu", max_length=20)
    value = models.FloatField("giá trị")  # yes/no indicators: 1.0 = đạt, 0.0 = không đạt
    source = models.CharField("nguồn số liệu", max_length=200, blank=True)
    evidence = models.TextField("minh chứng", blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)  # optimistic locking for concurrent edits

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "criteria_set", "indicator"], name="indicator_value_unique"
            )
        ]
        indexes = [models.Index(fields=["year", "criteria_set"])]


class Evaluation(models.Model):
    """The engine's verdict for one commune and year, under the set in force that year."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="evaluations")
    year = models.PositiveSmallIntegerField("năm")
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    spec_ids = models.CharField("quy định của tỉnh đã áp dụng", max_length=200, blank=True)
    class_code = models.CharField("vùng/nhóm", max_length=20)
    criteria_met = models.PositiveSmallIntegerField("số tiêu chí đạt")
    criteria_total = models.PositiveSmallIntegerField("tổng số tiêu chí")
    criteria_missing = models.PositiveSmallIntegerField("số tiêu chí thiếu dữ liệu", default=0)
    meets_standard = models.BooleanField("đạt chuẩn")
    tiers = models.JSONField("kết quả theo mức", default=dict)
    criteria = models.JSONField("kết quả theo tiêu chí", default=dict)
    evaluated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="evaluation_unique")]
        indexes = [models.Index(fields=["year", "meets_standard"])]


class EvidenceFile(models.Model):
    """A document backing one indicator value (minh chứng), stored outside any served folder.

    The file lives under settings.EVIDENCE_ROOT as ``stored_name`` (a generated uuid, never the
    uploader's name, so nobody can choose a path); ``content_type`` is what sniffing the first
    bytes found, not what the browser said.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="evidence_files")
    year = models.PositiveSmallIntegerField("năm")
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    indicator = models.CharField("chỉ tiêu", max_length=20)
    stored_name = models.CharField(max_length=64, unique=True, editable=False)
    original_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("loại tệp", max_length=100)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField("thời điểm tải lên", auto_now_add=True)

    class Meta:
        verbose_name = "tệp minh chứng"
        verbose_name_plural = "tệp minh chứng"
        indexes = [models.Index(fields=["unit", "year", "criteria_set", "indicator"])]
        ordering = ["uploaded_at", "id"]


class ValueComment(models.Model):
    """A remark on one indicator value of a commune-year (by the commune, a reviewer ...)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="value_comments")
    year = models.PositiveSmallIntegerField("năm")
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    indicator = models.CharField("chỉ tiêu", max_length=20)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField("người viết", max_length=150)
    text = models.TextField("nội dung")
    created_at = models.DateTimeField("thời điểm", auto_now_add=True)

    class Meta:
        verbose_name = "ý kiến về số liệu"
        verbose_name_plural = "ý kiến về số liệu"
        indexes = [models.Index(fields=["unit", "year", "criteria_set", "indicator"])]
        ordering = ["created_at", "id"]


class ReevaluationRun(models.Model):
    """A national re-evaluation run by the task worker (``indicators.tasks.reevaluate_run``).

    ``criteria_set`` names the set whose change asked for it ("" re-evaluates everything);
    ``years`` lists the years in scope (empty: every year). Progress is coarse: ``total`` is
    written when the run starts, ``done`` when its one transaction commits (see the task).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "đang chờ"
        RUNNING = "running", "đang chạy"
        DONE = "done", "xong"
        FAILED = "failed", "lỗi"

    criteria_set = models.CharField("bộ tiêu chí", max_length=40, blank=True)
    years = models.JSONField("các năm", default=list)
    status = models.CharField(
        "trạng thái", max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    done = models.PositiveIntegerField("số xã-năm đã đánh giá lại", default=0)
    total = models.PositiveIntegerField("số xã-năm cần đánh giá lại", default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("thời điểm yêu cầu", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    # A criteria set waiting to be stored by the run itself (criteria.services
    # criteria_set_record_save's arguments): the set and its verdicts change in the run's one
    # transaction, so until it commits every page reads the old rules with the old verdicts.
    pending_set = models.JSONField("bộ tiêu chí chờ áp dụng", null=True, blank=True)

    class Meta:
        verbose_name = "lượt đánh giá lại"
        verbose_name_plural = "lượt đánh giá lại"
        indexes = [models.Index(fields=["status"])]
