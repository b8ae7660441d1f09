"""`ntm backup -o FILE`: the database, evidence files and import files in one zip archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.operations.archive import size_text, who_runs
from ntm.operations.backup import backup_write
from ntm.operations.management.bars import StageBars


class Command(BaseCommand):
    help = (
        "Sao lưu toàn bộ dữ liệu (cơ sở dữ liệu, tệp minh chứng, tệp nhập) vào một tệp zip; "
        "phục hồi bằng `ntm restore`."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", required=True, help="tệp bản sao lưu, ví dụ ntm-2026-11-30.zip"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["output"])
        if path.is_dir():
            raise CommandError(f"{path} là một thư mục; hãy ghi tên tệp, ví dụ {path}/ntm.zip")
        bars = StageBars()
        try:
            summary = backup_write(path=path, progress=bars)
        except OSError as exc:
            raise CommandError(f"Không ghi được bản sao lưu {path}: {exc}") from None
        finally:
            bars.close()
        audit_record(
            actor=None,
            action="backup.create",
            object_type="backup",
            object_id=path.name,
            after={"tables": summary.tables, "rows": summary.rows, "files": summary.files},
            origin=Origin.CLI,
            origin_detail=f"ntm backup -o {path} ({who_runs()})",
        )
        self.stdout.write(
            f"Đã sao lưu {summary.tables} bảng, {summary.rows} dòng, {summary.files} tệp "
            f"vào {path} ({size_text(summary.size)})."
        )
