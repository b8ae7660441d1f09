"""Long tables, one value per row (unit_code, year, indicator, value), from CSV or a sheet."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ntm.core.csv_values import DHIS2_COLUMNS, REQUIRED_COLUMNS, column_index, header_name
from ntm.exchange.readers.base import Limits, RawCell, ReadResult
from ntm.spreadsheet import Problem, SheetError, too_many_cells, unit_code_text


@dataclass(frozen=True)
class Header:
    index: dict[str, int]  # column -> 0-based position
    names: dict[str, str]  # column -> how the file names it (a letter in sheets)
    dhis2: bool
    deleted: int | None  # DHIS2's "deleted" column, if any


def header_find(cells: Sequence[Any], *, letters: Sequence[str] | None = None) -> Header | None:
    """The header if this row names the four columns (or DHIS2's), else None."""
    names = [header_name(c) for c in cells]
    index = column_index(names)
    if any(c not in index for c in REQUIRED_COLUMNS):
        return None
    shown = {
        c: (letters[i] if letters is not None else str(cells[i]).strip()) for c, i in index.items()
    }
    dhis2 = any(name in DHIS2_COLUMNS for name in names)
    deleted = names.index("deleted") if "deleted" in names else None
    return Header(index, shown, dhis2, deleted)


def duplicate_columns(cells: Sequence[Any]) -> list[str]:
    names = [header_name(c) for c in cells if header_name(c)]
    return sorted({n for n in names if names.count(n) > 1})


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def table_cells(
    rows: Iterable[tuple[int, Sequence[Any]]],
    header: Header,
    result: ReadResult,
    limits: Limits,
    *,
    sheet: str = "",
    lenient: bool = False,
) -> None:
    """Append one RawCell per non-empty row; a row missing its value is a problem."""
    at = header.index
    width = max(at.values()) + 1
    names = header.names
    result.key_columns[sheet] = {k: v for k, v in names.items() if k != "value"}
    for line, cells in rows:
        if len(cells) < width:
            cells = list(cells) + [None] * (width - len(cells))
        if all(_empty(c) for c in cells):
            continue
        unit = unit_code_text(cells[at["unit_code"]])
        indicator = "" if cells[at["indicator"]] is None else str(cells[at["indicator"]]).strip()
        value = cells[at["value"]]
        if _deleted(cells, header.deleted):
            reason = "giá trị đánh dấu deleted=true: nhập tệp không xóa số liệu"
            result.problems.append(Problem(sheet, line, names["value"], unit, indicator, reason))
            continue
        if _empty(value):
            reason = "thiếu giá trị (xóa dòng này nếu chưa có số liệu)"
            result.problems.append(Problem(sheet, line, names["value"], unit, indicator, reason))
            continue
        result.cells.append(
            RawCell(
                sheet,
                line,
                names["value"],
                unit,
                cells[at["year"]],
                indicator,
                value.strip() if isinstance(value, str) else value,
                lenient,
            )
        )
        if len(result.cells) > limits.max_cells:
            raise too_many_values(limits)


def _deleted(cells: Sequence[Any], column: int | None) -> bool:
    """DHIS2 marks removed values deleted=true; an import never deletes, so that is refused."""
    return (
        column is not None and len(cells) > column and header_name(cells[column]) in ("true", "1")
    )


def too_many_values(limits: Limits) -> SheetError:
    return too_many_cells(limits, what="giá trị")
