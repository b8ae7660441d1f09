"""Write a criteria set (national, imported, or with a province's thresholds) as a workbook.

The layout is the one ``workbook_read``/``workbook_parse`` read back: exporting and importing
again gives the same set. One thing is flattened: a row whose cells cite different sources
gets them joined into one text (none of the shipped sets has such a row).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ntm.core.model import CriteriaSet, Criterion, Indicator, Threshold
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.criteria.workbook_layout import (
    COLUMNS,
    COMBINE,
    COMBINE_LABELS,
    INSTRUCTIONS,
    META_HELP,
    OP_WRITTEN,
    SHEET_HELP,
    SHEET_META,
    SHEET_ROWS,
    SHEET_SOURCES,
    class_header,
)

BOLD = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DCE6F1")
UNCONFIRMED_FILL = PatternFill("solid", fgColor="FFF4D6")  # no source confirms the cell
PROVINCE_FILL = PatternFill("solid", fgColor="E2F0D9")  # a province's own threshold
WRAP = Alignment(wrap_text=True, vertical="top")
BEFORE_CLASSES = ("criterion", "criterion_name", "group", "code", "text", "unit", "op", "tier")


def workbook_bytes(
    cset: CriteriaSet, *, spec: SpecData | None = None, replaces_national: bool = False
) -> bytes:
    """The workbook of ``cset``; with ``spec`` (already applied to cset), a specification."""
    book = Workbook()
    help_sheet = book.active
    assert isinstance(help_sheet, Worksheet)  # a new workbook opens on its one worksheet
    help_sheet.title = SHEET_HELP
    _write_help(help_sheet, cset)
    _write_meta(book.create_sheet(SHEET_META), cset, spec, replaces_national)
    _write_rows(book.create_sheet(SHEET_ROWS), cset)
    _write_sources(book.create_sheet(SHEET_SOURCES), cset)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _put(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text
    return cell


def _write_help(ws: Worksheet, cset: CriteriaSet) -> None:
    lines = [*INSTRUCTIONS, "", "Các khóa của trang 'Bo tieu chi':"]
    lines += [f"  {key}: {text}" for key, text in META_HELP.items()]
    lines += ["", "Các cột của trang 'Chi tieu':"]
    lines += [f"  {c.header}: {c.help}" for c in COLUMNS]
    lines += ["", "Cách gộp khi sáp nhập:"]
    lines += [f"  {code}: {COMBINE_LABELS[code]}" for code in COMBINE]
    lines += [
        "",
        "Màu: vàng = ô ngưỡng chưa xác nhận; xanh lá = ngưỡng của quy định cụ thể của tỉnh.",
        f"Tệp được xuất từ bộ {cset.id}" + (f", quy định {cset.spec_id}." if cset.spec_id else "."),
    ]
    for i, line in enumerate(lines, start=1):
        _put(ws, i, 1, line)
    ws["A1"].font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 130


def _write_meta(
    ws: Worksheet, cset: CriteriaSet, spec: SpecData | None, replaces_national: bool
) -> None:
    rows: list[tuple[str, Any, Any]] = [("kind", "spec" if spec else "set", None)]
    if spec:
        rows += [
            ("spec_id", spec.id, None),
            ("province_code", spec.province_code, None),
            ("criteria_set", spec.criteria_set, None),
            ("legal_source", spec.legal_source, None),
            ("first_year", spec.first_year, None),
            ("last_year", spec.last_year, None),
            ("illustrative", "có" if spec.illustrative else "không", None),
        ]
    period = f"{cset.period[0]}-{cset.period[1]}" if cset.period else None
    rows += [
        ("id", cset.id, None),
        ("title", cset.title, None),
        ("decision", cset.decision, None),
        ("level", cset.level.value, None),
        ("issued", cset.issued, None),
        ("effective", cset.effective, None),
        ("period", period, None),
        *((("ends", cset.ends, None),) if cset.ends else ()),
        ("classification", cset.classification, None),
        *(("class", code, name) for code, name in cset.classes.items()),
        *(("tier", t.code, t.name) for t in cset.tiers),
        *(("note", note, None) for note in cset.notes),
    ]
    if not spec:
        rows.append(("replaces_national", "có" if replaces_national else "không", None))
    for col, header in enumerate(("khóa", "giá trị", "tên", "giải thích"), start=1):
        _header(ws, 1, col, header)
    for i, (key, value, name) in enumerate(rows, start=2):
        _put(ws, i, 1, key)
        cell = _put(ws, i, 2, value)
        if key in ("issued", "effective", "ends"):
            cell.number_format = "DD/MM/YYYY"
        _put(ws, i, 3, name)
        _put(ws, i, 4, META_HELP.get(key, ""))
    for letter, width in zip("ABCD", (20, 60, 50, 70), strict=True):
        ws.column_dimensions[letter].width = width


def _header(ws: Worksheet, row: int, col: int, text: str) -> None:
    cell = _put(ws, row, col, text)
    cell.font, cell.fill, cell.alignment = BOLD, HEADER_FILL, WRAP


def _layout(cset: CriteriaSet) -> list[tuple[str, str]]:
    """(field or class code, header) in column order."""
    headers = {c.field: c.header for c in COLUMNS}
    cols = [(name, headers[name]) for name in BEFORE_CLASSES]
    cols += [(f"#{code}", class_header(code, cset.classification)) for code in cset.classes]
    cols += [(c.field, c.header) for c in COLUMNS if c.field not in BEFORE_CLASSES]
    return cols


def _write_rows(ws: Worksheet, cset: CriteriaSet) -> None:
    cols = _layout(cset)
    index = {name: i for i, (name, _) in enumerate(cols, start=1)}
    for i, (_, header) in enumerate(cols, start=1):
        _header(ws, 1, i, header)
    row = 1
    for crit in cset.criteria:
        first_of_criterion = True
        for ind in crit.indicators:
            for n, tier in enumerate(_row_tiers(cset, ind)):
                row += 1
                values = _row_values(cset, crit, ind, tier, first=n == 0)
                if first_of_criterion:
                    values.update(criterion_name_en=crit.name_en, criterion_note=crit.note)
                    first_of_criterion = False
                for name, value in values.items():
                    if value not in (None, ""):
                        _put(ws, row, index[name], value).alignment = WRAP
                for code in cset.classes:
                    _threshold_cell(ws, row, index[f"#{code}"], ind, ind.threshold(tier, code))
    _validations(ws, cset, index, row)
    ws.freeze_panes = ws.cell(row=2, column=index["code"] + 1).coordinate
    widths = {"text": 60, "criterion_name": 28, "source": 30, "note": 40, "criterion_note": 40}
    for name, i in index.items():
        ws.column_dimensions[get_column_letter(i)].width = widths.get(name, 12)


def _row_tiers(cset: CriteriaSet, ind: Indicator) -> list[str]:
    return [t.code for t in cset.tiers if t.code in ind.tiers or ind.thresholds.get(t.code)]


def _row_values(
    cset: CriteriaSet, crit: Criterion, ind: Indicator, tier: str, *, first: bool
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "criterion": crit.code,
        "criterion_name": crit.name,
        "group": crit.group,
        "code": ind.code,
        "text": ind.text,
        "unit": ind.unit,
        "op": OP_WRITTEN[ind.op.value],
        "tier": tier,
    }
    source = _row_source(cset, ind.thresholds.get(tier, {}).values())
    if first:
        values.update(
            clause=ind.clause,
            source=source,
            combine=ind.combine,
            note=ind.note,
            code_verified="có" if ind.code_verified else "không",
            text_verified="có" if ind.text_verified else "không",
        )
    else:
        primary = _row_source(cset, ind.thresholds.get(cset.primary_tier, {}).values())
        values["source"] = source if source != primary else ""
    return values


def _row_source(cset: CriteriaSet, cells: Iterable[Threshold]) -> str:
    """The keys of sheet Nguon the row's cells cite ("S2, S3"), or the source text itself."""
    cells = list(cells)
    national = [c.source for c in cells if c.origin == "national"]
    texts = sorted(set(national or [c.source for c in cells]))
    if len(texts) != 1:
        return " | ".join(texts)
    keys = _keys_of(texts[0], cset.sources)
    return ", ".join(keys) if keys is not None else texts[0]


def _keys_of(text: str, sources: dict[str, str]) -> list[str] | None:
    """Undo the loader's "S2: …; S3: …" join when it is exactly that."""
    if not text:
        return []
    for key, value in sources.items():
        part = f"{key}: {value}"
        if text == part:
            return [key]
        if text.startswith(part + "; "):
            rest = _keys_of(text[len(part) + 2 :], sources)
            if rest:
                return [key, *rest]
    return None


def _threshold_cell(
    ws: Worksheet, row: int, col: int, ind: Indicator, cell: Threshold | None
) -> None:
    if cell is None:
        ws.cell(row=row, column=col).fill = UNCONFIRMED_FILL
        return
    value: Any = cell.value
    if ind.op.is_boolean:
        value = "đạt" if cell.value == 1 else "không"
    elif float(value).is_integer():
        value = int(value)
    target = _put(ws, row, col, value)
    if cell.origin != "national":
        target.fill = PROVINCE_FILL


def _validations(ws: Worksheet, cset: CriteriaSet, index: dict[str, int], last: int) -> None:
    rows = max(last, 2) + 200  # room for rows an office adds
    lists = {
        "op": ",".join(OP_WRITTEN.values()),
        "combine": ",".join(COMBINE),
        "tier": ",".join(t.code for t in cset.tiers),
        "code_verified": "có,không",
        "text_verified": "có,không",
    }
    for name, options in lists.items():
        if len(options) > 250:  # Excel's limit for an inline list
            continue
        dv = DataValidation(type="list", formula1=f'"{options}"', allow_blank=True)
        letter = get_column_letter(index[name])
        dv.add(f"{letter}2:{letter}{rows}")
        ws.add_data_validation(dv)


def _write_sources(ws: Worksheet, cset: CriteriaSet) -> None:
    _header(ws, 1, 1, "Mã nguồn")
    _header(ws, 1, 2, "Lời văn")
    for i, (key, text) in enumerate(cset.sources.items(), start=2):
        _put(ws, i, 1, key)
        _put(ws, i, 2, text).alignment = WRAP
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 120
