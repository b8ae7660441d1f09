"""The Excel template: one row per commune (or village), one column per indicator.

Header rows give each indicator's criterion, text, unit and threshold; key columns and
headers are protected (cells the user may fill are the only unlocked ones); each column has a
data validation; current values are filled in; a very hidden sheet carries what the importer
needs (set, year, template version, column codes). Thresholds depend on the commune's region
or group: when every row shares one threshold it is in the header row, otherwise the header
points to the "Ngưỡng" sheet (one row per region or group present), because per-cell comments
on thousands of cells make a provincial workbook heavy and unprintable.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ntm.accounts import access
from ntm.core.model import CriteriaSet, Indicator, Level, Op
from ntm.core.registry import UnknownCriteriaSetError, set_for_year
from ntm.core.values import format_measure
from ntm.criteria.models import CommuneClass
from ntm.criteria.selectors import criteria_set_for_province
from ntm.exchange.export import safe_text
from ntm.exchange.readers.workbook import META_SHEET, TEMPLATE_FORMAT
from ntm.indicators.models import IndicatorValue
from ntm.units.models import Unit
from ntm.units.selectors import judged_on, unit_province, unit_sort_key, units_at_or_under

TEMPLATE_VERSION = "1"
DATA_SHEET = "Số liệu"
THRESHOLD_SHEET = "Ngưỡng"
HEADER_ROW = 6  # indicator codes; the importer reads them back
FIRST_ROW = 7
FIRST_COLUMN = 5  # E; A-D: code, name, parent, region or group
KEY_HEADINGS = ("Mã đơn vị", "Tên đơn vị", "Trực thuộc", "Vùng/nhóm")
ROW_LABELS = {2: "Tiêu chí", 3: "Nội dung chỉ tiêu", 4: "Đơn vị tính", 5: "Ngưỡng đạt"}

_HEAD_FILL = PatternFill("solid", fgColor="DCE6F1")
_LOCKED_FILL = PatternFill("solid", fgColor="D9D9D9")
_UNLOCKED = Protection(locked=False)
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")


class TemplateError(ValueError):
    """No template can be made (no communes, no set in force ...): a Vietnamese message."""


@dataclass(frozen=True)
class _Row:
    unit: Unit
    class_code: str
    locked: str  # why the whole row is read-only ("" if it is not)


def template_units(*, unit: Unit, year: int, user: Any, level: str) -> list[Unit]:
    """The communes (or villages) of the unit's subtree in force on 31/12, in the user's scope."""
    units = units_at_or_under(unit=unit, on=judged_on(year), levels=[level])
    if level == Level.COMMUNE.value and unit.level != Level.COMMUNE.value:
        units = units.filter(ntm_eligible=True)
    rows = [u for u in units.select_related("parent__parent__parent")]
    if user is not None:
        rows = [u for u in rows if access.can_view_unit(user, u)]
    return sorted(
        rows, key=lambda u: (unit_sort_key(u.parent) if u.parent else (), unit_sort_key(u))
    )


def template_set(*, unit: Unit, year: int, set_id: str, level: str) -> CriteriaSet:
    province = unit_province(unit=unit)
    province_id = province.pk if province.level == "province" else None
    try:
        if level == Level.VILLAGE.value and not set_id:
            set_id = set_for_year(year, Level.VILLAGE).id
        return criteria_set_for_province(province_id=province_id, year=year, set_id=set_id)
    except UnknownCriteriaSetError as exc:
        raise TemplateError(str(exc)) from None


def threshold_text(indicator: Indicator, cset: CriteriaSet, class_code: str) -> str:
    cell = indicator.threshold(cset.primary_tier, class_code) if class_code else None
    if cell is None:
        return "chưa xác nhận" if class_code else "chưa xác định vùng/nhóm"
    if indicator.op is Op.DAT:
        return "đạt"
    if indicator.op is Op.KHONG:
        return "không"
    unit = "%" if indicator.unit == "%" else f" {indicator.unit}"
    return f"{indicator.op.symbol} {format_measure(cell.value)}{unit}"


def _choices(indicator: Indicator) -> tuple[str, str]:
    return ("có", "không") if indicator.op is Op.KHONG else ("đạt", "không đạt")


def _shown(indicator: Indicator, value: float | None) -> Any:
    if value is None:
        return None
    if indicator.op.is_boolean:
        yes, no = _choices(indicator)
        return yes if value == 1 else no
    return int(value) if value.is_integer() else value


def _unit_text(indicator: Indicator) -> str:
    return "/".join(_choices(indicator)) if indicator.op.is_boolean else indicator.unit


def template_build(
    *, unit: Unit, year: int, user: Any = None, set_id: str = "", level: str = "commune"
) -> bytes:
    """The workbook as bytes; ``user`` None is the system (every unit and criterion)."""
    units = template_units(unit=unit, year=year, user=user, level=level)
    what = "thôn, bản" if level == Level.VILLAGE.value else "xã thuộc chương trình NTM"
    if not units:
        raise TemplateError(f"{unit.name} không có {what} nào trong năm {year}")
    cset = template_set(unit=units[0], year=year, set_id=set_id, level=level)
    classes = _classes(units, cset)
    rows = _with_locks([_Row(u, classes[u.pk], "") for u in units], year)
    indicators = [
        i
        for c in cset.criteria
        if user is None or access.can_view_criterion(user, unit, c.code, set_id=cset.id)
        for i in c.indicators
    ]
    if not indicators:
        raise TemplateError(f"Bạn không xem được tiêu chí nào của {unit.name}")
    values = _values(units, year, cset)
    book = Workbook(write_only=True)
    _instructions(book, unit=unit, year=year, cset=cset, user=user, level=level)
    _data_sheet(book, unit, year, cset, rows, indicators, values, user)
    _threshold_sheet(book, cset, rows, indicators)
    _meta_sheet(book, unit, year, cset, indicators, user, level)
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _classes(units: list[Unit], cset: CriteriaSet) -> dict[int, str]:
    """Each row's region or group, as commune_class decides it, in one query ("" if none)."""
    records = dict(
        CommuneClass.objects.filter(
            unit_id__in=[u.pk for u in units], criteria_set=cset.id
        ).values_list("unit_id", "class_code")
    )
    classes = {}
    for unit in units:
        region = unit_province(unit=unit).region if cset.classification == "region" else ""
        classes[unit.pk] = records.get(unit.pk) or region or ""
    return classes


def _with_locks(rows: list[_Row], year: int) -> list[_Row]:
    from ntm.workflow.models import Dossier, Status
    from ntm.workflow.selectors import dossier_locking

    ids = {r.unit.pk for r in rows}
    live = Dossier.objects.filter(unit_id__in=ids, year=year).exclude(status=Status.REVOKED)
    candidates = set(live.values_list("unit_id", flat=True))
    out = []
    for row in rows:
        dossier = dossier_locking(unit=row.unit, year=year) if row.unit.pk in candidates else None
        if dossier is None:
            out.append(row)
            continue
        stage = dossier.stage.name if dossier.stage else dossier.get_status_display()
        reason = f"Số liệu bị khóa: hồ sơ số {dossier.pk} đang ở bước «{stage}»."
        out.append(_Row(row.unit, row.class_code, reason))
    return out


def _values(units: list[Unit], year: int, cset: CriteriaSet) -> dict[tuple[int, str], float]:
    rows = IndicatorValue.objects.filter(
        unit_id__in=[u.pk for u in units], year=year, criteria_set=cset.id
    ).values_list("unit_id", "indicator", "value")
    return {(unit_id, code): value for unit_id, code, value in rows}


def _cell(ws: Any, value: Any, **style: Any) -> Cell:
    if isinstance(value, str):
        value = safe_text(value)
    cell = WriteOnlyCell(ws, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def _header_rows(
    ws: Any, unit: Unit, year: int, cset: CriteriaSet, rows: list[_Row], indicators: list[Indicator]
) -> None:
    title = f"Biểu nhập số liệu nông thôn mới — {unit.name} — năm {year}"
    ws.append([_cell(ws, title, font=Font(bold=True, size=13))])
    classes = sorted({r.class_code for r in rows if r.class_code})
    crits = {c.code: c for c in cset.criteria}
    lines: dict[int, list[Any]] = {
        2: [f"TC {i.criterion}. {crits[i.criterion].name}" for i in indicators],
        3: [i.text for i in indicators],
        4: [_unit_text(i) for i in indicators],
        5: [_threshold_header(i, cset, classes) for i in indicators],
    }
    for number, texts in lines.items():
        label = _cell(ws, ROW_LABELS[number], font=_BOLD, fill=_HEAD_FILL)
        blanks = [_cell(ws, None, fill=_HEAD_FILL) for _ in range(FIRST_COLUMN - 2)]
        cells = [_cell(ws, t, fill=_HEAD_FILL, alignment=_WRAP) for t in texts]
        ws.append([*blanks, label, *cells])
    keys = [_cell(ws, h, font=_BOLD, fill=_HEAD_FILL) for h in KEY_HEADINGS]
    codes = [_cell(ws, i.code, font=_BOLD, fill=_HEAD_FILL) for i in indicators]
    ws.append([*keys, *codes])


def _threshold_header(indicator: Indicator, cset: CriteriaSet, classes: list[str]) -> str:
    texts = {threshold_text(indicator, cset, c) for c in classes}
    if len(texts) == 1:
        return texts.pop()
    what = "nhóm" if cset.classification == "group" else "vùng"
    return f"khác nhau theo {what}: xem trang «{THRESHOLD_SHEET}»"


def _data_sheet(
    book: Workbook,
    unit: Unit,
    year: int,
    cset: CriteriaSet,
    rows: list[_Row],
    indicators: list[Indicator],
    values: dict[tuple[int, str], float],
    user: Any,
) -> None:
    ws = book.create_sheet(DATA_SHEET)
    for letter, width in zip("ABCD", (11, 28, 24, 11), strict=True):
        ws.column_dimensions[letter].width = width
    for n in range(len(indicators)):
        ws.column_dimensions[get_column_letter(FIRST_COLUMN + n)].width = 16
    ws.row_dimensions[3].height = 110
    ws.freeze_panes = f"{get_column_letter(FIRST_COLUMN)}{FIRST_ROW}"
    _validations(ws, indicators, len(rows))
    # Protected against slips, not against intent (no password): the importer checks all.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    _header_rows(ws, unit, year, cset, rows, indicators)
    may_edit: dict[tuple[int, str], bool] = {}
    for row in rows:
        u = row.unit
        code = _cell(ws, u.code, fill=_LOCKED_FILL if row.locked else _HEAD_FILL)
        if row.locked:
            code.comment = Comment(row.locked, "ntm")
        parent = u.parent.name if u.parent else ""
        keys = [code, _cell(ws, u.name), _cell(ws, parent), _cell(ws, row.class_code)]
        cells = []
        for ind in indicators:
            key = (u.pk, ind.criterion)
            if key not in may_edit:
                may_edit[key] = user is None or access.can_edit_value(
                    user, u, ind.criterion, set_id=cset.id
                )
            value = _shown(ind, values.get((u.pk, ind.code)))
            if may_edit[key] and not row.locked:
                cells.append(_cell(ws, value, protection=_UNLOCKED))
            else:
                cells.append(_cell(ws, value, fill=_LOCKED_FILL))
        ws.append([*keys, *cells])


def _validations(ws: Any, indicators: list[Indicator], count: int) -> None:
    last = FIRST_ROW + max(count, 1) - 1
    for n, ind in enumerate(indicators):
        letter = get_column_letter(FIRST_COLUMN + n)
        if ind.op.is_boolean:
            yes, no = _choices(ind)
            dv = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True)
            dv.error = f"Chỉ tiêu {ind.code}: chọn «{yes}» hoặc «{no}» trong danh sách."
        elif ind.unit == "%":
            dv = DataValidation(
                type="decimal", operator="between", formula1="0", formula2="100", allow_blank=True
            )
            dv.error = f"Chỉ tiêu {ind.code} là tỷ lệ phần trăm: nhập số từ 0 đến 100."
        else:
            dv = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True
            )
            dv.error = f"Chỉ tiêu {ind.code}: nhập một số không âm ({ind.unit})."
        dv.errorTitle = "Giá trị không hợp lệ"
        dv.showErrorMessage = True
        dv.add(f"{letter}{FIRST_ROW}:{letter}{last}")
        ws.data_validations.append(dv)


def _threshold_sheet(
    book: Workbook, cset: CriteriaSet, rows: list[_Row], indicators: list[Indicator]
) -> None:
    ws = book.create_sheet(THRESHOLD_SHEET)
    ws.column_dimensions["A"].width = 40
    what = "Nhóm" if cset.classification == "group" else "Vùng"
    ws.append(
        [_cell(ws, f"Ngưỡng đạt theo {what.lower()} ({cset.title}, {cset.decision})", font=_BOLD)]
    )
    ws.append([_cell(ws, what, font=_BOLD), *[_cell(ws, i.code, font=_BOLD) for i in indicators]])
    present = sorted({r.class_code for r in rows if r.class_code})
    for code in present:
        label = f"{code} — {cset.classes.get(code, '')}"
        ws.append(
            [_cell(ws, label), *[_cell(ws, threshold_text(i, cset, code)) for i in indicators]]
        )
    if cset.spec_id:
        ws.append([_cell(ws, "Có áp dụng quy định cụ thể của tỉnh: " + cset.spec_id)])
    ws.protection.sheet = True


def _meta_sheet(
    book: Workbook,
    unit: Unit,
    year: int,
    cset: CriteriaSet,
    indicators: list[Indicator],
    user: Any,
    level: str,
) -> None:
    ws = book.create_sheet(META_SHEET)
    ws.sheet_state = "veryHidden"
    meta = {
        "format": TEMPLATE_FORMAT,
        "version": TEMPLATE_VERSION,
        "criteria_set": cset.id,
        "spec_id": cset.spec_id,
        "year": str(year),
        "unit_code": unit.code,
        "level": level,
        "data_sheet": DATA_SHEET,
        "header_row": str(HEADER_ROW),
        "first_row": str(FIRST_ROW),
        "first_column": str(FIRST_COLUMN),
        "indicators": ",".join(i.code for i in indicators),
        "created_at": dt.datetime.now().isoformat(timespec="seconds"),
        "created_by": user.get_username() if user is not None else "hệ thống",
    }
    for key, value in meta.items():
        ws.append([_cell(ws, key), _cell(ws, value)])
    ws.protection.sheet = True


def _instructions(
    book: Workbook, *, unit: Unit, year: int, cset: CriteriaSet, user: Any, level: str
) -> None:
    ws = book.create_sheet("Hướng dẫn")
    ws.column_dimensions["A"].width = 120
    what = "thôn, bản" if level == Level.VILLAGE.value else "xã"
    group = "nhóm xã" if cset.classification == "group" else "vùng"
    spec = " (có áp dụng quy định cụ thể của tỉnh)" if cset.spec_id else ""
    lines = [
        "HƯỚNG DẪN ĐIỀN BIỂU MẪU",
        f"Biểu mẫu nhập số liệu chỉ tiêu nông thôn mới năm {year} của {unit.name}, theo "
        f"{cset.title} ({cset.decision}){spec}.",
        f"1. Trang «{DATA_SHEET}»: mỗi dòng là một {what}, mỗi cột từ cột E là một chỉ tiêu "
        "(mã chỉ tiêu ở dòng 6). Chỉ điền vào các ô trắng. Dòng tiêu đề 1-6, các cột A-D (mã, "
        "tên, trực thuộc, vùng/nhóm) và các ô màu xám được khóa để tránh sửa nhầm.",
        "2. Ô để trống nghĩa là chưa có số liệu: khi nhập, ô trống GIỮ NGUYÊN số liệu đã lưu, "
        "không xóa. Số liệu hiện có trong ntm đã được điền sẵn.",
        "3. Số: gõ như bình thường trong Excel (75,5 hoặc 75.5 tùy cài đặt của máy). Tỷ lệ phần "
        "trăm ghi số từ 0 đến 100 (80 nghĩa là 80%). Không dùng công thức: ô có công thức bị "
        "báo lỗi; hãy chép và dán dưới dạng giá trị (Paste Values).",
        "4. Chỉ tiêu đạt/không đạt: chọn «đạt» hoặc «không đạt» trong danh sách (chỉ tiêu có/"
        "không như «Nhà tạm, dột nát»: chọn «có» hoặc «không»); cũng nhận 1 và 0.",
        f"5. Ngưỡng: dòng 5 ghi ngưỡng đạt khi mọi {what} trong biểu có cùng ngưỡng. Ngưỡng phụ "
        f"thuộc {group} của từng {what} (cột D); khi ngưỡng khác nhau, ô ở dòng 5 ghi «khác nhau"
        f" theo …»: tra trang «{THRESHOLD_SHEET}» theo {group} ở cột D. Ngưỡng được ghi theo "
        f"{group} thay vì ghi chú từng ô để biểu mẫu cấp tỉnh vẫn nhẹ và in được. «Chưa xác "
        "nhận»: chưa có văn bản làm căn cứ, chỉ tiêu đó chưa đánh giá được.",
        "6. Ô hoặc dòng màu xám: bạn không có quyền nhập chỉ tiêu đó của đơn vị đó, hoặc hồ sơ "
        "xét công nhận của xã đang được thẩm định nên số liệu bị khóa (xem ghi chú ở ô mã "
        "đơn vị).",
        "7. Nhập lại vào ntm: trang «Nhập số liệu từ tệp» (/nhap-tep/) hoặc lệnh «ntm import "
        "TỆP». ntm kiểm tra trước và cho xem từng ô sẽ được thêm, sửa (cũ → mới) hay giữ "
        "nguyên, rồi mới ghi. Có bất kỳ lỗi nào thì không ghi gì cả và trả lại tệp với các ô "
        "lỗi tô đỏ, có ghi chú lý do.",
        "8. Không đổi tên trang, không thêm hay xóa cột, không sửa dòng tiêu đề. Trang ẩn "
        f"«{META_SHEET}» chứa thông tin cho chương trình nhập: bộ tiêu chí {cset.id}, năm "
        f"{year}, phiên bản biểu mẫu {TEMPLATE_VERSION}.",
        f"Tạo lúc {dt.datetime.now():%d/%m/%Y %H:%M} bởi "
        f"{user.get_username() if user is not None else 'hệ thống'}.",
    ]
    for n, line in enumerate(lines):
        style = {"font": Font(bold=True, size=13)} if n == 0 else {"alignment": _WRAP}
        ws.append([_cell(ws, line, **style)])
    ws.protection.sheet = True
