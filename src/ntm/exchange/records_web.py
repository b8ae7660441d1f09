"""The web side of a record-sheet import, shared by every page that offers one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ntm.audit.services import audit_request
from ntm.exchange.records import RecordSheet, records_import, records_template

MAX_UPLOAD = 20 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RecordsUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Tệp Excel (.xlsx)"))
    dry_run = forms.BooleanField(
        label=gettext_lazy("Chỉ kiểm tra, chưa ghi"), required=False, initial=True
    )


@dataclass
class Upload:
    form: RecordsUploadForm
    report: Any = None
    template: HttpResponse | None = None  # set when the page was asked for the empty template

    @property
    def status(self) -> int:
        return 400 if self.report is not None and not self.report.ok else 200


def records_upload_handle(request: HttpRequest, *, spec: RecordSheet, kind: str) -> Upload:
    """The empty template (?mau=1), or the form with the dry run / commit report."""
    form = RecordsUploadForm(request.POST or None, request.FILES or None)
    if request.GET.get("mau"):
        response = HttpResponse(records_template(spec), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="ntm-{kind}.xlsx"'
        audit_request(
            request,
            action="export.template",
            object_type="records",
            object_id=kind,
            after={"file": f"ntm-{kind}.xlsx"},
        )
        return Upload(form=form, template=response)
    if request.method != "POST" or not form.is_valid():
        return Upload(form=form)
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        form.add_error("file", _("Tệp lớn hơn %(mb)d MB.") % {"mb": MAX_UPLOAD // (1024 * 1024)})
        return Upload(form=form)
    report = records_import(
        spec=spec,
        file_bytes=upload.read(),
        file_name=upload.name,
        actor=request.user,
        dry_run=form.cleaned_data["dry_run"],
    )
    return Upload(form=form, report=report)
