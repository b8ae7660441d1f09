"""Recognition dossiers: read as the dossier page shows them, moved by the page's services.

Access as on the pages: a dossier or unit the caller may not see answers 404, an action the
caller's role may not take 403. A request missing what the action needs (a reason, a decision's
number, date and signer) is a 400 before anything runs; an action the dossier's current state
refuses (ntm.workflow.services.WorkflowError: wrong stage, closed, already open) is a 409 with
the service's sentence. Opening for a commune whose data falls short asks for `"confirm": true`
first (409 with the warning), as the page asks its board to confirm.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.api.common import unit_of, year_param
from ntm.core.years import FIRST_YEAR, LAST_YEAR
from ntm.workflow import selectors, services
from ntm.workflow.models import Dossier, Verdict
from ntm.workflow.open_warning import dossier_open_reason, dossier_open_warning

REFUSED = "Bạn không có quyền thực hiện thao tác này với hồ sơ."


def _user_name(user: Any) -> str | None:
    return user.get_username() if user is not None else None


def dossier_summary(dossier: Dossier) -> dict[str, Any]:
    stage = dossier.stage
    return {
        "id": dossier.pk,
        "unit_code": dossier.unit.code,
        "unit_name": dossier.unit.name,
        "year": dossier.year,
        "criteria_set": dossier.criteria_set,
        "tier": dossier.tier,
        "status": dossier.status,
        "status_label": str(dossier.get_status_display()),
        "current_stage": dossier.current_stage,
        "current_stage_name": stage.name if stage else "",
    }


def _appraisal(a: Any) -> dict[str, Any] | None:
    if a is None:
        return None
    return {"verdict": a.verdict, "note": a.note, "by": _user_name(a.appraiser), "at": a.at}


def dossier_detail(page: selectors.DossierPage) -> dict[str, Any]:
    """The dossier page as JSON: a department gets its own criteria and no overall result."""
    e = page.evaluation
    evaluation = None
    if e is not None and page.sees_all:
        evaluation = {
            "criteria_met": e.criteria_met,
            "criteria_total": e.criteria_total,
            "criteria_missing": e.criteria_missing,
            "meets_standard": e.meets_standard,
        }
    return {
        **dossier_summary(page.dossier),
        "complete": page.complete,
        "procedure_confirmed": page.procedure_confirmed,
        "stages": [
            {"code": s.code, "name": s.name, "role": s.role_name, "state": s.state}
            for s in page.stages
        ],
        "transitions": [
            {
                "kind": t.kind,
                "from_stage": t.from_stage,
                "to_stage": t.to_stage,
                "by": _user_name(t.actor),
                "at": t.at,
                "reason": t.reason,
            }
            for t in page.transitions
        ],
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "engine": c.engine,
                "appraisal": _appraisal(c.current),
                "history": [_appraisal(a) for a in c.history],
            }
            for c in page.criteria
        ],
        "decisions": [
            {
                "kind": d.kind,
                "number": d.number,
                "date": d.date,
                "signer": d.signer,
                "reason": d.reason,
                "at": d.at,
            }
            for d in page.decisions
        ],
        "evaluation": evaluation,
        "actions": {
            "advance": page.can_advance,
            "return_to": [s.code for s in page.return_targets],
            "appraise": [c.code for c in page.appraisable],
            "recognise": page.can_decide,
            "revoke": page.can_revoke,
        },
    }


def _visible(request: Request, dossier_id: int) -> Dossier:
    dossier = selectors.dossier_visible(user=request.user, dossier_id=dossier_id)
    if dossier is None:
        raise NotFound("Không tìm thấy hồ sơ trong phạm vi của bạn.")
    return dossier


def _detail_response(request: Request, dossier_id: int, code: int = 200) -> Response:
    page = selectors.dossier_page(user=request.user, dossier=_visible(request, dossier_id))
    return Response(dossier_detail(page), status=code)


def _run(request: Request, action: Callable[[], object]) -> Response | None:
    """Run a service in a transaction: None when done, else the refusal's answer."""
    try:
        with transaction.atomic():
            action()
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(REFUSED) from exc
    except services.WorkflowError as exc:  # rolled back: the dossier is as it was
        return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
    return None


def _origin(request: Request) -> dict[str, str]:
    return {"origin": "api", "origin_detail": request.path}


# --- input ----------------------------------------------------------------------------------

_STAGE = serializers.CharField(
    max_length=40,
    required=False,
    allow_blank=True,
    default="",
    help_text="bước hiện tại khi đọc; khác bước hiện tại thì bị từ chối (409)",
)


def _reason(what: str, *, required: bool) -> serializers.CharField:
    return serializers.CharField(
        max_length=4000,
        required=required,
        allow_blank=not required,
        default="" if not required else serializers.empty,
        error_messages={"required": what, "blank": what},
    )


class AdvanceIn(serializers.Serializer[Any]):
    stage = _STAGE
    reason = _reason("", required=False)


class ReturnIn(serializers.Serializer[Any]):
    stage = _STAGE
    to_stage = serializers.CharField(
        max_length=40, error_messages={"required": "Chọn bước trả về (to_stage)."}
    )
    reason = _reason("Phải nêu lý do trả lại hồ sơ.", required=True)


class AppraiseIn(serializers.Serializer[Any]):
    criterion = serializers.CharField(
        max_length=20, error_messages={"required": "Cần mã tiêu chí (criterion)."}
    )
    verdict = serializers.ChoiceField(
        choices=Verdict.values,
        error_messages={"invalid_choice": "Kết quả thẩm định phải là dat hoặc khong_dat."},
    )
    note = _reason("", required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["verdict"] == Verdict.KHONG_DAT and not attrs["note"].strip():
            raise serializers.ValidationError({"note": "Phải ghi ý kiến khi thẩm định không đạt."})
        return attrs


class DecisionIn(serializers.Serializer[Any]):
    stage = _STAGE
    number = serializers.CharField(
        max_length=60, error_messages={"required": "Thiếu số quyết định."}
    )
    date = serializers.DateField(
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],  # ISO, or as the page's form takes it
        error_messages={"invalid": "Ngày quyết định không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)."},
    )
    signer = serializers.CharField(
        max_length=150, error_messages={"required": "Thiếu người ký quyết định."}
    )

    def validate_date(self, value: Any) -> Any:
        if value > timezone.localdate():
            raise serializers.ValidationError("Ngày quyết định không được sau hôm nay.")
        return value


class RevokeIn(DecisionIn):
    reason = _reason("Phải nêu lý do thu hồi công nhận.", required=True)


class OpenIn(serializers.Serializer[Any]):
    unit = serializers.CharField(max_length=16, help_text="mã xã")
    year = serializers.IntegerField(
        min_value=FIRST_YEAR,
        max_value=LAST_YEAR,
        error_messages={
            "invalid": f"Năm phải là một số ({FIRST_YEAR}-{LAST_YEAR}).",
            "min_value": f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.",
            "max_value": f"Năm phải từ {FIRST_YEAR} đến {LAST_YEAR}.",
        },
    )
    confirm = serializers.BooleanField(
        required=False,
        default=False,
        help_text="xác nhận lập hồ sơ khi số liệu của xã chưa đạt chuẩn (trang web cũng hỏi)",
    )


def _valid(serializer_class: type[serializers.Serializer[Any]], request: Request) -> Any:
    data = serializer_class(data=request.data)
    data.is_valid(raise_exception=True)
    return data.validated_data


# --- views ----------------------------------------------------------------------------------


class DossierList(APIView):
    """Dossiers of the unit and the units below it for the year, those the caller may see."""

    @extend_schema(
        operation_id="dossiers_list",
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã tỉnh, huyện hoặc xã"),
            OpenApiParameter("year", int, required=True),
            OpenApiParameter("limit", int),
            OpenApiParameter("offset", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, request.query_params.get("unit", ""), year)
        rows = [d for d in selectors.unit_dossiers(user=request.user, unit=unit) if d.year == year]
        pager = LimitOffsetPagination()
        page = pager.paginate_queryset(rows, request, view=self) or []
        return pager.get_paginated_response([dossier_summary(d) for d in page])

    @extend_schema(operation_id="dossiers_open", request=OpenIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = _valid(OpenIn, request)
        year = data["year"]
        unit = unit_of(request, data["unit"], year)
        opened: list[Dossier] = []

        def run() -> None:
            services.dossier_open_check(actor=request.user, unit=unit, year=year)
            warning = dossier_open_warning(unit=unit, year=year)
            if warning is not None and not data["confirm"]:
                raise _ConfirmFirst(warning)
            reason = dossier_open_reason(warning=warning) if warning is not None else ""
            opened.append(
                services.dossier_open(
                    actor=request.user, unit=unit, year=year, reason=reason, **_origin(request)
                )
            )

        try:
            refused = _run(request, run)
        except _ConfirmFirst as ask:
            return Response(ask.body(unit.name, year), status=status.HTTP_409_CONFLICT)
        return refused or _detail_response(request, opened[0].pk, status.HTTP_201_CREATED)


class _ConfirmFirst(Exception):
    def __init__(self, warning: Any) -> None:
        self.warning = warning

    def body(self, name: str, year: int) -> dict[str, Any]:
        w, e = self.warning, self.warning.evaluation
        result = "chưa có kết quả đánh giá"
        if e is not None:
            result = f"đạt {e.criteria_met}/{e.criteria_total} tiêu chí theo số liệu"
        return {
            "detail": f'{name} năm {year} {result}: gửi lại với "confirm": true để lập hồ sơ.',
            "confirm_required": True,
            "not_met": [c.code for c in w.not_met],
            "missing": [c.code for c in w.missing],
        }


class DossierDetail(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, dossier_id: int) -> Response:
        return _detail_response(request, dossier_id)


def _expected(data: dict[str, Any]) -> str | None:
    return data.get("stage") or None


class DossierAdvance(APIView):
    @extend_schema(request=AdvanceIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, dossier_id: int) -> Response:
        dossier = _visible(request, dossier_id)
        data = _valid(AdvanceIn, request)
        refused = _run(
            request,
            lambda: services.dossier_advance(
                actor=request.user,
                dossier=dossier,
                reason=data["reason"],
                expected_stage=_expected(data),
                **_origin(request),
            ),
        )
        return refused or _detail_response(request, dossier_id)


class DossierReturn(APIView):
    @extend_schema(request=ReturnIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, dossier_id: int) -> Response:
        dossier = _visible(request, dossier_id)
        data = _valid(ReturnIn, request)
        refused = _run(
            request,
            lambda: services.dossier_return(
                actor=request.user,
                dossier=dossier,
                to_stage=data["to_stage"],
                reason=data["reason"],
                expected_stage=_expected(data),
                **_origin(request),
            ),
        )
        return refused or _detail_response(request, dossier_id)


class DossierAppraise(APIView):
    @extend_schema(request=AppraiseIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, dossier_id: int) -> Response:
        dossier = _visible(request, dossier_id)
        data = _valid(AppraiseIn, request)
        refused = _run(
            request,
            lambda: services.appraisal_record(
                actor=request.user,
                dossier=dossier,
                criterion=data["criterion"],
                verdict=data["verdict"],
                note=data["note"],
                **_origin(request),
            ),
        )
        return refused or _detail_response(request, dossier_id)


class DossierRecognise(APIView):
    @extend_schema(request=DecisionIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, dossier_id: int) -> Response:
        dossier = _visible(request, dossier_id)
        data = _valid(DecisionIn, request)
        refused = _run(
            request,
            lambda: services.dossier_recognise(
                actor=request.user,
                dossier=dossier,
                number=data["number"],
                date=data["date"],
                signer=data["signer"],
                expected_stage=_expected(data),
                **_origin(request),
            ),
        )
        return refused or _detail_response(request, dossier_id)


class DossierRevoke(APIView):
    @extend_schema(request=RevokeIn, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request, dossier_id: int) -> Response:
        dossier = _visible(request, dossier_id)
        data = _valid(RevokeIn, request)
        refused = _run(
            request,
            lambda: services.dossier_revoke(
                actor=request.user,
                dossier=dossier,
                number=data["number"],
                date=data["date"],
                signer=data["signer"],
                reason=data["reason"],
                **_origin(request),
            ),
        )
        return refused or _detail_response(request, dossier_id)
