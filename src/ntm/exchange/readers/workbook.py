"""Excel workbooks (.xlsx): ntm's own template, or long sheets (one value per row).

The zip is checked before openpyxl opens it (macros, unpacked size), and openpyxl reads in
read-only mode, row by row, so a national file never sits in memory as cell objects.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.workbook.workbook import Workbook

from ntm.exchange.readers.base import (
    FileRefused,
    Limits,
    Problem,
    RawCell,
    ReadResult,
    TemplateMeta,
)
from ntm.exchange.readers.table import (
    duplicate_columns,
    header_find,
    table_cells,
    too_many_cells,
    too_many_rows,
    unit_code_text,
)

META_SHEET = "_ntm"
TEMPLATE_FORMAT = "ntm-template"
TEMPLATE_VERSIONS = ("1",)
HEADER_SEARCH_ROWS = 10
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]{1,3}\d+(?::[A-Z]{1,3}\d+)?)"')


def check_zip(data: bytes, limits: Limits) -> None:
    """Refuse macro-enabled, non-Excel and oversized (once unpacked) zip files."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        types = archive.read("[Content_Types].xml") if "[Content_Types].xml" in names else b""
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError):
        raise FileRefused("Tệp Excel (.xlsx) bị hỏng hoặc không phải tệp .xlsx.") from None
    except (RuntimeError, NotImplementedError):  # encrypted, or an unknown compression
        raise FileRefused(
            "Tệp Excel có mật khẩu hoặc nén theo cách không đọc được; hãy bỏ mật khẩu và lưu "
            "lại dưới dạng .xlsx."
        ) from None
    if b"macroEnabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        raise FileRefused(
            "Tệp Excel có macro (.xlsm) không được nhận vì lý do an toàn; hãy lưu lại dưới dạng "
            "«Excel Workbook (.xlsx)» rồi nhập lại."
        )
    if b"spreadsheetml" not in types or not any(n.startswith("xl/") for n in names):
        raise FileRefused(
            "Tệp nén này không phải bảng tính Excel (.xlsx): có thể là tệp Word, PowerPoint "
            "hoặc một tệp .zip khác."
        )
    if unpacked > limits.max_unpacked:
        raise FileRefused(
            f"Tệp Excel khi giải nén lớn {unpacked // (1024 * 1024)} MB, vượt giới hạn "
            f"{limits.max_unpacked // (1024 * 1024)} MB; hãy chia thành nhiều tệp nhỏ hơn."
        )


def read_workbook(data: bytes, limits: Limits) -> ReadResult:
    check_zip(data, limits)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on broken parts; all mean "broken"
        raise FileRefused(f"Không mở được tệp Excel: {type(exc).__name__} {exc}"[:300]) from None
    try:
        if META_SHEET in book.sheetnames:
            return _read_template(book, limits)
        return _read_long_sheets(book, limits)
    except FileRefused:
        raise
    except Exception as exc:  # a broken sheet part surfaces only while its rows are read
        raise FileRefused(f"Không đọc được tệp Excel: {type(exc).__name__} {exc}"[:300]) from None
    finally:
        book.close()


def _rows(ws: Any, limits: Limits, counter: list[int]) -> Iterator[tuple[int, Sequence[Any]]]:
    """(row number, values) of a read-only sheet, counting rows against the file's limit."""
    ws.reset_dimensions()  # the stored <dimension> may lie; read what is there
    for n, values in enumerate(ws.iter_rows(values_only=True), start=1):
        counter[0] += 1
        if counter[0] > limits.max_rows:
            raise FileRefused(too_many_rows(limits))
        yield n, values


def merged_ranges(ws: Any) -> list[str]:
    """The merged ranges of a read-only sheet (openpyxl does not load them in that mode)."""
    found: list[str] = []
    overlap = b""
    with ws._get_source() as source:
        while chunk := source.read(1 << 20):
            block = overlap + chunk
            # A match lying wholly in the overlap was counted with the previous block.
            found += [m.group(1).decode() for m in _MERGE.finditer(block) if m.end() > len(overlap)]
            overlap = block[-128:]
    return found


def _merge_problems(ws: Any, first_row: int) -> list[Problem]:
    problems = []
    for ref in merged_ranges(ws):
        _, _, _, max_row = range_boundaries(ref)
        if max_row is not None and max_row >= first_row:
            reason = (
                f"vùng số liệu có ô gộp {ref}: chỉ ô đầu giữ giá trị, các ô còn lại bị mất; "
                "hãy bỏ gộp ô (Unmerge) và điền từng ô"
            )
            problems.append(Problem(ws.title, None, ref.split(":")[0], "", "", reason))
    return problems


# Long sheets ------------------------------------------------------------------------------


def _read_long_sheets(book: Workbook, limits: Limits) -> ReadResult:
    result = ReadResult(format="sheet")
    counter = [0]
    found = 0
    for ws in book.worksheets:
        rows = _rows(ws, limits, counter)
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
            if ws.sheet_state == "visible":
                result.notes.append(
                    f"Bỏ qua trang «{ws.title}»: không có dòng tiêu đề "
                    "unit_code, year, indicator, value."
                )
            continue
        if ws.sheet_state != "visible":
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
        table_cells(rows, header, result, limits, sheet=ws.title, lenient=True)
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


def _read_meta(book: Workbook) -> TemplateMeta:
    raw: dict[str, str] = {}
    for values in book[META_SHEET].iter_rows(values_only=True, max_col=2):
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


def _read_template(book: Workbook, limits: Limits) -> ReadResult:
    meta = _read_meta(book)
    if meta.data_sheet not in book.sheetnames:
        raise FileRefused(f"Biểu mẫu thiếu trang «{meta.data_sheet}» chứa số liệu.")
    ws = book[meta.data_sheet]
    result = ReadResult(format="template", template=meta)
    result.key_columns[ws.title] = {"unit_code": "A", "year": "", "indicator": ""}
    result.problems += _merge_problems(ws, meta.first_row)
    first = meta.first_column - 1
    letters = [get_column_letter(meta.first_column + i) for i in range(len(meta.indicators))]
    for n, values in _rows(ws, limits, [0]):
        if n == meta.header_row:
            _check_template_header(ws.title, n, values[first:], meta, letters)
        elif n >= meta.first_row:
            _template_row(ws.title, n, values, meta, letters, result)
            if len(result.cells) > limits.max_cells:
                raise FileRefused(too_many_cells(limits))
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
