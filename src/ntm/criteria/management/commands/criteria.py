"""`ntm criteria list|show|spec-load`: the criteria sets and the province's specifications."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.core.registry import UnknownCriteriaSetError, get_set, national_sets
from ntm.core.specs import SpecError, load_spec_file
from ntm.core.values import format_measure
from ntm.criteria.services import spec_save


class Command(BaseCommand):
    help = "Bộ tiêu chí: liệt kê, xem ngưỡng (kể cả ô chưa xác nhận), nạp quy định cụ thể của tỉnh."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="liệt kê các bộ tiêu chí")
        show = sub.add_parser("show", help="xem ngưỡng của một bộ tiêu chí")
        show.add_argument("set_id")
        show.add_argument(
            "--unconfirmed", action="store_true", help="chỉ các ô ngưỡng chưa xác nhận"
        )
        load = sub.add_parser("spec-load", help="nạp quy định cụ thể của tỉnh từ tệp YAML")
        load.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action'].replace('-', '_')}")(options)
        except (UnknownCriteriaSetError, SpecError, OSError) as exc:
            raise CommandError(str(exc)) from None

    def _list(self, options: dict[str, Any]) -> None:
        for cset in sorted(national_sets().values(), key=lambda s: (s.level, s.effective)):
            unconfirmed = len(cset.unconfirmed_cells())
            self.stdout.write(
                f"{cset.id:<20} {cset.level:<9} {cset.decision:<18} hiệu lực {cset.effective:%d/%m/%Y}"
                f"  {len(cset.criteria)} tiêu chí, {len(cset.indicators)} chỉ tiêu,"
                f" {unconfirmed} ô ngưỡng chưa xác nhận"
            )

    def _show(self, options: dict[str, Any]) -> None:
        cset = get_set(options["set_id"])
        self.stdout.write(f"{cset.title} ({cset.decision})")
        for ind in cset.indicators:
            for tier in ind.tiers:
                cells = []
                for cls in cset.classes:
                    cell = ind.threshold(tier, cls)
                    if cell is None:
                        cells.append(f"{cls}: chưa xác nhận")
                    elif not options["unconfirmed"]:
                        shown = (
                            ind.op.symbol
                            if ind.op.is_boolean
                            else f"{ind.op.symbol} {format_measure(cell.value)}"
                        )
                        cells.append(f"{cls}: {shown}")
                if cells:
                    self.stdout.write(f"{ind.code:<6} [{tier}] {ind.text[:70]}")
                    self.stdout.write("       " + "; ".join(cells))

    def _spec_load(self, options: dict[str, Any]) -> None:
        spec = spec_save(data=load_spec_file(Path(options["file"])))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã lưu quy định {spec.spec_id} ({spec.thresholds.count()} ngưỡng) cho bộ {spec.criteria_set}"
            )
        )
