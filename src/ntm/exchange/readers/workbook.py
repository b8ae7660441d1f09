"""Excel workbooks (.xlsx): ntm's own template, or long sheets (one value per row).

The spreadsheet layer opens the file (size, macros, unpacked size, sheets) and streams its
rows; a formula or an Excel error reaches the value checks as typed ("=B2/3", "#REF!"), which
refuse it with the layer's sentence and the row's unit and indicator (exchange.plan).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl.utils import get_column_letter, range_boundaries

from ntm.exchange.readers.base import FileRefused, Limits, RawCell, ReadResult, TemplateMeta
from ntm.exchange.readers.table import duplicate_columns, header_find, table_cells
from ntm.spreadsheet import Book, Problem, Sheet, open_workbook, unit_code_text

META_SHEET = "_ntm"
TEMPLATE_FORMAT = "ntm-template"
TEMPLATE_VERSIONS = ("1",)
HEADER_SEARCH_ROWS = 10


def read_workbook(data: bytes, limits: Limits) -> ReadResult:
    with open_workbook(data, limits) as book:
        if META_SHEET in book:
            return _read_template(book)
        return _read_long_sheets(book)


def _rows(sheet: Sheet) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, values as typed) of a sheet; the book counts rows and cells."""
    for row in sheet.rows():
        yield row.number, [cell.as_typed for cell in row.cells]


def _merge_problems(sheet: Sheet, first_row: int) -> list[Problem]:
    problems = []
    for ref in sheet.merged_ranges():
        _, _, _, max_row = range_boundaries(ref)
        if max_row is not None and max_row >= first_row:
            reason = (
                f"vùng số liệu có ô gộp {ref}: chỉ ô đầu giữ giá trị, các ô còn lại bị mất; "
                "hãy bỏ gộp ô (Unmerge) và điền từng ô"
            )
            problems.append(Problem(sheet.title, None, ref.split(":")[0], "", "", reason))
    return problems


# Long sheets ------------------------------------------------------------------------------


def _read_long_sheets(book: Book) -> ReadResult:
    result = ReadResult(format="sheet")
    found = 0
    for ws in book.sheets:
        rows = _rows(ws)
        header = None
        for n, values in rows:
            letters = [get_column_letter(i + 1) for i in range(len(values))]
            header = header_find(values, letters=letters)
            if header is not None:
                _check_header(ws.title, n, values)
                break
            if n >= HEADER_SEARCH_ROWS:
                break
        if header is None:
            if ws.visible:
                result.notes.append(
                    f"Bỏ qua trang «{ws.title}»: không có dòng tiêu đề "
                    "unit_code, year, indicator, value."
                )
            continue
        if not ws.visible:
            reason = (
                "trang tính đang bị ẩn nhưng có số liệu: hãy hiện trang (Unhide) để kiểm tra, "
                "hoặc xóa trang nếu không cần nhập"
            )
            result.problems.append(Problem(ws.title, None, "", "", "", reason))
            continue
        found += 1
        if header.dhis2:
            result.format = "sheet"  # DHIS2 column names in a sheet are still a long sheet
        result.problems += _merge_problems(ws, n + 1)
        table_cells(rows, header, result, book.limits, sheet=ws.title, lenient=True)
    if not found and not result.problems:
        raise FileRefused(
            "Không có trang tính nào có dòng tiêu đề unit_code, year, indicator, value (hoặc "
            "dataElement, period, orgUnit, value), cũng không phải biểu mẫu của ntm."
        )
    return result


def _check_header(sheet: str, row: int, values: Sequence[Any]) -> None:
    duplicated = duplicate_columns(values)
    if duplicated:
        raise FileRefused(
            f"Dòng tiêu đề có cột trùng tên: {', '.join(duplicated)}", sheet=sheet, row=row
        )


# ntm's template ---------------------------------------------------------------------------


def _read_meta(book: Book) -> TemplateMeta:
    raw: dict[str, str] = {}
    for _, values in _rows(book.sheet(META_SHEET)):
        if values and values[0] is not None:
            raw[str(values[0])] = "" if len(values) < 2 or values[1] is None else str(values[1])
    broken = FileRefused(
        "Trang ẩn «_ntm» của biểu mẫu bị sửa hoặc hỏng; hãy tải biểu mẫu mới từ ntm."
    )
    if raw.get("format") != TEMPLATE_FORMAT:
        raise broken
    if raw.get("version") not in TEMPLATE_VERSIONS:
        raise FileRefused(
            f"Biểu mẫu phiên bản {raw.get('version')!r} không đọc được bằng phiên bản ntm này; "
            "hãy tải biểu mẫu mới."
        )
    try:
        return TemplateMeta(
            version=raw["version"],
            criteria_set=raw["criteria_set"],
            year=int(raw["year"]),
            unit_code=raw["unit_code"],
            level=raw["level"],
            data_sheet=raw["data_sheet"],
            header_row=int(raw["header_row"]),
            first_row=int(raw["first_row"]),
            first_column=int(raw["first_column"]),
            indicators=tuple(c for c in raw["indicators"].split(",") if c),
        )
    except (KeyError, ValueError):
        raise broken from None


def _read_template(book: Book) -> ReadResult:
    meta = _read_meta(book)
    if meta.data_sheet not in book:
        raise FileRefused(f"Biểu mẫu thiếu trang «{meta.data_sheet}» chứa số liệu.")
    ws = book.sheet(meta.data_sheet)
    result = ReadResult(format="template", template=meta)
    result.key_columns[ws.title] = {"unit_code": "A", "year": "", "indicator": ""}
    result.problems += _merge_problems(ws, meta.first_row)
    first = meta.first_column - 1
    letters = [get_column_letter(meta.first_column + i) for i in range(len(meta.indicators))]
    for n, values in _rows(ws):
        if n == meta.header_row:
            _check_template_header(ws.title, n, values[first:], meta, letters)
        elif n >= meta.first_row:
            _template_row(ws.title, n, values, meta, letters, result)
    return result


def _check_template_header(
    sheet: str, row: int, values: Sequence[Any], meta: TemplateMeta, letters: list[str]
) -> None:
    for code, letter, found in zip(meta.indicators, letters, values, strict=False):
        if ("" if found is None else str(found).strip()) != code:
            raise FileRefused(
                f"Ô tiêu đề {letter}{row} phải là mã chỉ tiêu «{code}» nhưng đã bị sửa thành "
                f"«{found}»; hãy tải biểu mẫu mới, không sửa dòng tiêu đề.",
                sheet=sheet,
                row=row,
                column=letter,
            )
    if len(values) < len(meta.indicators):
        raise FileRefused(
            "Dòng tiêu đề của biểu mẫu thiếu cột chỉ tiêu; hãy tải biểu mẫu mới.",
            sheet=sheet,
            row=row,
        )


def _template_row(
    sheet: str,
    row: int,
    values: Sequence[Any],
    meta: TemplateMeta,
    letters: list[str],
    result: ReadResult,
) -> None:
    first = meta.first_column - 1
    data = values[first : first + len(meta.indicators)]
    filled = [(i, v) for i, v in enumerate(data) if not _blank(v)]
    beyond = [
        i for i, v in enumerate(values[first + len(meta.indicators) :], start=0) if not _blank(v)
    ]
    code = unit_code_text(values[0]) if values else ""
    if beyond:
        column = get_column_letter(meta.first_column + len(meta.indicators) + beyond[0])
        reason = "ô có dữ liệu nằm ngoài các cột chỉ tiêu của biểu mẫu"
        result.problems.append(Problem(sheet, row, column, code, "", reason))
    if not filled:
        return
    if not code:
        reason = "dòng có số liệu nhưng thiếu mã đơn vị ở cột A"
        result.problems.append(Problem(sheet, row, "A", "", "", reason))
        return
    for i, value in filled:
        result.cells.append(
            RawCell(
                sheet,
                row,
                letters[i],
                code,
                meta.year,
                meta.indicators[i],
                value.strip() if isinstance(value, str) else value,
                True,
                meta.criteria_set,
            )
        )


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
