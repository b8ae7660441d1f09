"""What every reader returns: raw cells with where they came from, and problems.

A reader only finds the cells; it never decides whether a value is right for its indicator
(services do, against the criteria set and the database). Every cell keeps its sheet, row and
column so that an error can point back into the user's own file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ntm.spreadsheet import MB as MB  # re-exported: the importers size files in MB
from ntm.spreadsheet import Problem, SheetError, SheetLimits

FORMAT_LABELS = {
    "template": "Biểu mẫu Excel của ntm",
    "sheet": "Bảng Excel dạng dài (unit_code, year, indicator, value)",
    "csv": "CSV dạng dài (unit_code,year,indicator,value)",
    "dhis2-json": "DHIS2 dataValueSets (JSON)",
    "dhis2-csv": "DHIS2 dataValueSets (CSV)",
}
# Formats whose errors can be shown in the user's own workbook (red cells with comments).
WORKBOOK_FORMATS = ("template", "sheet")

# What one import may hold (bytes, unpacked bytes, rows, cells and values, sheets); beyond it
# the file is refused with a message, never read. The spreadsheet layer's limits, by the name
# the importers and their callers know.
Limits = SheetLimits


@dataclass(frozen=True, slots=True)
class RawCell:
    """One value as found in the file, before any check."""

    sheet: str  # "" for CSV and JSON
    row: int  # 1-based row of the sheet or line of the CSV; position in dataValues for JSON
    column: str  # column letter in a sheet, column or key name in CSV and JSON
    unit_code: str
    year: Any
    indicator: str
    value: Any  # str, int, float, bool, datetime ... exactly as the reader found it
    # Text numbers may be written the Vietnamese way ("75,5", "1.234,5"): in sheets and in
    # semicolon CSV files (what Excel writes with Vietnamese regional settings).
    lenient: bool = False
    criteria_set: str = ""  # from a template's metadata; "" = the set in force that year


class FileRefused(SheetError):
    """The file as a whole cannot be read (wrong kind, too large, broken): one problem."""

    @classmethod
    def of(cls, error: SheetError) -> FileRefused:
        """The spreadsheet layer's refusal as the importers' own."""
        if isinstance(error, FileRefused):
            return error
        return cls(
            error.reason, kind=error.kind, sheet=error.sheet, row=error.row, column=error.column
        )

    @property
    def problem(self) -> Problem:
        return Problem(self.sheet, self.row, self.column, "", "", self.reason)


@dataclass(frozen=True)
class TemplateMeta:
    """The hidden metadata a template carries for the importer."""

    version: str
    criteria_set: str
    year: int
    unit_code: str
    level: str
    data_sheet: str
    header_row: int
    first_row: int
    first_column: int
    indicators: tuple[str, ...]


@dataclass
class ReadResult:
    format: str
    cells: list[RawCell] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    template: TemplateMeta | None = None
    # sheet ("" for CSV and JSON) -> where its unit_code, year and indicator are ("A", "year"),
    # so that a wrong unit code is reported in the unit code's column, not the value's.
    key_columns: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def format_label(self) -> str:
        return FORMAT_LABELS.get(self.format, self.format)
