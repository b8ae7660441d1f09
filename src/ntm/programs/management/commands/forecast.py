"""`ntm forecast --unit CODE --target-year YEAR [--format json|table] [--base-year YEAR]
[--backtest-fit YEAR --backtest-check YEAR]`: communes expected to meet the standard."""

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.values import format_number
from ntm.core.years import year_arg
from ntm.indicators.forecast_selectors import ForecastError
from ntm.programs.forecast import forecast_data
from ntm.units.selectors import unit_for_year

USAGE = 2


class Command(BaseCommand):
    help = (
        "Dự báo số xã đạt chuẩn NTM của một đơn vị đến năm mục tiêu (có khoảng dự báo), so với "
        "mục tiêu đã giao; năm dự kiến đạt chuẩn của từng xã; sai số khi kiểm tra lại trên số "
        "liệu quá khứ (mặc định: khớp đến năm cơ sở - 3, dự báo năm cơ sở - 1)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--unit", required=True, help="mã đơn vị (tỉnh 2 số, huyện 3 số, xã 5 số)"
        )
        parser.add_argument("--target-year", required=True, type=year_arg, help="năm mục tiêu")
        parser.add_argument("--format", choices=["json", "table"], default="table")
        parser.add_argument(
            "--base-year",
            type=year_arg,
            help="dự báo từ số liệu đến năm này (mặc định: năm có số liệu trước năm mục tiêu)",
        )
        parser.add_argument(
            "--backtest-fit", type=year_arg, help="kiểm tra lại: khớp số liệu đến năm này"
        )
        parser.add_argument(
            "--backtest-check", type=year_arg, help="kiểm tra lại: dự báo năm này và so sánh"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        code = options["unit"].strip()
        # The unit of the target year; a unit that ended before it (a district in 2026) is
        # looked up in force today, so a target beyond the unit's life names what it became.
        unit = unit_for_year(code=code, year=options["target_year"]) or unit_for_year(
            code=code, year=dt.date.today().year
        )
        if unit is None:
            raise CommandError(f"Không có đơn vị mã {code}", returncode=USAGE)
        fit, check = options["backtest_fit"], options["backtest_check"]
        if (fit is None) != (check is None):
            raise CommandError(
                "Cần cả --backtest-fit và --backtest-check (hoặc bỏ cả hai)", returncode=USAGE
            )
        if fit is not None and check <= fit:
            raise CommandError(
                f"Năm kiểm tra {check} phải sau năm khớp số liệu {fit}", returncode=USAGE
            )
        try:
            data = forecast_data(
                unit=unit,
                target_year=options["target_year"],
                backtest_years=None if fit is None else (fit, check),
                last_year=options["base_year"],
            )
        except ForecastError as exc:
            raise CommandError(str(exc), returncode=USAGE) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        self._table(data)

    def _table(self, data: dict[str, Any]) -> None:
        expected = data["expected"]
        self.stdout.write(
            f"{data['name']} — dự báo năm {data['target_year']} từ số liệu đến năm "
            f"{data['base_year']} ({format_number(expected['communes'])} xã)"
        )
        self.stdout.write(
            f"Số xã đạt chuẩn dự kiến: {format_number(expected['count'], 1)} "
            f"(khoảng 90%: {expected['low']}-{expected['high']})"
        )
        if expected["without_forecast"]:
            self.stdout.write(
                f"  {expected['without_forecast']} xã không dự báo được, tính theo kết quả năm "
                "gần nhất"
            )
        target = data["target"]
        if target is None:
            self.stdout.write(f"Chưa có mục tiêu số xã đạt chuẩn cho năm {data['target_year']}")
        else:
            flag = " (mô phỏng)" if target["simulated"] else ""
            self.stdout.write(
                f"Mục tiêu: {format_number(target['value'])} xã{flag} — dự kiến chênh "
                f"{format_number(target['expected_minus_target'], 1)}"
            )
        if data["actual"] is not None:
            self.stdout.write(f"Thực tế năm {data['target_year']}: {data['actual']} xã")
        self._backtest(data)
        self.stdout.write("Năm dự kiến đạt chuẩn của từng xã:")
        for row in data["communes"]:
            self.stdout.write(f"  {row['name']} ({row['unit_code']}): {_expected(row)}")
        self.stdout.write(f"Phương pháp: {data['method']}")

    def _backtest(self, data: dict[str, Any]) -> None:
        tested = data["backtest"]
        if tested is None:
            self.stdout.write(f"Không kiểm tra lại được: {data['backtest_note']}")
            return
        accuracy = tested["accuracy"]
        self.stdout.write(
            f"Kiểm tra lại (khớp đến {tested['fit_year']}, dự báo {tested['check_year']}, "
            f"{tested['communes']} xã): dự báo {format_number(tested['forecast'], 1)} xã "
            f"(khoảng 90%: {tested['interval'][0]}-{tested['interval'][1]}), thực tế "
            f"{tested['actual']}, sai số {format_number(tested['error'], 1)} xã; đúng kết quả "
            f"{format_number(accuracy * 100 if accuracy is not None else None, 1)}% số xã"
        )


def _expected(row: dict[str, Any]) -> str:
    if row["met_since"]:
        return f"đạt chuẩn từ năm {row['met_since']}"
    if row["expected_year"] is None:
        return str(row["expected_year_note"] or row["reason"])
    early, late = row["expected_year_range"]
    span = f" (khoảng {early}-{late or 'sau nữa'})" if early != late else ""
    chance = format_number(row["p_meets"] * 100, 0)
    basis = (
        "theo từng chỉ tiêu chưa đạt"
        if row["expected_year_basis"] == "indicators"
        else row["expected_year_note"]
    )
    return f"năm {row['expected_year']}{span} ({basis}), xác suất đạt chuẩn năm mục tiêu {chance}%"
