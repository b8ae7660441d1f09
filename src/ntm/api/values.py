"""Indicator values of a commune-year: read within scope, written through the one value writer.

A write sends, for each value, the version it was based on (null for a value that did not
exist); a value changed by someone else since is a 409 with both values, and nothing is written.
"""

from __future__ import annotations

import math
from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.accounts import access
from ntm.api.common import unit_of, year_param
from ntm.core.registry import UnknownCriteriaSetError
from ntm.core.years import FIRST_YEAR, LAST_YEAR
from ntm.criteria.selectors import NoClassError
from ntm.entry.selectors import Scope, entry_scope
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import ConflictError, IndicatorInputError, values_set
from ntm.units.models import Level, Unit

MAX_VALUES = 1000  # one commune-year has about 50 indicators


def _scope(request: Request, unit: Unit, year: int) -> Scope:
    if unit.level != Level.COMMUNE:
        raise ValidationError({"unit": "Số liệu chỉ tiêu được ghi theo xã: hãy gửi mã một xã."})
    try:
        return entry_scope(user=request.user, unit=unit, year=year)
    except (NoClassError, UnknownCriteriaSetError) as exc:
        raise NotFound(f"{unit.name} năm {year}: chưa có bộ tiêu chí đánh giá ({exc}).") from exc


def evaluation_json(e: Evaluation | None, scope: Scope) -> dict[str, Any] | None:
    if e is None:
        return None
    criteria = {c: s for c, s in e.criteria.items() if c in scope.visible}
    data: dict[str, Any] = {"criteria_set": e.criteria_set, "criteria": criteria}
    if scope.sees_all:  # a department sees its criteria, never the overall verdict
        data |= {
            "criteria_met": e.criteria_met,
            "criteria_total": e.criteria_total,
            "criteria_missing": e.criteria_missing,
            "meets_standard": e.meets_standard,
        }
    return data


class ValueInSerializer(serializers.Serializer[Any]):
    indicator = serializers.CharField(max_length=20)
    value = serializers.FloatField(allow_null=True, help_text="null xóa giá trị")
    version = serializers.IntegerField(
        allow_null=True, min_value=0, help_text="phiên bản khi đọc; null nếu chưa có giá trị"
    )

    def validate_value(self, value: float | None) -> float | None:
        if value is not None and not math.isfinite(value):
            raise serializers.ValidationError("Giá trị phải là một số hữu hạn.")
        return value


class ValuesInSerializer(serializers.Serializer[Any]):
    unit = serializers.CharField(max_length=16, help_text="mã xã")
    year = serializers.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR)
    values = serializers.ListField(
        child=ValueInSerializer(), allow_empty=False, max_length=MAX_VALUES
    )
    data_source = serializers.CharField(
        max_length=200, allow_blank=True, required=False, default="", help_text="nguồn số liệu"
    )


class Values(APIView):
    @extend_schema(
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã xã"),
            OpenApiParameter("year", int, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, request.query_params.get("unit", ""), year)
        scope = _scope(request, unit, year)
        rows = IndicatorValue.objects.filter(unit=unit, year=year, criteria_set=scope.cset.id)
        values = [
            {
                "indicator": row.indicator,
                "criterion": scope.criterion_of(row.indicator),
                "value": row.value,
                "version": row.version,
                "source": row.source,
                "updated_at": row.updated_at,
            }
            for row in rows.order_by("indicator")
            if scope.criterion_of(row.indicator) in scope.visible
        ]
        return Response(
            {
                "unit_code": unit.code,
                "year": year,
                "criteria_set": scope.cset.id,
                "locked": scope.locked,
                "values": values,
                "evaluation": evaluation_json(
                    Evaluation.objects.filter(unit=unit, year=year).first(), scope
                ),
            }
        )

    @extend_schema(request=ValuesInSerializer, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = ValuesInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        year, cells = data.validated_data["year"], data.validated_data["values"]
        unit = unit_of(request, data.validated_data["unit"], year)
        if not access.can_enter_values(request.user, unit):
            raise PermissionDenied(f"Bạn không có quyền nhập số liệu của {unit.name}.")
        scope = _scope(request, unit, year)
        codes = [c["indicator"] for c in cells]
        if len(set(codes)) != len(codes):
            raise ValidationError({"values": "Mỗi chỉ tiêu chỉ được gửi một lần."})
        for code in codes:
            if scope.cset.indicator(code) is None:
                raise ValidationError({"values": f"Không có chỉ tiêu {code} trong bộ tiêu chí."})
            if scope.criterion_of(code) not in scope.editable:
                raise PermissionDenied(f"Bạn không có quyền nhập chỉ tiêu {code} của {unit.name}.")
        return self._write(request, unit, year, scope, cells, data.validated_data["data_source"])

    def _write(
        self, request: Request, unit: Unit, year: int, scope: Scope, cells: list[Any], source: str
    ) -> Response:
        try:
            with transaction.atomic():
                evaluation = values_set(
                    unit=unit,
                    year=year,
                    values={c["indicator"]: c["value"] for c in cells},
                    author=request.user,
                    source=source,
                    origin="api",
                    origin_detail=request.path,
                    expected_versions={c["indicator"]: c["version"] for c in cells},
                )
        except ConflictError as exc:
            conflicts = [
                {
                    "indicator": c.indicator,
                    "submitted": c.submitted,
                    "stored": c.stored,
                    "stored_by": c.stored_by,
                    "stored_at": c.stored_at,
                }
                for c in exc.conflicts
            ]
            return Response(
                {"detail": str(exc), "conflicts": conflicts}, status=status.HTTP_409_CONFLICT
            )
        except IndicatorInputError as exc:
            code = status.HTTP_409_CONFLICT if scope.locked else status.HTTP_400_BAD_REQUEST
            return Response({"detail": str(exc)}, status=code)
        return Response({"evaluation": evaluation_json(evaluation, scope)})
