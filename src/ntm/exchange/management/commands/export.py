"""`ntm export --unit CODE --years 2011-2020 --format csv|xlsx|dhis2 -o FILE`."""

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.core.years import YearsError, years_parse
from ntm.exchange.export import (
    FORMATS,
    ExportError,
    export_bytes,
    export_collect,
    export_summary,
)
from ntm.exchange.management import USAGE, user_named


class Command(BaseCommand):
    help = (
        "Xuất giá trị chỉ tiêu và kết quả đánh giá của một đơn vị (và các đơn vị trực thuộc) "
        "ra CSV dạng dài, Excel hoặc DHIS2 JSON. CSV xuất ra nhập lại được bằng `ntm import`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--unit", required=True, help="mã tỉnh, huyện, xã hoặc thôn")
        parser.add_argument("--years", required=True, help="ví dụ 2018, 2011-2020, 2016,2018")
        parser.add_argument("--format", choices=FORMATS, default="csv")
        parser.add_argument("--user", help="xuất theo phạm vi của tài khoản này")
        parser.add_argument("-o", "--output", required=True, help="tệp cần ghi ('-': stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = user_named(options["user"])
        try:
            years = years_parse(options["years"])
        except YearsError as exc:
            raise CommandError(str(exc), returncode=USAGE) from None
        try:
            data = export_collect(code=options["unit"], years=years, user=user)
        except ExportError as exc:
            raise CommandError(str(exc)) from None
        body = export_bytes(data, options["format"], user=user)
        name = "-" if options["output"] == "-" else Path(options["output"]).name
        audit_record(
            actor=user,
            action="export.data",
            object_type="unit",
            object_id=options["unit"],
            after=export_summary(data, options["format"], name),
            origin=Origin.CLI,
            origin_detail=(
                f"ntm export --unit {options['unit']} --years {options['years']} "
                f"--format {options['format']}" + (f" --user {user}" if user else "")
            ),
        )
        for note in data.notes:
            self.stderr.write(note)
        if options["output"] == "-":
            sys.stdout.buffer.write(body)
            sys.stdout.flush()
            return
        Path(options["output"]).write_bytes(body)
        self.stderr.write(
            f"Đã xuất {len(data.values)} giá trị, {len(data.evaluations)} kết quả đánh giá: "
            f"{options['output']}"
        )
