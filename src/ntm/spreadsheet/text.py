"""Text tables (CSV, and the text of JSON files): decoding and rows with their line numbers."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable, Iterator, Sequence

from ntm.spreadsheet.errors import SheetError, SheetLimits, too_many_rows

DELIMITERS = (",", ";", "\t")


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM (Excel's "Unicode text"); else refuse.

    No guessing of legacy encodings: a Windows-1258 or TCVN3 file decoded the wrong way would
    import wrong names without a word, so the user is asked to save it as UTF-8 instead.
    """
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise SheetError(
                "Tệp văn bản UTF-16 bị hỏng, không đọc được.", kind="encoding"
            ) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SheetError(
                "Tệp không phải Excel (.xlsx), CSV hay JSON đọc được: nội dung không theo bảng "
                f"mã UTF-8 (byte lạ ở vị trí {exc.start}). Nếu là CSV, hãy lưu lại bằng «CSV "
                "UTF-8 (Comma delimited)» trong Excel; các bảng mã cũ (Windows-1258, TCVN3, "
                "VNI) không được nhận.",
                kind="encoding",
            ) from None
    if "\x00" in text:
        raise SheetError(
            "Tệp chứa ký tự NUL: đây không phải tệp CSV hay JSON (có thể là tệp nhị phân).",
            kind="encoding",
        )
    return text


def csv_delimiter(
    text: str, is_header: Callable[[list[str]], bool], *, search_lines: int = 10
) -> str | None:
    """The delimiter (comma, semicolon or tab) that makes one of the first lines a header."""
    lines = [line for line in text.splitlines()[:search_lines] if line.strip()]
    for line in lines:
        for delimiter in DELIMITERS:
            if is_header(next(csv.reader([line], delimiter=delimiter), [])):
                return delimiter
    return None


def csv_rows(text: str, delimiter: str, limits: SheetLimits) -> Iterator[tuple[int, Sequence[str]]]:
    """(line number, cells) of each record; a quoted cell may span lines, hence the numbers."""
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    line = 0
    try:
        for cells in reader:
            line = reader.line_num
            if line > limits.max_rows:
                raise too_many_rows(limits)
            yield line, cells
    except csv.Error as exc:
        raise SheetError(
            f"Dòng {line + 1}: tệp CSV sai cấu trúc ({exc}); kiểm tra dấu ngoặc kép và dấu "
            "phân cách.",
            kind="csv",
            row=line + 1,
        ) from None
