"""`ntm report --unit CODE --year YEAR [--period annual|h1] --format docx|xlsx|pdf -o FILE`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, TextIO, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ntm.core.years import year_arg
from ntm.reports.data import PERIODS, ReportError
from ntm.reports.services import FORMATS, header_from, report_make
from ntm.units.selectors import unit_for_year


class Command(BaseCommand):
    help = (
        "Lập báo cáo kết quả thực hiện Chương trình NTM của một đơn vị cho một năm (hoặc 6 tháng "
        "đầu năm): văn bản Word theo Nghị định 30/2020/NĐ-CP, PDF, hoặc các phụ lục Excel. Mọi "
        "số liệu lấy từ dữ liệu hiện có; phụ lục ghi nguồn từng số liệu và mã kiểm tra dữ liệu."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--year", required=True, type=year_arg)
        parser.add_argument(
            "--period",
            choices=list(PERIODS),
            default="annual",
            help="annual: cả năm; h1: 6 tháng đầu năm",
        )
        parser.add_argument("--format", choices=FORMATS, required=True)
        parser.add_argument("-o", "--output", help="tệp ghi ra (mặc định: tên tự đặt)")
        parser.add_argument("--issuer", default="", help="cơ quan ban hành")
        parser.add_argument("--issuer-parent", default="", help="cơ quan chủ quản")
        parser.add_argument("--number", default="", help="số, ký hiệu văn bản (vd 12/BC-VPĐP)")
        parser.add_argument("--place", default="", help="địa danh (vd Lai Châu)")
        parser.add_argument("--date", default="", help="ngày ban hành YYYY-MM-DD")
        parser.add_argument("--signer", default="", help="họ tên người ký")
        parser.add_argument("--signer-title", default="", help="chức vụ người ký")
        parser.add_argument("--signer-capacity", default="", help="thẩm quyền ký (vd TM. UBND)")
        parser.add_argument("--recipient", action="append", default=[], help="nơi nhận (nhiều lần)")

    def handle(self, *args: Any, **options: Any) -> None:
        year = options["year"]
        unit = unit_for_year(code=options["unit"].strip(), year=year)
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {options['unit']} vào 31/12/{year}")
        header = header_from(
            {**options, "date": _date(options["date"]), "recipients": options["recipient"]}
        )
        bar = tqdm(
            total=3,
            desc="Lập báo cáo",
            disable=options["verbosity"] == 0,
            unit="bước",
            file=cast(TextIO, self.stderr._out),
        )

        def step(phase: str, done: int, total: int) -> None:
            bar.set_description(phase)
            bar.n = done
            bar.refresh()

        try:
            made = report_make(
                unit=unit,
                year=year,
                period=options["period"],
                fmt=options["format"],
                header=header,
                actor=None,
                step=step,
                origin_detail="ntm report",
            )
        except ReportError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        path = Path(options["output"] or made.file_name)
        try:
            path.write_bytes(made.content)
        except OSError as exc:
            raise CommandError(f"Không ghi được tệp {path}: {exc.strerror}") from exc
        self.stdout.write(f"Đã ghi {path} (mã kiểm tra dữ liệu SHA-256: {made.digest})")


def _date(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise CommandError(f"--date '{text}' phải có dạng YYYY-MM-DD, ví dụ 2019-10-15") from exc
