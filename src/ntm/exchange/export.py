"""Export values and evaluation results of a unit's subtree: long CSV, xlsx, DHIS2 JSON.

A unit code means, for each year, the unit holding it on 31/12 of that year, and the values
exported are those of the set judging each commune that year, written under the same code:
exactly what the importer resolves, so export -> import -> export gives the same file.
Values the importer could not place back (a commune that no longer existed on 31/12, a set
other than the one judging the year) are counted in the notes, never silently mixed in.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.model import CriteriaSet, Indicator, Level
from ntm.core.registry import UnknownCriteriaSetError, set_for_year
from ntm.criteria.selectors import criteria_set_for_province
from ntm.exchange.readers.dhis2_json import RESULT_PREFIX
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import value_shown
from ntm.units.models import Unit
from ntm.units.selectors import unit_province, units_at_or_under

FORMATS = ("csv", "xlsx", "dhis2")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "dhis2": "application/json",
}
EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "dhis2": "json"}
STATUS_WORDS = {"met": "Đạt", "not_met": "Không đạt", "missing": "Thiếu dữ liệu"}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)


class ExportError(ValueError):
    """A request that cannot be exported, with a Vietnamese message."""


def safe_text(text: str) -> str:
    """Text a spreadsheet would run as a formula (= + - @ ...) gets a leading apostrophe."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def number_text(value: float) -> str:
    """80.0 -> "80", 75.5 -> "75.5": the shortest text that reads back as the same float."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def level_of_code(code: str) -> str | None:
    if re.fullmatch(r"\d{2}", code):
        return Level.PROVINCE.value
    if re.fullmatch(r"\d{3}", code):
        return Level.DISTRICT.value
    if re.fullmatch(r"\d{5}", code):
        return Level.COMMUNE.value
    if re.fullmatch(r"\d{5}\.\d{1,4}", code):
        return Level.VILLAGE.value
    return None


@dataclass(frozen=True)
class ExportValue:
    unit: Unit
    year: int
    cset: CriteriaSet
    indicator: Indicator
    position: int  # the indicator's place in its set, for sorting
    value: float
    source: str
    updated: dt.datetime | None = None  # when the value was last written (DHIS2 lastUpdated)


@dataclass
class ExportData:
    code: str
    years: list[int]
    values: list[ExportValue] = field(default_factory=list)
    evaluations: list[Evaluation] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    root_names: list[str] = field(default_factory=list)


def _subtree(root: Unit, on: dt.date) -> list[Unit]:
    units = units_at_or_under(unit=root, on=on, levels=[Level.COMMUNE, Level.VILLAGE])
    return list(units.select_related("parent__parent__parent"))


def _stored_in_subtree(root: Unit, year: int) -> int:
    tree = (
        Q(unit=root)
        | Q(unit__parent=root)
        | Q(unit__parent__parent=root)
        | Q(unit__parent__parent__parent=root)
    )
    return IndicatorValue.objects.filter(tree, year=year).count()


def export_collect(*, code: str, years: list[int], user: Any = None) -> ExportData:
    """The values and results to export; ``user`` None is the system (every unit)."""
    level = level_of_code(code)
    if level is None:
        raise ExportError(
            f"Mã đơn vị «{code}» không đúng dạng (tỉnh 2 số, huyện 3 số, xã 5 số, thôn 01234.1)"
        )
    data = ExportData(code=code, years=years)
    sets: dict[tuple[int | None, int, str], CriteriaSet | None] = {}
    for year in years:
        end = dt.date(year, 12, 31)
        root = Unit.objects.filter(code=code, level=level).valid_on(end).first()
        if root is None or (user is not None and not access.can_view_unit(user, root)):
            data.notes.append(f"Năm {year}: không có đơn vị mã {code} trong phạm vi của bạn.")
            continue
        if root.name not in data.root_names:
            data.root_names.append(root.name)
        units = [u for u in _subtree(root, end) if user is None or access.can_view_unit(user, u)]
        exported = _collect_year(data, units, year, sets, user)
        skipped = _stored_in_subtree(root, year) - exported
        if skipped > 0 and user is None:
            data.notes.append(
                f"Năm {year}: không xuất {skipped} giá trị của đơn vị đã thôi tồn tại trước "
                f"31/12/{year} hoặc lưu theo bộ tiêu chí không áp dụng cho năm đó."
            )
    if not data.root_names:
        raise ExportError(f"Không có đơn vị mã {code} trong phạm vi của bạn vào các năm đã chọn")
    data.values.sort(key=lambda v: (v.unit.code, v.year, v.position))
    data.evaluations.sort(key=lambda e: (e.unit.code, e.year))
    return data


def _judging_set(
    unit: Unit, year: int, sets: dict[tuple[int | None, int, str], CriteriaSet | None]
) -> CriteriaSet | None:
    province = unit_province(unit=unit)
    key = (province.pk if province.level == "province" else None, year, unit.level)
    if key not in sets:
        try:
            set_id = set_for_year(year, Level.VILLAGE).id if unit.level == "village" else ""
            sets[key] = criteria_set_for_province(province_id=key[0], year=year, set_id=set_id)
        except UnknownCriteriaSetError:
            sets[key] = None
    return sets[key]


def _collect_year(
    data: ExportData,
    units: list[Unit],
    year: int,
    sets: dict[tuple[int | None, int, str], CriteriaSet | None],
    user: Any,
) -> int:
    by_set: dict[str, tuple[CriteriaSet, dict[int, Unit]]] = {}
    for unit in units:
        cset = _judging_set(unit, year, sets)
        if cset is not None:
            by_set.setdefault(f"{cset.id}|{cset.spec_id}", (cset, {}))[1][unit.pk] = unit
    exported = 0
    for cset, members in by_set.values():
        place = {ind.code: (n, ind) for n, ind in enumerate(cset.indicators)}
        rows = IndicatorValue.objects.filter(
            unit_id__in=list(members), year=year, criteria_set=cset.id
        ).values_list("unit_id", "indicator", "value", "source", "updated_at")
        for unit_id, code, value, source, updated in rows:
            if code not in place:
                continue
            exported += 1
            position, indicator = place[code]
            unit = members[unit_id]
            if user is not None and not access.can_view_criterion(
                user, unit, indicator.criterion, set_id=cset.id
            ):
                continue
            data.values.append(
                ExportValue(unit, year, cset, indicator, position, value, source, updated)
            )
        evaluations = Evaluation.objects.filter(unit_id__in=list(members), year=year)
        for evaluation in evaluations:
            evaluation.unit = members[evaluation.unit_id]
            # A department sees its own criteria only, so not a commune's overall verdict.
            if user is None or access.role_of(user) != Role.DEPARTMENT:
                data.evaluations.append(evaluation)
    return exported


# Writers ------------------------------------------------------------------------------------


def export_csv(data: ExportData) -> bytes:
    """The long CSV: unit_code,year,indicator,value, sorted, "." decimals, \\n line ends."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit_code", "year", "indicator", "value"])
    for v in data.values:
        writer.writerow(
            [safe_text(v.unit.code), v.year, safe_text(v.indicator.code), number_text(v.value)]
        )
    return out.getvalue().encode("utf-8")


def export_dhis2(data: ExportData) -> bytes:
    """DHIS2 dataValueSets JSON; results are extra data elements named NTM_KQ_..."""
    body = {"dataValues": dhis2_values(data)}
    return (json.dumps(body, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _stamp(moment: dt.datetime | None) -> dict[str, str]:
    return {"lastUpdated": moment.isoformat(timespec="seconds")} if moment is not None else {}


def dhis2_values(data: ExportData, *, last_updated: bool = False) -> list[dict[str, str]]:
    """The dataValues of the DHIS2 export; ``last_updated`` adds DHIS2's lastUpdated (the
    API's dataValueSets; the file export leaves it out so that export -> import -> export
    gives the same file)."""
    values: list[dict[str, str]] = [
        {
            "dataElement": v.indicator.code,
            "period": str(v.year),
            "orgUnit": v.unit.code,
            "value": number_text(v.value),
            **(_stamp(v.updated) if last_updated else {}),
        }
        for v in data.values
    ]
    for e in data.evaluations:
        base = {
            "period": str(e.year),
            "orgUnit": e.unit.code,
            **(_stamp(e.evaluated_at) if last_updated else {}),
        }
        values.append(
            {**base, "dataElement": f"{RESULT_PREFIX}SO_TIEU_CHI_DAT", "value": str(e.criteria_met)}
        )
        values.append(
            {
                **base,
                "dataElement": f"{RESULT_PREFIX}DAT_CHUAN",
                "value": "true" if e.meets_standard else "false",
            }
        )
    return values


def safe_cells(ws: Any, values: list[Any], *, bold: bool = False) -> list[Any]:
    """A write-only sheet's row: text always as text (never a formula), numbers as numbers."""
    cells = []
    for value in values:
        if isinstance(value, str):
            cell = WriteOnlyCell(ws, value=safe_text(value))
            cell.data_type = "s"  # never a formula, whatever the text
        else:
            cell = WriteOnlyCell(ws, value=value)
        if bold:
            cell.font = _BOLD
        cells.append(cell)
    return cells


def export_xlsx(data: ExportData, *, user: Any = None) -> bytes:
    """Values (long, re-importable), results per commune-year, and what the file holds."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("Giá trị")
    for letter, width in zip("ABCDEFGHI", (11, 7, 10, 12, 30, 60, 22, 16, 14), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    header = ["unit_code", "year", "indicator", "value", "Tên đơn vị", "Nội dung chỉ tiêu"]
    ws.append(safe_cells(ws, [*header, "Đơn vị tính", "Giá trị (chữ)", "Bộ tiêu chí"], bold=True))
    for v in data.values:
        unit = "đạt/không" if v.indicator.op.is_boolean else v.indicator.unit
        shown = value_shown(indicator=v.indicator, value=v.value)
        row = [v.unit.code, v.year, v.indicator.code, v.value, v.unit.name, v.indicator.text]
        ws.append(safe_cells(ws, [*row, unit, shown, v.cset.id]))
    _results_sheet(book, data)
    _about_sheet(book, data, user)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _criterion_key(code: str) -> tuple[int, str]:
    return (int(code), "") if code.isdigit() else (10**6, code)


def _results_sheet(book: Workbook, data: ExportData) -> None:
    ws = book.create_sheet("Kết quả")
    ws.freeze_panes = "C2"
    codes = sorted({c for e in data.evaluations for c in e.criteria}, key=_criterion_key)
    header = ["unit_code", "Tên đơn vị", "year", "Bộ tiêu chí", "Vùng/nhóm", "Số tiêu chí đạt"]
    header += ["Tổng số tiêu chí", "Số tiêu chí thiếu dữ liệu", "Đạt chuẩn NTM"]
    ws.append(safe_cells(ws, header + [f"TC {c}" for c in codes], bold=True))
    for e in data.evaluations:
        row = [e.unit.code, e.unit.name, e.year, e.criteria_set, e.class_code, e.criteria_met]
        row += [e.criteria_total, e.criteria_missing, "Đạt" if e.meets_standard else "Chưa đạt"]
        row += [STATUS_WORDS.get(e.criteria.get(c, ""), "") for c in codes]
        ws.append(safe_cells(ws, row))


def _about_sheet(book: Workbook, data: ExportData, user: Any) -> None:
    ws = book.create_sheet("Thông tin")
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    simulated = any("mô phỏng" in v.source for v in data.values)
    rows: list[list[Any]] = [
        ["Đơn vị", f"{', '.join(data.root_names)} (mã {data.code})"],
        ["Năm", f"{data.years[0]}-{data.years[-1]}" if data.years else ""],
        ["Số giá trị chỉ tiêu", len(data.values)],
        ["Số kết quả đánh giá (xã-năm)", len(data.evaluations)],
        ["Xuất lúc", dt.datetime.now().strftime("%d/%m/%Y %H:%M")],
        ["Người xuất", user.get_username() if user is not None else "hệ thống (dòng lệnh)"],
        [
            "Nhập lại",
            "Trang «Giá trị» nhập lại được vào ntm (các cột unit_code, year, indicator, value; "
            "các cột khác chỉ để đọc).",
        ],
    ]
    if simulated:
        rows.append(["LƯU Ý", "Có số liệu MÔ PHỎNG (dữ liệu demo), không phải số liệu thật."])
    rows += [["Ghi chú", note] for note in data.notes]
    for row in rows:
        ws.append(safe_cells(ws, row))


def export_bytes(data: ExportData, fmt: str, *, user: Any = None) -> bytes:
    if fmt == "csv":
        return export_csv(data)
    if fmt == "xlsx":
        return export_xlsx(data, user=user)
    if fmt == "dhis2":
        return export_dhis2(data)
    raise ExportError(f"Định dạng «{fmt}» không hỗ trợ; chọn một trong: {', '.join(FORMATS)}")


def export_filename(data: ExportData, fmt: str) -> str:
    years = f"{data.years[0]}-{data.years[-1]}" if data.years else ""
    return f"ntm-{data.code}-{years}.{EXTENSIONS[fmt]}"


def export_summary(data: ExportData, fmt: str, name: str) -> dict[str, Any]:
    """What the audit trail keeps of an export: the file, its format, years and size (no
    figures)."""
    return {
        "file": name,
        "format": fmt,
        "years": f"{data.years[0]}-{data.years[-1]}" if data.years else "",
        "values": len(data.values),
        "evaluations": len(data.evaluations),
    }
