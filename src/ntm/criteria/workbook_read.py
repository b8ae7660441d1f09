"""Open a criteria workbook and find its cells, each with its sheet, row and column.

Nothing here knows what a threshold means (``workbook_parse`` does); this module only refuses
files that are not a workbook of the documented layout. The spreadsheet layer opens the file
(size, unpacked size, macros, encryption) and reports its Excel errors and formulas, so that
openpyxl's own exceptions never reach the user.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from ntm.criteria.workbook_layout import (
    COLUMNS,
    REQUIRED_FIELDS,
    SHEET_META,
    SHEET_ROWS,
    SHEET_SOURCES,
    field_for_header,
    folded,
    meta_key,
)
from ntm.spreadsheet import (
    Book,
    Sheet,
    SheetCell,
    SheetError,
    SheetLimits,
    cell_problem,
    open_workbook,
)

MAX_BYTES = 5 * 1024 * 1024  # an annex table is a few dozen kilobytes
MAX_ROWS = 3000
MAX_COLUMNS = 200
LIMITS = SheetLimits(
    max_bytes=MAX_BYTES,
    max_unpacked=60 * 1024 * 1024,
    # Rows and cells of every sheet together, formatting-only rows included: the per-sheet
    # MAX_ROWS and MAX_COLUMNS below are what the layout allows, these what is worth reading.
    max_rows=20 * MAX_ROWS,
    max_cells=200_000,
    max_sheets=50,
)
MAX_PROBLEMS = 200
HEADER_SEARCH_ROWS = 20  # an annex often has a title above its header row


@dataclass(frozen=True)
class Problem:
    """One reason the workbook is refused, pointing into the user's own file."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def text(self) -> str:
        where = [f"Trang «{self.sheet}»"] if self.sheet else ["Tệp"]
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        return ", ".join(where) + f": {self.reason}"


class WorkbookError(ValueError):
    """The workbook is refused as a whole; ``problems`` lists every reason found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        shown = "\n".join(p.text() for p in self.problems[:20])
        more = len(self.problems) - 20
        super().__init__(shown + (f"\n… và {more} lỗi khác" if more > 0 else ""))


@dataclass(frozen=True)
class Cell:
    value: Any  # None, str (NFC, stripped), int, float, bool, date
    row: int
    column: str  # letter
    percent: bool = False  # the cell is formatted as a percentage (80% is stored as 0.8)


@dataclass
class MetaRow:
    key: str  # a META_KEYS name
    value: Cell
    name: Cell
    row: int


@dataclass
class RawWorkbook:
    """The cells of the three sheets, before any meaning is given to them."""

    meta: list[MetaRow] = field(default_factory=list)
    headers: dict[str, Cell] = field(default_factory=dict)  # field -> header cell
    other_headers: list[Cell] = field(default_factory=list)  # class columns, or errors
    rows: list[dict[str, Cell]] = field(default_factory=list)  # header text/field -> cell
    sources: dict[str, str] = field(default_factory=dict)
    source_rows: dict[str, int] = field(default_factory=dict)

    def meta_row(self, key: str) -> int | None:
        """The row of a metadata key, for errors about its value."""
        return next((m.row for m in self.meta if m.key == key), None)


def read_workbook(content: bytes) -> RawWorkbook:
    """The workbook's cells, or WorkbookError naming each sheet, row and column at fault."""
    try:
        with open_workbook(content, LIMITS) as book:
            return _read(book)
    except SheetError as exc:
        raise WorkbookError([Problem(exc.sheet, exc.row, exc.column, exc.reason)]) from None


def _read(book: Book) -> RawWorkbook:
    problems: list[Problem] = []
    sheets = {folded(sheet.title): sheet for sheet in book.sheets}
    raw = RawWorkbook()
    for name in (SHEET_META, SHEET_ROWS):
        if folded(name) not in sheets:
            problems.append(Problem(name, None, "", "thiếu trang này trong tệp"))
    if problems:
        raise WorkbookError(problems)
    _read_meta(sheets[folded(SHEET_META)], raw, problems)
    _read_rows(sheets[folded(SHEET_ROWS)], raw, problems)
    if folded(SHEET_SOURCES) in sheets:
        _read_sources(sheets[folded(SHEET_SOURCES)], raw, problems)
    if problems:
        raise WorkbookError(problems)
    return raw


def _cells(sheet: Sheet, problems: list[Problem]) -> list[list[Cell]]:
    """Every row of the sheet from row 1, merged ranges filled by their top-left value."""
    grid: dict[int, list[Cell]] = {}
    width = 0
    for row in sheet.rows():
        # Formatting alone can stretch a sheet to its end: only cells with values count.
        filled = [c for c in row.cells if not c.empty]
        if filled and (row.number > MAX_ROWS or filled[-1].column > MAX_COLUMNS):
            problems.append(
                Problem(sheet.title, None, "", f"quá {MAX_ROWS} dòng hoặc {MAX_COLUMNS} cột")
            )
            return []
        if row.number <= MAX_ROWS and row.cells:
            width = max(width, min(len(row.cells), MAX_COLUMNS))
            grid[row.number] = [_cell(sheet.title, c, problems) for c in row.cells[:MAX_COLUMNS]]
    rows = []
    for number in range(1, max(grid, default=0) + 1):
        cells = grid.get(number, [])
        rows.append(cells + [Cell(None, number, _letter(c)) for c in range(len(cells), width)])
    for ref in sheet.merged_ranges():
        _fill_merged(rows, ref)
    return rows


def _letter(index: int) -> str:
    """The letter of a 0-based column position."""
    return get_column_letter(index + 1)


def _fill_merged(rows: list[list[Cell]], ref: str) -> None:
    """Every cell of a merged range reads as its top-left cell (Excel shows only that one)."""
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    if min_col is None or min_row is None or min_row > len(rows):
        return
    top_left = rows[min_row - 1][min_col - 1] if min_col <= len(rows[min_row - 1]) else None
    if top_left is None:
        return
    for r in range(min_row, min(max_row or min_row, len(rows)) + 1):
        for c in range(min_col, min(max_col or min_col, len(rows[r - 1])) + 1):
            cell = rows[r - 1][c - 1]
            rows[r - 1][c - 1] = Cell(top_left.value, cell.row, cell.column, top_left.percent)


def _cell(sheet: str, cell: SheetCell, problems: list[Problem]) -> Cell:
    """The cell's value; its formula or Excel error is a problem (the layout says: values)."""
    value, letter = cell.value, cell.letter
    reason = cell_problem(cell, formulas=False)
    if reason:
        problems.append(Problem(sheet, cell.row, letter, reason))
        value = None
    elif isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip() or None
    elif isinstance(value, dt.datetime):
        value = value.date()
    elif value is not None and not isinstance(value, (int, float, bool, dt.date)):
        problems.append(
            Problem(sheet, cell.row, letter, "ô chứa kiểu dữ liệu lạ (giờ, khoảng thời gian)")
        )
        value = None
    percent = isinstance(value, (int, float)) and "%" in cell.number_format
    return Cell(value=value, row=cell.row, column=letter, percent=percent)


def _read_meta(ws: Sheet, raw: RawWorkbook, problems: list[Problem]) -> None:
    for row in _cells(ws, problems):
        if not row or row[0].value is None:
            continue
        key = meta_key(row[0].value)
        blank = Cell(None, row[0].row, "")
        if key is None:
            if folded(row[0].value) not in ("khoa", "key"):  # the header row
                problems.append(
                    Problem(ws.title, row[0].row, "A", f"khóa '{row[0].value}' không được biết")
                )
            continue
        value = row[1] if len(row) > 1 else blank
        name = row[2] if len(row) > 2 else blank
        raw.meta.append(MetaRow(key=key, value=value, name=name, row=row[0].row))


def _read_rows(ws: Sheet, raw: RawWorkbook, problems: list[Problem]) -> None:
    rows = _cells(ws, problems)
    header_at = next(
        (
            i
            for i, row in enumerate(rows[:HEADER_SEARCH_ROWS])
            if any(c.value is not None and field_for_header(str(c.value)) == "code" for c in row)
        ),
        None,
    )
    if header_at is None:
        labels = ", ".join(f"'{c.header}'" for c in COLUMNS if c.field in REQUIRED_FIELDS)
        problems.append(Problem(ws.title, None, "", f"không thấy dòng tiêu đề có cột {labels}"))
        return
    by_letter: dict[str, str] = {}
    for cell in rows[header_at]:
        if cell.value is None:
            continue
        name = field_for_header(str(cell.value))
        if name == "":
            continue
        if name is None:
            raw.other_headers.append(cell)
            by_letter[cell.column] = f"#{cell.column}"
            continue
        if name in raw.headers:
            first = raw.headers[name].column
            problems.append(
                Problem(
                    ws.title, cell.row, cell.column, f"cột '{cell.value}' trùng với cột {first}"
                )
            )
            continue
        raw.headers[name] = cell
        by_letter[cell.column] = name
    for name in REQUIRED_FIELDS:
        if name not in raw.headers:
            header = next(c.header for c in COLUMNS if c.field == name)
            problems.append(Problem(ws.title, header_at + 1, "", f"thiếu cột '{header}'"))
    for row in rows[header_at + 1 :]:
        cells = {by_letter[c.column]: c for c in row if c.column in by_letter}
        if any(c.value is not None for c in cells.values()):
            raw.rows.append(cells)


def _read_sources(ws: Sheet, raw: RawWorkbook, problems: list[Problem]) -> None:
    for row in _cells(ws, problems):
        if len(row) < 2 or row[0].value is None:
            continue
        key = str(row[0].value)
        if folded(key) in ("ma nguon", "ma", "key"):
            continue  # the header row
        if row[1].value is None:
            problems.append(Problem(ws.title, row[0].row, "B", f"nguồn '{key}' không có lời văn"))
        elif key in raw.sources:
            first = raw.source_rows[key]
            problems.append(
                Problem(ws.title, row[0].row, "A", f"mã nguồn '{key}' trùng với dòng {first}")
            )
        else:
            raw.sources[key] = str(row[1].value)
            raw.source_rows[key] = row[0].row
