"""`ntm restore FILE [--force]`: an `ntm backup` archive back into this server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.operations.archive import size_text, who_runs
from ntm.operations.management.bars import StageBars
from ntm.operations.restore import RestoreRefused, restore_run


class Command(BaseCommand):
    help = (
        "Phục hồi một bản sao lưu của `ntm backup` vào cơ sở dữ liệu và thư mục dữ liệu đang "
        "cấu hình (tự chạy migrate). Chỉ phục hồi vào nơi chưa có dữ liệu, trừ khi có --force."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", help="tệp bản sao lưu (.zip) do `ntm backup` tạo")
        parser.add_argument(
            "--force",
            action="store_true",
            help="thay toàn bộ dữ liệu đang có (cơ sở dữ liệu, tệp minh chứng, tệp nhập)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["archive"])
        bars = StageBars()
        try:
            summary = restore_run(path=path, force=options["force"], progress=bars)
        except RestoreRefused as exc:
            raise CommandError(str(exc)) from None
        finally:
            bars.close()
        # In the restored database, after the load and any forward migration: the first row
        # the restored server writes.
        audit_record(
            actor=None,
            action="backup.restore",
            object_type="backup",
            object_id=path.name,
            after={"tables": summary.tables, "rows": summary.rows, "files": summary.files},
            origin=Origin.CLI,
            origin_detail=f"ntm restore {path}{' --force' if options['force'] else ''} "
            f"({who_runs()})",
        )
        self.stdout.write(
            f"Đã phục hồi {summary.tables} bảng, {summary.rows} dòng, {summary.files} tệp "
            f"từ {path} ({size_text(summary.size)})."
        )
