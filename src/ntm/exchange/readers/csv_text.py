"""Long CSV tables (ours and DHIS2's), comma, semicolon or tab; decoding is the spreadsheet
layer's (ntm.spreadsheet.decode_text)."""

from __future__ import annotations

from ntm.exchange.readers.base import FileRefused, Limits, ReadResult
from ntm.exchange.readers.table import duplicate_columns, header_find, table_cells
from ntm.spreadsheet import csv_delimiter, csv_rows

HEADER_SEARCH_LINES = 10


def read_csv(text: str, limits: Limits) -> ReadResult:
    delimiter = csv_delimiter(
        text, lambda cells: header_find(cells) is not None, search_lines=HEADER_SEARCH_LINES
    )
    if delimiter is None:
        raise FileRefused(
            "Không tìm thấy dòng tiêu đề: tệp CSV cần các cột unit_code,year,indicator,value "
            "(hoặc dataelement,period,orgunit,value của DHIS2), phân cách bằng dấu phẩy, "
            "chấm phẩy hoặc tab."
        )
    rows = csv_rows(text, delimiter, limits)
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
    assert header is not None  # csv_delimiter found it among the same lines
    result = ReadResult(format="dhis2-csv" if header.dhis2 else "csv")
    # A semicolon file comes from Excel with Vietnamese settings, where 75,5 means 75.5.
    table_cells(rows, header, result, limits, lenient=delimiter != ",")
    return result
