"""Read a commune class list (CSV or .xlsx): a header row naming the commune by ``unit_code``
or ``name`` and its ``class``, then one row per commune.

The spreadsheet layer reads the file as it reads every other (ntm.spreadsheet): UTF-8 only (no
guessing of legacy encodings), no NUL byte, no macro-enabled, encrypted or oversized workbook,
rows streamed. A file that cannot be read raises SheetError with one Vietnamese sentence; so
does a cell showing an Excel error or a formula without a computed value, naming its place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from ntm.core.values import fold
from ntm.spreadsheet import (
    MB,
    OLE_MAGIC,
    ZIP_MAGIC,
    Sheet,
    SheetError,
    SheetLimits,
    SheetRow,
    cell_problem,
    csv_delimiter,
    csv_rows,
    decode_text,
    open_workbook,
    refuse_ole,
    too_large,
    unit_code_text,
)

# A country has about 8,300 rural communes: a class list is small; anything larger is refused.
LIMITS = SheetLimits(
    max_bytes=5 * MB, max_unpacked=50 * MB, max_rows=20_000, max_cells=100_000, max_sheets=50
)
HEADER_SEARCH_ROWS = 10
# Accepted headers (folded, spaces and "_" alike) -> column.
HEADERS = {
    "unit code": "unit_code",
    "ma": "unit_code",
    "ma don vi": "unit_code",
    "ma xa": "unit_code",
    "name": "name",
    "ten": "name",
    "ten xa": "name",
    "class": "class",
    "nhom": "class",
    "vung": "class",
    "vung/nhom": "class",
}


@dataclass(frozen=True)
class ClassCell:
    """One row of the list as written, with where it is for error messages."""

    row: int
    unit_code: str
    name: str
    class_code: str


@dataclass
class ClassTable:
    sheet: str  # "" for CSV
    columns: dict[str, str]  # column -> how to name it in a message (a letter, or the header)
    rows: list[ClassCell]


def header_key(raw: Any) -> str | None:
    text = " ".join(fold("" if raw is None else str(raw)).replace("_", " ").split())
    return HEADERS.get(text)


def cell_text(raw: Any) -> str:
    """A cell as text; Excel's 3.0 for a typed 3 is "3"."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return " ".join(str(raw).split())


def read_class_table(data: bytes) -> ClassTable:
    if not data:
        raise SheetError("Tệp rỗng (0 byte).", kind="empty")
    if len(data) > LIMITS.max_bytes:
        raise too_large(len(data), LIMITS)
    if data.startswith(OLE_MAGIC):
        raise refuse_ole()
    if data.startswith(ZIP_MAGIC):
        return _read_workbook(data)
    return _read_csv(decode_text(data))


def _header(cells: Sequence[Any]) -> dict[str, int] | None:
    """Column -> position when the row names ``class`` and ``unit_code`` or ``name``."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if key is None:
            continue
        if key in found:
            raise SheetError(f"Dòng tiêu đề có hai cột cùng nghĩa «{key}».")
        found[key] = index
    if "class" in found and ("unit_code" in found or "name" in found):
        return found
    return None


def _no_header() -> SheetError:
    return SheetError(
        "Không tìm thấy dòng tiêu đề: cần cột class (vùng/nhóm) và cột unit_code (mã xã) "
        "hoặc name (tên xã)."
    )


def _cells(line: int, cells: Sequence[Any], at: dict[str, int]) -> ClassCell | None:
    def get(key: str) -> Any:
        index = at.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    code = unit_code_text(get("unit_code")) if get("unit_code") is not None else ""
    cell = ClassCell(line, code, cell_text(get("name")), cell_text(get("class")))
    if not (cell.unit_code or cell.name or cell.class_code):
        return None
    return cell


def _read_csv(text: str) -> ClassTable:
    delimiter = csv_delimiter(
        text, lambda cells: _header(cells) is not None, search_lines=HEADER_SEARCH_ROWS
    )
    if delimiter is None:
        raise _no_header()
    at: dict[str, int] | None = None
    rows: list[ClassCell] = []
    headers: Sequence[str] = []
    for line, cells in csv_rows(text, delimiter, LIMITS):
        if at is None:
            at = _header(cells)
            headers = cells
            continue
        cell = _cells(line, cells, at)
        if cell is not None:
            rows.append(cell)
    assert at is not None  # csv_delimiter found the header among the same lines
    return ClassTable("", {k: headers[i].strip() for k, i in at.items()}, rows)


def _read_workbook(data: bytes) -> ClassTable:
    with open_workbook(data, LIMITS) as book:
        for sheet in book.sheets:
            if sheet.visible and (table := _sheet_table(sheet)) is not None:
                return table
    raise _no_header()


def _sheet_table(sheet: Sheet) -> ClassTable | None:
    rows = sheet.rows()
    at = _sheet_header(rows)
    if at is None:
        return None
    found = []
    for row in rows:
        _check_cells(sheet.title, row, at)
        if (cell := _cells(row.number, row.values, at)) is not None:
            found.append(cell)
    return ClassTable(sheet.title, {k: get_column_letter(i + 1) for k, i in at.items()}, found)


def _sheet_header(rows: Iterator[SheetRow]) -> dict[str, int] | None:
    for row in rows:
        if row.number > HEADER_SEARCH_ROWS:
            return None
        at = _header(row.values)
        if at is not None:
            return at
    return None


def _check_cells(sheet: str, row: SheetRow, at: dict[str, int]) -> None:
    """A class list takes what Excel showed; an error or an uncomputed formula has nothing."""
    for index in at.values():
        cell = row.cell(index + 1)
        reason = cell_problem(cell, formulas=True)
        if reason:
            raise SheetError(reason, kind="cell", sheet=sheet, row=row.number, column=cell.letter)
