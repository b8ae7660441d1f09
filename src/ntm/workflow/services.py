"""Writes of the recognition workflow: each atomic, access-checked and audited.

Every function locks the dossier row first (two reviewers clicking at once move it once), then
asks ntm.accounts.access who may act (PermissionDenied otherwise), then checks the stage rules
(WorkflowError, a Vietnamese sentence naming the commune and year). `expected_stage`, sent by
the page's forms, refuses an action taken on a page that is no longer current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from ntm.accounts import access
from ntm.audit.services import audit_record
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.selectors import set_in_force
from ntm.units.models import Unit
from ntm.workflow.models import (
    STAGE_DONE,
    CriterionAppraisal,
    Decision,
    Dossier,
    Status,
    Transition,
    Verdict,
)
from ntm.workflow.selectors import unit_exists_in
from ntm.workflow.stages import NoProcedureError, procedure_for_set


class WorkflowError(ValueError):
    """An action the stage rules refuse, explained in the user's language (Vietnamese first)."""


def _where(dossier: Dossier) -> str:
    return gettext("Hồ sơ %(unit)s năm %(year)s") % {
        "unit": dossier.unit.name,
        "year": dossier.year,
    }


def _refusal(dossier: Dossier, message: str, **values: Any) -> WorkflowError:
    """A WorkflowError from a translated message naming the dossier as %(dossier)s."""
    return WorkflowError(message % {"dossier": _where(dossier), **values})


def _state(dossier: Dossier) -> dict[str, str]:
    return {"stage": dossier.current_stage, "status": dossier.status}


def _locked(dossier: Dossier, expected_stage: str | None) -> Dossier:
    fresh = (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("unit__parent__parent")
        .get(pk=dossier.pk)
    )
    if expected_stage is not None and expected_stage != fresh.current_stage:
        stage = fresh.stage
        now = stage.name if stage else gettext("đã hoàn tất")
        raise _refusal(
            fresh,
            gettext("%(dossier)s đã chuyển sang bước khác (%(stage)s); vui lòng tải lại trang."),
            stage=now,
        )
    return fresh


def _audit(
    *, actor: Any, action: str, dossier: Dossier, before: Any, after: Any, origin: str, detail: str
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="dossier",
        object_id=dossier.pk,
        unit=dossier.unit,
        year=dossier.year,
        before=before,
        after=after,
        origin=origin,
        origin_detail=detail,
    )


def _move(
    *,
    actor: Any,
    dossier: Dossier,
    to_stage: str,
    kind: str,
    status: str,
    reason: str,
    origin: str,
    detail: str,
) -> Transition:
    before = _state(dossier)
    transition = Transition.objects.create(
        dossier=dossier,
        from_stage=dossier.current_stage,
        to_stage=to_stage,
        kind=kind,
        actor=actor,
        reason=reason,
    )
    dossier.current_stage, dossier.status = to_stage, status
    dossier.save(update_fields=["current_stage", "status", "updated_at"])
    after = {**_state(dossier), "reason": reason} if reason else _state(dossier)
    _audit(
        actor=actor,
        action=f"dossier.{kind}",
        dossier=dossier,
        before=before,
        after=after,
        origin=origin,
        detail=detail,
    )
    return transition


def _next_stage(dossier: Dossier) -> str:
    index = dossier.stage_index
    return dossier.stages[index + 1] if index + 1 < len(dossier.stages) else STAGE_DONE


def _refuse_closed(dossier: Dossier) -> None:
    if dossier.status == Status.REVOKED:
        raise _refusal(dossier, gettext("%(dossier)s đã bị thu hồi công nhận."))
    if dossier.current_stage == STAGE_DONE:
        raise _refusal(dossier, gettext("%(dossier)s đã hoàn tất quy trình."))


def _missing_appraisals(dossier: Dossier) -> list[str]:
    """Criteria of the set without a current "đạt" appraisal."""
    passed = set(
        dossier.appraisals.filter(superseded=False, verdict=Verdict.DAT).values_list(
            "criterion", flat=True
        )
    )
    return [code for code in dossier.criterion_codes if code not in passed]


def dossier_open_check(*, actor: Any, unit: Unit, year: int, tier: str = "ntm") -> CriteriaSet:
    """The set the dossier would be judged by; PermissionDenied or WorkflowError (why not) if
    the actor may not open it now. Run again by dossier_open under the unit's lock; the page
    runs it first, so that a refusal is said before any warning about the commune's data."""
    if not access.can_open_dossier(actor, unit):
        raise PermissionDenied
    where = {"unit": unit.name, "year": year}
    if year > timezone.localdate().year:
        raise WorkflowError(
            gettext("Chưa thể lập hồ sơ %(unit)s năm %(year)s: năm chưa đến.") % where
        )
    if not unit_exists_in(unit=unit, year=year):
        raise WorkflowError(
            gettext("%(unit)s không tồn tại trong năm %(year)s; không thể lập hồ sơ.") % where
        )
    try:
        cset = set_in_force(year=year)
        procedure_for_set(cset.id)
    except (UnknownCriteriaSetError, NoProcedureError) as exc:
        raise WorkflowError(
            gettext("Không thể lập hồ sơ %(unit)s năm %(year)s: %(reason)s.")
            % {**where, "reason": exc}
        ) from None
    if tier not in {t.code for t in cset.tiers}:
        raise WorkflowError(
            gettext("Bộ tiêu chí %(set)s không có mức '%(tier)s' (%(unit)s năm %(year)s).")
            % {**where, "set": cset.id, "tier": tier}
        )
    live = Dossier.objects.filter(unit=unit, year=year, tier=tier).exclude(status=Status.REVOKED)
    if live.exists():
        raise WorkflowError(gettext("%(unit)s đã có hồ sơ năm %(year)s đang xử lý.") % where)
    return cset


@transaction.atomic
def dossier_open(
    *,
    actor: Any,
    unit: Unit,
    year: int,
    tier: str = "ntm",
    reason: str = "",
    origin: str = "page",
    origin_detail: str = "",
) -> Dossier:
    """The commune's board opens its dossier for a year, under the set in force that year.

    ``reason``: recorded on the opening step, e.g. that the board confirmed opening it for a
    commune whose data does not meet the standard yet."""
    if not access.can_open_dossier(actor, unit):
        raise PermissionDenied
    unit = Unit.objects.select_for_update(of=("self",)).select_related("parent").get(pk=unit.pk)
    cset = dossier_open_check(actor=actor, unit=unit, year=year, tier=tier)
    procedure = procedure_for_set(cset.id)
    has_district = unit.parent is not None and unit.parent.level == "district"
    plan = procedure.plan(has_district=has_district)
    dossier = Dossier.objects.create(
        unit=unit,
        year=year,
        criteria_set=cset.id,
        tier=tier,
        stages=list(plan),
        current_stage="",
        status=Status.DRAFT,
        created_by=actor,
    )
    _move(
        actor=actor,
        dossier=dossier,
        to_stage=plan[0],
        kind=Transition.Kind.OPEN,
        status=Status.DRAFT,
        reason=reason,
        origin=origin,
        detail=origin_detail,
    )
    return dossier


@transaction.atomic
def dossier_advance(
    *,
    actor: Any,
    dossier: Dossier,
    reason: str = "",
    expected_stage: str | None = None,
    origin: str = "page",
    origin_detail: str = "",
) -> Dossier:
    """The current stage's role moves the dossier to the next stage of its plan."""
    dossier = _locked(dossier, expected_stage)
    if not access.can_act_on_stage(actor, dossier):
        raise PermissionDenied
    _refuse_closed(dossier)
    stage = dossier.stage
    assert stage is not None  # _refuse_closed and current_role rule out the other cases
    if stage.kind == "decision":
        raise _refusal(
            dossier,
            gettext(
                "%(dossier)s: bước này chỉ kết thúc khi ghi quyết định công nhận "
                "(số, ngày, người ký)."
            ),
        )
    if stage.kind == "appraisal":
        missing = _missing_appraisals(dossier)
        if missing:
            raise _refusal(
                dossier,
                gettext("%(dossier)s: các tiêu chí %(codes)s chưa được thẩm định đạt."),
                codes=", ".join(missing),
            )
    status = dossier.status if dossier.status == Status.RECOGNISED else Status.IN_REVIEW
    _move(
        actor=actor,
        dossier=dossier,
        to_stage=_next_stage(dossier),
        kind=Transition.Kind.ADVANCE,
        status=status,
        reason=reason.strip(),
        origin=origin,
        detail=origin_detail,
    )
    return dossier


@transaction.atomic
def dossier_return(
    *,
    actor: Any,
    dossier: Dossier,
    to_stage: str,
    reason: str,
    expected_stage: str | None = None,
    origin: str = "page",
    origin_detail: str = "",
) -> Dossier:
    """Send the dossier back to an earlier stage, with a reason; values reopen at self-assessment.

    Who returns: access.can_return (a department never does; at the appraisal stage, the
    province's coordination office does, reading the departments' "không đạt" reasons).

    Returning to (or before) the appraisal stage supersedes the appraisals: the figures they
    judged may change, so every criterion is appraised again.
    """
    dossier = _locked(dossier, expected_stage)
    if not access.can_return(actor, dossier):
        raise PermissionDenied
    _refuse_closed(dossier)
    if dossier.status == Status.RECOGNISED:
        raise _refusal(
            dossier,
            gettext("%(dossier)s đã được công nhận: chỉ có thể thu hồi quyết định, không trả lại."),
        )
    reason = reason.strip()
    if not reason:
        raise _refusal(dossier, gettext("%(dossier)s: phải nêu lý do trả lại hồ sơ."))
    codes = list(dossier.stages)
    if to_stage not in codes or codes.index(to_stage) >= dossier.stage_index:
        raise _refusal(
            dossier, gettext("%(dossier)s: chỉ được trả về một bước trước bước hiện tại.")
        )
    target = codes.index(to_stage)
    appraisal_at = [n for n, code in enumerate(codes) if _kind(dossier, code) == "appraisal"]
    if appraisal_at and target <= appraisal_at[0]:
        dossier.appraisals.filter(superseded=False).update(superseded=True)
    _move(
        actor=actor,
        dossier=dossier,
        to_stage=to_stage,
        kind=Transition.Kind.RETURN,
        status=Status.RETURNED,
        reason=reason,
        origin=origin,
        detail=origin_detail,
    )
    return dossier


def _kind(dossier: Dossier, code: str) -> str:
    stage = procedure_for_set(dossier.criteria_set).stage(code)
    return stage.kind if stage else ""


@transaction.atomic
def appraisal_record(
    *,
    actor: Any,
    dossier: Dossier,
    criterion: str,
    verdict: str,
    note: str = "",
    origin: str = "page",
    origin_detail: str = "",
) -> CriterionAppraisal:
    """A department's verdict on one of its criteria; the last "đạt" ends the appraisal stage."""
    dossier = _locked(dossier, None)
    if not access.can_appraise(actor, dossier, criterion):
        raise PermissionDenied
    _refuse_closed(dossier)
    stage = dossier.stage
    if stage is None or stage.kind != "appraisal":
        raise _refusal(dossier, gettext("%(dossier)s không ở bước thẩm định tiêu chí."))
    if criterion not in dossier.criterion_codes:
        raise _refusal(
            dossier,
            gettext("%(dossier)s: bộ %(set)s không có tiêu chí '%(criterion)s'."),
            set=dossier.criteria_set,
            criterion=criterion,
        )
    if verdict not in Verdict.values:
        raise _refusal(
            dossier, gettext("%(dossier)s: kết quả thẩm định phải là Đạt hoặc Không đạt.")
        )
    if verdict == Verdict.KHONG_DAT and not note.strip():
        raise _refusal(
            dossier,
            gettext(
                "%(dossier)s, tiêu chí %(criterion)s: phải ghi ý kiến khi thẩm định không đạt."
            ),
            criterion=criterion,
        )
    current = dossier.appraisals.filter(criterion=criterion, superseded=False)
    before = current.values_list("verdict", flat=True).first()
    current.update(superseded=True)
    appraisal = CriterionAppraisal.objects.create(
        dossier=dossier, criterion=criterion, appraiser=actor, verdict=verdict, note=note.strip()
    )
    _audit(
        actor=actor,
        action="appraisal.record",
        dossier=dossier,
        before={"stage": dossier.current_stage, "criterion": criterion, "verdict": before},
        after={"stage": dossier.current_stage, "criterion": criterion, "verdict": verdict},
        origin=origin,
        detail=origin_detail,
    )
    if not _missing_appraisals(dossier):
        _move(
            actor=actor,
            dossier=dossier,
            to_stage=_next_stage(dossier),
            kind=Transition.Kind.ADVANCE,
            status=Status.IN_REVIEW,
            reason=f"Cả {len(dossier.criterion_codes)} tiêu chí đã được thẩm định đạt.",
            origin=origin,
            detail=origin_detail,
        )
    return appraisal


def _decision_fields(dossier: Dossier, number: str, date: Any, signer: str) -> None:
    if not number.strip():
        raise _refusal(dossier, gettext("%(dossier)s: thiếu số quyết định."))
    if not signer.strip():
        raise _refusal(dossier, gettext("%(dossier)s: thiếu người ký quyết định."))
    if not isinstance(date, dt.date):
        raise _refusal(dossier, gettext("%(dossier)s: thiếu ngày quyết định."))
    if date > timezone.localdate():
        raise _refusal(dossier, gettext("%(dossier)s: ngày quyết định không được sau hôm nay."))


@transaction.atomic
def dossier_recognise(
    *,
    actor: Any,
    dossier: Dossier,
    number: str,
    date: dt.date,
    signer: str,
    expected_stage: str | None = None,
    origin: str = "page",
    origin_detail: str = "",
) -> Decision:
    """Record the recognition decision; the dossier moves on to the announcement."""
    dossier = _locked(dossier, expected_stage)
    if not access.can_act_on_stage(actor, dossier):
        raise PermissionDenied
    _refuse_closed(dossier)
    stage = dossier.stage
    if stage is None or stage.kind != "decision":
        raise _refusal(dossier, gettext("%(dossier)s chưa đến bước quyết định công nhận."))
    _decision_fields(dossier, number, date, signer)
    decision = Decision.objects.create(
        dossier=dossier,
        kind=Decision.Kind.RECOGNITION,
        number=number.strip(),
        date=date,
        signer=signer.strip(),
        actor=actor,
    )
    _move(
        actor=actor,
        dossier=dossier,
        to_stage=_next_stage(dossier),
        kind=Transition.Kind.DECIDE,
        status=Status.RECOGNISED,
        reason=f"Quyết định số {decision.number} ngày {date:%d/%m/%Y}, người ký {decision.signer}",
        origin=origin,
        detail=origin_detail,
    )
    return decision


@transaction.atomic
def dossier_revoke(
    *,
    actor: Any,
    dossier: Dossier,
    number: str,
    date: dt.date,
    signer: str,
    reason: str,
    origin: str = "page",
    origin_detail: str = "",
) -> Decision:
    """Record the revocation (thu hồi) of a recognition: number, date, signer and reason."""
    dossier = _locked(dossier, None)
    if not access.can_revoke(actor, dossier):
        raise PermissionDenied
    if dossier.status != Status.RECOGNISED:
        raise _refusal(dossier, gettext("%(dossier)s chưa được công nhận, không có gì để thu hồi."))
    reason = reason.strip()
    if not reason:
        raise _refusal(dossier, gettext("%(dossier)s: phải nêu lý do thu hồi công nhận."))
    _decision_fields(dossier, number, date, signer)
    decision = Decision.objects.create(
        dossier=dossier,
        kind=Decision.Kind.REVOCATION,
        number=number.strip(),
        date=date,
        signer=signer.strip(),
        reason=reason,
        actor=actor,
    )
    _move(
        actor=actor,
        dossier=dossier,
        to_stage=dossier.current_stage,
        kind=Transition.Kind.REVOKE,
        status=Status.REVOKED,
        reason=f"Quyết định thu hồi số {decision.number} ngày {date:%d/%m/%Y}: {reason}",
        origin=origin,
        detail=origin_detail,
    )
    return decision
