"""The report form: format, period, and the document's header fields the author fills."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.reports.data import PERIODS
from ntm.reports.services import FORMATS

FORMAT_LABELS = {
    "docx": _("Văn bản Word (.docx)"),
    "pdf": _("PDF"),
    "xlsx": _("Phụ lục Excel (.xlsx)"),
}
PERIOD_LABELS = {"annual": _("Cả năm"), "h1": _("6 tháng đầu năm")}
MAX_RECIPIENTS = 20


class ReportForm(forms.Form):
    format = forms.ChoiceField(
        label=_("Định dạng"), choices=[(f, FORMAT_LABELS[f]) for f in FORMATS], initial="docx"
    )
    period = forms.ChoiceField(
        label=_("Kỳ báo cáo"), choices=[(p, PERIOD_LABELS[p]) for p in PERIODS], initial="annual"
    )
    issuer_parent = forms.CharField(label=_("Cơ quan chủ quản"), max_length=200, required=False)
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=200, required=False)
    number = forms.CharField(label=_("Số, ký hiệu"), max_length=60, required=False)
    place = forms.CharField(label=_("Địa danh"), max_length=60, required=False)
    date = forms.DateField(
        label=_("Ngày ban hành"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    signer_capacity = forms.CharField(
        label=_("Thẩm quyền ký (TM., KT., …)"), max_length=120, required=False
    )
    signer_title = forms.CharField(label=_("Chức vụ người ký"), max_length=120, required=False)
    signer = forms.CharField(label=_("Họ tên người ký"), max_length=120, required=False)
    recipients = forms.CharField(
        label=_("Nơi nhận (mỗi dòng một nơi)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_recipients(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_RECIPIENTS:
            raise forms.ValidationError(_("Nhiều nhất %(n)s nơi nhận.") % {"n": MAX_RECIPIENTS})
        if any(len(line) > 200 for line in lines):
            raise forms.ValidationError(_("Mỗi nơi nhận dài nhất 200 ký tự."))
        return lines

    def header(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        day = data.pop("date")
        data.pop("format")
        data.pop("period")
        return {**data, "date": day.isoformat() if day else None}
