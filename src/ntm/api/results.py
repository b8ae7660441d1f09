"""Stored verdicts of the communes under a unit (a department: its own criteria only)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.accounts import access
from ntm.api.common import unit_of, year_param
from ntm.indicators.selectors import evaluations_under
from ntm.web.list_selectors import may_see_verdicts


class Evaluations(APIView):
    @extend_schema(
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
        scope = access.scope_filter(request.user, "unit")
        rows = evaluations_under(unit=unit, year=year).filter(scope)
        rows = rows.select_related("unit").order_by("unit__code", "pk")
        pager = LimitOffsetPagination()
        page = pager.paginate_queryset(rows, request, view=self) or []
        verdicts = may_see_verdicts(request.user)
        out: list[dict[str, Any]] = []
        for e in page:
            owned = None if verdicts else access.department_criteria(request.user, e.criteria_set)
            item: dict[str, Any] = {
                "unit_code": e.unit.code,
                "name": e.unit.name,
                "year": e.year,
                "criteria_set": e.criteria_set,
                "class_code": e.class_code,
                "criteria": {c: s for c, s in e.criteria.items() if owned is None or c in owned},
            }
            if verdicts:
                item |= {
                    "criteria_met": e.criteria_met,
                    "criteria_total": e.criteria_total,
                    "criteria_missing": e.criteria_missing,
                    "meets_standard": e.meets_standard,
                    "tiers": e.tiers,
                }
            out.append(item)
        return pager.get_paginated_response(out)
