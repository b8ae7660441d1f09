"""`ntm import-records --kind K FILE [--dry-run] [--user U]`: a record sheet (capital,
contributions, ...) through ntm.exchange.records. Exit 0 written (or a clean dry run),
1 refused (nothing written), 2 usage error. Without --user: the system's full scope."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.exchange.management import USAGE, user_named
from ntm.exchange.records import REGISTRY, records_import, spec_for

KINDS = {"add": "thêm", "change": "sửa", "same": "giữ nguyên"}


class Command(BaseCommand):
    help = (
        "Nhập biểu bản ghi (vốn, đóng góp ...) từ tệp Excel: ghi trọn vẹn hoặc không ghi gì. "
        "Mã thoát: 0 đã ghi (hoặc kiểm tra không lỗi), 1 tệp bị từ chối, 2 dùng lệnh sai."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--kind", required=True, help="loại biểu: capital, contributions ...")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--user", help="nhập với quyền của tài khoản này")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["kind"] not in REGISTRY:
            known = ", ".join(sorted(REGISTRY))
            raise CommandError(
                f"Không có loại biểu «{options['kind']}» ({known})", returncode=USAGE
            )
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}", returncode=USAGE)
        report = records_import(
            spec=spec_for(options["kind"]),
            file_bytes=path.read_bytes(),
            file_name=path.name,
            actor=user_named(options["user"]),
            dry_run=options["dry_run"],
        )
        self.stdout.write(f"Tệp {report.file_name} (sha256 {report.sha256})")
        for row in report.rows:
            self.stdout.write(f"{KINDS[row.kind]} (dòng {row.row}): {row.after}")
        for problem in report.problems:
            self.stderr.write(f"Lỗi: {problem.text()}")
        if not report.ok:
            raise CommandError(f"Tệp có {len(report.problems)} lỗi: không ghi gì.", returncode=1)
        c = report.counts
        verb = "Sẽ" if options["dry_run"] else "Đã"
        tail = "; chưa ghi gì (--dry-run)." if options["dry_run"] else "."
        self.stdout.write(
            f"{verb} thêm {c['added']}, sửa {c['changed']}, giữ nguyên {c['unchanged']} dòng{tail}"
        )
