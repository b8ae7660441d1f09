"""`ntm import FILE [--dry-run] [--user USERNAME] [--detail]`: exit 0 written (or a clean dry
run), 1 refused (nothing written), 2 usage error.

A national file holds hundreds of thousands of values: by default the command lists the first
DETAIL_LIMIT changed cells and a summary; --detail (or --verbosity 2) lists every cell,
--verbosity 0 none. Errors are always listed in full.

Without --user the import runs as the system: every unit and criterion, audited as
"hệ thống". With --user it has exactly that account's scope, as on the upload page.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from ntm.exchange.management import USAGE, user_named
from ntm.exchange.services import (
    ImportRefused,
    ImportSource,
    Plan,
    change_row,
    import_commit,
    import_plan,
)

KINDS = {"add": "thêm", "change": "sửa", "same": "giữ nguyên"}
DETAIL_LIMIT = 20


class _Bars:
    """One tqdm bar per phase, on stderr."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.phase = ""
        self.bar: Any = None

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self.enabled:
            return
        if phase != self.phase:
            self.close()
            self.phase = phase
            self.bar = tqdm(total=total, desc=phase, unit="ô", leave=False)
        self.bar.total = total
        self.bar.n = done
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Command(BaseCommand):
    help = (
        "Nhập số liệu từ biểu mẫu Excel của ntm, CSV dạng dài, bảng Excel dạng dài hoặc DHIS2 "
        "(JSON, CSV). Ghi trọn vẹn trong một lần hoặc không ghi gì. Không có --user: chạy với "
        "quyền hệ thống (mọi đơn vị, mọi tiêu chí). Mã thoát: 0 đã ghi (hoặc kiểm tra không "
        "lỗi), 1 tệp bị từ chối (không ghi gì), 2 dùng lệnh sai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--user", help="nhập với quyền của tài khoản này")
        parser.add_argument(
            "--show-unchanged", action="store_true", help="liệt kê cả các ô giữ nguyên"
        )
        parser.add_argument("--no-progress", action="store_true", help="không hiện tiến độ")
        parser.add_argument(
            "--detail",
            action="store_true",
            help=f"liệt kê mọi ô thay đổi (mặc định chỉ {DETAIL_LIMIT} ô đầu và phần tổng hợp)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}", returncode=USAGE)
        user = user_named(options["user"])
        source = ImportSource(path.name, path.read_bytes())
        bars = _Bars(enabled=not options["no_progress"])
        try:
            if options["dry_run"]:
                plan = import_plan(source=source, user=user, progress=bars)
            else:
                plan = import_commit(source=source, user=user, progress=bars)
        except ImportRefused as exc:
            plan = exc.plan
        finally:
            bars.close()
        verbosity = options["verbosity"]
        limit = None if options["detail"] or verbosity >= 2 else DETAIL_LIMIT if verbosity else 0
        self._report(plan, show_unchanged=options["show_unchanged"], limit=limit)
        if not plan.ok:
            raise CommandError(f"Tệp có {len(plan.problems)} lỗi: không ghi gì.", returncode=1)
        counts = plan.counts
        verb = "Sẽ" if options["dry_run"] else "Đã"
        self.stdout.write(
            f"{verb} thêm {counts['added']}, sửa {counts['changed']}, "
            f"giữ nguyên {counts['unchanged']} giá trị"
            + ("; chưa ghi gì (--dry-run)." if options["dry_run"] else "; đã đánh giá lại.")
        )

    def _report(self, plan: Plan, *, show_unchanged: bool, limit: int | None) -> None:
        """Header, then the changed cells (all when ``limit`` is None), then every error."""
        self.stdout.write(f"Tệp {plan.source.name} (sha256 {plan.source.sha256})")
        self.stdout.write(f"Định dạng: {plan.format_label}")
        for note in plan.notes:
            self.stdout.write(f"Ghi chú: {note}")
        listed = skipped = 0
        units: set[int] = set()
        years: set[int] = set()
        for change in plan.changes:
            if change.kind == "same" and not show_unchanged:
                continue
            units.add(change.unit.pk)
            years.add(change.year)
            if limit is not None and listed >= limit:
                skipped += 1
                continue
            listed += 1
            row = change_row(change, plan.format)
            shift = row["new"] if change.kind == "add" else f"{row['old']} → {row['new']}"
            self.stdout.write(
                f"{KINDS[change.kind]} ({row['where']}): {row['unit_name']} ({row['unit']}), "
                f"năm {row['year']}, chỉ tiêu {row['indicator']}: {shift}"
            )
        if skipped:
            self.stdout.write(
                f"… và {skipped} ô khác không liệt kê (thêm --detail để liệt kê tất cả)."
            )
        if units:
            shown = ", ".join(str(y) for y in sorted(years))
            self.stdout.write(f"Các ô trên thuộc {len(units)} đơn vị, năm {shown}.")
        for problem in plan.problems:
            self.stderr.write(f"Lỗi: {problem.text()}")
