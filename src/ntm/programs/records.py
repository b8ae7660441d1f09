"""Programme sheets (courses, OCOP, cooperatives, bodies, resolutions, targets) for the generic
record importer (ntm.exchange.records).

Every kind follows one pattern: parse the cells, resolve unit codes on the record's date,
check the row as the model would (Vietnamese messages), find the stored row by its natural key
and write it (create or update) with an audit row naming the file.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from ntm.accounts import access
from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.core.values import fold
from ntm.exchange.export import level_of_code
from ntm.exchange.records import (
    CellError,
    Column,
    RecordSheet,
    parse_decimal,
    parse_year,
    register,
    required,
    text_cell,
)
from ntm.programs.models import (
    NUMBER_RANGE,
    BodyKind,
    CooperativeLaw,
    CourseLevel,
    TargetKind,
)
from ntm.programs.services import RECORD_KINDS, _json
from ntm.units.models import Unit

# Parsers -------------------------------------------------------------------------------------


def _unit_code(raw: Any) -> str | None:
    if raw is None or text_cell(raw) == "":
        return None
    code = str(int(raw)) if isinstance(raw, float) and raw.is_integer() else text_cell(raw)
    if level_of_code(code) is None:
        raise CellError(f"mã «{code}» không đúng dạng (tỉnh 2 số, huyện 3 số, xã 5 số)")
    return code


_DATE = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _date(raw: Any) -> dt.date | None:
    if raw is None or text_cell(raw) == "":
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = text_cell(raw)
    try:
        if match := _DATE.fullmatch(text):
            return dt.date(int(match[3]), int(match[2]), int(match[1]))
        if match := _ISO.fullmatch(text):
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        pass
    raise CellError(f"«{text}» không phải ngày dạng DD/MM/YYYY (ví dụ 15/03/2021)")


def _count(name: str) -> Callable[[Any], int | None]:
    """A whole number within the field's range (NUMBER_RANGE)."""
    low, high = NUMBER_RANGE[name]

    def parse(raw: Any) -> int | None:
        value = parse_decimal(raw, minimum=low, maximum=high)
        if value is None:
            return None
        if value != value.to_integral_value():
            raise CellError(f"«{raw}» phải là số nguyên không âm")
        return int(value)

    return parse


def _stars(raw: Any) -> int:
    try:
        value = _count("stars")(raw)
    except CellError:
        value = 0
    if value is None:
        raise CellError("ô này không được để trống")
    if value not in (3, 4, 5):
        raise CellError(f"sản phẩm OCOP được công nhận từ 3 đến 5 sao; không nhận «{raw}» sao")
    return value


def _float(raw: Any) -> float | None:
    value = parse_decimal(raw, minimum=NUMBER_RANGE["value"][0], maximum=NUMBER_RANGE["value"][1])
    return None if value is None else float(value)


def _choice(
    choices: type[models.TextChoices], extra: Mapping[str, str] | None = None
) -> Callable[[Any], str]:
    words = {fold(value): value for value in choices.values}
    words.update({fold(label): value for value, label in choices.choices})
    words.update(extra or {})
    allowed = ", ".join(str(label) for label in choices.labels)

    def parse(raw: Any) -> str:
        text = text_cell(raw)
        if not text:
            raise CellError("ô này không được để trống")
        found = words.get(fold(text))
        if found is None:
            raise CellError(f"«{text}» không phải một trong: {allowed}")
        return found

    return parse


_YES = {"co", "x", "1", "true", "dat", "hieu qua", "co hieu qua"}
_NO = {"", "khong", "0", "false", "chua", "khong hieu qua"}


def _yes_no(raw: Any) -> bool:
    text = fold(text_cell(raw))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise CellError(f"«{text_cell(raw)}» không phải «có» hoặc «không»")


def _text(limit: int) -> Callable[[Any], str]:
    def parse(raw: Any) -> str:
        text = text_cell(raw)
        if len(text) > limit:
            raise CellError(f"dài quá {limit} ký tự")
        return text

    return parse


def _source_column() -> Column:
    return Column("source", "Nguồn số liệu", _text(200), False, "báo cáo, quyết định ... có số này")


# The common machinery ------------------------------------------------------------------------


@dataclass(frozen=True)
class _Kind:
    kind: str  # the importer's kind ("courses")
    record: str  # the key in services.RECORD_KINDS ("course")
    sheet: str
    title: str
    columns: tuple[Column, ...]
    # The dates on which unit codes are looked up, in order (the record's own date first).
    period: Callable[[dict[str, Any]], tuple[dt.date, ...]]
    data: Callable[[dict[str, Any]], dict[str, Any]]  # parsed row -> model fields
    key_fields: tuple[str, ...]
    units: tuple[tuple[str, str], ...] = (("unit_code", "unit"),)  # code column -> values key
    check_row: Callable[[dict[str, Any]], dict[str, str]] = lambda values: {}
    instructions: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return RECORD_KINDS[self.record].model

    @property
    def unit_field(self) -> str:
        return RECORD_KINDS[self.record].unit_field


def _unit_in(code: str, dates: tuple[dt.date, ...]) -> Unit | None:
    """The unit holding the code on the first of the dates that has one."""
    rows = Unit.objects.filter(code=code, level=level_of_code(code))
    return next((u for on in dates if (u := rows.valid_on(on).first())), None)


def _snapshot(row: models.Model) -> dict[str, Any]:
    skip = {"id", "created_at"}
    return {
        f.attname: getattr(row, f.attname) for f in row._meta.concrete_fields if f.name not in skip
    }


def _resolve(spec: _Kind, values: dict[str, Any]) -> dict[str, str]:
    errors = spec.check_row(values)
    if errors:
        return errors
    dates = spec.period(values)
    for column, name in spec.units:
        code = values[column]
        values[name] = _unit_in(code, dates) if code else None
        if code and values[name] is None:
            errors[column] = f"không có đơn vị mã {code} vào thời điểm {dates[0]:%d/%m/%Y}"
    if errors:
        return errors
    data = spec.data(values) | {"simulated": False}
    values["data"] = data
    fields_to_columns = {name: column for column, name in spec.units}
    try:
        spec.model(**data).full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        for field_name, messages in exc.message_dict.items():
            column = fields_to_columns.get(field_name, field_name)
            if column not in {c.key for c in spec.columns}:
                column = spec.columns[0].key
            errors[column] = "; ".join(messages)
    return errors


def _lookup(spec: _Kind, values: dict[str, Any]) -> models.Model | None:
    data = values["data"]
    return spec.model._default_manager.filter(**{f: data[f] for f in spec.key_fields}).first()


def _scope(spec: _Kind, actor: Any, values: dict[str, Any]) -> str:
    unit = values["data"][spec.unit_field]
    if actor is None or access.can_manage_programs(actor, unit):
        return ""
    label = RECORD_KINDS[spec.record].label
    return f"Tài khoản không được ghi {label} của {unit.name} ({unit.code})."


def _save(spec: _Kind, actor: Any, values: dict[str, Any], origin_detail: str) -> Any:
    row = _lookup(spec, values)
    before = None
    if row is None:
        row, verb = spec.model(**values["data"]), "create"
    else:
        before, verb = _json(row), "update"
        for name, value in values["data"].items():
            setattr(row, name, value)
    try:
        row.full_clean()
    except ValidationError as exc:
        raise ValueError("; ".join(exc.messages)) from exc
    row.save()
    audit_record(
        actor=actor,
        action=f"programs.{spec.record}.{verb}",
        object_type=spec.model._meta.label,
        object_id=row.pk,
        unit=getattr(row, spec.unit_field),
        before=before,
        after=_json(row),
        origin=Origin.FILE,
        origin_detail=origin_detail,
    )
    return row


def _sheet(spec: _Kind) -> RecordSheet:
    def key(values: dict[str, Any]) -> tuple[Any, ...]:
        data = values["data"]
        return tuple(getattr(data[f], "pk", data[f]) for f in spec.key_fields)

    def existing(values: dict[str, Any]) -> dict[str, Any] | None:
        row = _lookup(spec, values)
        return _snapshot(row) if row else None

    return RecordSheet(
        kind=spec.kind,
        sheet=spec.sheet,
        title=spec.title,
        columns=spec.columns,
        key=key,
        existing=existing,
        snapshot=lambda values: _snapshot(spec.model(**values["data"])),
        save=lambda actor, values, detail: _save(spec, actor, values, detail),
        check=lambda actor, values: _scope(spec, actor, values),
        resolve=lambda values: _resolve(spec, values),
        instructions=(
            *spec.instructions,
            "Dòng trùng khóa (" + ", ".join(spec.key_fields) + ") với bản ghi đã có sẽ cập nhật "
            "bản ghi đó. Tệp có bất kỳ lỗi nào thì không ghi gì.",
        ),
    )


def _year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def _today(values: dict[str, Any]) -> tuple[dt.date, ...]:
    return (dt.date.today(),)


UNIT = Column("unit_code", "Mã đơn vị", required(_unit_code), True, "tỉnh 2 số, huyện 3, xã 5")
COMMUNE = Column("unit_code", "Mã xã", required(_unit_code), True, "mã xã 5 số")

# Courses -------------------------------------------------------------------------------------

LEVEL_WORDS = {"tinh": "tinh", "huyen": "huyen", "xa": "xa", "thon": "thon", "ban": "thon"}

COURSES = _Kind(
    kind="courses",
    record="course",
    sheet="Tập huấn",
    title="Biểu nhập lớp tập huấn, đào tạo",
    columns=(
        UNIT,
        Column("topic", "Chủ đề", required(_text(300)), True, "nội dung lớp"),
        Column("level", "Cấp", _choice(CourseLevel, LEVEL_WORDS), True, "tỉnh, huyện, xã, thôn"),
        Column("start_date", "Ngày bắt đầu", required(_date), True, "DD/MM/YYYY"),
        Column("end_date", "Ngày kết thúc", _date, False, "DD/MM/YYYY"),
        Column("attendances", "Số lượt người", required(_count("attendances")), True, "số nguyên"),
        Column("audience", "Đối tượng", _text(300), False, "cán bộ xã, nông dân ..."),
        _source_column(),
    ),
    period=lambda v: (v["start_date"], v["end_date"] or v["start_date"]),
    data=lambda v: {
        "unit": v["unit"],
        "topic": v["topic"],
        "level": v["level"],
        "start_date": v["start_date"],
        "end_date": v["end_date"],
        "attendances": v["attendances"],
        "audience": v["audience"],
        "source": v["source"],
    },
    key_fields=("unit", "topic", "start_date"),
    instructions=("Mỗi dòng là một lớp tập huấn, đào tạo của một đơn vị.",),
)

# OCOP ------------------------------------------------------------------------------------------

OCOP = _Kind(
    kind="ocop",
    record="ocop",
    sheet="OCOP",
    title="Biểu nhập sản phẩm OCOP",
    columns=(
        COMMUNE,
        Column("name", "Tên sản phẩm", required(_text(300)), True, ""),
        Column("producer", "Chủ thể sản xuất", required(_text(300)), True, "HTX, hộ, doanh nghiệp"),
        Column("stars", "Số sao", _stars, True, "3, 4 hoặc 5"),
        Column("decision", "Quyết định công nhận", _text(200), False, "số quyết định"),
        Column("recognised_on", "Ngày công nhận", required(_date), True, "DD/MM/YYYY"),
        Column("expires_on", "Hết hiệu lực", _date, False, "DD/MM/YYYY"),
        _source_column(),
    ),
    period=lambda v: (v["recognised_on"],),
    data=lambda v: {
        "commune": v["unit"],
        "name": v["name"],
        "producer": v["producer"],
        "stars": v["stars"],
        "decision": v["decision"],
        "recognised_on": v["recognised_on"],
        "expires_on": v["expires_on"],
        "source": v["source"],
    },
    key_fields=("commune", "name", "producer"),
    check_row=lambda v: (
        {"expires_on": "ngày hết hiệu lực phải sau ngày công nhận"}
        if v["expires_on"] and v["expires_on"] <= v["recognised_on"]
        else {}
    ),
    instructions=("Mỗi dòng là một sản phẩm OCOP của một xã; số sao từ 3 đến 5.",),
)

# Cooperatives ----------------------------------------------------------------------------------

COOPERATIVES = _Kind(
    kind="cooperatives",
    record="cooperative",
    sheet="Hợp tác xã",
    title="Biểu nhập hợp tác xã",
    columns=(
        COMMUNE,
        Column("name", "Tên hợp tác xã", required(_text(300)), True, ""),
        Column("established", "Ngày thành lập", _date, False, "DD/MM/YYYY"),
        Column("law", "Theo luật", _choice(CooperativeLaw), True, "2003, 2012 hoặc 2023"),
        Column("operating_well", "Hoạt động hiệu quả", _yes_no, False, "có / không"),
        _source_column(),
    ),
    period=lambda v: (v["established"],) if v["established"] else _today(v),
    data=lambda v: {
        "commune": v["unit"],
        "name": v["name"],
        "established": v["established"],
        "law": v["law"],
        "operating_well": v["operating_well"],
        "source": v["source"],
    },
    key_fields=("commune", "name"),
    instructions=("Mỗi dòng là một hợp tác xã của một xã.",),
)

# Bodies ----------------------------------------------------------------------------------------

BODY_WORDS = {
    "ban chi dao": BodyKind.STEERING,
    "bcd": BodyKind.STEERING,
    "van phong dieu phoi": BodyKind.OFFICE,
    "vpdp": BodyKind.OFFICE,
    "ban quan ly": BodyKind.BOARD,
    "ban phat trien thon": BodyKind.VILLAGE_BOARD,
    "ban phat trien": BodyKind.VILLAGE_BOARD,
}


def _dated(values: dict[str, Any], date: str) -> dict[str, str]:
    if values[date] is None and values["by_year"] is None:
        return {date: "cần ghi ngày quyết định hoặc năm (chậm nhất)"}
    if values[date] and values["by_year"] and values[date].year > values["by_year"]:
        return {"by_year": "năm chậm nhất phải không sớm hơn năm của ngày quyết định"}
    return {}


def _on(values: dict[str, Any], date: str) -> tuple[dt.date, ...]:
    if values[date]:
        return (values[date],)
    if values["by_year"]:
        return _year_end(values["by_year"]), dt.date(values["by_year"], 1, 1)
    return _today(values)


BODIES = _Kind(
    kind="bodies",
    record="body",
    sheet="Bộ máy",
    title="Biểu nhập bộ máy chỉ đạo, điều hành",
    columns=(
        UNIT,
        Column("kind", "Loại bộ máy", _choice(BodyKind, BODY_WORDS), True, "Ban Chỉ đạo, ..."),
        Column("decision_number", "Số quyết định", _text(100), False, "ví dụ 123/QĐ-UBND"),
        Column("decision_date", "Ngày quyết định", _date, False, "DD/MM/YYYY"),
        Column("by_year", "Thành lập chậm nhất năm", parse_year, False, "khi không rõ ngày"),
        Column("note", "Ghi chú", _text(300), False, ""),
        _source_column(),
    ),
    period=lambda v: _on(v, "decision_date"),
    data=lambda v: {
        "unit": v["unit"],
        "kind": v["kind"],
        "decision_number": v["decision_number"],
        "decision_date": v["decision_date"],
        "by_year": v["by_year"],
        "note": v["note"],
        "source": v["source"],
    },
    key_fields=("unit", "kind"),
    check_row=lambda v: _dated(v, "decision_date"),
    instructions=(
        "Mỗi dòng là một bộ máy (Ban Chỉ đạo, Văn phòng điều phối, Ban quản lý xã, Ban phát "
        "triển thôn) của một đơn vị; ghi ngày quyết định hoặc năm chậm nhất.",
    ),
)

# Resolutions -----------------------------------------------------------------------------------

RESOLUTIONS = _Kind(
    kind="resolutions",
    record="resolution",
    sheet="Nghị quyết",
    title="Biểu nhập nghị quyết, quyết định",
    columns=(
        UNIT,
        Column("issuer", "Cơ quan ban hành", required(_text(200)), True, "HĐND tỉnh, UBND ..."),
        Column("number", "Số hiệu", _text(100), False, "ví dụ 05/NQ-HĐND"),
        Column("date", "Ngày ban hành", _date, False, "DD/MM/YYYY"),
        Column("by_year", "Ban hành chậm nhất năm", parse_year, False, "khi không rõ ngày"),
        Column("subject", "Trích yếu", required(_text(500)), True, ""),
        _source_column(),
    ),
    period=lambda v: _on(v, "date"),
    data=lambda v: {
        "unit": v["unit"],
        "issuer": v["issuer"],
        "number": v["number"],
        "date": v["date"],
        "by_year": v["by_year"],
        "subject": v["subject"],
        "source": v["source"],
    },
    key_fields=("unit", "issuer", "number", "subject"),
    check_row=lambda v: _dated(v, "date"),
    instructions=("Mỗi dòng là một nghị quyết, quyết định về nông thôn mới.",),
)

# Targets ---------------------------------------------------------------------------------------

TARGET_WORDS = {
    "so xa dat chuan": TargetKind.COMMUNES,
    "binh quan tieu chi": TargetKind.AVG,
    "hoan thanh": TargetKind.UNIT_COMPLETES,
    "dat chuan": TargetKind.UNIT_COMPLETES,
    "chi tieu": TargetKind.INDICATOR,
}


def _target_check(values: dict[str, Any]) -> dict[str, str]:
    if values["year_from"] and values["year_from"] > values["year"]:
        return {"year_from": "năm bắt đầu phải trước hoặc bằng năm cuối kỳ"}
    kind = values["kind"]
    if kind == TargetKind.UNIT_COMPLETES and not values["named_unit_code"]:
        return {"named_unit_code": "mục tiêu hoàn thành cần mã đơn vị phải hoàn thành"}
    if kind != TargetKind.UNIT_COMPLETES and values["value"] is None:
        return {"value": "cần ghi giá trị mục tiêu"}
    if kind == TargetKind.INDICATOR and not values["indicator"]:
        return {"indicator": "cần ghi mã chỉ tiêu"}
    return {}


TARGETS = _Kind(
    kind="targets",
    record="target",
    sheet="Mục tiêu",
    title="Biểu nhập mục tiêu xây dựng nông thôn mới",
    columns=(
        UNIT,
        Column("year", "Năm (cuối kỳ)", required(parse_year), True, "ví dụ 2025"),
        Column("year_from", "Từ năm", parse_year, False, "nếu mục tiêu cho một giai đoạn"),
        Column("kind", "Loại mục tiêu", _choice(TargetKind, TARGET_WORDS), True, "xem Hướng dẫn"),
        Column("value", "Giá trị", _float, False, "số xã, số tiêu chí, giá trị chỉ tiêu"),
        Column("named_unit_code", "Mã đơn vị phải hoàn thành", _unit_code, False, ""),
        Column("indicator", "Mã chỉ tiêu", _text(20), False, "với loại «Giá trị chỉ tiêu»"),
        Column("name", "Nội dung mục tiêu", required(_text(300)), True, ""),
        Column("legal_source", "Căn cứ", _text(300), False, "nghị quyết, quyết định"),
        _source_column(),
    ),
    # The unit that sets a target exists when the period starts (codes change at mergers).
    period=lambda v: (dt.date(v["year_from"] or v["year"], 1, 1), _year_end(v["year"])),
    data=lambda v: {
        "unit": v["unit"],
        "year": v["year"],
        "year_from": v["year_from"],
        "kind": v["kind"],
        "value": v["value"],
        "named_unit": v["named_unit"],
        "indicator": v["indicator"],
        "name": v["name"],
        "legal_source": v["legal_source"],
        "source": v["source"],
    },
    key_fields=("unit", "year", "year_from", "kind", "named_unit", "indicator"),
    units=(("unit_code", "unit"), ("named_unit_code", "named_unit")),
    check_row=_target_check,
    instructions=("Loại mục tiêu: " + "; ".join(str(label) for label in TargetKind.labels) + ".",),
)

KINDS = (COURSES, OCOP, COOPERATIVES, BODIES, RESOLUTIONS, TARGETS)

for _spec in KINDS:
    register(_spec.kind, partial(_sheet, _spec))
