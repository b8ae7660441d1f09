"""Open a criteria workbook and find its cells, each with its sheet, row and column.

Nothing here knows what a threshold means (``workbook_parse`` does); this module only refuses
files that are not a workbook of the documented layout, and never lets openpyxl's own
exceptions reach the user.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from dataclasses import dataclass, field
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

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

MAX_BYTES = 5 * 1024 * 1024  # an annex table is a few dozen kilobytes
MAX_UNPACKED = 60 * 1024 * 1024  # checked before openpyxl unzips anything (zip bombs)
MAX_ROWS = 3000
MAX_COLUMNS = 200
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
    book = _open(content)
    problems: list[Problem] = []
    sheets = {folded(ws.title): ws for ws in book.worksheets}
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


def _open(content: bytes) -> Any:
    def refuse(reason: str) -> WorkbookError:
        return WorkbookError([Problem("", None, "", reason)])

    if len(content) > MAX_BYTES:
        raise refuse(f"tệp lớn hơn {MAX_BYTES // (1024 * 1024)} MB, không phải một bảng tiêu chí")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        raise refuse("không phải tệp Excel .xlsx (hãy lưu lại dưới dạng .xlsx)") from None
    if unpacked > MAX_UNPACKED:
        raise refuse("tệp giải nén quá lớn, không phải một bảng tiêu chí")
    try:
        return load_workbook(io.BytesIO(content), data_only=False)
    except Exception as exc:  # openpyxl raises many kinds on broken files
        raise refuse(f"không đọc được tệp Excel ({type(exc).__name__})") from None


def _cells(ws: Worksheet, problems: list[Problem]) -> list[list[Cell]]:
    """Every row of the sheet with merged ranges filled by their top-left value."""
    # Formatting alone can stretch max_row to the sheet's end: only values count.
    n_rows, n_cols = min(ws.max_row, MAX_ROWS), min(ws.max_column, MAX_COLUMNS)
    beyond_rows = ws.iter_rows(min_row=MAX_ROWS + 1, values_only=True)
    beyond_cols = ws.iter_cols(min_col=MAX_COLUMNS + 1, max_row=n_rows, values_only=True)
    if any(v is not None for row in beyond_rows for v in row) or any(
        v is not None for col in beyond_cols for v in col
    ):
        problems.append(Problem(ws.title, None, "", f"quá {MAX_ROWS} dòng hoặc {MAX_COLUMNS} cột"))
        return []
    merged = {}
    for rng in ws.merged_cells.ranges:
        top_left = ws.cell(rng.min_row, rng.min_col)
        for r in range(rng.min_row, min(rng.max_row, n_rows) + 1):
            for c in range(rng.min_col, min(rng.max_col, n_cols) + 1):
                merged[(r, c)] = top_left
    rows = []
    for r in range(1, n_rows + 1):
        row = []
        for c in range(1, n_cols + 1):
            source = merged.get((r, c)) or ws.cell(r, c)
            row.append(_cell(ws.title, source, r, c, problems))
        rows.append(row)
    return rows


def _cell(sheet: str, cell: Any, row: int, col: int, problems: list[Problem]) -> Cell:
    value, letter = cell.value, get_column_letter(col)
    if cell.data_type == "f":
        problems.append(Problem(sheet, row, letter, "ô chứa công thức; hãy dán giá trị"))
        value = None
    elif isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip() or None
    elif isinstance(value, dt.datetime):
        value = value.date()
    elif value is not None and not isinstance(value, (int, float, bool, dt.date)):
        problems.append(Problem(sheet, row, letter, "ô chứa công thức hoặc kiểu dữ liệu lạ"))
        value = None
    percent = isinstance(value, (int, float)) and "%" in str(cell.number_format or "")
    return Cell(value=value, row=row, column=letter, percent=percent)


def _read_meta(ws: Worksheet, raw: RawWorkbook, problems: list[Problem]) -> None:
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


def _read_rows(ws: Worksheet, raw: RawWorkbook, problems: list[Problem]) -> None:
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


def _read_sources(ws: Worksheet, raw: RawWorkbook, problems: list[Problem]) -> None:
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
