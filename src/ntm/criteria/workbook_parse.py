"""Give the cells of a criteria workbook their meaning: a new set (``workbook_spec`` reads a
province's thresholds with the helpers defined here).

A new set becomes the mapping that ``core.loader.load_mapping`` validates (the layout of the
shipped YAML files), so a workbook obeys exactly the rules of a data file; this module checks
first what it can point at (sheet, row, column) and maps the loader's own errors back to the
row of the indicator they name. Every problem is collected before the workbook is refused.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from ntm.core.loader import CriteriaFileError, load_mapping, threshold_value
from ntm.core.model import CriteriaSet, Level, Op
from ntm.core.values import parse_boolean, parse_vietnamese_number
from ntm.criteria.workbook_layout import (
    COLUMNS,
    COMBINE,
    INHERITED_FIELDS,
    OPS,
    SHEET_META,
    SHEET_ROWS,
    class_for_header,
    combine_code,
    folded,
)
from ntm.criteria.workbook_read import Cell, Problem, RawWorkbook, WorkbookError

SOURCE_KEY = re.compile(r"^[A-Za-z]{1,4}\d{1,3}$")  # S2, T11, PL1: the keys of sheet Nguon
LEADING_OP = re.compile(r"^(>=|<=|≥|≤|>|<)\s*")
HEADERS = {c.field: c.header for c in COLUMNS}


@dataclass(frozen=True)
class ParsedSet:
    mapping: dict[str, Any]
    cset: CriteriaSet
    replaces_national: bool


class Problems(list[Problem]):
    def row(self, cell: Cell | None, row: int, reason: str) -> None:
        self.append(Problem(SHEET_ROWS, row, cell.column if cell else "", reason))

    def meta(self, row: int | None, column: str, reason: str) -> None:
        self.append(Problem(SHEET_META, row, column, reason))


def workbook_kind(raw: RawWorkbook) -> str:
    """ "set" or "spec": the kind row, else "spec" when a spec_id is given."""
    kinds = [m for m in raw.meta if m.key == "kind"]
    if kinds and kinds[0].value.value is not None:
        kind = folded(kinds[0].value.value)
        if kind not in ("set", "spec"):
            reason = f"loại '{kinds[0].value.value}' không hợp lệ (set hoặc spec)"
            raise WorkbookError([Problem(SHEET_META, kinds[0].row, "B", reason)])
        return kind
    return "spec" if any(m.key == "spec_id" for m in raw.meta) else "set"


class Meta:
    """Typed access to the key/value rows of sheet "Bo tieu chi"."""

    def __init__(self, raw: RawWorkbook, problems: Problems) -> None:
        self.raw, self.p = raw, problems

    def _one(self, key: str) -> Cell | None:
        rows = [m for m in self.raw.meta if m.key == key]
        for extra in rows[1:]:
            self.p.meta(extra.row, "A", f"khóa '{key}' lặp lại (đã có ở dòng {rows[0].row})")
        return rows[0].value if rows and rows[0].value.value is not None else None

    def has(self, key: str) -> bool:
        """Whether the key is written with a value (optional keys such as 'ends')."""
        return any(m.key == key and m.value.value is not None for m in self.raw.meta)

    def text(self, key: str, required: bool = True) -> str:
        cell = self._one(key)
        if cell is None:
            if required:
                self.p.meta(None, "B", f"thiếu khóa '{key}' (hoặc giá trị của nó)")
            return ""
        return cell_text(cell.value)

    def date(self, key: str) -> str:
        cell = self._one(key)
        if cell is None:
            self.p.meta(None, "B", f"thiếu khóa '{key}' (ngày)")
            return ""
        if isinstance(cell.value, dt.date):
            return cell.value.isoformat()
        text = cell_text(cell.value)
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return dt.datetime.strptime(text, pattern).date().isoformat()
            except ValueError:
                continue
        self.p.meta(cell.row, cell.column, f"'{text}' không phải ngày (dd/mm/yyyy)")
        return ""

    def year(self, key: str) -> int | None:
        cell = self._one(key)
        if cell is None:
            return None
        if isinstance(cell.value, (int, float)) and float(cell.value).is_integer():
            return int(cell.value)
        if isinstance(cell.value, str) and cell.value.isdigit():
            return int(cell.value)
        self.p.meta(cell.row, cell.column, f"'{cell.value}' không phải một năm")
        return None

    def flag(self, key: str) -> bool:
        cell = self._one(key)
        if cell is None:
            return False
        value = cell.value if isinstance(cell.value, bool) else parse_boolean(str(cell.value))
        if value is None:
            self.p.meta(cell.row, cell.column, f"'{cell.value}' phải là có hoặc không")
        return bool(value)

    def pairs(self, key: str) -> dict[str, str]:
        """Repeated rows: code in column B, name in column C (classes, tiers)."""
        out: dict[str, str] = {}
        first: dict[str, int] = {}
        for m in (m for m in self.raw.meta if m.key == key):
            if m.value.value is None or m.name.value is None:
                self.p.meta(m.row, "B", f"dòng '{key}' cần mã ở cột B và tên ở cột C")
                continue
            code = cell_text(m.value.value)
            if code in out:
                self.p.meta(m.row, "B", f"mã '{code}' lặp lại (đã có ở dòng {first[code]})")
            out[code], first[code] = cell_text(m.name.value), m.row
        return out

    def many(self, key: str) -> list[str]:
        return [cell_text(m.value.value) for m in self.raw.meta if m.key == key and m.value.value]


def cell_text(value: Any) -> str:
    """A cell as text: 14.0 typed as a number is "14", dates are ISO."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return "" if value is None else str(value).strip()


def _period(meta: Meta) -> list[int] | None:
    text = meta.text("period", required=False)
    if not text:
        return None
    years = re.findall(r"\d{4}", text)
    if len(years) != 2:
        meta.p.meta(None, "B", f"giai đoạn '{text}' phải có dạng 2026-2030")
        return None
    return [int(years[0]), int(years[1])]


def class_columns(raw: RawWorkbook, classes: dict[str, str], problems: Problems) -> dict[str, str]:
    """Header key ("#H") -> class code, for every column not in the documented layout."""
    out: dict[str, str] = {}
    seen: dict[str, str] = {}
    for cell in raw.other_headers:
        code = class_for_header(str(cell.value), classes)
        if code is None:
            known = ", ".join(classes)
            reason = (
                f"tiêu đề '{cell.value}' không phải cột của bảng cũng không phải vùng/nhóm "
                f"của bộ tiêu chí (vùng/nhóm có: {known})"
            )
            problems.row(cell, cell.row, reason)
        elif code in seen:
            problems.row(cell, cell.row, f"vùng/nhóm '{code}' đã có ở cột {seen[code]}")
        else:
            out[f"#{cell.column}"], seen[code] = code, cell.column
    return out


def parse_op(raw: Any) -> Op | None:
    text = cell_text(raw)
    code = OPS.get(text) or OPS.get(folded(text))
    return Op(code) if code else None


def threshold_of(cell: Cell, op: Op, unit: str) -> float | None:
    """The threshold a cell holds, None when empty; ValueError (Vietnamese) when unreadable."""
    value = cell.value
    if value is None:
        return None
    if op.is_boolean:
        return threshold_value(None, op, value)
    if isinstance(value, bool):
        raise ValueError(f"ngưỡng '{value}' không phải là số")
    if isinstance(value, (int, float)):
        # "80%" typed into Excel is stored as 0.8 in a percentage-formatted cell.
        return round(float(value) * 100, 9) if cell.percent else float(value)
    text = str(value)
    written = LEADING_OP.match(text)
    if written:
        if OPS[written.group(1)] != op.value:
            raise ValueError(f"ô ghi '{text}' nhưng so sánh của chỉ tiêu là '{op.value}'")
        text = text[written.end() :]
    text = text.removesuffix("%").strip() if unit == "%" or text.endswith("%") else text
    number = parse_vietnamese_number(text)
    if number is None:
        raise ValueError(f"ngưỡng '{value}' không phải là số")
    return number


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


@dataclass
class _Indicator:
    mapping: dict[str, Any]
    criterion: str
    first_row: int
    source: tuple[str, Any] | None  # ("keys", [...]) or ("text", "...")
    rows: dict[str, int] = field(default_factory=dict)  # tier -> row
    blank_tier: bool = False


class _SetRows:
    """Turns the rows of sheet "Chi tieu" into the loader's criteria list."""

    def __init__(
        self,
        raw: RawWorkbook,
        classes: dict[str, str],
        tiers: dict[str, str],
        problems: Problems,
    ) -> None:
        self.raw, self.tiers, self.p = raw, tiers, problems
        self.columns = class_columns(raw, classes, problems)
        self.criteria: dict[str, dict[str, Any]] = {}
        self.criterion_rows: dict[str, int] = {}
        self.indicators: dict[str, _Indicator] = {}

    def parse(self) -> list[dict[str, Any]]:
        above: dict[str, Cell] = {}
        for cells in self.raw.rows:
            row = min(c.row for c in cells.values())
            if cells.get("criterion") is None or cells["criterion"].value is None:
                # A blank criterion (an unmerged annex cell) continues the row above's.
                for name in INHERITED_FIELDS:
                    if name in above and (name not in cells or cells[name].value is None):
                        cells[name] = above[name]
            above = {n: cells[n] for n in INHERITED_FIELDS if n in cells}
            self._row(cells, row)
        for ind in self.indicators.values():
            self._finish(ind)
        return list(self.criteria.values())

    def _value(self, cells: dict[str, Cell], name: str) -> str:
        cell = cells.get(name)
        return cell_text(cell.value) if cell else ""

    def _row(self, cells: dict[str, Cell], row: int) -> None:
        code = self._value(cells, "code")
        if not code:
            self.p.row(cells.get("code"), row, f"thiếu {HEADERS['code'].lower()}")
            return
        crit = self._criterion(cells, row)
        if crit is None:
            return
        tier = self._tier(cells, row)
        if tier is None:
            return
        ind = self.indicators.get(code)
        if ind is None:
            ind = self._indicator(cells, row, code, crit)
            if ind is None:
                return
        else:
            self._same_as_first(cells, row, ind, crit)
        if tier in ind.rows:
            reason = f"chỉ tiêu {code} (mức {tier}) trùng với dòng {ind.rows[tier]}"
            self.p.row(cells.get("code"), row, reason)
            return
        ind.rows[tier] = row
        ind.blank_tier = ind.blank_tier or not self._value(cells, "tier")
        self._thresholds(cells, row, ind, tier)

    def _criterion(self, cells: dict[str, Cell], row: int) -> str | None:
        code = self._value(cells, "criterion")
        if not code:
            self.p.row(cells.get("criterion"), row, "thiếu mã tiêu chí")
            return None
        name = self._value(cells, "criterion_name")
        crit = self.criteria.get(code)
        if crit is None:
            if not name:
                self.p.row(cells.get("criterion_name"), row, f"tiêu chí {code} thiếu tên")
                return None
            crit = {"code": code, "name": name, "indicators": []}
            self.criteria[code], self.criterion_rows[code] = crit, row
        elif name and name != crit["name"]:
            first = self.criterion_rows[code]
            self.p.row(cells["criterion_name"], row, f"tên tiêu chí {code} khác dòng {first}")
        for name_, key in (("group", "group"), ("criterion_name_en", "name_en")):
            self._optional(cells, row, name_, crit, key, f"tiêu chí {code}")
        self._optional(cells, row, "criterion_note", crit, "note", f"tiêu chí {code}")
        return code

    def _optional(
        self,
        cells: dict[str, Cell],
        row: int,
        name: str,
        target: dict[str, Any],
        key: str,
        what: str,
    ) -> None:
        value = self._value(cells, name)
        if not value:
            return
        if key in target and target[key] != value:
            self.p.row(cells[name], row, f"{HEADERS[name]} của {what} khác dòng trước")
        target[key] = value

    def _tier(self, cells: dict[str, Cell], row: int) -> str | None:
        written = self._value(cells, "tier")
        if not written:
            return next(iter(self.tiers))
        for code, name in self.tiers.items():
            if folded(written) in (folded(code), folded(name)):
                return code
        known = ", ".join(self.tiers)
        self.p.row(cells["tier"], row, f"mức '{written}' không có trong bộ tiêu chí (có: {known})")
        return None

    def _indicator(
        self, cells: dict[str, Cell], row: int, code: str, crit: str
    ) -> _Indicator | None:
        op = parse_op(cells["op"].value) if cells.get("op") else None
        if op is None:
            written = self._value(cells, "op")
            reason = f"so sánh '{written}' không hợp lệ (>=, <=, >, <, đạt, không)"
            self.p.row(cells.get("op"), row, reason if written else "thiếu phép so sánh")
            return None
        mapping: dict[str, Any] = {"code": code, "op": op.value}
        for name in ("text", "unit", "clause", "note"):
            if value := self._value(cells, name):
                mapping[name] = value
        if "text" not in mapping:
            self.p.row(cells.get("text"), row, f"chỉ tiêu {code} thiếu nội dung")
        if "unit" not in mapping:
            if not op.is_boolean:
                self.p.row(cells.get("unit"), row, f"chỉ tiêu {code} thiếu đơn vị")
            mapping["unit"] = "bool"
        for name in ("code_verified", "text_verified"):
            if name in cells and cells[name].value is not None:
                flag = cells[name].value
                parsed = flag if isinstance(flag, bool) else parse_boolean(str(flag))
                if parsed is None:
                    self.p.row(cells[name], row, f"'{flag}' phải là có hoặc không")
                elif not parsed:
                    mapping[name] = False
        if written := self._value(cells, "combine"):
            combine = combine_code(written)
            if combine is None:
                allowed = ", ".join(COMBINE)
                self.p.row(cells["combine"], row, f"cách gộp '{written}' không hợp lệ ({allowed})")
            else:
                mapping["combine"] = combine
        source = self._source(cells, row)
        if source and source[0] == "keys":
            mapping["sources"] = source[1]
        ind = _Indicator(mapping=mapping, criterion=crit, first_row=row, source=source)
        self.indicators[code] = ind
        self.criteria[crit]["indicators"].append(mapping)
        return ind

    def _same_as_first(self, cells: dict[str, Cell], row: int, ind: _Indicator, crit: str) -> None:
        """A further row of an indicator (another tier) may repeat its fields, not change them."""
        code = ind.mapping["code"]
        if crit != ind.criterion:
            reason = (
                f"mã chỉ tiêu {code} đã dùng cho tiêu chí {ind.criterion} ở dòng {ind.first_row}"
            )
            self.p.row(cells.get("code"), row, reason)
        for name in ("text", "unit", "clause", "note", "combine"):
            value = self._value(cells, name)
            first = ind.mapping.get(name, "")
            if name == "combine" and value:
                value = combine_code(value) or value
            if value and value != first:
                reason = f"{HEADERS[name]} của chỉ tiêu {code} khác dòng {ind.first_row}"
                self.p.row(cells[name], row, reason)
        op = parse_op(cells["op"].value) if cells.get("op") and cells["op"].value else None
        if op is not None and op.value != ind.mapping["op"]:
            self.p.row(cells["op"], row, f"so sánh của chỉ tiêu {code} khác dòng {ind.first_row}")

    def _source(self, cells: dict[str, Cell], row: int) -> tuple[str, Any] | None:
        text = self._value(cells, "source")
        if not text:
            return None
        tokens = [t.strip() for t in re.split(r"[,;]", text) if t.strip()]
        if not all(SOURCE_KEY.match(t) for t in tokens):
            return ("text", text)
        missing = [t for t in tokens if t not in self.raw.sources]
        if missing:
            reason = f"nguồn {', '.join(missing)} không có trong trang Nguon"
            self.p.row(cells["source"], row, reason)
            return None
        return ("keys", tokens)

    def _thresholds(self, cells: dict[str, Cell], row: int, ind: _Indicator, tier: str) -> None:
        op, unit = Op(ind.mapping["op"]), ind.mapping["unit"]
        source = self._source(cells, row) if row != ind.first_row else ind.source
        source = source or ind.source
        out: dict[str, Any] = {}
        for key, cls in self.columns.items():
            cell = cells.get(key)
            if cell is None:
                continue
            try:
                value = threshold_of(cell, op, unit)
            except ValueError as exc:
                self.p.row(cell, row, f"chỉ tiêu {ind.mapping['code']}, {cls}: {exc}")
                continue
            if value is None:
                continue
            if source is None:
                reason = f"chỉ tiêu {ind.mapping['code']} có ngưỡng nhưng không ghi nguồn"
                self.p.row(cells.get("source"), row, reason)
                return
            out[cls] = self._cell(_number(value), source, ind)
        if tier == next(iter(self.tiers)):
            ind.mapping["thresholds"] = out
        elif out:
            ind.mapping.setdefault("thresholds_by_tier", {})[tier] = out

    def _cell(self, value: int | float, source: tuple[str, Any], ind: _Indicator) -> Any:
        """A plain value when the indicator's cited sources apply, else value with its source."""
        if source == ind.source and source[0] == "keys":
            return value
        if source[0] == "text":
            return {"value": value, "source": source[1]}
        flat = "; ".join(f"{k}: {self.raw.sources[k]}" for k in source[1])
        return {"value": value, "source": flat}

    def _finish(self, ind: _Indicator) -> None:
        ind.mapping.setdefault("thresholds", {})
        if len(ind.rows) == 1 and ind.blank_tier:
            return  # one row, no tier written: the indicator belongs to every tier
        own = [t for t in self.tiers if t in ind.rows]
        if own != list(self.tiers):
            ind.mapping["tiers"] = own


def parse_set(raw: RawWorkbook, *, file: str) -> ParsedSet:
    """A new criteria set, validated by the loader's rules; WorkbookError otherwise."""
    problems = Problems()
    meta = Meta(raw, problems)
    classes, tiers = meta.pairs("class"), meta.pairs("tier")
    if not classes:
        problems.meta(None, "A", "cần ít nhất một dòng 'class' (vùng/nhóm)")
    if not tiers:
        problems.meta(None, "A", "cần ít nhất một dòng 'tier' (mức đạt chuẩn)")
    mapping: dict[str, Any] = {
        "id": meta.text("id"),
        "title": meta.text("title"),
        "decision": meta.text("decision"),
        "level": meta.text("level"),
        "issued": meta.date("issued"),
        "effective": meta.date("effective"),
        "classification": meta.text("classification"),
        "classes": classes,
        "tiers": [{"code": c, "name": n} for c, n in tiers.items()],
        "sources": dict(raw.sources),
        "notes": meta.many("note"),
    }
    if mapping["level"] and mapping["level"] not in {lv.value for lv in Level}:
        allowed = ", ".join(lv.value for lv in Level)
        problems.meta(None, "B", f"cấp '{mapping['level']}' không hợp lệ ({allowed})")
    if period := _period(meta):
        mapping["period"] = period
    if meta.has("ends"):
        mapping["ends"] = meta.date("ends")
    replaces = meta.flag("replaces_national")
    if classes and tiers:
        rows = _SetRows(raw, classes, tiers, problems)
        mapping["criteria"] = rows.parse()
    if problems:
        raise WorkbookError(problems)
    try:
        cset = load_mapping(mapping, file=file)
    except CriteriaFileError as exc:
        raise WorkbookError([_loader_problem(exc, rows)]) from None
    return ParsedSet(mapping=mapping, cset=cset, replaces_national=replaces)


def _loader_problem(exc: CriteriaFileError, rows: _SetRows) -> Problem:
    """The loader names criterion, indicator and field: point at the row it means."""
    reason = str(exc).split(": ", 1)[-1]
    if exc.indicator in rows.indicators:
        ind = rows.indicators[exc.indicator]
        where = f"chỉ tiêu {exc.indicator}, trường '{exc.field}'" if exc.field else ""
        return Problem(SHEET_ROWS, ind.first_row, "", f"{where}: {reason}" if where else reason)
    if exc.criterion in rows.criterion_rows:
        return Problem(SHEET_ROWS, rows.criterion_rows[exc.criterion], "", str(exc))
    return Problem(SHEET_META, None, "", str(exc))
