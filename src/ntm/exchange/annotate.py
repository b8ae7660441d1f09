"""The file given back after a refused import: the user's workbook with every erroneous cell
filled red and explained in a comment (plus a sheet listing all errors), or a CSV of errors
for CSV and JSON files; and the full dry-run comparison as CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from typing import Any

from openpyxl import load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.cell import coordinate_from_string

from ntm.exchange.export import safe_text
from ntm.exchange.plan import CellChange
from ntm.exchange.services import change_row
from ntm.spreadsheet import Problem

ERROR_SHEET = "Lỗi nhập"
_RED = PatternFill("solid", fgColor="FFC7CE")
_KINDS = {"add": "thêm", "change": "sửa", "same": "giữ nguyên"}


def _csv(rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_text(v) if isinstance(v, str) else v for v in row])
    # A BOM, so that Excel opens the Vietnamese text as UTF-8.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def errors_csv(problems: list[Problem]) -> bytes:
    header = ["trang", "dong", "cot", "don_vi", "chi_tieu", "ly_do", "thong_bao"]
    rows = [
        [p.sheet, "" if p.row is None else p.row, p.column, p.unit, p.indicator, p.reason, p.text()]
        for p in problems
    ]
    return _csv([header, *rows])


def diff_csv(changes: list[CellChange], fmt: str) -> bytes:
    header = ["vi_tri", "ma_don_vi", "ten_don_vi", "nam", "chi_tieu", "truoc", "sau", "ket_qua"]
    rows = []
    for change in changes:
        row = change_row(change, fmt)
        rows.append(
            [
                row["where"],
                row["unit"],
                row["unit_name"],
                row["year"],
                row["indicator"],
                row["old"],
                row["new"],
                _KINDS[row["kind"]],
            ]
        )
    return _csv([header, *rows])


def workbook_annotated(data: bytes, problems: list[Problem]) -> bytes:
    """The workbook with erroneous cells red and commented; every error on a sheet of its own."""
    book = load_workbook(io.BytesIO(data))
    by_cell: dict[tuple[str, str], list[str]] = {}
    for p in problems:
        if p.sheet in book.sheetnames and p.column and _is_cell(p.column, p.row):
            ref = f"{p.column}{p.row}" if p.row is not None else p.column
            by_cell.setdefault((p.sheet, ref), []).append(p.reason)
    for (sheet, ref), reasons in by_cell.items():
        ws = book[sheet]
        if ws.protection.sheet:
            ws.protection.sheet = False  # the user must be able to fix the red cells
        cell = ws[ref]
        if type(cell).__name__ == "MergedCell":
            continue
        cell.fill = _RED
        text = _legal("Lỗi: " + "; ".join(reasons))
        cell.comment = Comment(text, "ntm", height=120, width=300)
    _error_sheet(book, problems)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _legal(text: str) -> str:
    """Without the control characters a worksheet cannot hold (a quoted raw value may have them)."""
    return ILLEGAL_CHARACTERS_RE.sub("?", text)


def _is_cell(column: str, row: int | None) -> bool:
    try:
        if row is None:
            coordinate_from_string(column)
        else:
            coordinate_from_string(f"{column}{row}")
    except ValueError:
        return False
    return True


def _error_sheet(book: Any, problems: list[Problem]) -> None:
    if ERROR_SHEET in book.sheetnames:
        del book[ERROR_SHEET]
    ws = book.create_sheet(ERROR_SHEET, 0)
    ws.append(["Trang", "Dòng", "Cột", "Đơn vị", "Chỉ tiêu", "Lý do"])
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for p in problems:
        row = [p.sheet, p.row, p.column, p.unit, p.indicator, p.reason]
        ws.append([_legal(safe_text(v)) if isinstance(v, str) else v for v in row])
        for cell in ws[ws.max_row]:
            cell.data_type = "s" if isinstance(cell.value, str) else cell.data_type
    ws.column_dimensions["F"].width = 100
    for sheet in book.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
    book.active = 0
