"""Make a report: read the data, word it, lay it out in the asked format, audit it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_noop

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.reports.content import report_document
from ntm.reports.data import ReportError, report_data
from ntm.reports.document import Header
from ntm.reports.docx_writer import report_docx
from ntm.reports.pdf_writer import report_pdf
from ntm.reports.xlsx_writer import report_xlsx
from ntm.units.models import Unit

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}
FORMATS = tuple(CONTENT_TYPES)
Step = Callable[[str, int, int], None]  # (phase, done, total)
STEPS = 3


@dataclass(frozen=True)
class MadeReport:
    content: bytes
    file_name: str
    digest: str

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.file_name.rsplit(".", 1)[-1]]


def report_file_name(*, unit_name: str, year: int, period: str, fmt: str) -> str:
    half = "-6-thang-dau-nam" if period == "h1" else ""
    return f"bao-cao-ntm-{slugify(unit_name) or 'don-vi'}-{year}{half}.{fmt}"


def report_make(
    *,
    unit: Unit,
    year: int,
    period: str,
    fmt: str,
    header: Header,
    actor: Any,
    origin: str = Origin.CLI,
    origin_detail: str = "",
    address: str | None = None,
    step: Step | None = None,
) -> MadeReport:
    """The report file; raises ReportError (a Vietnamese sentence) when it cannot be made."""
    if fmt not in CONTENT_TYPES:
        raise ReportError(f"Định dạng '{fmt}' không có; chọn docx, xlsx hoặc pdf.")
    tell = step or (lambda phase, done, total: None)
    tell(gettext_noop("Đọc số liệu"), 0, STEPS)
    data = report_data(unit=unit, year=year, period=period)
    tell(gettext_noop("Viết nội dung"), 1, STEPS)
    doc = report_document(data=data.data, digest=data.digest, header=header)
    doc.made_at = timezone.localtime().strftime("%d/%m/%Y %H:%M")
    tell(gettext_noop("Ghi tệp"), 2, STEPS)
    if fmt == "docx":
        content = report_docx(doc)
    elif fmt == "pdf":
        content = report_pdf(doc)
    else:
        content = report_xlsx(doc, data.data)
    name = report_file_name(unit_name=data.data["unit"]["name"], year=year, period=period, fmt=fmt)
    audit_record(
        actor=actor,
        action="report.make",
        object_type="report",
        object_id=name,
        unit=unit,
        year=year,
        after={"format": fmt, "period": period, "data_sha256": data.digest},
        origin=origin,
        origin_detail=origin_detail,
        address=address,
    )
    tell(gettext_noop("Xong"), STEPS, STEPS)
    return MadeReport(content, name, data.digest)


def header_from(fields: dict[str, Any]) -> Header:
    """The header from stored or typed fields (a job's JSON, the command's options)."""
    raw_date = fields.get("date") or None
    day = dt.date.fromisoformat(raw_date) if isinstance(raw_date, str) else raw_date
    recipients = tuple(r.strip() for r in fields.get("recipients") or () if r and r.strip())
    return Header(
        issuer_parent=(fields.get("issuer_parent") or "").strip(),
        issuer=(fields.get("issuer") or "").strip(),
        number=(fields.get("number") or "").strip(),
        place=(fields.get("place") or "").strip(),
        date=day,
        signer=(fields.get("signer") or "").strip(),
        signer_title=(fields.get("signer_title") or "").strip(),
        signer_capacity=(fields.get("signer_capacity") or "").strip(),
        recipients=recipients,
    )
