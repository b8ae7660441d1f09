"""`ntm summary --unit CODE --year YEAR [--by child] [--format json|table]`."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.values import format_number
from ntm.core.years import year_arg
from ntm.units.selectors import unit_for_year
from ntm.web.summary_selectors import summary_data


class Command(BaseCommand):
    help = (
        "Tổng hợp kết quả NTM của một đơn vị (tỉnh, huyện, xã) trong một năm, theo các đơn vị "
        "có hiệu lực vào 31/12 năm đó và tên của chúng năm đó."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--year", required=True, type=year_arg)
        parser.add_argument(
            "--by", choices=["child"], help="child: thêm dòng cho từng đơn vị trực thuộc"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        unit = unit_for_year(code=options["unit"].strip(), year=year)
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']} vào 31/12/{year}")
        data = summary_data(unit=unit, year=year, by_child=options["by"] == "child")
        if not data["communes"]:
            raise CommandError(f"{data['name']} không có xã nào thuộc chương trình năm {year}")
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(data)

    def _table(self, data: dict[str, Any]) -> None:
        self.stdout.write(
            f"{data['name']} — năm {data['year']} (bộ tiêu chí {data['criteria_set']})"
        )
        self.stdout.write(
            f"Số xã: {format_number(data['communes'])}, đã đánh giá: "
            f"{format_number(data['evaluated'])}"
        )
        avg = data["avg_criteria"]
        shown = format_number(avg, 2) if avg is not None else "—"
        self.stdout.write(f"Bình quân tiêu chí/xã: {shown}")
        self.stdout.write(f"Số xã đạt chuẩn: {format_number(data['meeting_standard'])}")
        for label, count in data["buckets"].items():
            self.stdout.write(f"  {label:>6} tiêu chí: {format_number(count)}")
        if data["structure_note"]:
            self.stdout.write(f"Lưu ý: {data['structure_note']}")
        for row in data["not_evaluated"]:
            self.stdout.write(
                f"  Chưa đánh giá: {row['name']} ({row['unit_code']}): {row['reason']}"
            )
        for child in data.get("children", []):
            avg = child["avg_criteria"]
            self.stdout.write(
                f"  {child['name']} ({child['unit_code']}): {format_number(child['communes'])} xã, "
                f"bình quân {format_number(avg, 2) if avg is not None else '—'}, "
                f"đạt chuẩn {format_number(child['meeting_standard'])}"
            )
