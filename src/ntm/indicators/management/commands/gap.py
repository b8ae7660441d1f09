"""`ntm gap --unit CODE --year YEAR [--format json|table]`: communes closest to the standard."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.values import format_number
from ntm.core.years import year_arg
from ntm.indicators.gap_selectors import gap_data
from ntm.units.selectors import unit_for_year

USAGE = 2
_CRITERION_STATUS = {"not_met": "chưa đạt", "missing": "thiếu số liệu"}


class Command(BaseCommand):
    help = (
        "Khoảng cách đến chuẩn NTM của các xã thuộc một đơn vị trong một năm: các xã gần chuẩn "
        "nhất trước (ít tiêu chí chưa đạt nhất, rồi mức thiếu hụt nhỏ nhất), với từng chỉ tiêu "
        "chưa đạt: giá trị, ngưỡng, mức thiếu hụt."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--year", required=True, type=year_arg)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        unit = unit_for_year(code=options["unit"].strip(), year=year)
        if unit is None:
            raise CommandError(
                f"Không có đơn vị mã {options['unit']} vào 31/12/{year}", returncode=USAGE
            )
        data = gap_data(unit=unit, year=year)
        if not data["communes"]:
            raise CommandError(
                f"{data['name']} không có xã nào thuộc chương trình năm {year}", returncode=USAGE
            )
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(data)

    def _table(self, data: dict[str, Any]) -> None:
        self.stdout.write(
            f"{data['name']} — năm {data['year']} (bộ tiêu chí {data['criteria_set'] or '—'}): "
            f"{format_number(data['communes'])} xã, "
            f"{format_number(len(data['meeting']))} xã đạt chuẩn"
        )
        self.stdout.write("Các xã chưa đạt chuẩn, gần chuẩn nhất trước:")
        for row in data["ranking"]:
            self.stdout.write(
                f"{row['rank']:>3}. {row['name']} ({row['unit_code']}): đạt "
                f"{row['criteria_met']}/{row['criteria_total']} tiêu chí, "
                f"{row['criteria_not_met']} chưa đạt, {row['criteria_missing']} thiếu số liệu, "
                f"mức thiếu hụt {format_number(row['shortfall_score'], 2)}"
            )
            for crit in row["criteria"]:
                self.stdout.write(
                    f"       Tiêu chí {crit['code']} {crit['name']}: "
                    f"{_CRITERION_STATUS[crit['status']]}"
                )
                for ind in crit["indicators"]:
                    flag = " (ngưỡng minh họa)" if ind["threshold_illustrative"] else ""
                    self.stdout.write(f"         - {ind['code']}: {ind['label']}{flag}")
        for row in data["not_evaluated"]:
            self.stdout.write(f"Chưa đánh giá: {row['name']} ({row['unit_code']}): {row['reason']}")
