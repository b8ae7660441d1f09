"""Indicator values per unit and year, and the evaluation results kept beside them.

Results are refreshed in the same transaction as every write (services.values_set), never by
a nightly batch: a page always shows what the data says now.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


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
