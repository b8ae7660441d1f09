"""Entry forms: numbers typed the Vietnamese way (1.234,5), months as MM/YYYY."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.exchange.records import CellError, parse_month
from ntm.finance.models import (
    MAX_MILLION_VND,
    MEASURE_MAX,
    TOTAL_CODE,
    CapitalSource,
    Stage,
)
from ntm.ui.fields import VietnameseNumberField


class VietnameseDecimalField(VietnameseNumberField):
    """A figure typed the Vietnamese way, from 0 to ``maximum`` (see MAX_MILLION_VND)."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        number = super().to_python(value)
        return None if number is None else Decimal(number)


class MonthField(forms.CharField):
    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        try:
            return parse_month(super().to_python(value) or None)
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from None


# Generic only in django-stubs: ModelChoiceField[CapitalSource] fails at run time.
class CapitalSourceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """The sources, each sub-source indented under its parent."""

    def label_from_instance(self, obj: CapitalSource) -> str:
        return obj.name if obj.code == TOTAL_CODE or not obj.parent_id else f"— {obj.name}"


class CapitalEntryForm(forms.Form):
    source = CapitalSourceField(CapitalSource.objects.all(), label=_("Nguồn vốn"), empty_label=None)
    stage = forms.ChoiceField(choices=Stage.choices, label=_("Giai đoạn"))
    year_from = forms.IntegerField(label=_("Từ năm"), min_value=2000, max_value=2100)
    year_to = forms.IntegerField(
        label=_("Đến năm"),
        min_value=2000,
        max_value=2100,
        required=False,
        help_text=_("để trống nếu là số của một năm"),
    )
    amount = VietnameseDecimalField(label=_("Số tiền (triệu đồng)"), maximum=MAX_MILLION_VND)
    work = forms.CharField(label=_("Công trình"), required=False, max_length=300)
    figure_source = forms.CharField(label=_("Nguồn số liệu"), required=False, max_length=300)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)


class ContributionForm(forms.Form):
    month_from = MonthField(label=_("Từ tháng (MM/YYYY)"))
    month_to = MonthField(label=_("Đến tháng (MM/YYYY)"))
    land_m2 = VietnameseDecimalField(
        label=_("Đất hiến (m²)"), required=False, maximum=MEASURE_MAX["land_m2"]
    )
    labour_days = VietnameseDecimalField(
        label=_("Ngày công"), required=False, maximum=MEASURE_MAX["labour_days"]
    )
    cash_million_vnd = VietnameseDecimalField(
        label=_("Tiền mặt (triệu đồng)"), required=False, maximum=MEASURE_MAX["cash_million_vnd"]
    )
    materials_million_vnd = VietnameseDecimalField(
        label=_("Vật liệu (giá trị, triệu đồng)"),
        required=False,
        maximum=MEASURE_MAX["materials_million_vnd"],
    )
    work = forms.CharField(label=_("Công trình"), required=False, max_length=300)
    figure_source = forms.CharField(label=_("Nguồn số liệu"), required=False, max_length=300)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=500)
