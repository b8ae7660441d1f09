"""Workbooks for the criteria import tests: exported ones to edit, and an office's own annex."""

from __future__ import annotations

import io
from pathlib import Path

from openpyxl import Workbook, load_workbook

from ntm.criteria.selectors import criteria_workbook


def exported(export_id: str) -> Workbook:
    return load_workbook(io.BytesIO(criteria_workbook(export_id=export_id)[1]))


def to_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def saved(book: Workbook, path: Path) -> str:
    path.write_bytes(to_bytes(book))
    return str(path)


def meta_set(book: Workbook, key: str, value: object) -> None:
    """Set (or add) a key of sheet "Bo tieu chi"."""
    ws = book["Bo tieu chi"]
    for row in range(1, ws.max_row + 1):
        if ws.cell(row, 1).value == key:
            ws.cell(row, 2).value = value
            return
    ws.append([key, value])


def column(book: Workbook, header: str) -> int:
    ws = book["Chi tieu"]
    for col in range(1, ws.max_column + 1):
        if ws.cell(1, col).value == header:
            return col
    raise KeyError(header)


def row_of(book: Workbook, code: str, tier: str = "ntm") -> int:
    ws = book["Chi tieu"]
    code_col, tier_col = column(book, "Mã chỉ tiêu"), column(book, "Mức")
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, code_col).value == code and ws.cell(row, tier_col).value == tier:
            return row
    raise KeyError(code)


def put(book: Workbook, code: str, header: str, value: object, tier: str = "ntm") -> str:
    """Write one cell of an indicator's row; returns its address (e.g. "I7")."""
    cell = book["Chi tieu"].cell(row_of(book, code, tier), column(book, header))
    cell.value = value
    return cell.coordinate


# QĐ 51/2025's annex as an office would type it: its own header wording, a title row above
# the header, an STT column, criterion cells merged down, thresholds written "≥80%" or as a
# percentage-formatted number, "Đạt" merged across the three groups. The numbers are TEST
# DATA, not the decision's thresholds (which ntm does not know).
ANNEX_ROWS = [
    # criterion, name, code, text, unit, comparison, group 1, group 2, group 3
    ("1", "Quy hoạch", "1.1", "Có quy hoạch chung xã được phê duyệt", "", "đạt", "Đạt", None, None),
    ("1", "Quy hoạch", "1.2", "Có quy chế quản lý quy hoạch", "", "đạt", "Đạt", None, None),
    (
        "2",
        "Hạ tầng kinh tế - xã hội",
        "2.1",
        "Tỷ lệ đường xã được cứng hóa",
        "%",
        ">=",
        100,
        100,
        90,
    ),
    (
        "2",
        "Hạ tầng kinh tế - xã hội",
        "2.2",
        "Tỷ lệ hộ dùng điện an toàn",
        "%",
        ">=",
        "≥99%",
        "98",
        "95",
    ),
    (
        "2",
        "Hạ tầng kinh tế - xã hội",
        "2.3",
        "Tỷ lệ hộ dùng nước sạch theo quy chuẩn",
        "%",
        ">=",
        0.8,
        0.6,
        0.4,
    ),
    (
        "3",
        "Phát triển kinh tế nông thôn",
        "3.1",
        "Tốc độ tăng thu nhập bình quân đầu người",
        "%",
        ">=",
        "8,5",
        "8",
        "7",
    ),
    (
        "3",
        "Phát triển kinh tế nông thôn",
        "3.2",
        "Có kế hoạch phát triển sản phẩm OCOP",
        "",
        "đạt",
        "Đạt",
        None,
        None,
    ),
    (
        "4",
        "Đào tạo nguồn nhân lực nông thôn",
        "4.1",
        "Tỷ lệ lao động qua đào tạo",
        "%",
        ">=",
        80,
        75,
        60,
    ),
    ("5", "Văn hóa, giáo dục, y tế", "5.1", "Tỷ lệ người dân tham gia BHYT", "%", ">=", 95, 95, 90),
    (
        "5",
        "Văn hóa, giáo dục, y tế",
        "5.2",
        "Đảm bảo an toàn thực phẩm",
        "",
        "đạt",
        "Đạt",
        None,
        None,
    ),
    ("6", "Giảm nghèo và an sinh xã hội", "6.1", "Tỷ lệ nghèo đa chiều", "%", "<=", 1, 2, 5),
    (
        "7",
        "Khoa học công nghệ và chuyển đổi số",
        "7.1",
        "Tỷ lệ dân số trưởng thành có tài khoản thanh toán",
        "%",
        ">=",
        80,
        70,
        60,
    ),
    (
        "8",
        "Môi trường và cảnh quan nông thôn",
        "8.1",
        "Tỷ lệ chất thải rắn sinh hoạt được thu gom",
        "%",
        ">=",
        95,
        90,
        80,
    ),
    (
        "8",
        "Môi trường và cảnh quan nông thôn",
        "8.2",
        "Không có nhà tạm, dột nát",
        "",
        "không",
        "Không",
        None,
        None,
    ),
    (
        "9",
        "Xây dựng hệ thống chính trị và hành chính công",
        "9.1",
        "Tỷ lệ thủ tục hành chính giải quyết trực tuyến",
        "%",
        ">=",
        90,
        80,
        70,
    ),
    (
        "10",
        "Quốc phòng và an ninh",
        "10.1",
        "Đạt chuẩn an toàn về an ninh, trật tự",
        "",
        "đạt",
        "Đạt",
        None,
        None,
    ),
]


def qd51_annex() -> Workbook:
    book = Workbook()
    meta = book.active
    meta.title = "Bộ tiêu chí"
    for row in [
        ("Khóa", "Giá trị", "Tên"),
        ("kind", "set"),
        ("id", "qd51-2025"),
        ("title", "Bộ tiêu chí quốc gia về xã nông thôn mới giai đoạn 2026-2030"),
        ("decision", "51/2025/QĐ-TTg"),
        ("level", "commune"),
        ("issued", "29/12/2025"),
        ("effective", "15/02/2026"),
        ("period", "2026-2030"),
        ("classification", "group"),
        ("class", 1, "Xã nhóm 1"),
        ("class", 2, "Xã nhóm 2"),
        ("class", 3, "Xã nhóm 3"),
        ("tier", "ntm", "Xã đạt chuẩn nông thôn mới"),
        ("replaces_national", "có"),
    ]:
        meta.append(row)
    rows = book.create_sheet("Chi tiêu")
    rows.append(["PHỤ LỤC I (bảng thử nghiệm)"])
    rows.append(
        [
            "STT",
            "Tiêu chí",
            "Tên tiêu chí",
            "Mã chỉ tiêu",
            "Nội dung",
            "Đơn vị tính",
            "So sánh",
            "Nhóm 1",
            "Nhóm 2",
            "Nhóm 3",
            "Nguồn",
            "Cách gộp",
        ]
    )
    previous = ""
    for n, (crit, name, code, text, unit, op, g1, g2, g3) in enumerate(ANNEX_ROWS, start=1):
        first = crit != previous
        previous = crit
        rows.append(
            [
                n,
                crit if first else None,
                name if first else None,
                code,
                text,
                unit,
                op,
                g1,
                g2,
                g3,
                "PL1",
                "mean" if unit == "%" else "all",
            ]
        )
        r = rows.max_row
        if g2 is None:
            rows.merge_cells(start_row=r, start_column=8, end_row=r, end_column=10)
        if isinstance(g1, float) and g1 < 1:
            for col in (8, 9, 10):
                rows.cell(r, col).number_format = "0%"
    two = [r for r in range(3, rows.max_row + 1) if rows.cell(r, 4).value.startswith("2.")]
    for col in (2, 3):  # criterion 2 merged down; the others simply left blank
        rows.merge_cells(start_row=two[0], start_column=col, end_row=two[-1], end_column=col)
    sources = book.create_sheet("Nguồn")
    sources.append(["Mã nguồn", "Lời văn"])
    sources.append(
        ["PL1", "Bảng thử nghiệm theo bố cục Phụ lục I QĐ 51/2025/QĐ-TTg (không phải số liệu thật)"]
    )
    return book
