"""Input of the dossier page's forms; the rules themselves live in services."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ntm.workflow.models import Verdict

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_REQUIRED = {"required": _("Trường này không được để trống.")}


class AdvanceForm(forms.Form):
    stage = forms.CharField(required=False)
    reason = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)


class ReturnForm(forms.Form):
    stage = forms.CharField(required=False)
    to_stage = forms.CharField(
        label=_("Trả về bước"), error_messages={"required": _("Chọn bước trả về.")}
    )
    # Not required here: the service refuses an empty reason with a sentence naming the dossier.
    reason = forms.CharField(label=_("Lý do"), required=False, max_length=2000)


class AppraisalForm(forms.Form):
    criterion = forms.CharField(label=_("Tiêu chí"), error_messages=_REQUIRED)
    verdict = forms.ChoiceField(
        label=_("Kết quả"),
        choices=Verdict.choices,
        error_messages={
            "required": _("Chọn kết quả thẩm định."),
            "invalid_choice": _("Kết quả thẩm định phải là Đạt hoặc Không đạt."),
        },
    )
    note = forms.CharField(label=_("Ý kiến"), required=False, max_length=4000)


class DecisionForm(forms.Form):
    stage = forms.CharField(required=False)
    number = forms.CharField(label=_("Số quyết định"), max_length=60, error_messages=_REQUIRED)
    date = forms.DateField(
        label=_("Ngày quyết định"),
        input_formats=DATE_FORMATS,
        error_messages={**_REQUIRED, "invalid": _("Ngày không hợp lệ (dd/mm/yyyy).")},
    )
    signer = forms.CharField(label=_("Người ký"), max_length=150, error_messages=_REQUIRED)


class RevokeForm(DecisionForm):
    reason = forms.CharField(label=_("Lý do thu hồi"), required=False, max_length=4000)
