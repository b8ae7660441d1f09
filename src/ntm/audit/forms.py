"""The audit page's filters (GET parameters, Vietnamese names)."""

from __future__ import annotations

from django import forms

from ntm.audit.models import ACTION_LABELS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_BAD_DATE = {"invalid": "Ngày không hợp lệ (dd/mm/yyyy)."}

ACTION_CHOICES = [
    ("", "Mọi thao tác"),
    ("value.", "Mọi thay đổi giá trị"),
    ("dossier.", "Mọi thao tác trên hồ sơ"),
    *ACTION_LABELS.items(),
]


class AuditFilterForm(forms.Form):
    don_vi = forms.CharField(label="Đơn vị (mã hoặc tên)", required=False, max_length=100)
    nguoi_dung = forms.CharField(label="Người thực hiện", required=False, max_length=150)
    tu_ngay = forms.DateField(
        label="Từ ngày", required=False, input_formats=DATE_FORMATS, error_messages=_BAD_DATE
    )
    den_ngay = forms.DateField(
        label="Đến ngày", required=False, input_formats=DATE_FORMATS, error_messages=_BAD_DATE
    )
    hanh_dong = forms.ChoiceField(
        label="Thao tác",
        required=False,
        choices=ACTION_CHOICES,
        error_messages={"invalid_choice": "Thao tác không hợp lệ."},
    )
