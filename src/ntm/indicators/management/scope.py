"""What `ntm reevaluate` and `ntm verify` act on: --unit CODE (every period) and --years A-B."""

from __future__ import annotations

from typing import Any

from django.core.management.base import CommandError, CommandParser
from tqdm import tqdm

from ntm.core.years import YearsError, years_parse
from ntm.indicators.reevaluation import commune_ids_under
from ntm.units.models import Unit

USAGE = 2


def add_scope_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--unit",
        help="mã tỉnh, huyện hoặc xã: mọi xã thuộc đơn vị mang mã đó, trong mọi giai đoạn "
        "(không ghi: cả nước)",
    )
    parser.add_argument("--years", help="ví dụ 2018, 2011-2020, 2016,2018 (không ghi: mọi năm)")


def scope_from(options: dict[str, Any]) -> tuple[list[int] | None, list[int] | None]:
    """(commune ids or None for all, years or None for all); CommandError on bad input."""
    years = None
    if options.get("years"):
        try:
            years = years_parse(options["years"])
        except YearsError as exc:
            raise CommandError(str(exc), returncode=USAGE) from None
    unit_ids = None
    code = (options.get("unit") or "").strip()
    if code:
        rows = list(Unit.objects.filter(code=code).values_list("pk", flat=True))
        if not rows:
            raise CommandError(f"Không có đơn vị nào mang mã «{code}»", returncode=USAGE)
        unit_ids = commune_ids_under(unit_ids=rows)
    return unit_ids, years


class ProgressBar:
    """A tqdm bar on stderr driven by progress(done, total) calls."""

    def __init__(self, desc: str) -> None:
        self.desc = desc
        self.bar: tqdm[Any] | None = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            self.bar = tqdm(total=total, desc=self.desc, unit=" xã-năm")
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
