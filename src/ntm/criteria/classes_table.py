"""Read a commune class list (CSV or .xlsx): a header row naming the commune by ``unit_code``
or ``name`` and its ``class``, then one row per commune.

The file is checked as the values importers check theirs (ntm.exchange.readers): UTF-8 only
(no guessing of legacy encodings), no NUL byte, no macro-enabled or oversized workbook, openpyxl
in read-only mode. A file that cannot be read raises FileRefused with one Vietnamese sentence.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ntm.core.values import fold
from ntm.exchange.readers import OLE_MAGIC, ZIP_MAGIC
from ntm.exchange.readers.base import MB, FileRefused, Limits
from ntm.exchange.readers.csv_text import decode
from ntm.exchange.readers.table import unit_code_text
from ntm.exchange.readers.workbook import check_zip

# A country has about 8,300 rural communes: a class list is small; anything larger is refused.
LIMITS = Limits(max_bytes=5 * MB, max_rows=20_000, max_cells=100_000, max_unpacked=50 * MB)
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
        raise FileRefused("Tệp rỗng (0 byte).")
    if len(data) > LIMITS.max_bytes:
        raise FileRefused(
            f"Tệp lớn hơn {LIMITS.max_bytes // MB} MB: danh sách vùng/nhóm xã không thể lớn "
            "như vậy; hãy kiểm tra lại tệp."
        )
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            "Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy lưu lại dưới dạng .xlsx hoặc CSV UTF-8."
        )
    if data.startswith(ZIP_MAGIC):
        return _read_workbook(data)
    return _read_csv(decode(data))


def _header(cells: Sequence[Any]) -> dict[str, int] | None:
    """Column -> position when the row names ``class`` and ``unit_code`` or ``name``."""
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        key = header_key(cell)
        if key is None:
            continue
        if key in found:
            raise FileRefused(f"Dòng tiêu đề có hai cột cùng nghĩa «{key}».")
        found[key] = index
    if "class" in found and ("unit_code" in found or "name" in found):
        return found
    return None


def _no_header() -> FileRefused:
    return FileRefused(
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
    lines = text.splitlines()[:HEADER_SEARCH_ROWS]
    for delimiter in (",", ";", "\t"):
        for line in lines:
            if _header(next(csv.reader([line], delimiter=delimiter), [])) is not None:
                return _csv_table(text, delimiter)
    raise _no_header()


def _csv_table(text: str, delimiter: str) -> ClassTable:
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    at: dict[str, int] | None = None
    rows: list[ClassCell] = []
    headers: list[str] = []
    try:
        for cells in reader:
            line = reader.line_num
            if line > LIMITS.max_rows:
                raise FileRefused(f"Tệp có hơn {LIMITS.max_rows} dòng.")
            if at is None:
                at = _header(cells)
                headers = list(cells)
                continue
            cell = _cells(line, cells, at)
            if cell is not None:
                rows.append(cell)
    except csv.Error as exc:
        raise FileRefused(
            f"Dòng {reader.line_num + 1}: tệp CSV sai cấu trúc ({exc}); kiểm tra dấu ngoặc kép."
        ) from None
    assert at is not None  # _read_csv found the header among the same lines
    return ClassTable("", {k: headers[i].strip() for k, i in at.items()}, rows)


def _read_workbook(data: bytes) -> ClassTable:
    check_zip(data, LIMITS)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on broken parts; all mean "broken"
        raise FileRefused(f"Không mở được tệp Excel: {type(exc).__name__}") from None
    try:
        for ws in book.worksheets:
            if ws.sheet_state != "visible":
                continue
            table = _sheet_table(ws)
            if table is not None:
                return table
    except FileRefused:
        raise
    except Exception as exc:  # a broken sheet part surfaces only while its rows are read
        raise FileRefused(f"Không đọc được tệp Excel: {type(exc).__name__}") from None
    finally:
        book.close()
    raise _no_header()


def _sheet_rows(ws: Any) -> Iterator[tuple[int, Sequence[Any]]]:
    ws.reset_dimensions()  # the stored <dimension> may lie; read what is there
    for number, values in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > LIMITS.max_rows:
            raise FileRefused(f"Trang «{ws.title}» có hơn {LIMITS.max_rows} dòng.")
        yield number, values


def _sheet_table(ws: Any) -> ClassTable | None:
    rows = _sheet_rows(ws)
    at = None
    for number, values in rows:
        at = _header(values)
        if at is not None:
            break
        if number >= HEADER_SEARCH_ROWS:
            return None
    if at is None:
        return None
    found = [c for n, values in rows if (c := _cells(n, values, at)) is not None]
    return ClassTable(ws.title, {k: get_column_letter(i + 1) for k, i in at.items()}, found)
