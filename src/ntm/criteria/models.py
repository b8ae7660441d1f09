"""What the database adds to the criteria sets shipped as files.

National sets live in ntm/core/criteria_sets (versioned with the code). The database holds
what a province decides: its specifications (thresholds with their legal source) and the
class (region or commune group) each commune has under a set.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ProvincialSpec(models.Model):
    spec_id = models.CharField("mã quy định", max_length=80, unique=True)
    province = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="criteria_specs"
    )
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    legal_source = models.TextField("căn cứ pháp lý")
    first_year = models.PositiveSmallIntegerField("từ năm", null=True, blank=True)
    last_year = models.PositiveSmallIntegerField("đến năm", null=True, blank=True)
    illustrative = models.BooleanField("giá trị minh họa (không chính thức)", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "quy định cụ thể của tỉnh"

    def __str__(self) -> str:
        return self.spec_id


class SpecThreshold(models.Model):
    spec = models.ForeignKey(ProvincialSpec, on_delete=models.CASCADE, related_name="thresholds")
    indicator = models.CharField("chỉ tiêu", max_length=20)
    class_code = models.CharField("vùng/nhóm", max_length=20)
    tier = models.CharField("mức", max_length=20, blank=True)
    value = models.FloatField("ngưỡng")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["spec", "indicator", "class_code", "tier"], name="spec_threshold_unique"
            )
        ]


class CommuneClass(models.Model):
    """A commune's region or group under one set (e.g. QĐ 51/2025 group 3 by QĐ 113/QĐ-UBND).

    For region sets this overrides the province's region, as QĐ 318/2022 does for
    particularly difficult communes (ĐBKK), which take the TDMNPB thresholds.
    """

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.CASCADE, related_name="criteria_classes"
    )
    criteria_set = models.CharField("bộ tiêu chí", max_length=40)
    class_code = models.CharField("vùng/nhóm", max_length=20)
    legal_basis = models.TextField("căn cứ", blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "criteria_set"], name="commune_class_unique")
        ]


class CriteriaSetRecord(models.Model):
    """A criteria set imported from a workbook (e.g. QĐ 51/2025 once an office has its annex).

    ``data`` is the set as the loader reads it (the layout of core/criteria_sets/*.yaml), so a
    record is validated by the same rules as a shipped file. A record with the id of a shipped
    set replaces it only when ``replaces_national`` is set.
    """

    set_id = models.CharField("mã bộ tiêu chí", max_length=40, unique=True)
    data = models.JSONField("nội dung bộ tiêu chí")
    source_name = models.CharField("tệp nguồn", max_length=255)
    source_sha256 = models.CharField("mã băm SHA-256 của tệp", max_length=64)
    replaces_national = models.BooleanField("thay bộ tiêu chí quốc gia cùng mã", default=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField("thời điểm nhập", auto_now=True)

    class Meta:
        verbose_name = "bộ tiêu chí nhập từ bảng tính"

    def __str__(self) -> str:
        return self.set_id
