"""A province's specification from a workbook: the cells that differ from the national set.

The rows are matched to the base set by indicator code; the base set decides how each cell
is read (its comparison and unit), so an office cannot change a comparison or an indicator's
text through its specification. An empty cell keeps the national threshold.
"""

from __future__ import annotations

from dataclasses import dataclass

from ntm.core.model import CriteriaSet, Indicator
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecCell
from ntm.criteria.workbook_layout import folded
from ntm.criteria.workbook_parse import (
    Meta,
    Problems,
    cell_text,
    class_columns,
    parse_op,
    threshold_of,
)
from ntm.criteria.workbook_read import Cell, RawWorkbook, WorkbookError


@dataclass(frozen=True)
class ParsedSpec:
    spec: SpecData
    given: dict[tuple[str, str, str], float]  # (indicator, tier, class) -> every filled cell


def spec_meta(raw: RawWorkbook) -> tuple[str, str]:
    """(spec id, base set id) of a specification workbook, to look the base set up."""
    problems = Problems()
    meta = Meta(raw, problems)
    ids = meta.text("spec_id"), meta.text("criteria_set")
    if problems:
        raise WorkbookError(problems)
    return ids


def parse_spec(raw: RawWorkbook, base: CriteriaSet) -> ParsedSpec:
    """The province's cells that differ from ``base``; every filled cell in ``given``."""
    problems = Problems()
    meta = Meta(raw, problems)
    spec_id, province = meta.text("spec_id"), meta.text("province_code")
    legal = meta.text("legal_source")
    first, last = meta.year("first_year"), meta.year("last_year")
    if first and last and first > last:
        problems.meta(None, "B", f"từ năm {first} sau đến năm {last}")
    columns = class_columns(raw, base.classes, problems)
    given: dict[tuple[str, str, str], float] = {}
    seen: dict[tuple[str, str], int] = {}
    for row_cells in raw.rows:
        row = min(c.row for c in row_cells.values())
        found = _spec_row(row_cells, row, base, problems)
        if found is None:
            continue
        ind, tier = found
        if (ind.code, tier) in seen:
            reason = f"chỉ tiêu {ind.code} (mức {tier}) trùng với dòng {seen[ind.code, tier]}"
            problems.row(row_cells.get("code"), row, reason)
            continue
        seen[ind.code, tier] = row
        given |= _row_values(row_cells, row, ind, tier, columns, problems)
    if problems:
        raise WorkbookError(problems)
    spec = SpecData(
        id=spec_id,
        province_code=province,
        criteria_set=base.id,
        legal_source=legal,
        cells=_differing(base, given),
        first_year=first,
        last_year=last,
        illustrative=meta.flag("illustrative"),
    )
    return ParsedSpec(spec=spec, given=given)


def _row_values(
    cells: dict[str, Cell],
    row: int,
    ind: Indicator,
    tier: str,
    columns: dict[str, str],
    problems: Problems,
) -> dict[tuple[str, str, str], float]:
    out = {}
    for key, cls in columns.items():
        cell = cells.get(key)
        if cell is None:
            continue
        try:
            value = threshold_of(cell, ind.op, ind.unit)
        except ValueError as exc:
            problems.row(cell, row, f"chỉ tiêu {ind.code}, {cls}: {exc}")
            continue
        if value is not None:  # an empty cell keeps the national threshold (or its absence)
            out[ind.code, tier, cls] = value
    return out


def _differing(base: CriteriaSet, given: dict[tuple[str, str, str], float]) -> tuple[SpecCell, ...]:
    """Only what the province changes or fills in is the province's (its legal source)."""
    cells = []
    for (code, tier, cls), value in given.items():
        ind = base.indicator(code)
        national = ind.threshold(tier, cls) if ind else None
        if national is None or national.value != value:
            own_tier = "" if tier == base.primary_tier else tier
            cells.append(SpecCell(code, cls, value, own_tier))
    return tuple(cells)


def _spec_row(
    cells: dict[str, Cell], row: int, base: CriteriaSet, problems: Problems
) -> tuple[Indicator, str] | None:
    code = cell_text(cells["code"].value) if cells.get("code") else ""
    ind = base.indicator(code) if code else None
    if ind is None:
        reason = f"chỉ tiêu '{code}' không có trong bộ {base.id}" if code else "thiếu mã chỉ tiêu"
        problems.row(cells.get("code"), row, reason)
        return None
    written = cells.get("op")
    if written is not None and written.value is not None:
        op = parse_op(written.value)
        if op is None:
            reason = f"so sánh '{written.value}' không hợp lệ (>=, <=, >, <, đạt, không)"
            problems.row(written, row, reason)
            return None
        if op is not ind.op:
            reason = f"quy định của tỉnh không đổi được phép so sánh của chỉ tiêu {code} ({ind.op.value})"
            problems.row(written, row, reason)
            return None
    tier_cell = cells.get("tier")
    tier = cell_text(tier_cell.value) if tier_cell else ""
    if not tier:
        return ind, base.primary_tier
    for t in base.tiers:
        if folded(tier) in (folded(t.code), folded(t.name)):
            return ind, t.code
    problems.row(tier_cell, row, f"mức '{tier}' không có trong bộ {base.id}")
    return None
