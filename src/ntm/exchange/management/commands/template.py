"""`ntm template --unit CODE --year YEAR [--criteria-set ID] -o FILE.xlsx`."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.accounts import access
from ntm.core.years import year_arg
from ntm.exchange.management import USAGE, unit_for, user_named
from ntm.exchange.template import TemplateError, template_build


class Command(BaseCommand):
    help = (
        "Tạo biểu mẫu Excel nhập số liệu: mỗi dòng một xã (hoặc thôn, bản) của đơn vị, mỗi cột "
        "một chỉ tiêu, có ngưỡng, kiểm tra dữ liệu, tiêu đề được khóa và số liệu hiện có."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã tỉnh (2 số), huyện (3 số) hoặc xã")
        parser.add_argument("--year", required=True, type=year_arg)
        parser.add_argument(
            "--criteria-set", default="", help="bộ tiêu chí (mặc định: bộ áp dụng cho năm đó)"
        )
        parser.add_argument("--level", choices=["commune", "village"], default="commune")
        parser.add_argument(
            "--user", help="tạo theo phạm vi của tài khoản này (mặc định: hệ thống, mọi đơn vị)"
        )
        parser.add_argument("-o", "--output", required=True, help="tệp .xlsx cần ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_named(options["user"])
        unit = unit_for(options["unit"], options["year"])
        if user is not None and not access.can_view_unit(user, unit):
            raise CommandError(
                f"{unit.name} nằm ngoài phạm vi của tài khoản {options['user']}", returncode=USAGE
            )
        try:
            data = template_build(
                unit=unit,
                year=options["year"],
                user=user,
                set_id=options["criteria_set"],
                level=options["level"],
            )
        except TemplateError as exc:
            raise CommandError(str(exc)) from None
        Path(options["output"]).write_bytes(data)
        self.stdout.write(f"Đã ghi biểu mẫu {unit.name} năm {options['year']}: {options['output']}")
