"""The audit page's filters (GET parameters, Vietnamese names)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.audit.models import ACTION_LABELS

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_BAD_DATE = {"invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")}

ACTION_CHOICES = [
    ("", _("Mọi thao tác")),
    ("value.", _("Mọi thay đổi giá trị")),
    ("dossier.", _("Mọi thao tác trên hồ sơ")),
    ("login.", _("Đăng nhập sai, tạm chặn đăng nhập")),
    ("export.", _("Mọi lượt xuất, tải tệp số liệu")),
    ("user.", _("Mọi thay đổi tài khoản")),
    *ACTION_LABELS.items(),
]


class AuditFilterForm(forms.Form):
    don_vi = forms.CharField(label=_("Đơn vị (mã hoặc tên)"), required=False, max_length=100)
    nguoi_dung = forms.CharField(label=_("Người thực hiện"), required=False, max_length=150)
    tu_ngay = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, error_messages=_BAD_DATE
    )
    den_ngay = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, error_messages=_BAD_DATE
    )
    hanh_dong = forms.ChoiceField(
        label=_("Thao tác"),
        required=False,
        choices=ACTION_CHOICES,
        error_messages={"invalid_choice": _("Thao tác không hợp lệ.")},
    )
