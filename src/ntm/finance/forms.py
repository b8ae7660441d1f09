"""Entry forms: numbers typed the Vietnamese way (1.234,5), months as MM/YYYY."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from ntm.exchange.records import CellError, parse_decimal, parse_month
from ntm.finance.models import TOTAL_CODE, CapitalSource, Stage


class VietnameseDecimalField(forms.CharField):
    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        try:
            return parse_decimal(super().to_python(value) or None)
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from None


class MonthField(forms.CharField):
    def to_python(self, value: Any) -> tuple[int, int] | None:  # type: ignore[override]
        try:
            return parse_month(super().to_python(value) or None)
        except CellError as exc:
            raise forms.ValidationError(str(exc)) from None


class CapitalEntryForm(forms.Form):
    source = forms.ModelChoiceField(
        CapitalSource.objects.all(), label="Nguồn vốn", empty_label=None
    )
    stage = forms.ChoiceField(choices=Stage.choices, label="Giai đoạn")
    year_from = forms.IntegerField(label="Từ năm", min_value=2000, max_value=2100)
    year_to = forms.IntegerField(
        label="Đến năm",
        min_value=2000,
        max_value=2100,
        required=False,
        help_text="để trống nếu là số của một năm",
    )
    amount = VietnameseDecimalField(label="Số tiền (triệu đồng)")
    work = forms.CharField(label="Công trình", required=False, max_length=300)
    figure_source = forms.CharField(label="Nguồn số liệu", required=False, max_length=300)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source"].label_from_instance = lambda s: (
            s.name if s.code == TOTAL_CODE or not s.parent_id else f"— {s.name}"
        )


class ContributionForm(forms.Form):
    month_from = MonthField(label="Từ tháng (MM/YYYY)")
    month_to = MonthField(label="Đến tháng (MM/YYYY)")
    land_m2 = VietnameseDecimalField(label="Đất hiến (m²)", required=False)
    labour_days = VietnameseDecimalField(label="Ngày công", required=False)
    cash_million_vnd = VietnameseDecimalField(label="Tiền mặt (triệu đồng)", required=False)
    materials_million_vnd = VietnameseDecimalField(
        label="Vật liệu (giá trị, triệu đồng)", required=False
    )
    work = forms.CharField(label="Công trình", required=False, max_length=300)
    figure_source = forms.CharField(label="Nguồn số liệu", required=False, max_length=300)
    note = forms.CharField(label="Ghi chú", required=False, max_length=500)


class RecordsUploadForm(forms.Form):
    file = forms.FileField(label="Tệp Excel (.xlsx)")
    dry_run = forms.BooleanField(label="Chỉ kiểm tra, chưa ghi", required=False, initial=True)
