"""Excel workbooks (.xlsx) opened safely and read row by row, each cell with where it is.

``open_workbook`` refuses before openpyxl parses anything what the package says is unsafe
(package.py), then opens the workbook in read-only mode: a national file never sits in memory
as cell objects. Each cell comes with both its cached value (what Excel showed when the file
was saved) and its formula, if any, so that every reader applies the same rules: an Excel
error (#REF!, #DIV/0! ...) is never a value, a formula without a cached value has no value.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._reader import FORMULA_TAG, WorkSheetParser

from ntm.spreadsheet.errors import (
    SheetError,
    SheetLimits,
    too_large,
    too_many_cells,
    too_many_rows,
)
from ntm.spreadsheet.package import OLE_MAGIC, ZIP_MAGIC, Package, inspect_package, refuse_ole

EXCEL_ERRORS = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!")
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')
_SHEET_PART = re.compile(r"xl/(?:worksheets|chartsheets|dialogsheets)/[^/]+\.xml")


@dataclass(slots=True)  # not frozen: a national file makes millions, and frozen costs twice
class SheetCell:
    """One cell as the file holds it (read-only by convention)."""

    row: int
    column: int  # 1-based
    value: Any  # the cached value: None, str, int, float, bool, datetime, time, timedelta
    formula: str | None = None  # "=SUM(B2:B9)" when the cell holds a formula
    error: str | None = None  # "#REF!" ... when Excel shows an error instead of a value
    number_format: str = "General"

    @property
    def letter(self) -> str:
        return get_column_letter(self.column)

    @property
    def coordinate(self) -> str:
        return f"{self.letter}{self.row}"

    @property
    def empty(self) -> bool:
        return self.formula is None and (
            self.value is None or (isinstance(self.value, str) and not self.value.strip())
        )

    @property
    def as_typed(self) -> Any:
        """What the user typed: the formula for a formula cell, else the value (or error)."""
        return self.formula if self.formula is not None else self.value


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int
    cells: tuple[SheetCell, ...]  # dense from column 1; a missing cell is an empty one

    @property
    def values(self) -> tuple[Any, ...]:
        return tuple(cell.value for cell in self.cells)

    def cell(self, column: int) -> SheetCell:
        """The cell at a 1-based column, empty when the row is shorter."""
        if column <= len(self.cells):
            return self.cells[column - 1]
        return SheetCell(self.number, column, None)


def error_reason(code: str) -> str:
    return f"ô báo lỗi {code} của Excel, không có giá trị"


def formula_reason(formula: str) -> str:
    return (
        f"ô chứa công thức «{formula[:40]}»: hãy chép và dán dưới dạng giá trị (Paste Values) "
        "thay cho công thức"
    )


def uncached_reason(formula: str) -> str:
    return (
        f"ô chứa công thức «{formula[:40]}» nhưng tệp không lưu kết quả tính (tệp không được "
        "lưu bằng Excel): hãy mở tệp bằng Excel rồi lưu lại, hoặc dán dưới dạng giá trị"
    )


def cell_problem(cell: SheetCell, *, formulas: bool) -> str | None:
    """Why the cell gives no value to read, or None.

    ``formulas``: True takes a formula's cached value (what Excel showed); False refuses every
    formula, for files whose documented rule is "paste values" (criteria sets, the values
    template). Either way a formula without a cached value has none to take.
    """
    if cell.error is not None:
        return error_reason(cell.error)
    if cell.formula is None:
        return None
    if not formulas:
        return formula_reason(cell.formula)
    if cell.value is None:
        return uncached_reason(cell.formula)
    return None


def open_workbook(data: bytes, limits: SheetLimits) -> Book:
    """A workbook to read, or SheetError: too large, not an .xlsx, encrypted, macros, bomb."""
    if not data:
        raise SheetError("Tệp rỗng (0 byte).", kind="empty")
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits)
    if data.startswith(OLE_MAGIC):
        raise refuse_ole()
    if not data.startswith(ZIP_MAGIC):
        raise SheetError(
            "Tệp không phải tệp Excel .xlsx; hãy mở bằng Excel và lưu lại dưới dạng «Excel "
            "Workbook (.xlsx)».",
            kind="not_zip",
        )
    package = inspect_package(data, limits)
    _check_spreadsheet(package, limits)
    try:
        book = load_workbook(
            io.BytesIO(data), read_only=True, data_only=True, keep_links=False, rich_text=False
        )
    except Exception as exc:  # openpyxl raises many kinds on broken parts; all mean "broken"
        raise SheetError(
            f"Không mở được tệp Excel: {type(exc).__name__} {exc}"[:300], kind="broken"
        ) from None
    result = Book(book, limits)
    if len(book.sheetnames) > limits.max_sheets:
        result.close()
        raise _too_many_sheets(limits)
    return result


def _check_spreadsheet(package: Package, limits: SheetLimits) -> None:
    if b"spreadsheetml" not in package.content_types or not any(
        n.startswith("xl/") for n in package.names
    ):
        raise SheetError(
            "Tệp nén này không phải bảng tính Excel (.xlsx): có thể là tệp Word, PowerPoint "
            "hoặc một tệp .zip khác.",
            kind="not_xlsx",
        )
    if sum(1 for n in package.names if _SHEET_PART.fullmatch(n)) > limits.max_sheets:
        raise _too_many_sheets(limits)


def _too_many_sheets(limits: SheetLimits) -> SheetError:
    return SheetError(
        f"Tệp có hơn {limits.max_sheets} trang tính; hãy xóa các trang không cần rồi gửi lại.",
        kind="sheets",
    )


class Book:
    """An open workbook; rows and cells are counted against the limits over all sheets."""

    def __init__(self, book: Any, limits: SheetLimits) -> None:
        self._book = book
        self.limits = limits
        self.rows_read = 0
        self.cells_read = 0
        self._formats: dict[int, str] = {}

    def __enter__(self) -> Book:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._book.close()

    @property
    def sheetnames(self) -> list[str]:
        return list(self._book.sheetnames)

    @property
    def sheets(self) -> list[Sheet]:
        return [Sheet(self, ws) for ws in self._book.worksheets]

    def __contains__(self, title: str) -> bool:
        return title in self._book.sheetnames

    def sheet(self, title: str) -> Sheet:
        return Sheet(self, self._book[title])

    def number_format(self, style_id: int) -> str:
        if style_id not in self._formats:
            self._formats[style_id] = self._format_of(style_id)
        return self._formats[style_id]

    def _format_of(self, style_id: int) -> str:
        styles = self._book._cell_styles
        if not 0 <= style_id < len(styles):
            return "General"
        fmt_id = styles[style_id].numFmtId
        if fmt_id < BUILTIN_FORMATS_MAX_SIZE:
            return str(BUILTIN_FORMATS.get(fmt_id, "General"))
        custom = self._book._number_formats
        index = fmt_id - BUILTIN_FORMATS_MAX_SIZE
        return str(custom[index]) if 0 <= index < len(custom) else "General"


class Sheet:
    """One worksheet, read as a stream of rows."""

    def __init__(self, book: Book, ws: Any) -> None:
        self.book = book
        self._ws = ws
        self.title: str = ws.title
        self.visible: bool = ws.sheet_state == "visible"

    def rows(self) -> Iterator[SheetRow]:
        """The rows the file holds, in order; rows it leaves out are not made up.

        openpyxl's own read-only reader takes either the formula or the cached value; this
        parser keeps both (it relies on openpyxl 3.1's WorkSheetParser, tested in
        tests/spreadsheet). A broken part surfaces only here, as a SheetError.
        """
        book, limits = self.book, self.book.limits
        try:
            with self._ws._get_source() as source:
                parser = _Parser(
                    source,
                    self._ws._shared_strings,
                    data_only=True,
                    epoch=self._ws.parent.epoch,
                    date_formats=self._ws.parent._date_formats,
                    timedelta_formats=self._ws.parent._timedelta_formats,
                )
                for number, parsed in parser.parse():
                    book.rows_read += 1
                    if book.rows_read > limits.max_rows:
                        raise too_many_rows(limits, sheet=self.title)
                    yield self._row(number, parsed)
        except SheetError:
            raise
        except Exception as exc:  # a broken sheet part: bad XML, a lying zip entry, ...
            raise SheetError(
                f"Không đọc được tệp Excel: {type(exc).__name__} {exc}"[:300],
                kind="broken",
                sheet=self.title,
            ) from None

    def _row(self, number: int, parsed: list[dict[str, Any]]) -> SheetRow:
        if not parsed:
            return SheetRow(number, ())
        book = self.book
        width = max(cell["column"] for cell in parsed)
        # The row is made dense: a lone cell in column XFD costs 16,384 cells, counted before
        # they are made, so that a few hostile rows cannot fill the memory.
        book.cells_read += width
        if book.cells_read > book.limits.max_cells:
            raise too_many_cells(book.limits)
        cells: list[SheetCell | None] = [None] * width
        for raw in parsed:
            cells[raw["column"] - 1] = self._cell(number, raw)
        return SheetRow(
            number,
            tuple(
                c if c is not None else SheetCell(number, i + 1, None) for i, c in enumerate(cells)
            ),
        )

    def _cell(self, number: int, raw: dict[str, Any]) -> SheetCell:
        value, formula = raw["value"], raw.get("formula")
        error = None
        if raw["data_type"] == "e":  # an error typed in, or a formula's cached error
            error = str(value)
        style = raw.get("style_id") or 0
        fmt = self.book.number_format(int(style)) if style and value is not None else "General"
        return SheetCell(number, raw["column"], value, formula, error, fmt)

    def merged_ranges(self) -> list[str]:
        """The merged ranges ("A1:C1"): read-only openpyxl does not load them."""
        found: list[str] = []
        overlap = b""
        try:
            with self._ws._get_source() as source:
                while chunk := source.read(1 << 20):
                    block = overlap + chunk
                    # A match lying wholly in the overlap was counted with the previous block.
                    found += [
                        m.group(1).decode()
                        for m in _MERGE.finditer(block)
                        if m.end() > len(overlap)
                    ]
                    overlap = block[-128:]
        except Exception as exc:  # a lying zip entry fails its CRC check here
            raise SheetError(
                f"Không đọc được tệp Excel: {type(exc).__name__} {exc}"[:300],
                kind="broken",
                sheet=self.title,
            ) from None
        return found


class _Parser(WorkSheetParser):
    """openpyxl's sheet parser, keeping a cell's formula next to its cached value."""

    def parse_cell(self, element: Any) -> dict[str, Any]:
        cell: dict[str, Any] = super().parse_cell(element)
        if element.find(FORMULA_TAG) is not None:
            # Also records each shared formula, which later cells of the sheet translate.
            formula = self.parse_formula(element)  # type: ignore[no-untyped-call]
            text = formula if isinstance(formula, str) else getattr(formula, "text", None)
            cell["formula"] = text or "="
        return cell
