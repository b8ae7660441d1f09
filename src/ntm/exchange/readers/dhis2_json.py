"""DHIS2 dataValueSets JSON: {"dataValues": [{"dataElement", "period", "orgUnit", "value"}]}.

As in DHIS2, "period" and "orgUnit" at the top level apply to data values that do not name
their own. dataElement is the indicator code, period the year, orgUnit the unit code.
"""

from __future__ import annotations

import json
from typing import Any

from ntm.exchange.readers.base import FileRefused, Limits, RawCell, ReadResult
from ntm.exchange.readers.table import too_many_values
from ntm.spreadsheet import Problem, unit_code_text

# Data elements ntm writes beside the values in its own DHIS2 export: evaluation results,
# which the engine computes again, so an import reports them and passes them by.
RESULT_PREFIX = "NTM_KQ_"


def read_dhis2_json(text: str, limits: Limits) -> ReadResult:
    """RawCell.row is the data value's index in dataValues (0-based, as JSON paths count)."""
    values, defaults = _data_values(text)
    if len(values) > limits.max_cells:
        raise too_many_values(limits)
    result = ReadResult(format="dhis2-json")
    skipped = 0
    for n, item in enumerate(values):
        if isinstance(item, dict) and _text(item.get("dataElement")).startswith(RESULT_PREFIX):
            skipped += 1
        else:
            _item(n, item, defaults, result)
    if skipped:
        result.notes.append(
            f"Bỏ qua {skipped} giá trị kết quả đánh giá ({RESULT_PREFIX}...): ntm tự tính lại "
            "kết quả từ số liệu chỉ tiêu."
        )
    return result


def _json_int(digits: str) -> int | str:
    """A JSON integer; a long one stays text, for the number parser to refuse on its row
    (int() of 5,000 digits raises ValueError, which would end the whole import)."""
    return int(digits) if len(digits) <= 30 else digits


def _data_values(text: str) -> tuple[list[Any], dict[str, Any]]:
    try:
        data = json.loads(text, parse_int=_json_int)
    except json.JSONDecodeError as exc:
        raise FileRefused(
            f"Tệp JSON sai cú pháp ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}", row=exc.lineno
        ) from None
    except RecursionError:
        raise FileRefused("Tệp JSON lồng quá nhiều cấp, không đọc được.") from None
    defaults: dict[str, Any] = {}
    values = data
    if isinstance(data, dict):
        values = data.get("dataValues")
        defaults = {k: data.get(k) for k in ("period", "orgUnit")}
    if not isinstance(values, list):
        raise FileRefused(
            "Tệp JSON không theo dạng dataValueSets của DHIS2: cần danh sách «dataValues»."
        )
    return values, defaults


def _item(n: int, item: Any, defaults: dict[str, Any], result: ReadResult) -> None:
    where = f"dataValues[{n}]"
    if not isinstance(item, dict):
        reason = "phần tử của dataValues phải là một đối tượng {...}"
        result.problems.append(Problem("", None, where, "", "", reason))
        return
    unit = unit_code_text(item.get("orgUnit", defaults.get("orgUnit")))
    element = _text(item.get("dataElement"))
    value = item.get("value")
    if item.get("deleted") in (True, "true"):
        reason = "giá trị đánh dấu deleted=true: nhập tệp không xóa số liệu"
        result.problems.append(Problem("", None, f"{where}.deleted", unit, element, reason))
    elif value is None or (isinstance(value, str) and not value.strip()):
        reason = "thiếu giá trị (bỏ phần tử này nếu chưa có số liệu)"
        result.problems.append(Problem("", None, f"{where}.value", unit, element, reason))
    else:
        period = item.get("period", defaults.get("period"))
        result.cells.append(RawCell("", n, "value", unit, period, element, value))


def _text(raw: Any) -> str:
    return "" if raw is None else str(raw).strip()
