"""`ntm classes list|import`: the region or group of each commune under a criteria set.

`list` prints the communes the set judges under a unit, with their class and its legal basis
(JSON or a table). `import` records a list of communes' classes from CSV or .xlsx under one
legal basis: it exits 0 when it wrote (or a dry run found nothing wrong), 1 when it refused the
file (nothing written), 2 on usage (no such file, unknown set or unit).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.audit.models import Origin
from ntm.core.years import year_arg
from ntm.criteria.classes import (
    ClassesError,
    ClassRow,
    class_set,
    classes_unit,
    classes_year,
    commune_class_rows,
)
from ntm.criteria.classes_import import ClassPlan, classes_import

KIND_LABELS = {"add": "thêm", "change": "đổi", "same": "giữ nguyên"}


class Command(BaseCommand):
    help = "Vùng/nhóm của từng xã theo bộ tiêu chí: liệt kê, nhập danh sách từ CSV hoặc .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        show = sub.add_parser("list", help="liệt kê vùng/nhóm và căn cứ của các xã dưới một đơn vị")
        show.add_argument("--unit", required=True, help="mã tỉnh (hoặc huyện, xã)")
        show.add_argument("--criteria-set", required=True, help="mã bộ tiêu chí, ví dụ qd51-2025")
        show.add_argument(
            "--year", type=year_arg, help="năm (mặc định: năm đầu tiên bộ tiêu chí được áp dụng)"
        )
        show.add_argument("--format", choices=("json", "table"), default="table")
        imp = sub.add_parser("import", help="nhập vùng/nhóm của nhiều xã từ CSV hoặc .xlsx")
        imp.add_argument("file", help="cột unit_code hoặc name, và cột class")
        imp.add_argument("--criteria-set", required=True)
        imp.add_argument("--basis", required=True, help="căn cứ: số, ngày quyết định")
        imp.add_argument("--unit", help="chỉ nhận các xã thuộc đơn vị này (mã tỉnh)")
        imp.add_argument("--year", type=year_arg, help="năm của danh sách xã (mặc định như list)")
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "list":
                self._list(options)
            else:
                self._import(options)
        except ClassesError as exc:
            raise CommandError(str(exc), returncode=2) from None

    def _list(self, options: dict[str, Any]) -> None:
        cset = class_set(options["criteria_set"])
        year = classes_year(cset, options["year"])
        unit = classes_unit(code=options["unit"], year=year)
        rows = commune_class_rows(cset=cset, unit=unit, year=year)
        if options["format"] == "json":
            text = json.dumps([r.as_dict() for r in rows], ensure_ascii=False, indent=2)
            self.stdout.write(text)
            return
        self.stdout.write(f"{unit.name}, bộ tiêu chí {cset.id}, các xã vào ngày 31/12/{year}:")
        for row in rows:
            self.stdout.write(_table_line(row))
        assigned = sum(1 for r in rows if r.class_code is not None)
        self.stdout.write(f"{assigned}/{len(rows)} xã đã có vùng/nhóm.")

    def _import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được tệp {path}: {exc.strerror}", returncode=2) from None
        cset = class_set(options["criteria_set"])
        year = classes_year(cset, options["year"])
        scope = classes_unit(code=options["unit"], year=year) if options["unit"] else None
        plan = classes_import(
            content=content,
            file_name=path.name,
            set_id=cset.id,
            legal_basis=options["basis"],
            scope=scope,
            year=year,
            origin=Origin.CLI,
            dry_run=options["dry_run"],
        )
        if not plan.ok:
            problems = "\n".join(f"  {p.text()}" for p in plan.problems)
            raise CommandError(
                f"Tệp {path.name} bị từ chối, không ghi gì ({len(plan.problems)} lỗi):\n{problems}",
                returncode=1,
            )
        for line in plan_lines(plan):
            self.stdout.write(line)
        if plan.dry_run:
            self.stdout.write("Chạy thử (--dry-run): chưa ghi gì.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Đã ghi vùng/nhóm từ {path.name}."))


def _table_line(row: ClassRow) -> str:
    shown = row.class_code or "—"
    why = row.basis or row.reason
    mark = " (thừa hưởng)" if row.inherited else ""
    return f"{row.unit.code:<6} {row.name:<28} {shown:<7} {why}{mark}"


def plan_lines(plan: ClassPlan) -> list[str]:
    lines = []
    for change in plan.changes:
        if change.kind == "same":
            continue
        before = change.before or "chưa có"
        lines.append(
            f"Dòng {change.row}: {change.unit.name} ({change.unit.code}): {before} → {change.after}"
        )
    counts = ", ".join(f"{KIND_LABELS[k]} {n}" for k, n in plan.counts.items())
    lines.append(f"Bộ {plan.set_id}, căn cứ «{plan.basis}»: {counts}.")
    return lines
