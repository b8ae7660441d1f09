"""Read an uploaded file whatever its name says: the kind is found from its content."""

from __future__ import annotations

from ntm.core.values import format_number
from ntm.exchange.readers.base import MB, FileRefused, Limits, ReadResult
from ntm.exchange.readers.csv_text import decode, read_csv
from ntm.exchange.readers.dhis2_json import read_dhis2_json
from ntm.exchange.readers.workbook import read_workbook

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), old Word ...


def read_file(data: bytes, *, limits: Limits | None = None) -> ReadResult:
    """Cells and problems of any supported file; FileRefused when it cannot be read at all."""
    limits = limits or Limits()
    if not data:
        raise FileRefused("Tệp rỗng (0 byte).")
    if len(data) > limits.max_bytes:
        raise FileRefused(
            f"Tệp lớn {format_number(len(data) / MB, 1)} MB, vượt giới hạn "
            f"{format_number(limits.max_bytes / MB, 1)} MB một lần nhập; hãy chia thành nhiều "
            "tệp nhỏ hơn (ví dụ theo tỉnh hoặc theo năm)."
        )
    if data.startswith(ZIP_MAGIC):
        return read_workbook(data, limits)
    if data.startswith(OLE_MAGIC):
        raise FileRefused(
            "Tệp Excel 97-2003 (.xls) không được hỗ trợ; hãy mở bằng Excel và lưu lại dưới "
            "dạng «Excel Workbook (.xlsx)»."
        )
    text = decode(data)
    if text.lstrip()[:1] in ("{", "["):
        return read_dhis2_json(text, limits)
    return read_csv(text, limits)


__all__ = ["FileRefused", "Limits", "ReadResult", "read_file"]
