"""Reads of the recognition workflow: the value lock, a dossier's page, the to-do list."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from ntm.accounts import access
from ntm.accounts.models import Role
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import all_sets, get_any_set, set_in_force
from ntm.indicators.models import Evaluation
from ntm.units.models import Unit
from ntm.units.selectors import unit_sort_key, unit_valid_in
from ntm.workflow.models import (
    STAGE_DONE,
    CriterionAppraisal,
    Decision,
    Dossier,
    Status,
    Transition,
    Verdict,
)
from ntm.workflow.stages import NoProcedureError, Stage, codes_for_role, procedure_for_set


def dossier_locking(*, unit: Any, year: int) -> Dossier | None:
    """The dossier that locks this commune-year's values, if any (see dossier_locks_values)."""
    live = Dossier.objects.filter(unit=unit, year=year).exclude(status=Status.REVOKED)
    for dossier in live:
        if dossier.status == Status.RECOGNISED:
            return dossier
        stage = dossier.stage
        if stage is not None and not stage.edits_values:
            return dossier
    return None


def dossier_locks_values(*, unit: Any, year: int) -> bool:
    """True while a dossier of the unit-year is under review or recognised: values are frozen.

    Open again only when the dossier is returned to self-assessment (a stage with
    `edits_values`) or its recognition is revoked. One query.
    """
    return dossier_locking(unit=unit, year=year) is not None


def dossier_visible(*, user: Any, dossier_id: int) -> Dossier | None:
    """The dossier, if the user may see it (None otherwise: the page answers 404)."""
    dossier = (
        Dossier.objects.select_related("unit__parent__parent__parent").filter(pk=dossier_id).first()
    )
    if dossier is None or not access.can_view_dossier(user, dossier):
        return None
    return dossier


ENGINE_LABELS = {"met": _("Đạt"), "not_met": _("Chưa đạt"), "missing": _("Thiếu dữ liệu")}

# Texts of ntm.workflow.stages (a module kept free of Django) that the pages translate when
# they show them: the role names and the default button label. Stage names, notes and the
# button labels of the stage files are data and stay as written.
STAGE_TEXTS = (
    gettext_noop("Ban quản lý xã"),
    gettext_noop("Cấp huyện"),
    gettext_noop("Sở, ngành phụ trách tiêu chí"),
    gettext_noop("Văn phòng điều phối tỉnh"),
    gettext_noop("Chuyển bước tiếp theo"),
)


@dataclass
class StageRow:
    code: str
    name: str
    role_name: str
    state: str  # done, current, todo
    note: str


@dataclass
class CriterionRow:
    code: str
    name: str
    engine: str  # met, not_met, missing or "" without an evaluation
    current: CriterionAppraisal | None
    history: list[CriterionAppraisal]
    can_appraise: bool

    @property
    def engine_label(self) -> str:
        return str(ENGINE_LABELS.get(self.engine, self.engine))


@dataclass
class DossierPage:
    dossier: Dossier
    stage: Stage | None
    stages: list[StageRow]
    transitions: list[Transition]
    criteria: list[CriterionRow]
    decisions: list[Decision]
    evaluation: Evaluation | None
    names: dict[str, str]
    complete: bool = False
    sees_all: bool = True  # every criterion shown: the overall result may be shown too
    can_advance: bool = False
    can_return: bool = False
    return_targets: list[StageRow] = field(default_factory=list)
    can_decide: bool = False
    can_revoke: bool = False
    appraisable: list[CriterionRow] = field(default_factory=list)
    # The stage file's `confirmed: false`: the order of the stages lacks a confirmed text.
    procedure_confirmed: bool = True
    procedure_basis: str = ""


def _stage_rows(dossier: Dossier) -> list[StageRow]:
    procedure = procedure_for_set(dossier.criteria_set)
    rows = []
    for n, code in enumerate(dossier.stages):
        stage = procedure.stage(code)
        if n < dossier.stage_index:
            state = "done"
        elif n == dossier.stage_index and dossier.status != Status.REVOKED:
            state = "current"
        else:
            state = "todo"
        rows.append(
            StageRow(
                code=code,
                name=stage.name if stage else code,
                role_name=gettext(stage.role_name) if stage else "",
                state=state,
                note=stage.note if stage else "",
            )
        )
    return rows


def _stage_names(dossier: Dossier) -> dict[str, str]:
    procedure = procedure_for_set(dossier.criteria_set)
    names = {s.code: s.name for s in procedure.stages}
    return {**names, STAGE_DONE: gettext("Hoàn tất"), "": "—"}


def dossier_page(*, user: Any, dossier: Dossier) -> DossierPage:
    """Everything the dossier page shows, and the actions this user may take on it."""
    cset = get_any_set(dossier.criteria_set)
    appraisals = list(dossier.appraisals.select_related("appraiser"))
    evaluation = Evaluation.objects.filter(
        unit=dossier.unit, year=dossier.year, criteria_set=dossier.criteria_set
    ).first()
    stage = dossier.stage
    open_ = stage is not None and dossier.status != Status.REVOKED
    at_appraisal = open_ and stage is not None and stage.kind == "appraisal"
    criteria = [
        CriterionRow(
            code=crit.code,
            name=crit.name,
            engine=(evaluation.criteria.get(crit.code, "") if evaluation else ""),
            current=next(
                (a for a in reversed(appraisals) if a.criterion == crit.code and not a.superseded),
                None,
            ),
            history=[a for a in appraisals if a.criterion == crit.code and a.superseded],
            can_appraise=at_appraisal and access.can_appraise(user, dossier, crit.code),
        )
        for crit in cset.criteria
        # A department sees the verdicts of its own criteria of the set only.
        if access.can_view_criterion(user, dossier.unit, crit.code, set_id=dossier.criteria_set)
    ]
    stages = _stage_rows(dossier)
    page = DossierPage(
        dossier=dossier,
        stage=stage,
        stages=stages,
        transitions=list(dossier.transitions.select_related("actor")),
        criteria=criteria,
        decisions=list(dossier.decisions.select_related("actor")),
        evaluation=evaluation,
        names=_stage_names(dossier),
        complete=dossier.current_stage == STAGE_DONE,
        sees_all=len(criteria) == len(cset.criteria),
    )
    procedure = procedure_for_set(dossier.criteria_set)
    page.procedure_confirmed = procedure.confirmed
    page.procedure_basis = procedure.sources.get(dossier.criteria_set, "")
    acts = open_ and access.can_act_on_stage(user, dossier)
    kind = stage.kind if stage else ""
    page.can_advance = acts and kind == "step"  # appraisal ends by itself, decision by a form
    page.can_decide = acts and kind == "decision"
    returns = open_ and access.can_return(user, dossier)
    page.can_return = returns and dossier.status != Status.RECOGNISED and dossier.stage_index > 0
    page.return_targets = stages[: dossier.stage_index] if page.can_return else []
    page.can_revoke = dossier.status == Status.RECOGNISED and access.can_revoke(user, dossier)
    page.appraisable = [row for row in criteria if row.can_appraise]
    return page


@dataclass
class WaitingRow:
    dossier: Dossier
    stage: Stage
    criteria: list[str]  # for a department: its criteria still to appraise
    not_met: list[str] = field(default_factory=list)  # for the province: at the appraisal


def _scoped(user: Any) -> QuerySet[Dossier]:
    return (
        Dossier.objects.filter(access.scope_filter(user, "unit"))
        .exclude(status=Status.REVOKED)
        .select_related("unit__parent__parent__parent")
    )


def dossiers_waiting(*, user: Any) -> list[WaitingRow]:
    """Dossiers whose current stage is this user's to act on, oldest first.

    For a department: dossiers at the appraisal stage with some of its criteria not yet
    appraised. For the province's office: also dossiers at the appraisal stage with a criterion
    appraised "không đạt", which the office decides to return (access.can_return). Three
    queries whatever the number of dossiers.
    """
    m = access.membership(user)
    if m is None or m.role not in (Role.COMMUNE, Role.DISTRICT, Role.DEPARTMENT, Role.PROVINCE):
        return []
    role = m.role
    wanted = Q(current_stage__in=codes_for_role(role))
    if role == Role.PROVINCE:
        wanted |= Q(
            current_stage__in=codes_for_role(Role.DEPARTMENT),
            appraisals__superseded=False,
            appraisals__verdict=Verdict.KHONG_DAT,
        )
    candidates = _scoped(user).filter(wanted).distinct().order_by("id")
    if role in (Role.DEPARTMENT, Role.PROVINCE):
        candidates = candidates.prefetch_related("appraisals")
    sets = all_sets() if role == Role.DEPARTMENT else {}  # once, not once per dossier
    rows = []
    for dossier in candidates:
        stage = dossier.stage
        if stage is None:
            continue
        if role == Role.PROVINCE and stage.kind == "appraisal":
            current = [a for a in dossier.appraisals.all() if not a.superseded]
            refused = {a.criterion for a in current if a.verdict == Verdict.KHONG_DAT}
            failed = [code for code in dossier.criterion_codes if code in refused]
            if failed:
                rows.append(WaitingRow(dossier=dossier, stage=stage, criteria=[], not_met=failed))
            continue
        if stage.role != role:
            continue
        todo: list[str] = []
        if role == Role.DEPARTMENT:
            done = {a.criterion for a in dossier.appraisals.all() if not a.superseded}
            codes = [c.code for c in sets[dossier.criteria_set].criteria]
            mine = set(m.criteria_in(dossier.criteria_set))  # codes differ between sets
            todo = [c for c in codes if c in mine and c not in done]
            if not todo:
                continue
        rows.append(WaitingRow(dossier=dossier, stage=stage, criteria=todo))
    return rows


def unit_dossiers(*, user: Any, unit: Unit) -> list[Dossier]:
    """Dossiers of the unit and the units below it that the user may see, newest year first."""
    below = Q(unit=unit) | Q(unit__parent=unit) | Q(unit__parent__parent=unit)
    dossiers = (
        Dossier.objects.filter(below)
        .filter(access.scope_filter(user, "unit"))
        .select_related("unit")
    )
    return sorted(dossiers, key=lambda d: (-d.year, unit_sort_key(d.unit), d.id))


def dossier_open_years(*, unit: Unit) -> list[int]:
    """This year and years with an evaluation, without a live dossier: candidates to open."""
    evaluated = set(Evaluation.objects.filter(unit=unit).values_list("year", flat=True))
    evaluated.add(timezone.localdate().year)
    live = set(
        Dossier.objects.filter(unit=unit)
        .exclude(status=Status.REVOKED)
        .values_list("year", flat=True)
    )
    candidates = sorted(evaluated - live, reverse=True)
    return [y for y in candidates if unit_exists_in(unit=unit, year=y) and _has_procedure(y)]


def unit_exists_in(*, unit: Unit, year: int) -> bool:
    """The unit is in force on the day its year is judged (ntm.units.selectors.judged_on):
    2025 dossiers belong to the communes of 1/7/2025, not to those they replaced."""
    return unit_valid_in(unit=unit, year=year)


def _has_procedure(year: int) -> bool:
    try:
        procedure_for_set(set_in_force(year=year).id)
    except (UnknownCriteriaSetError, NoProcedureError):
        return False
    return True
