"""The list of communes as an xlsx file: the rows the page shows, numbers as numbers, text
neutralised against formulas as in every export (ntm.exchange.export.safe_cells)."""

from __future__ import annotations

import io
from typing import Any

from django.utils.translation import gettext
from openpyxl import Workbook

from ntm.exchange.export import safe_cells
from ntm.units.models import Unit
from ntm.web.list_selectors import CommuneRow, CommuneTable


def verdict_text(row: CommuneRow) -> str:
    if row.evaluation is None:
        return gettext("Chưa đánh giá: %(reason)s") % {"reason": row.reason}
    return gettext("Đạt chuẩn") if row.evaluation.meets_standard else gettext("Chưa đạt chuẩn")


def _header(table: CommuneTable, verdicts: bool) -> list[str]:
    header = [gettext("STT"), gettext("Mã xã"), gettext("Tên xã")]
    if table.has_districts:
        header.append(gettext("Huyện"))
    header += [gettext("Số tiêu chí đạt"), gettext("Tổng số tiêu chí")]
    header.append(gettext("Số tiêu chí thiếu dữ liệu"))
    if verdicts:
        header.append(gettext("Kết luận"))
    return [*header, gettext("Đã công nhận")]


def _row(n: int, row: CommuneRow, table: CommuneTable, verdicts: bool) -> list[Any]:
    e = row.evaluation
    values: list[Any] = [n, row.unit.code, row.unit.name]
    if table.has_districts:
        values.append(row.district.name if row.district else "")
    values += [e.criteria_met if e else None, e.criteria_total if e else None]
    values.append(e.criteria_missing if e else None)
    if verdicts:
        values.append(verdict_text(row))
    return [*values, gettext("Đã công nhận") if row.recognised else ""]


def communes_xlsx(*, unit: Unit, year: int, table: CommuneTable, verdicts: bool) -> bytes:
    """One sheet: a title row naming the unit and year, the headers, one row per commune."""
    book = Workbook(write_only=True)
    ws = book.create_sheet(gettext("Danh sách xã"))
    for letter, width in zip("ABCDEFGHI", (6, 9, 28, 24, 10, 10, 12, 30, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A3"
    title = gettext("Danh sách các xã — %(unit)s — năm %(year)s") % {
        "unit": unit.name,
        "year": year,
    }
    ws.append(safe_cells(ws, [title], bold=True))
    ws.append(safe_cells(ws, _header(table, verdicts), bold=True))
    for n, row in enumerate(table.rows, start=1):
        ws.append(safe_cells(ws, _row(n, row, table, verdicts)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
