"""`ntm verify [--unit CODE] [--years A-B]`: every stored verdict that the engine now disputes.

Exit 0 when every stored verdict is what the engine gives from the stored values and rules,
1 otherwise (each difference is listed), 2 on a usage error.
"""

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ntm.core.values import format_number
from ntm.indicators.management.scope import ProgressBar, add_scope_arguments, scope_from
from ntm.indicators.reevaluation import verify

_FIELDS = {
    "row": "kết quả",
    "criteria_set": "bộ tiêu chí",
    "spec_ids": "quy định của tỉnh",
    "class_code": "vùng/nhóm",
    "criteria_met": "số tiêu chí đạt",
    "criteria_total": "tổng số tiêu chí",
    "criteria_missing": "số tiêu chí thiếu dữ liệu",
    "meets_standard": "đạt chuẩn",
    "tiers": "kết quả theo mức",
    "criteria": "kết quả theo tiêu chí",
}


class Command(BaseCommand):
    help = (
        "Tính lại từ số liệu và quy định đã lưu, liệt kê mọi kết quả đánh giá đã lưu khác với "
        "kết quả tính lại. Mã thoát 0: không có khác biệt; 1: có khác biệt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)
        parser.add_argument("--format", choices=["table", "json"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        unit_ids, years = scope_from(options)
        bar = ProgressBar("Kiểm tra")
        try:
            found = verify(unit_ids=unit_ids, years=years, progress=bar)
        finally:
            bar.close()
        if options["format"] == "json":
            self.stdout.write(json.dumps([m.as_dict() for m in found], ensure_ascii=False))
        else:
            for m in found:
                self.stdout.write(
                    f"{m.unit_name} ({m.unit_code}), năm {m.year}: {_FIELDS[m.field]} đã lưu "
                    f"{_shown(m.stored)}, tính lại {_shown(m.computed)}"
                )
            if found:
                communes = len({(m.unit_code, m.year) for m in found})
                self.stdout.write(
                    f"{format_number(communes)} lượt xã-năm có kết quả đã lưu khác kết quả tính "
                    "lại; chạy `ntm reevaluate` để cập nhật."
                )
            else:
                self.stdout.write("Mọi kết quả đánh giá đã lưu khớp với kết quả tính lại.")
        sys.stdout.flush()
        if found:
            sys.exit(1)


def _shown(value: Any) -> str:
    if value is None:
        return "(không có)"
    if isinstance(value, bool):
        return "có" if value else "không"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
