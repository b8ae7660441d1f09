"""Capital and contribution sheets for the generic record importer (ntm.exchange.records)."""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from ntm.accounts import access
from ntm.audit.models import Origin
from ntm.core.values import fold
from ntm.exchange.export import level_of_code
from ntm.exchange.records import (
    CellError,
    Column,
    RecordSheet,
    decimal_within,
    parse_month,
    parse_year,
    register,
    required,
    text_cell,
)
from ntm.finance.models import (
    MAX_MILLION_VND,
    MEASURE_MAX,
    CapitalEntry,
    CapitalSource,
    Contribution,
    Stage,
    Work,
)
from ntm.finance.services import (
    FinanceError,
    capital_entry_check,
    capital_entry_save,
    capital_entry_snapshot,
    contribution_check,
    contribution_save,
    contribution_snapshot,
    work_get_or_create,
)
from ntm.units.models import Unit

STAGE_WORDS = {
    "plan": Stage.PLAN,
    "ke hoach": Stage.PLAN,
    "allocated": Stage.ALLOCATED,
    "da bo tri": Stage.ALLOCATED,
    "bo tri": Stage.ALLOCATED,
    "phan bo": Stage.ALLOCATED,
    "da phan bo": Stage.ALLOCATED,
    "disbursed": Stage.DISBURSED,
    "giai ngan": Stage.DISBURSED,
    "da giai ngan": Stage.DISBURSED,
}

# Every figure from 0 to its bound (see MAX_MILLION_VND): a larger one is a typing error.
_money = decimal_within(0, MAX_MILLION_VND)


def _measure(name: str) -> Any:
    return decimal_within(0, MEASURE_MAX[name])


def _unit_code(raw: Any) -> str:
    code = text_cell(raw)
    if isinstance(raw, float) and raw.is_integer():
        code = str(int(raw))
    if level_of_code(code) is None:
        raise CellError(f"mã «{code}» không đúng dạng (tỉnh 2 số, huyện 3 số, xã 5 số)")
    return code


def _source(raw: Any) -> CapitalSource:
    text = fold(text_cell(raw))
    for source in CapitalSource.objects.all():
        if text in (fold(source.code), fold(source.name)):
            return source
    raise CellError(f"không có nguồn vốn «{text_cell(raw)}» (xem trang Hướng dẫn)")


def _stage(raw: Any) -> str:
    stage = STAGE_WORDS.get(fold(text_cell(raw)))
    if stage is None:
        raise CellError(f"«{text_cell(raw)}» không phải: kế hoạch, đã bố trí, đã giải ngân")
    return stage


def _criteria(raw: Any) -> list[str]:
    text = text_cell(raw).replace(";", ",")
    return [part.strip() for part in text.split(",") if part.strip()]


def _unit_in(code: str, start: dt.date, end: dt.date) -> Unit | None:
    """The unit holding the code at the end of the period, else at its start."""
    rows = Unit.objects.filter(code=code, level=level_of_code(code))
    return rows.valid_on(end).first() or rows.valid_on(start).first()


def _scope(actor: Any, values: dict[str, Any]) -> str:
    if actor is None or access.can_edit_resources(actor, values["unit"]):
        return ""
    unit = values["unit"]
    return f"Tài khoản không được nhập số liệu của {unit.name} ({unit.code})."


def _work(values: dict[str, Any]) -> Work | None:
    return Work.objects.filter(unit=values["unit"], name=values["work"]).first()


def _work_saved(actor: Any, values: dict[str, Any]) -> Work | None:
    if not values["work"]:
        return None
    return work_get_or_create(
        actor=actor, unit=values["unit"], name=values["work"], criteria=values["criteria"]
    )


# Capital ---------------------------------------------------------------------------------


def _capital_resolve(values: dict[str, Any]) -> dict[str, str]:
    values["year_to"] = values["year_to"] or values["year_from"]
    start, end = dt.date(values["year_from"], 1, 1), dt.date(values["year_to"], 12, 31)
    values["unit"] = _unit_in(values["unit_code"], start, end)
    if values["unit"] is None:
        return {"unit_code": f"không có đơn vị mã {values['unit_code']} trong kỳ này"}
    try:
        capital_entry_check(
            year_from=values["year_from"],
            year_to=values["year_to"],
            amount=values["amount"],
            source=values["source"],
        )
    except FinanceError as exc:
        return {"amount": str(exc)}
    return {}


def _capital_entry(values: dict[str, Any], work: Work | None) -> CapitalEntry:
    return CapitalEntry(
        unit=values["unit"],
        year_from=values["year_from"],
        year_to=values["year_to"],
        source=values["source"],
        stage=values["stage"],
        amount=values["amount"],
        work=work,
        figure_source=values["figure_source"],
        note=values["note"],
    )


def _capital_existing(values: dict[str, Any]) -> dict[str, Any] | None:
    work = _work(values)
    if values["work"] and work is None:
        return None
    entry = CapitalEntry.objects.filter(
        unit=values["unit"],
        year_from=values["year_from"],
        year_to=values["year_to"],
        source=values["source"],
        stage=values["stage"],
        work=work,
    ).first()
    return capital_entry_snapshot(entry) if entry else None


def _capital_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    work = Work(name=values["work"]) if values["work"] else None
    return capital_entry_snapshot(_capital_entry(values, work))


def _capital_save(actor: Any, values: dict[str, Any], origin_detail: str) -> Any:
    return capital_entry_save(
        actor=actor,
        unit=values["unit"],
        source=values["source"],
        stage=values["stage"],
        year_from=values["year_from"],
        year_to=values["year_to"],
        amount=values["amount"],
        work=_work_saved(actor, values),
        figure_source=values["figure_source"],
        note=values["note"],
        origin=Origin.FILE,
        origin_detail=origin_detail,
    )


def _capital_key(values: dict[str, Any]) -> tuple[Any, ...]:
    keys = ("unit", "year_from", "year_to", "source", "stage", "work")
    return tuple(getattr(values[k], "pk", values[k]) for k in keys)


OPTIONAL_TEXT = (
    Column(
        "work", "Công trình", text_cell, False, "tên công trình (nếu khoản vốn cho một công trình)"
    ),
    Column(
        "criteria", "Tiêu chí phục vụ", _criteria, False, "số tiêu chí, cách nhau dấu phẩy: 2, 3"
    ),
    Column("figure_source", "Nguồn số liệu", text_cell, False, "báo cáo, quyết định ... có số này"),
    Column("note", "Ghi chú", text_cell, False, ""),
)


def capital_sheet() -> RecordSheet:
    names = "; ".join(f"{s.code} = {s.name}" for s in CapitalSource.objects.all())
    return RecordSheet(
        kind="capital",
        sheet="Vốn",
        title="Biểu nhập nguồn vốn xây dựng nông thôn mới (triệu đồng)",
        columns=(
            Column("unit_code", "Mã đơn vị", _unit_code, True, "tỉnh 2 số, huyện 3 số, xã 5 số"),
            Column("year_from", "Từ năm", required(parse_year), True, "ví dụ 2019"),
            Column("year_to", "Đến năm", parse_year, False, "để trống nếu chỉ một năm"),
            Column("source", "Nguồn vốn", _source, True, f"mã hoặc tên: {names}"),
            Column("stage", "Giai đoạn", _stage, True, "kế hoạch, đã bố trí, đã giải ngân"),
            Column("amount", "Số tiền (triệu đồng)", required(_money), True, "1.234,5"),
            *OPTIONAL_TEXT,
        ),
        key=_capital_key,
        existing=_capital_existing,
        snapshot=_capital_snapshot,
        save=_capital_save,
        check=_scope,
        resolve=_capital_resolve,
        instructions=(
            "Mỗi dòng là một khoản vốn của một đơn vị, một năm (hoặc một giai đoạn), một nguồn và "
            "một giai đoạn (kế hoạch, đã bố trí, đã giải ngân).",
            "Nguồn «total» (Tổng vốn) ghi tổng khi báo cáo có tổng; phần các nguồn không giải "
            "thích được hiện thành dòng «chưa phân loại».",
            "Dòng trùng đơn vị, kỳ, nguồn, giai đoạn và công trình với số đã có sẽ thay số cũ. Tệp "
            "có bất kỳ lỗi nào thì không ghi gì.",
        ),
    )


# Contributions ---------------------------------------------------------------------------


def _contribution_resolve(values: dict[str, Any]) -> dict[str, str]:
    (y1, m1), (y2, m2) = values["month_from"], values["month_to"]
    values["date_from"] = dt.date(y1, m1, 1)
    values["date_to"] = dt.date(y2, m2, calendar.monthrange(y2, m2)[1])
    values["unit"] = _unit_in(values["unit_code"], values["date_from"], values["date_to"])
    if values["unit"] is None:
        return {"unit_code": f"không có đơn vị mã {values['unit_code']} trong kỳ này"}
    try:
        contribution_check(date_from=values["date_from"], date_to=values["date_to"], values=values)
    except FinanceError as exc:
        return {"month_to": str(exc)}
    return {}


MEASURES = ("land_m2", "labour_days", "cash_million_vnd", "materials_million_vnd")


def _contribution_existing(values: dict[str, Any]) -> dict[str, Any] | None:
    work = _work(values)
    if values["work"] and work is None:
        return None
    row = Contribution.objects.filter(
        unit=values["unit"],
        date_from=values["date_from"],
        date_to=values["date_to"],
        work=work,
    ).first()
    return contribution_snapshot(row) if row else None


def _contribution_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    row = Contribution(
        unit=values["unit"],
        date_from=values["date_from"],
        date_to=values["date_to"],
        work=Work(name=values["work"]) if values["work"] else None,
        figure_source=values["figure_source"],
        note=values["note"],
        **{name: values[name] for name in MEASURES},
    )
    return contribution_snapshot(row)


def _contribution_save(actor: Any, values: dict[str, Any], origin_detail: str) -> Any:
    return contribution_save(
        actor=actor,
        unit=values["unit"],
        date_from=values["date_from"],
        date_to=values["date_to"],
        values={name: values[name] for name in MEASURES},
        work=_work_saved(actor, values),
        figure_source=values["figure_source"],
        note=values["note"],
        origin=Origin.FILE,
        origin_detail=origin_detail,
    )


def _contribution_key(values: dict[str, Any]) -> tuple[Any, ...]:
    return (values["unit"].pk, values["date_from"], values["date_to"], values["work"])


def contributions_sheet() -> RecordSheet:
    return RecordSheet(
        kind="contributions",
        sheet="Đóng góp",
        title="Biểu nhập đóng góp của cộng đồng dân cư",
        columns=(
            Column("unit_code", "Mã đơn vị", _unit_code, True, "xã 5 số, thôn 01234.1, tỉnh 2 số"),
            Column("month_from", "Từ tháng", required(parse_month), True, "MM/YYYY, ví dụ 01/2019"),
            Column("month_to", "Đến tháng", required(parse_month), True, "MM/YYYY, ví dụ 12/2019"),
            Column("land_m2", "Đất hiến (m²)", _measure("land_m2"), False, "mét vuông"),
            Column("labour_days", "Ngày công", _measure("labour_days"), False, "số ngày công"),
            Column("cash_million_vnd", "Tiền mặt (triệu đồng)", _money, False, ""),
            Column("materials_million_vnd", "Vật liệu (triệu đồng)", _money, False, "giá trị"),
            *OPTIONAL_TEXT,
        ),
        key=_contribution_key,
        existing=_contribution_existing,
        snapshot=_contribution_snapshot,
        save=_contribution_save,
        check=_scope,
        resolve=_contribution_resolve,
        instructions=(
            "Mỗi dòng là đóng góp của người dân cho một thôn, xã (hoặc cả tỉnh khi chỉ có số tổng) "
            "trong một kỳ tính theo tháng; ghi ít nhất một trong bốn cột số.",
            "Dòng trùng đơn vị, kỳ và công trình với số đã có sẽ thay số cũ. Tệp có bất kỳ lỗi "
            "nào thì không ghi gì.",
        ),
    )


register("capital", capital_sheet)
register("contributions", contributions_sheet)
