"""Check every cell read from a file and compare it with the database: the dry run.

Nothing here writes. The checks are the web form's (ntm.indicators.services.value_problem,
the access module, the dossier lock), done in bulk: units, stored values and locks are read
with a few queries for the whole file, so a national file is checked in seconds.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ntm.accounts import access
from ntm.core.model import CriteriaSet, Indicator, Level, Op
from ntm.core.numbers import NumberError, number_checked, number_read
from ntm.core.registry import UnknownCriteriaSetError, set_for_year
from ntm.core.values import fold, format_measure, parse_boolean
from ntm.criteria.selectors import criteria_set_for_province
from ntm.exchange.readers.base import RawCell, ReadResult
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import value_problem
from ntm.spreadsheet import EXCEL_ERRORS, Problem, error_reason, formula_reason
from ntm.units.models import Unit
from ntm.units.selectors import unit_province, unit_region
from ntm.workflow.models import Dossier, Status
from ntm.workflow.selectors import dossier_locking

Progress = Callable[[str, int, int], None]
CHUNK = 500
FIRST_YEAR, LAST_YEAR = 1990, 2100
_COMMUNE_CODE = re.compile(r"^\d{5}$")
_VILLAGE_CODE = re.compile(r"^\d{5}\.\d{1,4}$")
_YES_NO = {"co", "khong", "1", "0"}
JSON_KEYS = {"value": "value", "unit_code": "orgUnit", "year": "period", "indicator": "dataElement"}


@dataclass(slots=True)
class CellChange:
    """One valid cell and what importing it does: add, change (old -> new) or nothing."""

    cell: RawCell
    unit: Unit
    year: int
    criteria_set: str
    indicator: Indicator
    old: float | None
    new: float
    value_id: int | None
    version: int
    kind: str = ""  # "add", "change" or "same" (see change_kind)


def change_kind(old: float | None, new: float) -> str:
    if old is None:
        return "add"
    # Excel keeps 15 significant digits: 7.6000000000000005 comes back as 7.600000000000001,
    # which is the same figure, not a change to write and audit.
    return "same" if math.isclose(old, new, rel_tol=1e-12) else "change"


@dataclass(frozen=True)
class _Target:
    """Where a cell goes: the unit, the year and the set judging it (or why it cannot)."""

    unit: Unit
    unit_id: int
    year: int
    cset: CriteriaSet
    indicators: dict[str, Indicator]


class Planner:
    """Turns a file's cells into changes and problems; ``lock_units`` inside a transaction."""

    def __init__(self, read: ReadResult, *, user: Any, progress: Progress | None = None):
        self.read = read
        self.user = user
        self.progress = progress or (lambda phase, done, total: None)
        self.problems: dict[tuple[str, int | None, str], Problem] = {}
        self._sets: dict[tuple[int | None, int, str, str], CriteriaSet | str] = {}
        self._indicators: dict[int, dict[str, Indicator]] = {}
        self._may_edit: dict[tuple[int, str, str], str] = {}  # (unit, criterion, set) -> refusal
        self._texts: dict[tuple[str, str, bool], float | str] = {}
        for problem in read.problems:
            self._add(problem)

    # The steps -------------------------------------------------------------------------

    def run(self, *, lock_units: bool = False) -> list[CellChange]:
        cells = self.read.cells
        years = [self._year(c) for c in cells]
        units = self._units(cells, years)
        if lock_units:
            ids = sorted({u.pk for u in units.values()})
            for start in range(0, len(ids), CHUNK):
                list(Unit.objects.select_for_update().filter(pk__in=ids[start : start + CHUNK]))
        valid: list[tuple[RawCell, _Target, Indicator, float]] = []
        targets: dict[tuple[int, int, str], _Target | None] = {}
        total = len(cells)
        for n, (cell, year) in enumerate(zip(cells, years, strict=True)):
            if n % 20000 == 0:
                self.progress("Kiểm tra từng ô", n, total)
            if year is None:
                continue
            unit = units.get((cell.unit_code, year))
            if unit is None:
                continue
            key = (unit.pk, year, cell.criteria_set)
            if key not in targets:
                targets[key] = self._target(cell, unit, year)
            target = targets[key]
            if target is None:
                self._problem(cell, "year", self._set_problem(unit, year, cell.criteria_set))
                continue
            checked = self._check(cell, target)
            if checked is not None:
                valid.append((cell, target, *checked))
        self.progress("Kiểm tra từng ô", total, total)
        valid = self._without_duplicates(valid)
        changes = self._diff(valid)
        self._check_locks(changes)
        self._check_classes(changes)
        return changes

    def problem_list(self) -> list[Problem]:
        """In file order: sheet, row, then column (B before AA)."""
        return sorted(
            self.problems.values(),
            key=lambda p: (p.sheet, p.row or 0, len(p.column), p.column),
        )

    # Years and units -----------------------------------------------------------------------

    def _year(self, cell: RawCell) -> int | None:
        raw = cell.year
        year: int | None = None
        if isinstance(raw, int) and not isinstance(raw, bool):
            year = raw
        elif (isinstance(raw, float) and raw.is_integer()) or (
            isinstance(raw, str) and re.fullmatch(r"\s*\d{4}\s*", raw)
        ):
            year = int(raw)
        if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
            return year
        shown = "" if raw is None else str(raw).strip()
        if self.read.format.startswith("dhis2") and shown:
            reason = f"kỳ «{shown}» không phải một năm (yyyy): ntm chỉ nhận số liệu theo năm"
        elif not shown:
            reason = "thiếu năm"
        else:
            reason = f"năm «{shown}» không hợp lệ: cần 4 chữ số từ {FIRST_YEAR} đến {LAST_YEAR}"
        self._problem(cell, "year", reason)
        return None

    def _units(self, cells: list[RawCell], years: list[int | None]) -> dict[tuple[str, int], Unit]:
        """Every (code, year) of the file resolved to the unit holding the code on 31/12."""
        wanted: dict[str, set[tuple[str, int]]] = defaultdict(set)
        levels = {code: _level_of(code) for code in {c.unit_code for c in cells}}
        for cell, year in zip(cells, years, strict=True):
            if year is None:
                continue
            level = levels[cell.unit_code]
            if level is None:
                self._problem(cell, "unit_code", _bad_code(cell.unit_code))
                continue
            wanted[level].add((cell.unit_code, year))
        found: dict[tuple[str, int], Unit] = {}
        for level, keys in wanted.items():
            codes = sorted({code for code, _ in keys})
            by_code: dict[str, list[Unit]] = defaultdict(list)
            for start in range(0, len(codes), CHUNK):
                rows = Unit.objects.filter(level=level, code__in=codes[start : start + CHUNK])
                for unit in rows.select_related("parent__parent__parent"):
                    by_code[unit.code].append(unit)
            for code, year in keys:
                end = dt.date(year, 12, 31)
                match = next((u for u in by_code.get(code, []) if u.is_valid_on(end)), None)
                if match is not None:
                    found[(code, year)] = match
        for cell, year in zip(cells, years, strict=True):
            if year is None or levels[cell.unit_code] is None:
                continue
            if (cell.unit_code, year) not in found:
                what = "thôn, bản" if levels[cell.unit_code] == Level.VILLAGE else "xã"
                reason = f"không có {what} mã {cell.unit_code} trong năm {year}"
                self._problem(cell, "unit_code", reason)
        return found

    # One cell ---------------------------------------------------------------------------------

    def _check(self, cell: RawCell, target: _Target) -> tuple[Indicator, float] | None:
        indicator = target.indicators.get(cell.indicator)
        if indicator is None:
            reason = (
                f"chỉ tiêu «{cell.indicator}» không có trong bộ tiêu chí {target.cset.id} "
                f"(áp dụng cho năm {target.year})"
            )
            self._problem(cell, "indicator", reason)
            return None
        refusal = self._refusal(target.unit, indicator, target.cset.id)
        if refusal:
            self._problem(cell, "value", refusal)
            return None
        raw = cell.value
        if isinstance(raw, str):
            # Few distinct texts ("đạt", "không đạt") fill most cells of a template.
            key = (raw, indicator.code, cell.lenient)
            if key not in self._texts:
                self._texts[key] = value_read(raw, indicator, lenient=cell.lenient)
            value = self._texts[key]
        else:
            value = value_read(raw, indicator, lenient=cell.lenient)
        if isinstance(value, str):
            self._problem(cell, "value", value)
            return None
        return indicator, value

    def _target(self, cell: RawCell, unit: Unit, year: int) -> _Target | None:
        cset = self._set(unit, year, cell.criteria_set)
        if isinstance(cset, str):
            return None
        return _Target(unit, unit.pk, year, cset, self._indicator_map(cset))

    def _set_problem(self, unit: Unit, year: int, set_id: str) -> str:
        found = self._set(unit, year, set_id)
        return found if isinstance(found, str) else ""

    def _set(self, unit: Unit, year: int, set_id: str) -> CriteriaSet | str:
        """The set judging the unit that year (as commune_criteria), or why there is none."""
        province = unit_province(unit=unit)
        province_id = province.id if province.level == "province" else None
        key = (province_id, year, unit.level, set_id)
        if key not in self._sets:
            try:
                if unit.level == Level.VILLAGE.value and not set_id:
                    set_id = set_for_year(year, Level.VILLAGE).id
                self._sets[key] = criteria_set_for_province(
                    province_id=province_id, year=year, set_id=set_id
                )
            except UnknownCriteriaSetError as exc:
                self._sets[key] = str(exc)
        return self._sets[key]

    def judging_set_id(self, unit: Unit, year: int) -> str:
        """The id of the set the evaluation of this unit-year uses ("" if none is in force)."""
        cset = self._set(unit, year, "")
        return "" if isinstance(cset, str) else cset.id

    def _indicator_map(self, cset: CriteriaSet) -> dict[str, Indicator]:
        if id(cset) not in self._indicators:
            self._indicators[id(cset)] = {i.code: i for i in cset.indicators}
        return self._indicators[id(cset)]

    def _refusal(self, unit: Unit, indicator: Indicator, set_id: str) -> str:
        """Why the user may not write this cell ("" if they may; the system may always)."""
        if self.user is None:
            return ""
        key = (unit.pk, indicator.criterion, set_id)
        if key not in self._may_edit:
            if not access.can_view_unit(self.user, unit):
                reason = f"đơn vị {unit.code} nằm ngoài phạm vi tài khoản của bạn"
            elif not access.can_edit_value(self.user, unit, indicator.criterion, set_id=set_id):
                reason = (
                    f"bạn không có quyền nhập số liệu tiêu chí {indicator.criterion} "
                    f"của {unit.name}"
                )
            else:
                reason = ""
            self._may_edit[key] = reason
        return self._may_edit[key]

    # The whole file --------------------------------------------------------------------------

    def _without_duplicates(
        self, valid: list[tuple[RawCell, _Target, Indicator, float]]
    ) -> list[tuple[RawCell, _Target, Indicator, float]]:
        first: dict[tuple[int, int, str, str], RawCell] = {}
        kept = []
        for cell, target, indicator, value in valid:
            key = (target.unit_id, target.year, target.cset.id, indicator.code)
            if key in first:
                where = self._where(first[key])
                reason = (
                    f"trùng với {where}: mỗi đơn vị, năm và chỉ tiêu chỉ được có một giá trị "
                    "trong tệp"
                )
                self._problem(cell, "value", reason)
                continue
            first[key] = cell
            kept.append((cell, target, indicator, value))
        return kept

    def _diff(self, valid: list[tuple[RawCell, _Target, Indicator, float]]) -> list[CellChange]:
        stored = _stored_values(
            unit_ids={t.unit_id for _, t, _, _ in valid},
            years={t.year for _, t, _, _ in valid},
            progress=self.progress,
        )
        changes = []
        for cell, target, indicator, value in valid:
            row = stored.get((target.unit_id, target.year, target.cset.id, indicator.code))
            old = row[1] if row else None
            changes.append(
                CellChange(
                    cell=cell,
                    unit=target.unit,
                    year=target.year,
                    criteria_set=target.cset.id,
                    indicator=indicator,
                    old=old,
                    new=value,
                    value_id=row[0] if row else None,
                    version=row[2] if row else 0,
                    kind=change_kind(old, value),
                )
            )
        return changes

    def _check_locks(self, changes: list[CellChange]) -> None:
        """A cell that would change a locked commune-year is an error; unchanged ones pass."""
        writing = {(c.unit.pk, c.year): c.unit for c in changes if c.kind != "same"}
        if not writing:
            return
        candidates: set[tuple[int, int]] = set()
        unit_ids = sorted({pk for pk, _ in writing})
        years = sorted({year for _, year in writing})
        for start in range(0, len(unit_ids), CHUNK):
            rows = (
                Dossier.objects.filter(unit_id__in=unit_ids[start : start + CHUNK], year__in=years)
                .exclude(status=Status.REVOKED)
                .values_list("unit_id", "year")
            )
            candidates |= {pair for pair in rows if pair in writing}
        locked: dict[tuple[int, int], str] = {}
        for pk, year in sorted(candidates):
            unit = writing[(pk, year)]
            dossier = dossier_locking(unit=unit, year=year)
            if dossier is not None:
                stage = dossier.stage.name if dossier.stage else dossier.get_status_display()
                locked[(pk, year)] = (
                    f"số liệu của {unit.name} năm {year} đang bị khóa vì hồ sơ số {dossier.pk} "
                    f"đang ở bước «{stage}»; chỉ sửa được khi hồ sơ được trả lại bước tự đánh giá"
                )
        for change in changes:
            reason = locked.get((change.unit.pk, change.year))
            if reason and change.kind != "same":
                self._problem(change.cell, "value", reason)

    def _check_classes(self, changes: list[CellChange]) -> None:
        """A commune-year that cannot be evaluated (no region or group) cannot take values,
        as on the web form: the evaluation refreshed with the write would fail."""
        from ntm.criteria.models import CommuneClass

        judged: dict[tuple[int, int], CriteriaSet] = {}
        for c in changes:
            if c.kind == "same" or (c.unit.pk, c.year) in judged:
                continue
            cset = self._set(c.unit, c.year, "")
            if not isinstance(cset, str) and cset.id == c.criteria_set:
                judged[(c.unit.pk, c.year)] = cset
        ids = sorted({pk for pk, _ in judged})
        set_ids = sorted({cset.id for cset in judged.values()})
        recorded: set[tuple[int, str]] = set()
        for start in range(0, len(ids), CHUNK):
            rows = CommuneClass.objects.filter(
                unit_id__in=ids[start : start + CHUNK], criteria_set__in=set_ids
            ).values_list("unit_id", "criteria_set")
            recorded |= set(rows)
        for c in changes:
            judging = judged.get((c.unit.pk, c.year))
            if judging is None or (c.unit.pk, judging.id) in recorded:
                continue
            if judging.classification == "region" and unit_region(unit=c.unit):
                continue
            what = "nhóm" if judging.classification == "group" else "vùng"
            reason = (
                f"{c.unit.name} chưa được xác định {what} theo bộ tiêu chí {judging.label} nên chưa "
                f"đánh giá được; hãy xác định {what} của xã trước khi nhập số liệu"
            )
            self._problem(c.cell, "value", reason)

    # Problems ---------------------------------------------------------------------------

    def _problem(self, cell: RawCell, field: str, reason: str) -> None:
        row: int | None = cell.row
        if self.read.format == "dhis2-json":
            row, column = None, f"dataValues[{cell.row}].{JSON_KEYS[field]}"
        elif field == "value":
            column = cell.column
        else:
            column = self.read.key_columns.get(cell.sheet, {}).get(field) or cell.column
        self._add(Problem(cell.sheet, row, column, cell.unit_code, cell.indicator, reason))

    def _where(self, cell: RawCell) -> str:
        if cell.sheet:
            return f"ô {cell.column}{cell.row} trang «{cell.sheet}»"
        if self.read.format == "dhis2-json":
            return f"dataValues[{cell.row}]"
        return f"dòng {cell.row}"

    def _add(self, problem: Problem) -> None:
        # One problem per place: a wrong unit code in a template row is said once, not per cell.
        self.problems.setdefault((problem.sheet, problem.row, problem.column), problem)


def _stored_values(
    *, unit_ids: Iterable[int], years: Iterable[int], progress: Progress
) -> dict[tuple[int, int, str, str], tuple[int, float, int]]:
    """(unit, year, set, indicator) -> (id, value, version) of the stored values concerned."""
    ids = sorted(unit_ids)
    year_list = sorted(years)
    stored: dict[tuple[int, int, str, str], tuple[int, float, int]] = {}
    for start in range(0, len(ids), CHUNK):
        progress("Đối chiếu với số liệu đã lưu", start, len(ids))
        rows = IndicatorValue.objects.filter(
            unit_id__in=ids[start : start + CHUNK], year__in=year_list
        ).values_list("unit_id", "year", "criteria_set", "indicator", "id", "value", "version")
        for unit_id, year, set_id, code, pk, value, version in rows:
            stored[(unit_id, year, set_id, code)] = (pk, value, version)
    progress("Đối chiếu với số liệu đã lưu", len(ids), len(ids))
    return stored


def _level_of(code: str) -> str | None:
    if _COMMUNE_CODE.match(code):
        return Level.COMMUNE.value
    if _VILLAGE_CODE.match(code):
        return Level.VILLAGE.value
    return None


def _bad_code(code: str) -> str:
    if not code:
        return "thiếu mã đơn vị"
    return (
        f"mã đơn vị «{code}» không đúng dạng: mã xã gồm 5 chữ số (ví dụ 03409), "
        "mã thôn, bản có dạng 03409.1"
    )


def value_read(raw: Any, indicator: Indicator, *, lenient: bool) -> float | str:
    """The value as stored (yes/no as 1.0/0.0), or why it is not one: a Vietnamese phrase."""
    value = _as_number(raw, indicator, lenient=lenient)
    if isinstance(value, str):
        return value
    problem = value_problem(indicator=indicator, value=value)
    if problem:
        return f"giá trị {format_measure(value)} {problem}"
    return value


def _as_number(raw: Any, indicator: Indicator, *, lenient: bool) -> float | str:
    if isinstance(raw, bool):
        return 1.0 if raw else 0.0
    if isinstance(raw, int | float):
        try:
            return float(number_checked(raw))
        except NumberError as exc:
            return f"giá trị {exc}" if str(exc).startswith("«") else str(exc)
    if isinstance(raw, dt.date | dt.datetime | dt.time | dt.timedelta):
        return f"ô kiểu ngày giờ ({raw}), không phải là số"
    if not isinstance(raw, str):
        return f"giá trị «{str(raw)[:40]}» không phải là số"
    text = raw.strip()
    # A sheet's formula or error cell arrives as typed; a CSV cell may hold the same text.
    if text.startswith("="):
        return formula_reason(text)
    if text.upper() in EXCEL_ERRORS:
        return error_reason(text)
    if indicator.op.is_boolean:
        flag = parse_boolean(text)
        # "Nhà tạm, dột nát: đạt" could mean "có" (1) or "meets the criterion" (0, none left):
        # a yes/no indicator that must be "không" takes only có/không and 1/0.
        if indicator.op is Op.KHONG and fold(text) not in _YES_NO:
            flag = None
        if flag is None:
            words = "có/không" if indicator.op is Op.KHONG else "đạt/không đạt"
            return f"chỉ tiêu {indicator.code} nhận {words} (hoặc 1/0), không phải «{text[:40]}»"
        return 1.0 if flag else 0.0
    if indicator.unit == "%" and text.endswith("%"):
        text = text[:-1]
    try:
        number = number_read(text, vietnamese=lenient)
    except NumberError as exc:
        hint = ""
        if not lenient and "," in text:
            hint = " (tệp CSV phân cách bằng dấu phẩy dùng dấu chấm cho phần thập phân)"
        return f"giá trị {exc}{hint}"
    if number is None:
        return "giá trị trống không phải là số"
    return float(number)
