"""Reading the long CSV of indicator values: unit_code,year,indicator,value.

Every error names the line, the column and the reason, in Vietnamese.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from ntm.core.model import CriteriaSet
from ntm.core.values import parse_boolean, parse_number

REQUIRED_COLUMNS = ("unit_code", "year", "indicator", "value")
_UNIT_CODE = re.compile(r"^\d{5}$")

# Other names a header may use for the four columns: DHIS2's dataValueSets CSV
# (dataelement, period, orgunit, value) and the Vietnamese headings offices type.
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "unit_code": ("unit_code", "orgunit", "org_unit", "ma_don_vi", "mã đơn vị", "mã xã"),
    "year": ("year", "period", "nam", "năm"),
    "indicator": (
        "indicator",
        "dataelement",
        "data_element",
        "chi_tieu",
        "chỉ tiêu",
        "mã chỉ tiêu",
    ),
    "value": ("value", "gia_tri", "giá trị"),
}
DHIS2_COLUMNS = ("dataelement", "period", "orgunit")


def header_name(cell: object) -> str:
    """A header cell as compared with the names above: NFC, lower case, single spaces."""
    text = unicodedata.normalize("NFC", "" if cell is None else str(cell))
    return " ".join(text.strip().lower().split())


def column_index(header: list[str]) -> dict[str, int]:
    """Where each of the four columns is (by its name or an alias); absent ones are left out.

    A name given twice keeps its first place; callers report the duplicate if they care.
    """
    names = [header_name(h) for h in header]
    index: dict[str, int] = {}
    for column, aliases in COLUMN_ALIASES.items():
        for n, name in enumerate(names):
            if name in aliases:
                index[column] = n
                break
    return index


class ValuesFileError(ValueError):
    def __init__(self, line: int, column: str, reason: str) -> None:
        self.line, self.column, self.reason = line, column, reason
        where = f"Dòng {line}" + (f", cột '{column}'" if column else "")
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class ValueRow:
    line: int
    unit_code: str
    year: int
    indicator: str
    value: float


def read_values(text: str, cset: CriteriaSet) -> list[ValueRow]:
    """Parse and check every row against the set; the first bad row raises ValuesFileError."""
    text = text.removeprefix("\ufeff")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ValuesFileError(1, "", "tệp rỗng, cần dòng tiêu đề unit_code,year,indicator,value")
    index = column_index(header)
    missing = [c for c in REQUIRED_COLUMNS if c not in index]
    if missing:
        raise ValuesFileError(1, missing[0], "thiếu cột bắt buộc trong dòng tiêu đề")
    rows = list(_rows(reader, index, cset))
    _check_duplicates(rows)
    return rows


def _rows(
    reader: Iterable[list[str]], index: dict[str, int], cset: CriteriaSet
) -> Iterable[ValueRow]:
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) <= max(index.values()):
            raise ValuesFileError(line, "", f"thiếu cột (có {len(cells)} cột)")
        get = {c: cells[i].strip() for c, i in index.items()}
        yield _row(line, get, cset)


def _row(line: int, get: dict[str, str], cset: CriteriaSet) -> ValueRow:
    if not _UNIT_CODE.match(get["unit_code"]):
        raise ValuesFileError(
            line, "unit_code", f"mã đơn vị '{get['unit_code']}' phải gồm đúng 5 chữ số"
        )
    if not re.fullmatch(r"\d{4}", get["year"]) or not 1990 <= int(get["year"]) <= 2100:
        raise ValuesFileError(line, "year", f"năm '{get['year']}' không hợp lệ")
    indicator = cset.indicator(get["indicator"])
    if indicator is None:
        raise ValuesFileError(
            line, "indicator", f"chỉ tiêu '{get['indicator']}' không có trong bộ tiêu chí {cset.id}"
        )
    raw = get["value"]
    if indicator.op.is_boolean:
        flag = parse_boolean(raw)
        if flag is None:
            reason = f"chỉ tiêu {indicator.code} nhận đạt/không đạt (hoặc 1/0), không phải '{raw}'"
            raise ValuesFileError(line, "value", reason)
        value = 1.0 if flag else 0.0
    else:
        number = parse_number(raw)
        if number is None:
            reason = f"giá trị '{raw}' không phải là số (dùng dấu chấm cho phần thập phân)"
            raise ValuesFileError(line, "value", reason)
        if indicator.unit == "%" and not 0 <= number <= 100:
            raise ValuesFileError(line, "value", f"tỷ lệ {number} nằm ngoài khoảng 0-100%")
        value = number
    return ValueRow(line, get["unit_code"], int(get["year"]), indicator.code, value)


def _check_duplicates(rows: list[ValueRow]) -> None:
    seen: dict[tuple[str, int, str], int] = {}
    for row in rows:
        key = (row.unit_code, row.year, row.indicator)
        if key in seen:
            raise ValuesFileError(
                row.line,
                "indicator",
                f"trùng giá trị của đơn vị {row.unit_code}, năm {row.year}, chỉ tiêu {row.indicator}"
                f" (đã có ở dòng {seen[key]})",
            )
        seen[key] = row.line
