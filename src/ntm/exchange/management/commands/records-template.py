"""`ntm records-template --kind K -o FILE.xlsx`: an empty record sheet with its headers and an
instructions sheet."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.exchange.management import USAGE
from ntm.exchange.records import REGISTRY, records_template, spec_for


class Command(BaseCommand):
    help = "Ghi biểu mẫu Excel trống (tiêu đề cột và trang Hướng dẫn) cho một loại biểu bản ghi."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", required=True, help="loại biểu: capital, contributions ...")
        parser.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            raise CommandError(
                f"Không có loại biểu «{options['kind']}» ({known})", returncode=USAGE
            )
        path = Path(options["output"])
        path.write_bytes(records_template(spec_for(options["kind"])))
        self.stdout.write(f"Đã ghi biểu mẫu {options['kind']} vào {path}")
