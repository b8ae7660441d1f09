"""Import a province's list of commune classes (e.g. the Area III communes of QĐ 113/QĐ-UBND),
all rows or none.

Every row is checked before anything is written: the commune exists among the communes the
set judges (by code, or by its name without accents), the name is not ambiguous, the class
is one of the set's, no commune appears twice. Any problem refuses the whole file, naming row,
column and reason; otherwise every change goes through ``commune_classes_import`` in one
transaction under the one legal basis given for the file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext, gettext_noop

from ntm.core.model import CriteriaSet
from ntm.core.specs import SpecError
from ntm.core.values import fold
from ntm.criteria.classes import class_communes, class_kind, class_set, classes_year
from ntm.criteria.classes_table import ClassCell, ClassTable, read_class_table
from ntm.criteria.models import CommuneClass
from ntm.criteria.services import commune_classes_import
from ntm.spreadsheet import Problem, SheetError
from ntm.units.models import Unit, bare_name

MAX_BASIS = 500


@dataclass(frozen=True)
class ClassChange:
    row: int
    unit: Unit
    before: str | None
    after: str
    basis_changes: bool = False  # same class, another basis: rewritten, with its audit row

    @property
    def kind(self) -> str:
        if self.before is None:
            return "add"
        return "same" if self.before == self.after and not self.basis_changes else "change"


@dataclass
class ClassPlan:
    file_name: str
    sha256: str
    set_id: str
    basis: str
    dry_run: bool
    changes: list[ClassChange] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def counts(self) -> dict[str, int]:
        kinds = [c.kind for c in self.changes]
        return {k: kinds.count(k) for k in ("add", "change", "same")}


def classes_import(
    *,
    content: bytes,
    file_name: str,
    set_id: str,
    legal_basis: str,
    scope: Unit | None = None,
    year: int | None = None,
    actor: Any = None,
    origin: str = "file",
    dry_run: bool = False,
) -> ClassPlan:
    """Check the list and, unless ``dry_run`` or any problem, write it. ``scope`` (a province)
    limits the communes rows may name; None means every commune of the country."""
    cset = class_set(set_id)
    basis = " ".join(legal_basis.split())
    sha = hashlib.sha256(content).hexdigest()
    plan = ClassPlan(file_name, sha, cset.id, basis, dry_run)
    if not basis:
        plan.problems.append(_problem("", None, "", gettext(_NO_BASIS)))
    elif len(basis) > MAX_BASIS:
        plan.problems.append(_problem("", None, "", gettext(_LONG_BASIS) % {"n": MAX_BASIS}))
    try:
        table = read_class_table(content)
    except SheetError as exc:
        plan.problems.append(_problem(exc.sheet, exc.row, exc.column, exc.reason))
        return plan
    _plan_rows(plan, table, cset, _Communes(scope=scope, year=classes_year(cset, year)))
    if plan.problems or dry_run:
        return plan
    try:
        commune_classes_import(
            criteria_set=cset.id,
            classes=[(c.unit, c.after) for c in plan.changes],
            legal_basis=basis,
            actor=actor,
            origin=origin,
            origin_detail=f"{file_name[:200]} sha256={sha}",
        )
    except SpecError as exc:  # checked above; a second guard, still nothing written
        plan.problems.append(_problem("", None, "", str(exc)))
        return plan
    plan.written = True
    return plan


_NO_BASIS = gettext_noop(
    "Cần ghi căn cứ (số, ngày quyết định phân vùng/phân nhóm) cho cả danh sách."
)
_LONG_BASIS = gettext_noop(
    "Căn cứ dài quá %(n)s ký tự; hãy ghi số, ngày và cơ quan ban hành quyết định."
)


def _problem(sheet: str, row: int | None, column: str, reason: str) -> Problem:
    return Problem(sheet, row, column, "", "", reason)


class _Communes:
    """The communes a row may name, by code and by folded name (with or without "Xã")."""

    def __init__(self, *, scope: Unit | None, year: int) -> None:
        self.year = year
        self.scope = scope
        communes = class_communes(unit=scope, year=year)
        self.by_code = {c.code: c for c in communes}
        self.by_name: dict[str, list[Unit]] = {}
        for commune in communes:
            self.by_name.setdefault(fold(bare_name(commune.name)), []).append(commune)

    def where(self) -> str:
        scope = self.scope.name if self.scope is not None else gettext("cả nước")
        return gettext("trong số các xã của %(scope)s vào ngày 31/12/%(year)s") % {
            "scope": scope,
            "year": self.year,
        }

    def named(self, name: str) -> list[Unit]:
        return self.by_name.get(" ".join(fold(bare_name(name.strip())).split()), [])


def _plan_rows(plan: ClassPlan, table: ClassTable, cset: CriteriaSet, communes: _Communes) -> None:
    if not table.rows:
        plan.problems.append(_problem(table.sheet, None, "", gettext("Tệp không có dòng nào.")))
        return
    records = {
        unit_id: (class_code, basis)
        for unit_id, class_code, basis in CommuneClass.objects.filter(
            criteria_set=cset.id, unit_id__in=[c.pk for c in communes.by_code.values()]
        ).values_list("unit_id", "class_code", "legal_basis")
    }
    seen: dict[int, int] = {}
    for cell in table.rows:
        unit = _row_unit(plan, table, cell, communes)
        class_code = _row_class(plan, table, cell, cset)
        if unit is None or class_code is None:
            continue
        if unit.pk in seen:
            reason = gettext("%(name)s (%(code)s) đã có ở dòng %(row)s") % {
                "name": unit.name,
                "code": unit.code,
                "row": seen[unit.pk],
            }
            plan.problems.append(_problem(table.sheet, cell.row, _column(table, "name"), reason))
            continue
        seen[unit.pk] = cell.row
        before, basis = records.get(unit.pk, (None, ""))
        change = ClassChange(cell.row, unit, before, class_code, basis != plan.basis)
        plan.changes.append(change)


def _column(table: ClassTable, key: str) -> str:
    """Where to point for the commune: its code column when there is one."""
    if key == "name" and "unit_code" in table.columns:
        return table.columns["unit_code"]
    return table.columns.get(key, "")


def _row_unit(
    plan: ClassPlan, table: ClassTable, cell: ClassCell, communes: _Communes
) -> Unit | None:
    def refuse(column: str, reason: str) -> None:
        plan.problems.append(_problem(table.sheet, cell.row, table.columns.get(column, ""), reason))

    if cell.unit_code or cell.name.isdigit():  # a code written in the name column is a code
        code = cell.unit_code or cell.name.zfill(5)
        unit = communes.by_code.get(code)
        if unit is None:
            refuse(
                "unit_code" if cell.unit_code else "name",
                gettext("không có xã mã %(code)s %(where)s")
                % {"code": code, "where": communes.where()},
            )
        elif cell.unit_code and cell.name and unit not in communes.named(cell.name):
            refuse(
                "name",
                gettext("mã %(code)s là %(actual)s, không phải «%(name)s»")
                % {"code": unit.code, "actual": unit.name, "name": cell.name},
            )
            return None
        return unit
    if not cell.name:
        column = "unit_code" if "unit_code" in table.columns else "name"
        refuse(column, gettext("thiếu mã xã (unit_code) hoặc tên xã (name)"))
        return None
    found = communes.named(cell.name)
    if not found:
        refuse(
            "name",
            gettext("không có xã tên «%(name)s» %(where)s")
            % {"name": cell.name, "where": communes.where()},
        )
        return None
    if len(found) > 1:
        listed = ", ".join(f"{u.name} ({u.code})" for u in found)
        refuse(
            "name",
            gettext("tên «%(name)s» trùng với nhiều xã: %(listed)s; hãy ghi mã xã ở cột unit_code")
            % {"name": cell.name, "listed": listed},
        )
        return None
    return found[0]


def _row_class(
    plan: ClassPlan, table: ClassTable, cell: ClassCell, cset: CriteriaSet
) -> str | None:
    column = table.columns.get("class", "")
    kind = class_kind(cset)
    if not cell.class_code:
        reason = gettext("thiếu %(kind)s") % {"kind": kind}
        plan.problems.append(_problem(table.sheet, cell.row, column, reason))
        return None
    code = class_code_of(cset, cell.class_code)
    if code is None:
        reason = gettext(
            "«%(value)s» không phải %(kind)s của bộ tiêu chí %(set)s (có: %(allowed)s)"
        ) % {
            "value": cell.class_code,
            "kind": kind,
            "set": cset.id,
            "allowed": ", ".join(cset.classes),
        }
        plan.problems.append(_problem(table.sheet, cell.row, column, reason))
    return code


def class_code_of(cset: CriteriaSet, text: str) -> str | None:
    """The set's class written as its code ("3", "TDMNPB"), its code after "nhóm"/"vùng"
    ("Nhóm 3"), or its name, ignoring accents and case; None when it is none of them."""
    wanted = " ".join(fold(text).split())
    for prefix in ("nhom ", "vung "):
        if wanted.startswith(prefix):
            wanted = wanted[len(prefix) :].strip()
    for code, name in cset.classes.items():
        if wanted in (fold(code), " ".join(fold(name).split())):
            return code
    return None
