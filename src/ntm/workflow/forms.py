"""Input of the dossier page's forms; the rules themselves live in services."""

from __future__ import annotations

from django import forms

from ntm.workflow.models import Verdict

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
_REQUIRED = {"required": "Trường này không được để trống."}


class AdvanceForm(forms.Form):
    stage = forms.CharField(required=False)
    reason = forms.CharField(label="Ghi chú", required=False, max_length=2000)


class ReturnForm(forms.Form):
    stage = forms.CharField(required=False)
    to_stage = forms.CharField(
        label="Trả về bước", error_messages={"required": "Chọn bước trả về."}
    )
    # Not required here: the service refuses an empty reason with a sentence naming the dossier.
    reason = forms.CharField(label="Lý do", required=False, max_length=2000)


class AppraisalForm(forms.Form):
    criterion = forms.CharField(label="Tiêu chí", error_messages=_REQUIRED)
    verdict = forms.ChoiceField(
        label="Kết quả",
        choices=Verdict.choices,
        error_messages={
            "required": "Chọn kết quả thẩm định.",
            "invalid_choice": "Kết quả thẩm định phải là Đạt hoặc Không đạt.",
        },
    )
    note = forms.CharField(label="Ý kiến", required=False, max_length=4000)


class DecisionForm(forms.Form):
    stage = forms.CharField(required=False)
    number = forms.CharField(label="Số quyết định", max_length=60, error_messages=_REQUIRED)
    date = forms.DateField(
        label="Ngày quyết định",
        input_formats=DATE_FORMATS,
        error_messages={**_REQUIRED, "invalid": "Ngày không hợp lệ (dd/mm/yyyy)."},
    )
    signer = forms.CharField(label="Người ký", max_length=150, error_messages=_REQUIRED)


class RevokeForm(DecisionForm):
    reason = forms.CharField(label="Lý do thu hồi", required=False, max_length=4000)
