"""The report's Excel annexes: criteria per commune, capital, contributions, training, sources.

Totals are formulas over the rows above them (COUNTIF, SUM), so a reader who edits a row sees the
total follow; where the data gives its own total (capital "tổng cộng"), a check row shows the
difference between that total and the sum of its parts. Text from the database is always
written as text, never as a formula (a name starting with "=" stays a name).
"""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ntm.reports.document import ReportDocument, Table
from ntm.reports.wording import SOURCES

MET, NOT_MET = "Đạt", "Chưa đạt"
STATUS = {"met": MET, "not_met": NOT_MET}
BOLD = Font(bold=True)
NUMBER = "#,##0.###"


def report_xlsx(doc: ReportDocument, data: dict[str, Any]) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    _communes(first, data)
    _capital(wb.create_sheet("Vốn theo nguồn"), data)
    _contributions(wb.create_sheet("Đóng góp cộng đồng"), data)
    _courses(wb.create_sheet("Đào tạo, tập huấn"), data)
    _sources(wb.create_sheet("Nguồn số liệu"), doc)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _put(ws: Worksheet, row: int, col: int, value: Any, *, bold: bool = False) -> Any:
    cell: Any = ws.cell(row=row, column=col)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the text
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        cell.number_format = NUMBER
    if bold:
        cell.font = BOLD
    return cell


def _formula(ws: Worksheet, row: int, col: int, formula: str, *, bold: bool = True) -> None:
    cell = ws.cell(row=row, column=col, value=formula)  # our own formula, never user text
    cell.number_format = NUMBER
    if bold:
        cell.font = BOLD


def _title(ws: Worksheet, text: str, width: int) -> int:
    _put(ws, 1, 1, text, bold=True)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    return 3


def _head(ws: Worksheet, row: int, headers: list[str]) -> None:
    for k, text in enumerate(headers, 1):
        cell = _put(ws, row, k, text, bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws.freeze_panes = f"A{row + 1}"


def _communes(ws: Worksheet, data: dict[str, Any]) -> None:
    """One row per commune: met / not met for each criterion; counts below as COUNTIF."""
    ws.title = "Tiêu chí theo xã"
    year = data["year"]
    codes = [c["code"] for c in data["criteria"]]
    districts = any(c["district"] for c in data["communes"])
    fixed = ["STT", *(["Huyện"] if districts else []), "Xã", "Mã xã"]
    headers = [*fixed, *(f"TC {code}" for code in codes), "Số tiêu chí đạt", "Đạt chuẩn NTM"]
    row = _title(
        ws, f"Kết quả từng tiêu chí của các xã năm {year} — {data['unit']['name']}", len(headers)
    )
    _head(ws, row, headers)
    top = row + 1
    for k, c in enumerate(data["communes"], 1):
        row += 1
        values: list[Any] = [k, *([c["district"] or ""] if districts else []), c["name"], c["code"]]
        values += [
            STATUS.get(c["criteria"].get(code, ""), "Thiếu số liệu") if c["criteria"] else ""
            for code in codes
        ]
        values += [
            c["criteria_met"] if c["criteria_met"] is not None else c["reason"],
            "" if c["meets_standard"] is None else ("Đạt" if c["meets_standard"] else ""),
        ]
        for col, value in enumerate(values, 1):
            _put(ws, row, col, value)
    bottom = row
    row += 1
    _put(ws, row, len(fixed), "Số xã đạt", bold=True)
    for j in range(len(codes) + 2):
        col = len(fixed) + 1 + j
        letter = get_column_letter(col)
        if j == len(codes):  # the criteria-met column: its average
            _formula(ws, row, col, f"=ROUND(AVERAGE({letter}{top}:{letter}{bottom}),2)")
        else:
            _formula(ws, row, col, f'=COUNTIF({letter}{top}:{letter}{bottom},"Đạt")')
    ws.column_dimensions[get_column_letter(len(fixed) - 1)].width = 24
    if districts:
        ws.column_dimensions["B"].width = 20


def _capital(ws: Worksheet, data: dict[str, Any]) -> None:
    cap, year = data["capital"], data["year"]
    headers = ["Nguồn vốn", "Kế hoạch", "Đã bố trí", "Đã giải ngân", "Tỷ lệ giải ngân (%)"]
    row = _title(ws, f"Vốn thực hiện Chương trình năm {year} (triệu đồng)", len(headers))
    _head(ws, row, headers)
    parts: list[int] = []
    total_row = None
    for r in cap["year_rows"]:
        row += 1
        _put(ws, row, 1, ("    " * r["depth"]) + r["label"], bold=r["code"] == "total")
        for col, stage in enumerate(("plan", "allocated", "disbursed"), 2):
            if r[stage] is not None:
                _put(ws, row, col, r[stage], bold=r["code"] == "total")
        if r["code"] == "total":
            total_row = row
        else:
            _formula(ws, row, 5, f'=IF(C{row}>0,ROUND(D{row}/C{row}*100,1),"")', bold=False)
            if r["depth"] == 0:
                parts.append(row)
    if total_row is not None and parts:
        row += 1
        _put(ws, row, 1, "Kiểm tra: tổng cộng trừ cộng các nguồn (phải bằng 0)")
        for col in (2, 3, 4):
            letter = get_column_letter(col)
            cells = ",".join(f"{letter}{p}" for p in parts)
            _formula(ws, row, col, f"={letter}{total_row}-SUM({cells})", bold=False)
    if not cap["year_rows"]:
        row += 1
        _put(ws, row, 1, f"Chưa có số liệu vốn năm {year}.")
    for period in cap["periods"]:
        row += 2
        s = period["summary"]
        _put(
            ws,
            row,
            1,
            f"Số liệu cả giai đoạn {period['from']}-{period['to']} (huy động và bố "
            "trí, triệu đồng)",
            bold=True,
        )
        first = row + 1
        for code, amount in s["by_source"].items():
            row += 1
            _put(ws, row, 1, code_name(code))
            _put(ws, row, 3, amount)
        if s["unclassified"] is not None:
            row += 1
            _put(ws, row, 1, "Chưa phân theo nguồn")
            _put(ws, row, 3, s["unclassified"])
        row += 1
        _put(ws, row, 1, "Tổng cộng (số liệu)", bold=True)
        _put(ws, row, 3, s["total"], bold=True)
        row += 1
        _put(ws, row, 1, "Kiểm tra: tổng cộng trừ cộng các dòng trên (phải bằng 0)")
        _formula(ws, row, 3, f"=C{row - 1}-SUM(C{first}:C{row - 2})", bold=False)
    ws.column_dimensions["A"].width = 48
    for letter in "BCDE":
        ws.column_dimensions[letter].width = 16


def code_name(code: str) -> str:
    return SOURCES.get(code, code)


def _contributions(ws: Worksheet, data: dict[str, Any]) -> None:
    c = data["contributions"]
    headers = [
        "Đơn vị",
        "Từ ngày",
        "Đến ngày",
        "Công trình",
        "Đất hiến (m²)",
        "Ngày công",
        "Tiền mặt (triệu đồng)",
        "Vật liệu (triệu đồng)",
    ]
    row = _title(ws, f"Đóng góp của cộng đồng đến ngày {_day(data['period_end'])}", len(headers))
    _head(ws, row, headers)
    top = row + 1
    for r in c["rows"]:
        row += 1
        values = [
            r["unit"],
            _day(r["from"]),
            _day(r["to"]),
            r["work"],
            r["land_m2"],
            r["labour_days"],
            r["cash_million_vnd"],
            r["materials_million_vnd"],
        ]
        for col, value in enumerate(values, 1):
            if value is not None:
                _put(ws, row, col, value)
    row += 1
    _put(ws, row, 1, "Tổng cộng", bold=True)
    if c["rows"]:
        for col in range(5, 9):
            letter = get_column_letter(col)
            _formula(ws, row, col, f"=SUM({letter}{top}:{letter}{row - 1})")
    else:
        _put(ws, row, 2, "Chưa có số liệu.")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["D"].width = 28


def _courses(ws: Worksheet, data: dict[str, Any]) -> None:
    headers = ["Đơn vị tổ chức", "Chủ đề", "Cấp", "Ngày bắt đầu", "Số lượt người tham gia"]
    row = _title(
        ws,
        f"Lớp tập huấn, đào tạo từ năm {data['first_year']} đến ngày {_day(data['period_end'])}",
        len(headers),
    )
    _head(ws, row, headers)
    top = row + 1
    for r in data["courses"]:
        row += 1
        for col, value in enumerate(
            [r["unit"], r["topic"], r["level"], _day(r["start"]), r["attendances"]], 1
        ):
            _put(ws, row, col, value)
    row += 1
    _put(ws, row, 1, "Tổng cộng", bold=True)
    _formula(ws, row, 2, f"=COUNTA(B{top}:B{row - 1})" if data["courses"] else "=0")
    _formula(ws, row, 5, f"=SUM(E{top}:E{row - 1})" if data["courses"] else "=0")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 48


def _sources(ws: Worksheet, doc: ReportDocument) -> None:
    row = _title(ws, "Nguồn gốc các số liệu trong báo cáo", 4)
    _put(ws, row, 1, "Mã kiểm tra dữ liệu (SHA-256)", bold=True)
    _put(ws, row, 2, doc.digest)
    if doc.simulated:
        row += 1
        _put(ws, row, 1, "Lưu ý", bold=True)
        _put(ws, row, 2, "Số liệu mô phỏng (dữ liệu trình diễn), không phải số liệu thật.")
    for table in doc.appendix():
        row += 2
        row = _table(ws, row, table)
    ws.column_dimensions["A"].width = 10
    ws.column_dimensions["B"].width = 60


def _table(ws: Worksheet, row: int, table: Table) -> int:
    _put(ws, row, 1, table.title, bold=True)
    row += 1
    for k, text in enumerate(table.headers, 1):
        _put(ws, row, k, text, bold=True)
    for values in table.rows:
        row += 1
        for k, text in enumerate(values, 1):
            _put(ws, row, k, text)
    return row


def _day(iso: str) -> str:
    y, m, d = iso[:10].split("-")
    return f"{d}/{m}/{y}"
