"""Money (capability 7) and community contributions (capability 8).

Figures are stored as entered, never as aggregates: a province-level figure exists only where
the source document gives nothing finer (the Lai Châu 2019 report gives 2011-2020 totals), and
it says so in ``figure_source``. A figure for several years is one row with year_from < year_to;
summaries count it only for a range that contains its whole period.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

TOTAL_CODE = "total"  # the source code of a total entered beside its parts

# The largest figure one row can hold, far above any real one and well inside the columns
# (18 digits, 3 decimals): more than 10^9 million VND (10^15 VND, several times the national
# budget) for one unit and source, or more donated land than 10,000 km² (Lai Châu has 9,069),
# or more labour days than a billion, is a typing error, refused in forms and imports.
MAX_MILLION_VND = Decimal(10**9)
MAX_LAND_M2 = Decimal(10**10)
MAX_LABOUR_DAYS = Decimal(10**9)
MEASURE_MAX = {
    "land_m2": MAX_LAND_M2,
    "labour_days": MAX_LABOUR_DAYS,
    "cash_million_vnd": MAX_MILLION_VND,
    "materials_million_vnd": MAX_MILLION_VND,
}


class Stage(models.TextChoices):
    PLAN = "plan", "Kế hoạch"
    # The reports' "huy động và bố trí" (mobilised and allocated) is stored as this stage.
    ALLOCATED = "allocated", "Đã bố trí (phân bổ)"
    DISBURSED = "disbursed", "Đã giải ngân"


class CapitalSource(models.Model):
    """A source of capital, loaded from data/capital_sources.yaml (a tree: parent)."""

    code = models.SlugField("mã nguồn", max_length=32, unique=True)
    name = models.CharField("tên nguồn", max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "nguồn vốn"

    def __str__(self) -> str:
        return self.name

    @property
    def is_total(self) -> bool:
        return self.code == TOTAL_CODE


class Work(models.Model):
    """A work (công trình) that capital and contributions go to, tagged with criteria served."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField("tên công trình", max_length=300)
    criteria = models.JSONField("tiêu chí phục vụ", default=list, blank=True)  # ["2", "3"]

    class Meta:
        verbose_name = "công trình"
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="finance_work_unit_name")
        ]

    def __str__(self) -> str:
        return self.name


class Recorded(models.Model):
    """What every figure carries: where it comes from, a note, who entered it and when."""

    figure_source = models.CharField("nguồn số liệu", max_length=300, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class CapitalEntry(Recorded):
    """An amount (million VND) for a unit, a year or period of years, a source and a stage."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year_from = models.PositiveSmallIntegerField("từ năm")
    year_to = models.PositiveSmallIntegerField("đến năm")  # = year_from for a yearly figure
    source = models.ForeignKey(CapitalSource, on_delete=models.PROTECT, related_name="entries")
    stage = models.CharField("giai đoạn", max_length=10, choices=Stage.choices)
    amount = models.DecimalField("số tiền (triệu đồng)", max_digits=18, decimal_places=3)
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.PROTECT, related_name="capital"
    )

    class Meta:
        verbose_name = "khoản vốn"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year_from", "year_to", "source", "stage"],
                condition=Q(work__isnull=True),
                name="finance_capital_key",
            ),
            models.UniqueConstraint(
                fields=["unit", "year_from", "year_to", "source", "stage", "work"],
                condition=Q(work__isnull=False),
                name="finance_capital_work_key",
            ),
            models.CheckConstraint(
                condition=Q(year_to__gte=models.F("year_from")), name="finance_capital_years"
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0, amount__lte=MAX_MILLION_VND),
                name="finance_capital_amount_range",
            ),
        ]

    @property
    def period_text(self) -> str:
        if self.year_from == self.year_to:
            return str(self.year_from)
        return f"{self.year_from}-{self.year_to}"


class Contribution(Recorded):
    """What residents gave for a unit (village, commune, or a province-level total) in a period.

    A period of whole months: date_from is a first day, date_to a last day of a month.
    """

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    date_from = models.DateField("từ ngày")
    date_to = models.DateField("đến ngày")
    land_m2 = models.DecimalField(
        "đất hiến (m²)", max_digits=18, decimal_places=2, null=True, blank=True
    )
    labour_days = models.DecimalField(
        "ngày công", max_digits=18, decimal_places=2, null=True, blank=True
    )
    cash_million_vnd = models.DecimalField(
        "tiền mặt (triệu đồng)", max_digits=18, decimal_places=3, null=True, blank=True
    )
    materials_million_vnd = models.DecimalField(
        "vật liệu (triệu đồng)", max_digits=18, decimal_places=3, null=True, blank=True
    )
    work = models.ForeignKey(
        Work, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )

    class Meta:
        verbose_name = "đóng góp của cộng đồng"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "date_from", "date_to"],
                condition=Q(work__isnull=True),
                name="finance_contribution_key",
            ),
            models.UniqueConstraint(
                fields=["unit", "date_from", "date_to", "work"],
                condition=Q(work__isnull=False),
                name="finance_contribution_work_key",
            ),
            models.CheckConstraint(
                condition=Q(date_to__gte=models.F("date_from")),
                name="finance_contribution_dates",
            ),
            *(
                models.CheckConstraint(
                    condition=Q(**{f"{name}__isnull": True})
                    | Q(**{f"{name}__gte": 0, f"{name}__lte": maximum}),
                    name=f"finance_contribution_{name}_range",
                )
                for name, maximum in MEASURE_MAX.items()
            ),
        ]

    @property
    def period_text(self) -> str:
        return f"{self.date_from:%m/%Y}-{self.date_to:%m/%Y}"
