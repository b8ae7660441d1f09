"""The report's words: each section a function of the report data, every figure through the book.

The structure follows the provinces' periodic reports (organisation; training and communication;
resources; criteria results; targets; limitations; tasks ahead); the sentences are ours. What
the data cannot say (the tasks ahead, the assessment) is left to the author, marked as such.
"""

from __future__ import annotations

from typing import Any

from ntm.reports.document import Header, Para, ReportDocument
from ntm.reports.sections_outlook import limitations_section, targets_section, tasks_section
from ntm.reports.sections_results import results_section
from ntm.reports.sections_work import organisation_section, resources_section, training_section
from ntm.reports.wording import Writer


def report_document(*, data: dict[str, Any], digest: str, header: Header) -> ReportDocument:
    w = Writer(data)
    if data["simulated"]:
        w.add(
            Para(
                "Lưu ý: báo cáo được lập từ số liệu mô phỏng (dữ liệu trình diễn của phần mềm), "
                "không phải số liệu thật; chỉ dùng để minh họa.",
                "note",
            )
        )
    organisation_section(w)
    training_section(w)
    resources_section(w)
    results_section(w)
    targets_section(w)
    limitations_section(w)
    tasks_section(w)
    period = "6 tháng đầu năm" if data["period"] == "h1" else "năm"
    return ReportDocument(
        header=header,
        title="BÁO CÁO",
        subtitle=(
            f"Kết quả thực hiện Chương trình mục tiêu quốc gia xây dựng nông thôn mới "
            f"{period} {w.year} — {w.name}"
        ),
        blocks=w.blocks,
        figures=w.book.figures,
        digest=digest,
        simulated=data["simulated"],
    )
