"""Reads for the entry pages: the commune-year sheet as one user may see and edit it."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.utils.translation import gettext

from ntm.accounts import access
from ntm.core.evaluate import IndicatorResult, UnitResult, evaluate_unit
from ntm.core.model import CriteriaSet, Criterion, Indicator, Threshold
from ntm.entry.forms import EntryInput, value_input
from ntm.indicators.models import Evaluation, EvidenceFile, IndicatorValue, ValueComment
from ntm.indicators.selectors import (
    comments_by_indicator,
    evidence_by_indicator,
    value_history,
    value_rows,
)
from ntm.indicators.services import Conflict, commune_criteria, value_shown
from ntm.workflow.selectors import dossier_locks_values


def dom_id(prefix: str, code: str) -> str:
    """An HTML id for an indicator or criterion code ("14.2" -> "i14_2")."""
    return prefix + re.sub(r"[^0-9A-Za-z]", "_", code)


@dataclass(frozen=True)
class Scope:
    """What one user may do on one unit-year: criterion codes they see and may edit."""

    cset: CriteriaSet
    class_code: str
    visible: frozenset[str]
    editable: frozenset[str]
    commentable: frozenset[str] = frozenset()
    # A dossier under review or recognised freezes values, evidence and comments.
    locked: bool = False

    @property
    def sees_all(self) -> bool:
        return len(self.visible) == len(self.cset.criteria)

    def criterion_of(self, code: str) -> str | None:
        indicator = self.cset.indicator(code)
        return indicator.criterion if indicator else None

    def editable_codes(self) -> list[str]:
        return [i.code for i in self.cset.indicators if i.criterion in self.editable]


def entry_scope(*, user: Any, unit: Any, year: int) -> Scope:
    """Raises NoClassError / UnknownCriteriaSetError when no set or class judges the unit."""
    cset, class_code = commune_criteria(unit=unit, year=year)
    codes = [c.code for c in cset.criteria]
    visible = frozenset(
        c for c in codes if access.can_view_criterion(user, unit, c, set_id=cset.id)
    )
    editable = frozenset(c for c in visible if access.can_edit_value(user, unit, c, set_id=cset.id))
    commentable = frozenset(c for c in visible if access.can_comment(user, unit, c, set_id=cset.id))
    locked = dossier_locks_values(unit=unit, year=year)
    return Scope(cset, class_code, visible, editable, commentable, locked)


@dataclass
class Row:
    indicator: Indicator
    dom: str
    threshold: Threshold | None
    result: IndicatorResult
    editable: bool
    raw: str
    version: str
    original: str
    error: str = ""
    conflict: Conflict | None = None
    conflict_shown: str = ""
    conflict_input: str = ""
    files: list[EvidenceFile] = field(default_factory=list)
    comments: list[ValueComment] = field(default_factory=list)
    attachable: bool = False  # may add and delete evidence
    commentable: bool = False

    @property
    def shown(self) -> str:
        """The value the verdict was computed from, as pages write it ("80%", "đạt")."""
        return value_shown(indicator=self.indicator, value=self.result.value)

    @property
    def choices(self) -> list[tuple[str, str]]:
        empty = gettext("(trống)")
        if self.indicator.op.value == "khong":
            return [("", empty), ("1", gettext("có")), ("0", gettext("không"))]
        return [("", empty), ("1", gettext("đạt")), ("0", gettext("không đạt"))]


@dataclass
class Group:
    criterion: Criterion
    dom: str
    status: str
    rows: list[Row]


@dataclass
class Sheet:
    unit: Any
    year: int
    scope: Scope
    groups: list[Group]
    draft: UnitResult  # the verdicts of the values on screen (stored, or as typed)
    evaluation: Evaluation | None  # the stored evaluation, refreshed by every save
    errors: int = 0


def entry_sheet(
    *,
    unit: Any,
    year: int,
    scope: Scope,
    posted: EntryInput | None = None,
    conflicts: Mapping[str, Conflict] | None = None,
    extras: bool = True,
) -> Sheet:
    """The rows the user sees, with stored values, or with what they posted laid over them."""
    cset = scope.cset
    stored = value_rows(unit=unit, year=year, criteria_set=cset.id)
    values: dict[str, float | None] = {code: row.value for code, row in stored.items()}
    if posted is not None:
        values.update(posted.values)
        values.update(dict.fromkeys(posted.errors))
    draft = evaluate_unit(cset, scope.class_code, values)
    files = evidence_by_indicator(unit=unit, year=year, criteria_set=cset.id) if extras else {}
    notes = comments_by_indicator(unit=unit, year=year, criteria_set=cset.id) if extras else {}
    groups = []
    for criterion in cset.criteria:
        if criterion.code not in scope.visible:
            continue
        rows = [
            _row(ind, scope, draft, stored.get(ind.code), posted, conflicts or {})
            for ind in criterion.indicators
        ]
        for row in rows:
            row.files = files.get(row.indicator.code, [])
            row.comments = notes.get(row.indicator.code, [])
        groups.append(
            Group(criterion, dom_id("c", criterion.code), draft.criteria[criterion.code], rows)
        )
    evaluation = Evaluation.objects.filter(unit=unit, year=year).first()
    errors = len(posted.errors) if posted else 0
    return Sheet(unit, year, scope, groups, draft, evaluation, errors)


# Rows needing no work: the indicator meets its threshold, or does not apply to the commune.
SETTLED = ("met", "not_applicable")


def sheet_unsettled(sheet: Sheet) -> Sheet:
    """The sheet with only the rows still needing work (not met, missing a value or a threshold,
    mistyped, in conflict); criteria left with no row are dropped."""
    return _sheet_kept(sheet, _unsettled)


def sheet_of_codes(sheet: Sheet, codes: Collection[str]) -> Sheet:
    """The sheet with only the rows of these indicators (those a narrowed form shows)."""
    return _sheet_kept(sheet, lambda row: row.indicator.code in codes)


def _unsettled(row: Row) -> bool:
    return bool(row.error or row.conflict) or row.result.status not in SETTLED


def _sheet_kept(sheet: Sheet, keep: Callable[[Row], bool]) -> Sheet:
    groups = []
    for group in sheet.groups:
        rows = [row for row in group.rows if keep(row)]
        if rows:
            groups.append(replace(group, rows=rows))
    return replace(sheet, groups=groups)


def _row(
    ind: Indicator,
    scope: Scope,
    draft: UnitResult,
    stored: IndicatorValue | None,
    posted: EntryInput | None,
    conflicts: Mapping[str, Conflict],
) -> Row:
    shown = value_input(indicator=ind, value=stored.value if stored else None)
    row = Row(
        indicator=ind,
        dom=dom_id("i", ind.code),
        threshold=ind.threshold(scope.cset.primary_tier, scope.class_code),
        result=draft.indicators[ind.code],
        editable=ind.criterion in scope.editable,
        raw=shown,
        version=str(stored.version) if stored else "",
        original=shown,
        attachable=ind.criterion in scope.editable and not scope.locked,
        commentable=ind.criterion in scope.commentable and not scope.locked,
    )
    if posted is not None and ind.code in posted.raw:
        # Show back what was typed, and keep the state the form was opened in.
        row.raw = posted.raw[ind.code]
        row.error = posted.errors.get(ind.code, "")
        row.version = _text(posted.versions.get(ind.code))
        row.original = posted.originals.get(ind.code, "")
    conflict = conflicts.get(ind.code)
    if conflict is not None:
        # The user has now seen the value saved meanwhile: saving again is their decision.
        row.conflict = conflict
        row.conflict_shown = value_shown(indicator=ind, value=conflict.stored)
        row.conflict_input = value_input(indicator=ind, value=conflict.stored)
        row.version = str(stored.version) if stored else ""
        row.original = row.conflict_input
    return row


def _text(version: int | None) -> str:
    return "" if version is None else str(version)


def cell_row(*, unit: Any, year: int, scope: Scope, code: str) -> Row:
    """One indicator's row with its evidence files and comments (for fragments and the cell page)."""
    indicator = scope.cset.indicator(code)
    assert indicator is not None  # the views look the code up first
    stored = value_rows(unit=unit, year=year, criteria_set=scope.cset.id)
    draft = evaluate_unit(scope.cset, scope.class_code, {c: r.value for c, r in stored.items()})
    row = _row(indicator, scope, draft, stored.get(code), None, {})
    row.files = evidence_by_indicator(unit=unit, year=year, criteria_set=scope.cset.id).get(
        code, []
    )
    row.comments = comments_by_indicator(unit=unit, year=year, criteria_set=scope.cset.id).get(
        code, []
    )
    return row


@dataclass(frozen=True)
class Change:
    at: Any
    who: str
    before: str
    after: str
    origin: str


def cell_history(*, unit: Any, year: int, scope: Scope, code: str) -> list[Change]:
    """Every change of one value, newest first: who, when, before -> after, from where."""
    indicator = scope.cset.indicator(code)
    assert indicator is not None
    events = value_history(unit=unit, year=year, criteria_set=scope.cset.id, indicator=code)
    return [
        Change(
            at=event.at,
            who=event.actor_name,
            before=value_shown(indicator=indicator, value=(event.before or {}).get("value")),
            after=value_shown(indicator=indicator, value=(event.after or {}).get("value")),
            origin=" · ".join(p for p in (event.get_origin_display(), event.origin_detail) if p),
        )
        for event in events
    ]
