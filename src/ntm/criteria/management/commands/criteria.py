"""`ntm criteria list|show|spec-load|export|import`: sets, specifications and their workbooks.

`import` exits 0 when it committed (or a dry run found nothing wrong), 1 when it refused the
file (nothing written), 2 on usage (no such file, bad arguments).
"""

import textwrap
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.audit.models import Origin
from ntm.core import registry
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.specs import SpecError, load_spec_file
from ntm.core.values import format_measure
from ntm.criteria.selectors import all_sets, criteria_workbook, database_sets, get_any_set
from ntm.criteria.services import spec_save
from ntm.criteria.workbook_import import plan_lines, workbook_import
from ntm.criteria.workbook_read import WorkbookError


class Command(BaseCommand):
    help = (
        "Bộ tiêu chí: liệt kê, xem ngưỡng (kể cả ô chưa xác nhận), nạp quy định cụ thể của tỉnh, "
        "xuất/nhập bảng tính."
    )

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
        export = sub.add_parser(
            "export", help="xuất bộ tiêu chí (hoặc quy định của tỉnh) ra bảng tính .xlsx"
        )
        export.add_argument("export_id", metavar="ID", help="mã bộ tiêu chí hoặc mã quy định")
        export.add_argument("-o", "--output", required=True, help="tệp .xlsx sẽ ghi")
        imp = sub.add_parser(
            "import", help="nhập bộ tiêu chí mới hoặc quy định của tỉnh từ bảng tính .xlsx"
        )
        imp.add_argument("file")
        imp.add_argument("--dry-run", action="store_true", help="chỉ xem trước, không ghi gì")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action'].replace('-', '_')}")(options)
        except (UnknownCriteriaSetError, SpecError, OSError) as exc:
            raise CommandError(str(exc)) from None

    def _list(self, options: dict[str, Any]) -> None:
        imported = database_sets()
        shipped = registry.national_sets()
        for cset in sorted(all_sets().values(), key=lambda s: (s.level, s.effective)):
            unconfirmed = len(cset.unconfirmed_cells())
            origin = ""
            if cset.id in imported:
                origin = "  [nhập từ bảng tính" + (
                    ", thay bộ quốc gia]" if cset.id in shipped else "]"
                )
            self.stdout.write(
                f"{cset.id:<20} {cset.level:<9} {cset.decision:<18} hiệu lực {cset.effective:%d/%m/%Y}"
                f"  {len(cset.criteria)} tiêu chí, {len(cset.indicators)} chỉ tiêu,"
                f" {unconfirmed} ô ngưỡng chưa xác nhận{origin}"
            )

    def _show(self, options: dict[str, Any]) -> None:
        cset = get_any_set(options["set_id"])
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
                    head = f"{ind.code:<6} [{tier}] "
                    lines = textwrap.wrap(ind.text, width=90, subsequent_indent=" " * len(head))
                    self.stdout.write(head + "\n".join(lines))
                    if ind.is_criterion_judgement:
                        self.stdout.write("       (đánh giá chung cấp tiêu chí, không so với số)")
                    self.stdout.write("       " + "; ".join(cells))

    def _spec_load(self, options: dict[str, Any]) -> None:
        spec = spec_save(data=load_spec_file(Path(options["file"])))
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã lưu quy định {spec.spec_id} ({spec.thresholds.count()} ngưỡng) cho bộ {spec.criteria_set}"
            )
        )

    def _export(self, options: dict[str, Any]) -> None:
        _, content = criteria_workbook(export_id=options["export_id"])
        Path(options["output"]).write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"Đã ghi {options['output']} ({options['export_id']})")
        )

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}", returncode=2) from None
        try:
            plan = workbook_import(
                content=content, filename=path.name, origin=Origin.CLI, dry_run=options["dry_run"]
            )
        except WorkbookError as exc:
            raise CommandError(f"Tệp {path.name} bị từ chối, không ghi gì:\n{exc}") from None
        for line in plan_lines(plan):
            self.stdout.write(line)
        if options["dry_run"]:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
        else:
            what = "bộ tiêu chí" if plan.kind == "set" else "quy định"
            self.stdout.write(self.style.SUCCESS(f"Đã lưu {what} {plan.target} từ {path.name}."))
