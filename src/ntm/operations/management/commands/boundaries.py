"""`ntm boundaries import FILE --key FIELD [--year YEAR] [--dry-run]`: unit outlines for maps.

Lives with the operator's tools rather than in the units app because the import is audited
and ntm.units sits below ntm.audit. Exit codes: 0 written (or a dry run found nothing wrong),
2 the file was refused or unreadable (nothing written).
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.core.years import year_arg
from ntm.units.boundaries import MAX_BYTES, BoundaryError, boundaries_plan, boundaries_save


def _who() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        return "?"


def _read(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            # One byte past the limit is enough to refuse the file without reading it whole.
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise CommandError(
            f"Không đọc được tệp {path}: {exc.strerror or exc}", returncode=2
        ) from None


class Command(BaseCommand):
    help = "Ranh giới đơn vị hành chính cho bản đồ: nhập từ tệp GeoJSON."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser("import", help="nhập ranh giới (Polygon/MultiPolygon) từ GeoJSON")
        imp.add_argument("file", help="tệp GeoJSON (FeatureCollection), tọa độ WGS 84")
        imp.add_argument("--key", required=True, help="thuộc tính của đối tượng ghi mã đơn vị")
        imp.add_argument(
            "--year", type=year_arg, help="năm của danh sách đơn vị (mặc định: năm hiện tại)"
        )
        imp.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi gì")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        key = options["key"].strip()
        year = options["year"] or timezone.localdate().year
        try:
            plan = boundaries_plan(content=_read(path), key=key, year=year)
        except BoundaryError as exc:
            raise CommandError(f"{path.name}: {exc}", returncode=2) from None
        if options["dry_run"]:
            self.stdout.write(
                f"Chạy thử (--dry-run): {len(plan.shapes)} đơn vị hợp lệ năm {year}, chưa ghi gì."
            )
            return
        with transaction.atomic():
            written = boundaries_save(plan=plan, source=path.name)
            audit_record(
                actor=None,
                action="boundaries.import",
                object_type="boundary",
                object_id=path.name,
                year=year,
                after={"units": written, "key": key, "file": path.name},
                origin=Origin.CLI,
                origin_detail=f"ntm boundaries import {path.name} --key {key} ({_who()})",
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập ranh giới của {written} đơn vị (năm {year}) từ {path.name}."
            )
        )
