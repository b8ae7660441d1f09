"""A generic importer for record sheets: one row per record, one column per field.

A ``RecordSheet`` says what a sheet holds (its name, its columns with Vietnamese headers and a
parser each), how a row finds its stored record (the natural key) and how it is written. The
importer reads the workbook, parses every cell, checks the rows together (duplicate keys, scope)
and then either reports (dry run) or writes everything in ONE transaction; with any problem,
nothing is written. Every problem names sheet, row, column and reason; every write goes through
the spec's ``save`` (a service that writes its own audit row), with the file name and SHA-256.

Kinds register themselves (``register``) from their app's ``ready()``, so that the commands
`ntm import-records --kind K` and `ntm records-template --kind K` serve every app.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ntm.core.numbers import NumberError, number_checked, number_read
from ntm.core.values import fold
from ntm.exchange.readers.base import FileRefused, Limits
from ntm.spreadsheet import Book, Problem, Sheet, SheetError, SheetRow, cell_problem, open_workbook

HEADER_SEARCH_ROWS = 10
INSTRUCTIONS_SHEET = "Hướng dẫn"


class CellError(ValueError):
    """A parser's refusal: the message is a Vietnamese sentence about the cell's content."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Vietnamese header as written in the template
    parse: Callable[[Any], Any]  # raw cell (None when empty) -> value, or raises CellError
    required: bool = True
    help: str = ""


@dataclass(frozen=True)
class RecordSheet:
    """What one kind of record sheet holds and how its rows are written.

    ``resolve(values)`` completes a parsed row with lookups across columns (a unit from its
    code and year) and returns errors by column key. ``key(values)`` is the natural key (rows
    with the same key in one file are refused). ``existing(values)`` returns the stored record's
    snapshot or None, ``snapshot(values)`` what the row would store (both dicts: they decide
    added/changed/unchanged). ``check(actor, values)`` returns a scope refusal or "".
    ``save(actor, values, origin_detail)`` writes one row through the app's audited service.
    """

    kind: str
    sheet: str
    title: str
    columns: tuple[Column, ...]
    key: Callable[[dict[str, Any]], tuple[Any, ...]]
    existing: Callable[[dict[str, Any]], dict[str, Any] | None]
    snapshot: Callable[[dict[str, Any]], dict[str, Any]]
    save: Callable[[Any, dict[str, Any], str], Any]
    check: Callable[[Any, dict[str, Any]], str]
    resolve: Callable[[dict[str, Any]], dict[str, str]] = lambda values: {}
    instructions: tuple[str, ...] = ()


REGISTRY: dict[str, Callable[[], RecordSheet]] = {}


def register(kind: str, factory: Callable[[], RecordSheet]) -> None:
    REGISTRY[kind] = factory


def spec_for(kind: str) -> RecordSheet:
    if kind not in REGISTRY:
        known = ", ".join(sorted(REGISTRY))
        raise KeyError(f"Không có loại biểu «{kind}»; các loại có: {known}")
    return REGISTRY[kind]()


@dataclass
class RowResult:
    row: int
    kind: str  # "add", "change", "same"
    key: tuple[Any, ...]
    after: dict[str, Any]


@dataclass
class Report:
    file_name: str
    sha256: str
    dry_run: bool
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        kinds = [r.kind for r in self.rows]
        return {
            "added": kinds.count("add"),
            "changed": kinds.count("change"),
            "unchanged": kinds.count("same"),
            "errors": len(self.problems),
        }

    @property
    def origin_detail(self) -> str:
        return f"{self.file_name[:200]} sha256={self.sha256}"


# Parsers shared by the specs ------------------------------------------------------------


def text_cell(raw: Any) -> str:
    return "" if raw is None else " ".join(str(raw).split())


def parse_decimal(
    raw: Any, *, minimum: Decimal | int | None = None, maximum: Decimal | int | None = None
) -> Decimal | None:
    """A number as Excel gives it, or typed the Vietnamese way ("1.234,5", "2.142.589")."""
    try:
        if raw is None or (isinstance(raw, int | float | Decimal) and not isinstance(raw, bool)):
            return None if raw is None else number_checked(raw, minimum=minimum, maximum=maximum)
        return number_read(str(raw), minimum=minimum, maximum=maximum)
    except NumberError as exc:
        raise CellError(str(exc)) from None


def decimal_within(
    minimum: Decimal | int | None, maximum: Decimal | int | None
) -> Callable[[Any], Decimal | None]:
    """A column parser for a number within bounds (see parse_decimal)."""

    def parse(raw: Any) -> Decimal | None:
        return parse_decimal(raw, minimum=minimum, maximum=maximum)

    return parse


def required(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def parse_required(raw: Any) -> Any:
        value = parse(raw)
        if value is None or value == "":
            raise CellError("ô này không được để trống")
        return value

    return parse_required


def parse_year(raw: Any) -> int | None:
    value = parse_decimal(raw)
    if value is None:
        return None
    if value != value.to_integral_value() or not 2000 <= value <= 2100:
        raise CellError(f"năm «{raw}» không hợp lệ (cần số năm như 2019)")
    return int(value)


_MONTH = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{4})")


def parse_month(raw: Any) -> tuple[int, int] | None:
    """ "09/2019" (or a date cell) -> (2019, 9)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, dt.datetime | dt.date):
        return raw.year, raw.month
    match = _MONTH.fullmatch(str(raw).strip())
    if not match or not 1 <= int(match[1]) <= 12:
        raise CellError(f"«{raw}» không phải tháng dạng MM/YYYY (ví dụ 09/2019)")
    return int(match[2]), int(match[1])


# Reading ----------------------------------------------------------------------------------


def _header_row(rows: Iterator[SheetRow], spec: RecordSheet) -> tuple[int, dict[str, int]] | None:
    """The header's row number and each column's 0-based position, read off ``rows``."""
    wanted = {fold(c.header): c.key for c in spec.columns}
    needed = {c.key for c in spec.columns if c.required}
    for row in rows:
        if row.number > HEADER_SEARCH_ROWS:
            return None
        found = {}
        for index, cell in enumerate(row.values):
            key = wanted.get(fold(text_cell(cell)))
            if key is not None:
                found[key] = index
        if needed <= found.keys():
            return row.number, found
    return None


def _sheet(spec: RecordSheet, book: Book) -> Sheet:
    if spec.sheet in book:
        return book.sheet(spec.sheet)
    raise FileRefused(f"Tệp không có trang «{spec.sheet}» (hãy dùng biểu mẫu {spec.title}).")


@dataclass
class _Row:
    number: int
    values: dict[str, Any]


def _parse(spec: RecordSheet, data: bytes, limits: Limits, report: Report) -> list[_Row]:
    with open_workbook(data, limits) as book:
        rows = _sheet(spec, book).rows()
        found = _header_row(rows, spec)
        if found is None:
            headers = ", ".join(f"«{c.header}»" for c in spec.columns if c.required)
            raise FileRefused(f"Không tìm thấy dòng tiêu đề ({headers}).", sheet=spec.sheet)
        return [row for sheet_row in rows if (row := _row(spec, sheet_row, found[1], report))]


def _row(
    spec: RecordSheet, sheet_row: SheetRow, positions: dict[str, int], report: Report
) -> _Row | None:
    """The row's parsed values, or None when it is blank or has a problem (then reported)."""
    number = sheet_row.number

    def problem(column: Column | None, reason: str) -> None:
        index = positions.get(column.key) if column else None
        letter = get_column_letter(index + 1) if index is not None else ""
        label = f"«{column.header}»: " if column else ""
        report.problems.append(Problem(spec.sheet, number, letter, "", "", label + reason))

    cells = {k: sheet_row.cell(i + 1) for k, i in positions.items()}
    if all(cell.empty for cell in cells.values()):
        return None
    values, bad = {}, False
    for column in spec.columns:
        cell = cells.get(column.key)
        # A record sheet takes what Excel showed: a formula's cached value, never an error.
        reason = cell_problem(cell, formulas=True) if cell is not None else None
        try:
            if reason:
                raise CellError(reason)
            values[column.key] = column.parse(cell.value if cell is not None else None)
        except CellError as exc:
            problem(column, str(exc))
            bad = True
    if bad:
        return None
    for key, reason in spec.resolve(values).items():
        problem(_column(spec, key), reason)
        bad = True
    return None if bad else _Row(number, values)


def _column(spec: RecordSheet, key: str) -> Column | None:
    return next((c for c in spec.columns if c.key == key), None)


def _plan(spec: RecordSheet, rows: list[_Row], actor: Any, report: Report) -> None:
    seen: dict[tuple[Any, ...], int] = {}
    for row in rows:
        key = spec.key(row.values)
        if key in seen:
            reason = f"trùng với dòng {seen[key]} (cùng đơn vị, kỳ và loại số liệu)"
            report.problems.append(Problem(spec.sheet, row.number, "", "", "", reason))
            continue
        seen[key] = row.number
        refusal = spec.check(actor, row.values)
        if refusal:
            report.problems.append(Problem(spec.sheet, row.number, "", "", "", refusal))
            continue
        before, after = spec.existing(row.values), spec.snapshot(row.values)
        kind = "add" if before is None else ("same" if before == after else "change")
        report.rows.append(RowResult(row.number, kind, key, after))


def records_import(
    *,
    spec: RecordSheet,
    file_bytes: bytes,
    file_name: str,
    actor: Any,
    dry_run: bool,
    limits: Limits | None = None,
) -> Report:
    """Check the sheet and, unless ``dry_run`` or any problem, write every row in one
    transaction. ``actor`` None is the system (the CLI without --user)."""
    limits = limits or Limits()
    report = Report(file_name, hashlib.sha256(file_bytes).hexdigest(), dry_run)
    try:
        rows = _parse(spec, file_bytes, limits, report)
    except SheetError as exc:
        report.problems.append(FileRefused.of(exc).problem)
        return report
    try:
        with transaction.atomic():
            _plan(spec, rows, actor, report)
            if report.problems or dry_run:
                return report
            by_number = {row.number: row for row in rows}
            for result in report.rows:
                if result.kind != "same":
                    _save_row(spec, actor, by_number[result.row], report)
            report.written = True
    except _RowRefused as exc:
        report.problems.append(exc.problem)  # the transaction is rolled back: nothing written
    return report


class _RowRefused(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.reason)
        self.problem = problem


def _save_row(spec: RecordSheet, actor: Any, row: _Row, report: Report) -> None:
    try:
        spec.save(actor, row.values, report.origin_detail)
    except ValueError as exc:  # a service's refusal (FinanceError ...): a sentence for the user
        raise _RowRefused(Problem(spec.sheet, row.number, "", "", "", str(exc))) from exc


# Template ---------------------------------------------------------------------------------


def records_template(spec: RecordSheet) -> bytes:
    """An empty sheet with the headers, and an instructions sheet, as .xlsx bytes."""
    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook opens on its one worksheet
    sheet.title = spec.sheet
    for index, column in enumerate(spec.columns, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.header) + 2)
    sheet.freeze_panes = "A2"
    guide = book.create_sheet(INSTRUCTIONS_SHEET)
    guide.column_dimensions["A"].width = 34
    guide.column_dimensions["B"].width = 90
    guide.append([spec.title])
    guide["A1"].font = Font(bold=True)
    for line in spec.instructions:
        guide.append(["", line])
    guide.append([])
    guide.append(["Cột", "Cách ghi"])
    for column in spec.columns:
        mark = " (bắt buộc)" if column.required else ""
        guide.append([column.header + mark, column.help])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
