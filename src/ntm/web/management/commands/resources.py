"""`ntm resources`: the programme's resources for a unit and period, as the reports give them."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import re
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.values import json_plain
from ntm.units.models import Unit


class Command(BaseCommand):
    help = (
        "Nguồn lực của Chương trình cho một đơn vị và giai đoạn: vốn theo nguồn (triệu đồng), "
        "đóng góp của cộng đồng, đào tạo, sản phẩm OCOP, mục tiêu và tiến độ."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--from", dest="year_from", required=True, type=int, help="từ năm")
        parser.add_argument("--to", dest="year_to", type=int, help="đến năm (hết năm)")
        parser.add_argument("--until", help="đến hết tháng YYYY-MM (thay cho --to)")
        parser.add_argument("--format", choices=["json"], default="json")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _period(options)
        unit = _unit(options["unit"], start, end)
        from ntm.finance.selectors import capital_summary, contributions_summary
        from ntm.programs.selectors import ocop_summary, targets_progress, training_summary

        data = {
            "unit_code": unit.code,
            "from": start.isoformat(),
            "to": end.isoformat(),
            "capital": capital_summary(unit=unit, year_from=start.year, year_to=end.year),
            "contributions": contributions_summary(unit=unit, date_from=start, date_to=end),
            "training": training_summary(
                unit=unit, year_from=start.year, year_to=end.year, until=end
            ),
            "ocop": ocop_summary(unit=unit, on=end),
            "targets": targets_progress(unit=unit, year_from=start.year, year_to=end.year),
        }
        self.stdout.write(json.dumps(data, ensure_ascii=False, default=json_plain))


def _period(options: dict[str, Any]) -> tuple[dt.date, dt.date]:
    start = dt.date(options["year_from"], 1, 1)
    if options["until"] and options["year_to"]:
        raise CommandError("Chỉ dùng một trong hai: --to NĂM hoặc --until YYYY-MM")
    if options["until"]:
        match = re.fullmatch(r"(\d{4})-(\d{2})", options["until"])
        if not match or not 1 <= int(match[2]) <= 12:
            raise CommandError(f"--until '{options['until']}' phải có dạng YYYY-MM, ví dụ 2019-09")
        year, month = int(match[1]), int(match[2])
        end = dt.date(year, month, calendar.monthrange(year, month)[1])
    elif options["year_to"]:
        end = dt.date(options["year_to"], 12, 31)
    else:
        raise CommandError("Cần --to NĂM hoặc --until YYYY-MM")
    if end < start:
        raise CommandError("Thời điểm kết thúc trước thời điểm bắt đầu")
    return start, end


def _unit(code: str, start: dt.date, end: dt.date) -> Unit:
    """The unit holding the code during the period (codes are reused after mergers)."""
    rows = [
        u
        for u in Unit.objects.filter(code=code).exclude(level="village")
        if (u.valid_from is None or u.valid_from <= end)
        and (u.valid_to is None or u.valid_to >= start)
    ]
    if not rows:
        raise CommandError(
            f"Không có đơn vị mã {code} trong giai đoạn {start:%d/%m/%Y}-{end:%d/%m/%Y}"
        )
    order = ["province", "district", "commune"]
    return min(rows, key=lambda u: (order.index(u.level), u.valid_from or dt.date.min))
