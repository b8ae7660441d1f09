"""Administrative units of Vietnam across periods, villages below communes, and their history.

A unit row is one unit in one period: when a commune is merged, renamed or moved to another
parent, the old row ends (valid_to) and a new row starts (valid_from), and a UnitEvent links
them. Official codes are reused across periods (03388 was Phường Quyết Tiến in 2019 and is
Phường Đoàn Kết from 2025), so a code identifies a unit only together with a date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import models
from django.db.models import Q

from ntm.core.values import fold


class Level(models.TextChoices):
    PROVINCE = "province", "Cấp tỉnh"
    DISTRICT = "district", "Cấp huyện"
    COMMUNE = "commune", "Cấp xã"
    VILLAGE = "village", "Thôn, bản"


class Kind(models.TextChoices):
    TINH = "tinh", "Tỉnh"
    THANH_PHO_TW = "thanh_pho_tw", "Thành phố trực thuộc trung ương"
    HUYEN = "huyen", "Huyện"
    QUAN = "quan", "Quận"
    THI_XA = "thi_xa", "Thị xã"
    THANH_PHO = "thanh_pho", "Thành phố thuộc tỉnh"
    XA = "xa", "Xã"
    PHUONG = "phuong", "Phường"
    THI_TRAN = "thi_tran", "Thị trấn"
    DAC_KHU = "dac_khu", "Đặc khu"
    THON = "thon", "Thôn"
    BAN = "ban", "Bản"
    TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"


class Region(models.TextChoices):
    """The 7 regions of the 2016-2025 criteria sets (see data/regions.yaml)."""

    TDMNPB = "TDMNPB", "Trung du và miền núi phía Bắc"
    DBSH = "DBSH", "Đồng bằng sông Hồng"
    BTB = "BTB", "Bắc Trung Bộ"
    DHNTB = "DHNTB", "Duyên hải Nam Trung Bộ"
    TN = "TN", "Tây Nguyên"
    DNB = "DNB", "Đông Nam Bộ"
    DBSCL = "DBSCL", "Đồng bằng sông Cửu Long"


_NAME_PREFIXES = (
    "Tỉnh",
    "Thành phố",
    "Huyện",
    "Quận",
    "Thị xã",
    "Thị trấn",
    "Xã",
    "Phường",
    "Đặc khu",
    "Thôn",
    "Bản",
    "Tổ dân phố",
)


def bare_name(name: str) -> str:
    """ "Xã Dào San" -> "Dào San": the name without its type word, for sorting and comparing."""
    for prefix in _NAME_PREFIXES:
        if name.startswith(prefix + " "):
            return name[len(prefix) + 1 :]
    return name


class UnitQuerySet(models.QuerySet["Unit"]):
    def valid_on(self, on: dt.date) -> UnitQuerySet:
        """Units in force on that day (both ends inclusive; null = open)."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=on),
            Q(valid_to__isnull=True) | Q(valid_to__gte=on),
        )


class Unit(models.Model):
    code = models.CharField("mã", max_length=16)
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    level = models.CharField("cấp", max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    # null valid_from: in force since before our records begin; null valid_to: still in force.
    valid_from = models.DateField("hiệu lực từ", null=True, blank=True)
    valid_to = models.DateField("hiệu lực đến", null=True, blank=True)
    ntm_eligible = models.BooleanField("thuộc chương trình NTM", default=False)
    # Set on pre-2025 provinces only; communes inherit it (selectors.unit_region).
    region = models.CharField("vùng", max_length=8, choices=Region.choices, blank=True)
    name_folded = models.CharField(max_length=200, editable=False)
    lat = models.FloatField(null=True, blank=True)
    lon = models.FloatField(null=True, blank=True)
    # On a province row: the day from which the structure below it (which communes existed,
    # their names) is recorded with its history. Null: only a registry snapshot, whose units
    # have no start date, so years before the snapshot are shown with a warning, not projected.
    recorded_from = models.DateField("lịch sử đơn vị ghi nhận từ", null=True, blank=True)

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = "đơn vị hành chính"
        verbose_name_plural = "đơn vị hành chính"
        constraints = (
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="units_unit_level_code_from"
            ),
            # SQL treats NULLs as distinct, so the constraint above lets two "since ever"
            # units share a code; this one closes that gap on every database.
            models.UniqueConstraint(
                fields=["level", "code"],
                condition=Q(valid_from__isnull=True),
                name="units_unit_level_code_since_ever",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True)
                | Q(valid_to__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="units_unit_period_ordered",
            ),
        )
        indexes = (models.Index(fields=["level", "code"], name="units_unit_level_code"),)

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, on: dt.date) -> bool:
        starts_ok = self.valid_from is None or self.valid_from <= on
        return starts_ok and (self.valid_to is None or self.valid_to >= on)


class UnitName(models.Model):
    """A former name (and kind) of a unit row: Thị xã Lai Châu until 27/12/2013, then Thành
    phố Lai Châu on the same row, since territory and code stayed and the data belongs to it."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="former_names")
    name = models.CharField("tên", max_length=200)
    kind = models.CharField("loại", max_length=16, choices=Kind.choices)
    valid_from = models.DateField("dùng từ", null=True, blank=True)
    valid_to = models.DateField("dùng đến")
    legal_basis = models.TextField("căn cứ", blank=True)

    class Meta:
        verbose_name = "tên cũ của đơn vị"
        constraints = (
            models.UniqueConstraint(fields=["unit", "valid_to"], name="units_name_unit_to"),
        )

    def __str__(self) -> str:
        return f"{self.name} (đến {self.valid_to:%d/%m/%Y})"


class UnitEvent(models.Model):
    """A change on one date that ends some units (predecessors) and starts others (successors).

    The loader writes one event per resulting unit: `merge` when several units formed it,
    `split` when it got part of a unit that was divided, `rename` for a one-to-one change of
    name, `move` for a unit kept whole under a new parent or structure (a commune whose
    district was abolished), `abolish` with no successor, `create` with no predecessor.
    """

    class Kind(models.TextChoices):
        MERGE = "merge", "Hợp nhất, sáp nhập"
        SPLIT = "split", "Chia tách"
        RENAME = "rename", "Đổi tên"
        MOVE = "move", "Điều chỉnh trực thuộc"
        ABOLISH = "abolish", "Giải thể"
        CREATE = "create", "Thành lập"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    effective = models.DateField("ngày hiệu lực")
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    note = models.TextField("ghi chú", blank=True)
    units = models.ManyToManyField(Unit, through="UnitEventLink", related_name="events")

    class Meta:
        verbose_name = "biến động đơn vị hành chính"
        verbose_name_plural = "biến động đơn vị hành chính"
        indexes = (models.Index(fields=["effective"], name="units_event_effective"),)

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.effective:%d/%m/%Y}"


class UnitEventLink(models.Model):
    class Role(models.TextChoices):
        PREDECESSOR = "predecessor", "Đơn vị trước"
        SUCCESSOR = "successor", "Đơn vị sau"

    event = models.ForeignKey(UnitEvent, on_delete=models.CASCADE, related_name="links")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="event_links")
    role = models.CharField("vai trò", max_length=11, choices=Role.choices)
    # A predecessor that gave only part of its territory (a commune divided between several
    # 2025 communes); merger re-scoring cannot carry its figures over whole.
    partial = models.BooleanField("một phần", default=False)

    class Meta:
        constraints = (
            models.UniqueConstraint(fields=["event", "unit", "role"], name="units_link_unique"),
        )
        indexes = (models.Index(fields=["unit", "role"], name="units_link_unit_role"),)

    def __str__(self) -> str:
        return f"{self.event}: {self.get_role_display()} {self.unit}"


class UnitBoundary(models.Model):
    """The outline of one unit row, imported from a GeoJSON file (`ntm boundaries import`).

    Kept per row, not per code: a 2025 commune that reuses a 2019 code has another territory.
    Maps draw the outline when a unit has one and its centre point (lat, lon) otherwise.
    """

    unit = models.OneToOneField(Unit, on_delete=models.CASCADE, related_name="boundary")
    # A GeoJSON Polygon or MultiPolygon in longitude/latitude (WGS 84), checked on import.
    geometry = models.JSONField("ranh giới")
    source = models.CharField("tệp nguồn", max_length=255, blank=True)
    imported_at = models.DateTimeField("ngày nhập", auto_now=True)

    class Meta:
        verbose_name = "ranh giới đơn vị hành chính"
        verbose_name_plural = "ranh giới đơn vị hành chính"

    def __str__(self) -> str:
        return f"Ranh giới {self.unit}"
