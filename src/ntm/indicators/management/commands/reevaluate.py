"""`ntm reevaluate [--unit CODE] [--years A-B]`: refresh stored verdicts from values and rules."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ntm.core.values import format_number
from ntm.indicators.management.scope import ProgressBar, add_scope_arguments, scope_from
from ntm.indicators.reevaluation import reevaluate
from ntm.indicators.tasks import reevaluation_runs_close


class Command(BaseCommand):
    help = (
        "Đánh giá lại kết quả đã lưu của các xã từ số liệu và quy định hiện hành (trong một "
        "giao dịch: không ai đọc được kết quả nửa cũ nửa mới)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_scope_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        unit_ids, years = scope_from(options)
        bar = ProgressBar("Đánh giá lại")
        try:
            judged = reevaluate(unit_ids=unit_ids, years=years, progress=bar)
        finally:
            bar.close()
        self.stdout.write(f"Đã đánh giá lại {format_number(judged)} lượt xã-năm.")
        if unit_ids is None:
            closed = reevaluation_runs_close(years=years)
            if closed:
                self.stdout.write(
                    f"Đã đóng {format_number(closed)} lượt đánh giá lại nền chưa xong hoặc bị lỗi."
                )
