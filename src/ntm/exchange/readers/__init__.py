"""Read an uploaded file whatever its name says: the kind is found from its content."""

from __future__ import annotations

from ntm.exchange.readers.base import FileRefused, Limits, ReadResult
from ntm.exchange.readers.csv_text import read_csv
from ntm.exchange.readers.dhis2_json import read_dhis2_json
from ntm.exchange.readers.workbook import read_workbook
from ntm.spreadsheet import OLE_MAGIC, ZIP_MAGIC, SheetError, decode_text, refuse_ole, too_large


def read_file(data: bytes, *, limits: Limits | None = None) -> ReadResult:
    """Cells and problems of any supported file; FileRefused when it cannot be read at all."""
    try:
        return _read(data, limits or Limits())
    except SheetError as exc:  # the spreadsheet layer's refusals, as the importers' own
        raise FileRefused.of(exc) from None


def _read(data: bytes, limits: Limits) -> ReadResult:
    if not data:
        raise FileRefused("Tệp rỗng (0 byte).", kind="empty")
    if len(data) > limits.max_bytes:
        raise too_large(len(data), limits)
    if data.startswith(ZIP_MAGIC):
        return read_workbook(data, limits)
    if data.startswith(OLE_MAGIC):
        raise refuse_ole()
    text = decode_text(data)
    if text.lstrip()[:1] in ("{", "["):
        return read_dhis2_json(text, limits)
    return read_csv(text, limits)


__all__ = ["FileRefused", "Limits", "ReadResult", "read_file"]
