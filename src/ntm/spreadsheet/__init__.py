"""One spreadsheet layer for every reader of .xlsx and CSV files (values import, record sheets,
commune class lists, criteria workbooks) and for the Office files kept as evidence.

Plain Python: it imports neither Django nor any ntm app, so that every app can sit on it.
Every refusal is a ``SheetError`` carrying one Vietnamese sentence and, when known, the sheet,
row and column at fault.
"""

from ntm.spreadsheet.cells import unit_code_text
from ntm.spreadsheet.errors import (
    MB,
    Problem,
    SheetError,
    SheetLimits,
    too_large,
    too_many_cells,
    too_many_rows,
)
from ntm.spreadsheet.package import (
    OLE_MAGIC,
    ZIP_MAGIC,
    Package,
    check_directory,
    inspect_package,
    refuse_ole,
)
from ntm.spreadsheet.text import csv_delimiter, csv_rows, decode_text
from ntm.spreadsheet.workbook import (
    EXCEL_ERRORS,
    Book,
    Sheet,
    SheetCell,
    SheetRow,
    cell_problem,
    error_reason,
    formula_reason,
    open_workbook,
    uncached_reason,
)

__all__ = [
    "EXCEL_ERRORS",
    "MB",
    "OLE_MAGIC",
    "ZIP_MAGIC",
    "Book",
    "Package",
    "Problem",
    "Sheet",
    "SheetCell",
    "SheetError",
    "SheetLimits",
    "SheetRow",
    "cell_problem",
    "check_directory",
    "csv_delimiter",
    "csv_rows",
    "decode_text",
    "error_reason",
    "formula_reason",
    "inspect_package",
    "open_workbook",
    "refuse_ole",
    "too_large",
    "too_many_cells",
    "too_many_rows",
    "uncached_reason",
    "unit_code_text",
]
