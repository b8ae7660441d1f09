"""DHIS2-compatible dataValueSets: read values in scope, import a body as the file import does.

GET is the file export's DHIS2 JSON (ntm.exchange.export) with DHIS2's lastUpdated; POST goes
through the file import's own pipeline (import_plan / import_commit): every cell is checked as
a file's cell (scope, criterion, dossier lock, value), the whole body is written in one
transaction or nothing is, and every changed value is audited with origin "api". A body is
checked and written within the request, so it is bounded like a file the web imports at once
(NTM_IMPORT_SYNC_MAX_BYTES); larger sets go through the file import.
"""

from __future__ import annotations

import re
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, ParseError, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.accounts import access
from ntm.api.common import unit_of, year_param
from ntm.audit.models import Origin
from ntm.exchange import jobs
from ntm.exchange.export import ExportError, dhis2_values, export_collect, level_of_code
from ntm.exchange.services import (
    MAX_REPORT_ERRORS,
    ImportRefused,
    ImportSource,
    Plan,
    import_commit,
    import_plan,
    plan_report,
)
from ntm.exchange.verdicts import verdicts_planned
from ntm.spreadsheet import Problem

SOURCE_NAME = "API dataValueSets"
_PLACE = re.compile(r"^dataValues\[(\d+)\](?:\.(\w+))?$")
_FLAGS = {"true": True, "1": True, "false": False, "0": False, "": False}


class DataValueSerializer(serializers.Serializer[Any]):
    dataElement = serializers.CharField(help_text="mã chỉ tiêu (ví dụ 2.1)")
    period = serializers.CharField(required=False, help_text="năm, ví dụ 2020")
    orgUnit = serializers.CharField(required=False, help_text="mã xã hoặc thôn")
    value = serializers.CharField(help_text="giá trị; đạt/không: true/false hoặc 1/0")


class DataValueSetSerializer(serializers.Serializer[Any]):
    """For the OpenAPI document: the body is checked by the import pipeline, row by row."""

    period = serializers.CharField(required=False, help_text="năm cho các phần tử không ghi")
    orgUnit = serializers.CharField(required=False, help_text="đơn vị cho các phần tử không ghi")
    dataValues = serializers.ListField(child=DataValueSerializer())


def _flag(request: Request, name: str) -> bool:
    text = request.query_params.get(name, "").strip().lower()
    if text not in _FLAGS:
        raise ValidationError({name: f"Tham số {name} chỉ nhận true hoặc false."})
    return _FLAGS[text]


class DataValueSets(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("orgUnit", str, required=True, description="mã đơn vị"),
            OpenApiParameter("period", int, required=True, description="năm"),
            OpenApiParameter("children", bool, description="gồm các đơn vị trực thuộc"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = year_param(request, "period")
        assert year is not None
        children = _flag(request, "children")
        code = request.query_params.get("orgUnit", "").strip()
        if level_of_code(code) is None:  # checked before any query (a NUL is no SQL text)
            raise NotFound(f"Mã đơn vị «{code[:16]}» không đúng dạng.")
        unit = unit_of(request, code, year)
        try:
            data = export_collect(code=unit.code, years=[year], user=request.user)
        except ExportError as exc:
            raise NotFound(str(exc)) from exc
        if not children:  # DHIS2: without children=true, the unit's own values only
            data.values = [v for v in data.values if v.unit.pk == unit.pk]
            data.evaluations = [e for e in data.evaluations if e.unit_id == unit.pk]
        return Response({"dataValues": dhis2_values(data, last_updated=True)})

    @extend_schema(
        parameters=[
            OpenApiParameter("dryRun", bool, description="chỉ kiểm tra, không ghi gì"),
        ],
        request=DataValueSetSerializer,
        responses={
            200: OpenApiTypes.OBJECT,
            400: OpenApiResponse(description="thân yêu cầu không đọc được"),
            409: OpenApiResponse(OpenApiTypes.OBJECT, description="bị từ chối, không ghi gì"),
        },
    )
    def post(self, request: Request) -> Response:
        if not access.can_import_values(request.user):
            raise PermissionDenied("Tài khoản của bạn không có quyền nhập số liệu.")
        dry_run = _flag(request, "dryRun")
        body, count = _body(request)
        source = ImportSource(SOURCE_NAME, body)
        if dry_run:
            plan = import_plan(
                source=source,
                user=request.user,
                limits=jobs.import_limits(),
                max_values=jobs.max_values(),
            )
            return _dry_run(plan, count)
        try:
            plan = import_commit(
                source=source,
                user=request.user,
                limits=jobs.import_limits(),
                max_values=jobs.max_values(),
                origin=Origin.API,
            )
        except ImportRefused as exc:
            return _refused(exc.plan, count, dry_run=False)
        return Response(_summary(plan, dry_run=False))


def _body(request: Request) -> tuple[bytes, int]:
    """The raw body (what the audit's hash names) once it is known to be a strict JSON
    dataValueSets object no larger than a file imported within the request."""
    limit = jobs.sync_max_bytes()
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > limit:
        raise ValidationError(
            {
                "detail": f"Thân yêu cầu quá lớn ({length} byte, tối đa {limit} byte): "
                "hãy chia nhỏ hoặc nhập bằng tệp."
            }
        )
    raw = request.body
    if len(raw) > limit:
        raise ValidationError({"detail": f"Thân yêu cầu quá lớn (tối đa {limit} byte)."})
    try:
        data = request.data
    except ParseError:
        raise ValidationError(
            {"detail": "Thân yêu cầu không phải JSON hợp lệ (NaN, Infinity không được phép)."}
        ) from None
    values = data.get("dataValues") if isinstance(data, dict) else None
    if not isinstance(values, list):
        raise ValidationError(
            {"dataValues": "Cần một đối tượng dataValueSets có danh sách «dataValues»."}
        )
    return raw, len(values)


def _conflict(problem: Problem) -> dict[str, Any]:
    """A problem as a DHIS2 conflict (object, value) with its row, field and reason."""
    place = _PLACE.match(problem.column)
    row = int(place.group(1)) if place else problem.row
    field = (place.group(2) or "") if place else problem.column
    return {
        "object": problem.column or problem.unit,
        "value": problem.text(),
        "indexes": [row] if row is not None else [],
        "row": row,
        "field": field,
        "orgUnit": problem.unit,
        "dataElement": problem.indicator,
        "reason": problem.reason,
    }


def _summary(plan: Plan, *, dry_run: bool) -> dict[str, Any]:
    counts = plan.counts
    verb = "Kiểm tra xong, chưa ghi gì" if dry_run else "Đã ghi"
    return {
        "status": "SUCCESS",
        "description": (
            f"{verb}: thêm {counts['added']}, sửa {counts['changed']}, "
            f"giữ nguyên {counts['unchanged']} giá trị."
        ),
        "dryRun": dry_run,
        "importCount": {
            "imported": counts["added"],
            "updated": counts["changed"],
            "ignored": counts["unchanged"],
            "deleted": 0,
        },
        "conflicts": [],
        "notes": plan.notes,
    }


def _refused(plan: Plan, count: int, *, dry_run: bool) -> Response:
    body = {
        "status": "ERROR",
        "description": (
            f"Có {len(plan.problems)} lỗi: không ghi giá trị nào. Sửa các lỗi rồi gửi lại."
        ),
        "dryRun": dry_run,
        "importCount": {"imported": 0, "updated": 0, "ignored": count, "deleted": 0},
        "conflicts": [_conflict(p) for p in plan.problems[:MAX_REPORT_ERRORS]],
        "notes": plan.notes,
    }
    if dry_run:
        body["plan"] = plan_report(plan)
    return Response(body, status=status.HTTP_409_CONFLICT)


def _dry_run(plan: Plan, count: int) -> Response:
    if not plan.ok:
        return _refused(plan, count, dry_run=True)
    body = _summary(plan, dry_run=True)
    body["plan"] = plan_report(plan) | {"verdicts": verdicts_planned(changes=plan.changes)}
    return Response(body)
