import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.values import format_number
from ntm.indicators.selectors import unit_summary
from ntm.units.models import Unit


class Command(BaseCommand):
    help = "Tổng hợp kết quả NTM của một đơn vị (tỉnh, huyện, xã) trong một năm."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        unit = _unit_for(options["unit"], options["year"])
        set_ids, summary = unit_summary(unit=unit, year=options["year"])
        if not summary.communes:
            raise CommandError(
                f"Không có kết quả đánh giá nào của {unit.name} năm {options['year']}"
            )
        data = {
            "unit_code": unit.code,
            "year": options["year"],
            "criteria_set": set_ids,
            "communes": summary.communes,
            "avg_criteria": summary.avg_criteria,
            "meeting_standard": summary.meeting_standard,
            "buckets": summary.buckets,
        }
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self.stdout.write(f"{unit.name} — năm {options['year']} (bộ tiêu chí {set_ids})")
        self.stdout.write(f"Số xã: {format_number(summary.communes)}")
        self.stdout.write(f"Bình quân tiêu chí/xã: {format_number(summary.avg_criteria, 2)}")
        self.stdout.write(f"Số xã đạt chuẩn: {format_number(summary.meeting_standard)}")
        for label, count in summary.buckets.items():
            self.stdout.write(f"  {label:>6} tiêu chí: {format_number(count)}")


def _unit_for(code: str, year: int) -> Unit:
    """The unit with this code that existed in ``year`` (codes are reused across periods)."""
    candidates = [
        u for u in Unit.objects.filter(code=code).exclude(level="village") if _valid_in(u, year)
    ]
    if not candidates:
        raise CommandError(f"Không có đơn vị mã {code} trong năm {year}")
    return min(candidates, key=lambda u: ["province", "district", "commune"].index(u.level))


def _valid_in(unit: Unit, year: int) -> bool:
    starts = unit.valid_from is None or unit.valid_from.year <= year
    ends = unit.valid_to is None or unit.valid_to.year >= year
    return starts and ends
