"""`ntm rescore --unit CODE --year YEAR`: a commune of today scored from its predecessors' data.

Exit 0 with the result, 2 with a Vietnamese sentence when it cannot be computed (unknown
code, a year to come, no predecessor with data).
"""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.years import year_arg
from ntm.indicators.rescore import CommuneRescore, RescoreError, commune_rescore
from ntm.indicators.services import value_shown
from ntm.units.models import Level
from ntm.units.selectors import unit_at

USAGE = 2
_STATUS = {
    "met": "đạt",
    "not_met": "không đạt",
    "missing": "thiếu dữ liệu",
    "not_applicable": "không áp dụng",
}


class Command(BaseCommand):
    help = (
        "Tính lại kết quả NTM của một xã (phường) hiện nay từ số liệu một năm của các đơn vị "
        "đã sáp nhập vào nó, theo cách gộp của từng chỉ tiêu trong bộ tiêu chí."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã xã, phường hiện nay (5 số)")
        parser.add_argument("--year", required=True, type=year_arg, help="năm số liệu, ví dụ 2020")
        parser.add_argument(
            "--criteria-set", default="", help="mã bộ tiêu chí (mặc định: bộ có hiệu lực năm đó)"
        )
        parser.add_argument("--format", choices=["json", "table"], default="table")

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["unit"].strip()
        unit = unit_at(code=code, level=Level.COMMUNE, on=dt.date.today())
        if unit is None:
            raise CommandError(
                f"Không có xã, phường nào mang mã «{code}» trong danh mục đơn vị hành chính "
                "hiện hành",
                returncode=USAGE,
            )
        try:
            found = commune_rescore(unit=unit, year=options["year"], set_id=options["criteria_set"])
        except RescoreError as exc:
            raise CommandError(str(exc), returncode=USAGE) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(found.as_dict(), ensure_ascii=False))
        else:
            self._table(found)

    def _table(self, found: CommuneRescore) -> None:
        result = found.scored.result
        total = result.criteria_total
        self.stdout.write(
            f"{found.unit.name} ({found.unit.code}): tính lại từ số liệu năm {found.year} của "
            f"các đơn vị trước sáp nhập, bộ tiêu chí {found.cset.id}, vùng/nhóm {found.class_code}"
        )
        for p in found.predecessors:
            if p.criteria_met is None:
                verdict = "không có số liệu"
            else:
                meets = "đạt chuẩn" if p.meets_standard else "chưa đạt chuẩn"
                verdict = f"{p.criteria_met}/{total} tiêu chí, {meets}"
            part = " (một phần)" if p.partial else ""
            self.stdout.write(f"  {p.unit.code}  {p.unit.name}{part}: {verdict}")
        meets = "đạt chuẩn" if result.meets_standard else "chưa đạt chuẩn"
        self.stdout.write(f"Sau khi gộp: {result.criteria_met}/{total} tiêu chí, {meets}")
        caveats = {c: d["caveats"] for c, d in found.as_dict()["combined"]["indicators"].items()}
        common = set.intersection(*(set(notes) for notes in caveats.values()))
        for text in sorted(common):
            self.stdout.write(f"Lưu ý: {text}")
        for ind in found.cset.indicators:
            combined = found.scored.indicators[ind.code]
            shown = value_shown(indicator=ind, value=combined.value)
            status = _STATUS[result.indicators[ind.code].status]
            line = f"  {ind.code:<6} {shown:<28} {combined.combine or '-':<20} {status}"
            notes = [n for n in caveats[ind.code] if n not in common]
            self.stdout.write(line + (f"  ({'; '.join(notes)})" if notes else ""))
