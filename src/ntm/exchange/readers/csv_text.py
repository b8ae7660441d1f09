"""Text files: decoding, and long CSV tables (ours and DHIS2's), comma, semicolon or tab."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator

from ntm.exchange.readers.base import FileRefused, Limits, ReadResult
from ntm.exchange.readers.table import (
    duplicate_columns,
    header_find,
    table_cells,
    too_many_rows,
)

HEADER_SEARCH_LINES = 10


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode text"); else refuse.

    No guessing of legacy encodings: a Windows-1258 or TCVN3 file decoded the wrong way would
    import wrong names without a word, so the user is asked to save it as UTF-8 instead.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused("Tệp văn bản UTF-16 bị hỏng, không đọc được.") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileRefused(
            "Tệp không phải Excel (.xlsx), CSV hay JSON đọc được: nội dung không theo bảng mã "
            f"UTF-8 (byte lạ ở vị trí {exc.start}). Nếu là CSV, hãy lưu lại bằng "
            "«CSV UTF-8 (Comma delimited)» trong Excel; các bảng mã cũ (Windows-1258, TCVN3, "
            "VNI) không được nhận."
        ) from None
    if "\x00" in text:
        raise FileRefused(
            "Tệp chứa ký tự NUL: đây không phải tệp CSV hay JSON (có thể là tệp nhị phân)."
        )
    return text


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines()[:HEADER_SEARCH_LINES] if line.strip()]


def _delimiter(text: str) -> str:
    """The delimiter that makes one of the first lines a header with the four columns."""
    for line in _lines(text):
        for delimiter in (",", ";", "\t"):
            cells = next(csv.reader([line], delimiter=delimiter), [])
            if header_find(cells) is not None:
                return delimiter
    raise FileRefused(
        "Không tìm thấy dòng tiêu đề: tệp CSV cần các cột unit_code,year,indicator,value "
        "(hoặc dataelement,period,orgunit,value của DHIS2), phân cách bằng dấu phẩy, "
        "chấm phẩy hoặc tab."
    )


def read_csv(text: str, limits: Limits) -> ReadResult:
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    rows = _numbered(reader, limits)
    header = None
    for line, cells in rows:
        header = header_find(cells)
        if header is not None:
            duplicated = duplicate_columns(cells)
            if duplicated:
                raise FileRefused(
                    f"Dòng tiêu đề có cột trùng tên: {', '.join(duplicated)}", row=line
                )
            break
    assert header is not None  # _delimiter found it among the same lines
    result = ReadResult(format="dhis2-csv" if header.dhis2 else "csv")
    # A semicolon file comes from Excel with Vietnamese settings, where 75,5 means 75.5.
    table_cells(rows, header, result, limits, lenient=delimiter != ",")
    return result


def _numbered(reader: Iterator[list[str]], limits: Limits) -> Iterator[tuple[int, list[str]]]:
    line = 0
    try:
        for cells in reader:
            line = reader.line_num  # type: ignore[attr-defined]
            if line > limits.max_rows:
                raise FileRefused(too_many_rows(limits))
            yield line, cells
    except csv.Error as exc:
        raise FileRefused(
            f"Dòng {line + 1}: tệp CSV sai cấu trúc ({exc}); kiểm tra dấu ngoặc kép và dấu phân cách.",
            row=line + 1,
        ) from None
