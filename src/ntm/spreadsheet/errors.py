"""The one error a spreadsheet read raises, the limits a read is held to, and the problem an
importer reports at a place in the file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MB = 1024 * 1024


@dataclass(frozen=True)
class SheetLimits:
    """What one file may hold; beyond it the file is refused with a message, never read.

    The defaults are those of a national values import, the largest reader; the criteria
    workbooks and the commune class lists pass smaller ones.
    """

    max_bytes: int = 50 * MB
    # An .xlsx is a zip: the sizes its directory declares are summed before anything is
    # unpacked (zip bombs); the reading itself stops at the declared size (see package.py).
    max_unpacked: int = 600 * MB
    max_rows: int = 1_000_000
    # Cells read over every sheet, empty ones before the last filled cell of a row included;
    # for the values import also the number of values taken from any file.
    max_cells: int = 5_000_000
    max_sheets: int = 200


class SheetError(Exception):
    """A file, or a place in it, that cannot be read: one Vietnamese sentence and where.

    ``kind`` names the fault for code and tests ("size", "not_zip", "not_xlsx", "macro",
    "encrypted", "unpacked", "ratio", "parts", "broken", "sheets", "rows", "cells",
    "encoding", "csv"); users read ``reason`` and ``text()``.
    """

    def __init__(
        self,
        reason: str,
        *,
        kind: str = "refused",
        sheet: str = "",
        row: int | None = None,
        column: str = "",
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.kind = kind
        self.sheet = sheet
        self.row = row
        self.column = column

    def text(self) -> str:
        where = []
        if self.sheet:
            where.append(f"Trang «{self.sheet}»")
        if self.row is not None:
            where.append(f"dòng {self.row}")
        if self.column:
            where.append(f"cột {self.column}")
        if not where:
            return self.reason
        return ", ".join(where)[:1].upper() + ", ".join(where)[1:] + f": {self.reason}"


def megabytes(size: int) -> str:
    """5 MB as "5", 1.5 MB as "1,5" (Vietnamese decimal comma)."""
    value = size / MB
    if value.is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def too_large(size: int, limits: SheetLimits) -> SheetError:
    return SheetError(
        f"Tệp lớn hơn {megabytes(limits.max_bytes)} MB ({megabytes(size)} MB), vượt giới hạn "
        "một lần đọc; hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo tỉnh hoặc theo năm).",
        kind="size",
    )


def too_many_rows(limits: SheetLimits, *, sheet: str = "") -> SheetError:
    return SheetError(
        f"Tệp có hơn {_thousands(limits.max_rows)} dòng, vượt giới hạn một lần đọc; "
        "hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo tỉnh hoặc theo năm).",
        kind="rows",
        sheet=sheet,
    )


def too_many_cells(limits: SheetLimits, *, what: str = "ô") -> SheetError:
    return SheetError(
        f"Tệp có hơn {_thousands(limits.max_cells)} {what}, vượt giới hạn một lần đọc; "
        "hãy chia thành nhiều tệp nhỏ hơn (ví dụ theo tỉnh hoặc theo năm).",
        kind="cells",
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


@dataclass(frozen=True)
class Problem:
    """One reason the file cannot be imported, pointing at a place in the file."""

    sheet: str
    row: int | None
    column: str
    unit: str
    indicator: str
    reason: str

    def where(self) -> str:
        parts = []
        if self.sheet:
            parts.append(f"trang «{self.sheet}»")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column.startswith("dataValues"):
            parts.append(f"mục {self.column}")  # a place in a DHIS2 JSON file
        elif self.column:
            parts.append(f"cột {self.column}")
        if self.unit:
            parts.append(f"đơn vị {self.unit}")
        if self.indicator:
            parts.append(f"chỉ tiêu {self.indicator}")
        return ", ".join(parts)

    def text(self) -> str:
        where = self.where()
        return f"{where[:1].upper()}{where[1:]}: {self.reason}" if where else self.reason

    def as_dict(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "unit": self.unit,
            "indicator": self.indicator,
            "reason": self.reason,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Problem:
        row = data.get("row")
        return cls(
            sheet=str(data.get("sheet") or ""),
            row=row if isinstance(row, int) else None,
            column=str(data.get("column") or ""),
            unit=str(data.get("unit") or ""),
            indicator=str(data.get("indicator") or ""),
            reason=str(data.get("reason") or ""),
        )
