"""Load and validate criteria-set data files.

Every error names the file, criterion, indicator and field, in Vietnamese, so that an
office that edits a file (or a later issue's workbook import) sees exactly what to fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from ntm.core.model import CriteriaSet, Criterion, Indicator, Level, Op, Threshold, Tier
from ntm.core.rescore import parse_combine
from ntm.core.values import parse_boolean

SETS_DIR = Path(__file__).parent / "criteria_sets"


class CriteriaFileError(ValueError):
    """A data file that does not describe a valid criteria set."""

    def __init__(
        self, file: str, reason: str, *, criterion: str = "", indicator: str = "", field: str = ""
    ) -> None:
        self.file, self.criterion, self.indicator, self.field = file, criterion, indicator, field
        where = [f"Tệp {file}"]
        if criterion:
            where.append(f"tiêu chí {criterion}")
        if indicator:
            where.append(f"chỉ tiêu {indicator}")
        if field:
            where.append(f"trường '{field}'")
        super().__init__(", ".join(where) + f": {reason}")


class _Ctx:
    """Where in the file we are, so that every error can say it."""

    def __init__(self, file: str) -> None:
        self.file, self.criterion, self.indicator = file, "", ""

    def fail(self, field: str, reason: str) -> CriteriaFileError:
        return CriteriaFileError(
            self.file, reason, criterion=self.criterion, indicator=self.indicator, field=field
        )

    def need(self, data: Mapping[str, Any], key: str, kind: type | tuple[type, ...]) -> Any:
        if key not in data or data[key] is None:
            raise self.fail(key, "thiếu trường bắt buộc")
        value = data[key]
        if not isinstance(value, kind):
            raise self.fail(key, f"kiểu dữ liệu không đúng ({type(value).__name__})")
        return value


def load_file(path: Path) -> CriteriaSet:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CriteriaFileError(path.name, f"không đọc được YAML ({exc})") from exc
    return load_mapping(data, file=path.name)


def load_mapping(data: Any, *, file: str) -> CriteriaSet:
    ctx = _Ctx(file)
    if not isinstance(data, dict):
        raise ctx.fail("", "nội dung tệp phải là một bảng (mapping)")
    classes = {str(k): str(v) for k, v in ctx.need(data, "classes", dict).items()}
    tiers = tuple(_tier(ctx, t) for t in ctx.need(data, "tiers", list))
    if not tiers:
        raise ctx.fail("tiers", "cần ít nhất một mức đạt chuẩn")
    sources = {str(k): str(v) for k, v in (data.get("sources") or {}).items()}
    criteria = tuple(
        _criterion(ctx, c, classes, tiers, sources) for c in ctx.need(data, "criteria", list)
    )
    ctx.criterion = ctx.indicator = ""
    _check_unique(ctx, [c.code for c in criteria], "criteria", "mã tiêu chí")
    _check_unique(ctx, [i.code for c in criteria for i in c.indicators], "criteria", "mã chỉ tiêu")
    period = data.get("period")
    return CriteriaSet(
        id=str(ctx.need(data, "id", str)),
        title=str(ctx.need(data, "title", str)),
        decision=str(ctx.need(data, "decision", str)),
        level=_enum(ctx, Level, ctx.need(data, "level", str), "level"),
        issued=_date(ctx, data, "issued"),
        effective=_date(ctx, data, "effective"),
        classification=_classification(ctx, data),
        classes=classes,
        tiers=tiers,
        criteria=criteria,
        sources=sources,
        notes=tuple(str(n) for n in data.get("notes") or ()),
        period=(int(period[0]), int(period[1])) if period else None,
        ends=_date(ctx, data, "ends") if data.get("ends") else None,
    )


def _tier(ctx: _Ctx, raw: Any) -> Tier:
    if not isinstance(raw, dict):
        raise ctx.fail("tiers", "mỗi mức đạt chuẩn cần 'code' và 'name'")
    return Tier(code=str(ctx.need(raw, "code", str)), name=str(ctx.need(raw, "name", str)))


def _criterion(
    ctx: _Ctx,
    raw: Any,
    classes: dict[str, str],
    tiers: tuple[Tier, ...],
    sources: dict[str, str],
) -> Criterion:
    if not isinstance(raw, dict):
        raise ctx.fail("criteria", "mỗi tiêu chí phải là một bảng")
    ctx.indicator = ""
    ctx.criterion = str(ctx.need(raw, "code", (str, int)))
    indicators = tuple(
        _indicator(ctx, i, classes, tiers, sources) for i in ctx.need(raw, "indicators", list)
    )
    ctx.indicator = ""
    if not indicators:
        raise ctx.fail("indicators", "tiêu chí cần ít nhất một chỉ tiêu")
    return Criterion(
        code=ctx.criterion,
        name=str(ctx.need(raw, "name", str)),
        group=str(raw.get("group", "")),
        indicators=indicators,
        name_en=str(raw.get("name_en", "")),
        note=str(raw.get("note", "")),
    )


def _indicator(
    ctx: _Ctx,
    raw: Any,
    classes: dict[str, str],
    tiers: tuple[Tier, ...],
    sources: dict[str, str],
) -> Indicator:
    if not isinstance(raw, dict):
        raise ctx.fail("indicators", "mỗi chỉ tiêu phải là một bảng")
    ctx.indicator = str(ctx.need(raw, "code", (str, int)))
    op = _enum(ctx, Op, str(ctx.need(raw, "op", str)), "op")
    tier_codes = [t.code for t in tiers]
    own_tiers = tuple(str(t) for t in raw.get("tiers") or tier_codes)
    for t in own_tiers:
        if t not in tier_codes:
            raise ctx.fail("tiers", f"mức '{t}' không có trong bộ tiêu chí")
    cited = [str(s) for s in raw.get("sources") or ()]
    for s in cited:
        if s not in sources:
            raise ctx.fail("sources", f"nguồn '{s}' không có trong danh mục nguồn của tệp")
    default_source = "; ".join(f"{s}: {sources[s]}" for s in cited)
    by_tier: dict[str, Any] = {tier_codes[0]: raw.get("thresholds") or {}}
    by_tier.update(raw.get("thresholds_by_tier") or {})
    thresholds = {
        str(tier): _cells(ctx, cells, op, classes, default_source, sources)
        for tier, cells in by_tier.items()
    }
    return Indicator(
        code=ctx.indicator,
        text=str(ctx.need(raw, "text", str)),
        unit=str(ctx.need(raw, "unit", str)),
        op=op,
        criterion=ctx.criterion,
        clause=str(raw.get("clause", "")),
        thresholds=thresholds,
        tiers=own_tiers,
        text_verified=bool(raw.get("text_verified", True)),
        code_verified=bool(raw.get("code_verified", True)),
        combine=_combine(ctx, raw, op),
        note=str(raw.get("note", "")),
    )


def _combine(ctx: _Ctx, raw: Mapping[str, Any], op: Op) -> str:
    """How values of merged communes combine (see ``rescore``); optional, "" when absent."""
    written = raw.get("combine")
    if written is None or written == "":
        return ""
    if not isinstance(written, str):
        raise ctx.fail("combine", f"kiểu dữ liệu không đúng ({type(written).__name__})")
    try:
        return str(parse_combine(written, op))
    except ValueError as exc:
        raise ctx.fail("combine", str(exc)) from None


def _cells(
    ctx: _Ctx,
    cells: Any,
    op: Op,
    classes: dict[str, str],
    default_source: str,
    sources: dict[str, str],
) -> dict[str, Threshold]:
    if not isinstance(cells, dict):
        raise ctx.fail("thresholds", "ngưỡng phải là bảng theo vùng/nhóm")
    out: dict[str, Threshold] = {}
    for cls, cell in cells.items():
        if str(cls) not in classes:
            raise ctx.fail("thresholds", f"vùng/nhóm '{cls}' không có trong bộ tiêu chí")
        value, source = (
            (cell.get("value"), cell.get("source")) if isinstance(cell, dict) else (cell, None)
        )
        if value is None:
            continue  # an explicit null is the same as an absent, unconfirmed cell
        cell_source = sources.get(str(source), str(source)) if source else default_source
        if not cell_source:
            raise ctx.fail("sources", f"ngưỡng của '{cls}' không ghi nguồn")
        out[str(cls)] = Threshold(value=threshold_value(ctx, op, value), source=cell_source)
    return out


def threshold_value(ctx: _Ctx | None, op: Op, raw: Any) -> float:
    """A threshold as a float: yes/no thresholds become 1.0 (đạt) or 0.0 (không)."""
    if op.is_boolean:
        numeric = isinstance(raw, (int, float)) and not isinstance(raw, bool) and raw in (0, 1)
        parsed = bool(raw) if numeric else parse_boolean(str(raw))
        expected = op is Op.DAT
        if parsed is None or parsed != expected:
            word = "đạt" if expected else "không"
            reason = f"ngưỡng của chỉ tiêu có/không phải là '{word}', không phải '{raw}'"
            raise ctx.fail("thresholds", reason) if ctx else ValueError(reason)
        return 1.0 if parsed else 0.0
    if isinstance(raw, bool) or not isinstance(raw, (int, float)):
        reason = f"ngưỡng '{raw}' không phải là số"
        raise ctx.fail("thresholds", reason) if ctx else ValueError(reason)
    return float(raw)


def _enum(ctx: _Ctx, kind: Any, raw: str, field: str) -> Any:
    try:
        return kind(raw)
    except ValueError:
        allowed = ", ".join(m.value for m in kind)
        raise ctx.fail(field, f"giá trị '{raw}' không hợp lệ (cho phép: {allowed})") from None


def _date(ctx: _Ctx, data: Mapping[str, Any], key: str) -> dt.date:
    value = ctx.need(data, key, (dt.date, str))
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise ctx.fail(key, f"ngày '{value}' không đúng dạng YYYY-MM-DD") from None


def _classification(ctx: _Ctx, data: Mapping[str, Any]) -> str:
    value = str(ctx.need(data, "classification", str))
    if value not in ("region", "group", "none"):
        raise ctx.fail("classification", "phải là 'region', 'group' hoặc 'none'")
    return value


def _check_unique(ctx: _Ctx, codes: list[str], field: str, what: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ctx.fail(field, f"{what} '{code}' bị trùng")
        seen.add(code)
