"""`ntm units load [--province 12]` and `ntm units history CODE`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from tqdm import tqdm

from ntm.units.models import Level, Unit, UnitEvent, UnitEventLink
from ntm.units.selectors import (
    unit_events,
    unit_predecessors,
    unit_province,
    unit_successors_current,
    units_with_code,
)
from ntm.units.services import units_load_registry
from ntm.units.signals import units_loaded


def _day(value: dt.date | None) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


def _period(unit: Unit) -> str:
    if unit.valid_from and unit.valid_to:
        return f"từ {_day(unit.valid_from)} đến {_day(unit.valid_to)}"
    if unit.valid_from:
        return f"từ {_day(unit.valid_from)}, đang hiệu lực"
    if unit.valid_to:
        return f"đến {_day(unit.valid_to)}"
    return "đang hiệu lực"


def _label(unit: Unit) -> str:
    """ "Xã Sùng Phài (03397), Huyện Tam Đường, Tỉnh Lai Châu"."""
    parts = [f"{unit.name} ({unit.code})"]
    parent = unit.parent
    while parent is not None:
        parts.append(parent.name)
        parent = parent.parent
    return ", ".join(parts)


def _event_line(event: UnitEvent) -> str:
    links = list(event.links.all())
    before = [
        f"{link.unit.name} ({link.unit.code})" + (" [một phần]" if link.partial else "")
        for link in links
        if link.role == UnitEventLink.Role.PREDECESSOR
    ]
    after = [
        f"{link.unit.name} ({link.unit.code})"
        for link in links
        if link.role == UnitEventLink.Role.SUCCESSOR
    ]
    line = f"{_day(event.effective)} {event.get_kind_display().lower()}: {', '.join(before)}"
    line += f" → {', '.join(after)}" if after else " (không có đơn vị kế thừa)"
    line += f". Căn cứ: {event.legal_basis or 'không ghi'}."
    return line + (f" Ghi chú: {event.note}" if event.note else "")


def _django_options() -> CommandParser:
    """Django's own options, repeated on each subcommand so that they may follow it
    (`ntm units load --settings=...`); SUPPRESS keeps the values given before it."""
    shared = CommandParser(add_help=False)  # the subparsers' class, which typeshed asks of parents
    keep = argparse.SUPPRESS
    shared.add_argument("-v", "--verbosity", type=int, choices=[0, 1, 2, 3], default=keep)
    shared.add_argument("--settings", default=keep)
    shared.add_argument("--pythonpath", default=keep)
    for flag in ("--traceback", "--no-color", "--force-color", "--skip-checks"):
        shared.add_argument(flag, action="store_true", default=keep)
    return shared


class Command(BaseCommand):
    help = "Đơn vị hành chính: nạp danh mục chính thức, xem lịch sử một mã đơn vị."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        shared = _django_options()
        load = actions.add_parser(
            "load", parents=[shared], help="Nạp tỉnh, huyện, xã của cả hai cấu trúc."
        )
        load.add_argument(
            "--province",
            action="append",
            metavar="MÃ",
            help="Chỉ nạp tỉnh có mã này (lặp lại được), ví dụ --province 12",
        )
        load.add_argument("--no-2025", action="store_true", help="Không nạp cấu trúc từ 01/7/2025.")
        history = actions.add_parser(
            "history", parents=[shared], help="Đơn vị trước và đơn vị hiện nay của một mã."
        )
        history.add_argument("code", metavar="MÃ")
        history.add_argument("--level", choices=Level.values, help="Chỉ xét một cấp.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "load":
            self._load(provinces=options["province"], include_new=not options["no_2025"])
        else:
            self._history(code=options["code"].strip(), level=options["level"])

    def _load(self, *, provinces: list[str] | None, include_new: bool) -> None:
        bar: tqdm[Any] | None = None

        def progress(stage: str, done: int, total: int) -> None:
            # One bar per stage, closed before the next starts, so the bars do not interleave.
            nonlocal bar
            if bar is None or bar.desc != stage:
                if bar is not None:
                    bar.close()
                bar = tqdm(total=total, desc=stage, unit=" dòng")
            bar.n = done
            bar.refresh()

        selection = {code.strip().zfill(2) for code in provinces} if provinces else None
        try:
            with transaction.atomic():  # the new events and the verdicts they change, together
                result = units_load_registry(
                    include_new=include_new, provinces=selection, progress=progress
                )
                if result.touched_unit_ids:  # the indicators app re-evaluates them
                    units_loaded.send(sender=None, unit_ids=result.touched_unit_ids)
        finally:
            if bar is not None:
                bar.close()
        self.stdout.write(
            f"Đã thêm {result.units_created} đơn vị hành chính và "
            f"{result.events_created} biến động; tổng cộng {Unit.objects.count()} đơn vị."
        )

    def _history(self, *, code: str, level: str | None) -> None:
        units = units_with_code(code=code, level=level)
        if not units:
            raise CommandError(f"Không có đơn vị hành chính nào mang mã {code}.")
        for unit in units:
            self._print_unit(unit)

    def _print_unit(self, unit: Unit) -> None:
        write = self.stdout.write
        write(f"{_label(unit)} — {unit.get_level_display().lower()}, {_period(unit)}")
        region = unit_province(unit=unit).region
        if region:
            write(f"  Vùng: {region}")
        events = unit_events(unit=unit)
        if events:
            write("  Biến động:")
            for event in events:
                write(f"    {_event_line(event)}")
        predecessors = unit_predecessors(unit=unit)
        if predecessors:
            write("  Hình thành từ:")
            for before in predecessors:
                write(f"    {_label(before)} ({_period(before)})")
        else:
            write("  Hình thành từ: không có biến động nào được ghi nhận.")
        current = unit_successors_current(unit=unit)
        if current == [unit]:
            write("  Hiện nay: vẫn đang hiệu lực.")
        elif current:
            write("  Hiện nay là: " + "; ".join(_label(now) for now in current))
        else:
            write("  Hiện nay: không còn đơn vị kế thừa được ghi nhận (xem biến động ở trên).")
        write("")
