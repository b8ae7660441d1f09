"""Units as they were in a year, their history, and their results (summary, gap, forecast)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.generics import ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.accounts import access
from ntm.api.common import unit_of, verdicts_required, year_param
from ntm.core.values import fold
from ntm.indicators.forecast_selectors import ForecastError
from ntm.indicators.gap_selectors import gap_data
from ntm.programs.forecast import forecast_data
from ntm.units.models import Unit, UnitEventLink
from ntm.units.selectors import judged_on, with_year_names
from ntm.web.summary_selectors import summary_data

YEAR = OpenApiParameter("year", int, required=True, description="năm (đơn vị theo 31/12 năm đó)")


class UnitSerializer(serializers.Serializer[Unit]):
    code = serializers.CharField()
    name = serializers.CharField(help_text="tên trong năm được hỏi")
    level = serializers.CharField()
    kind = serializers.CharField()
    parent_code = serializers.SerializerMethodField()
    valid_from = serializers.DateField(allow_null=True)
    valid_to = serializers.DateField(allow_null=True)
    ntm_eligible = serializers.BooleanField()

    def get_parent_code(self, unit: Unit) -> str | None:
        return unit.parent.code if unit.parent else None


class UnitList(ListAPIView[Unit]):
    """Units in force on 31/12 of ``year`` within the caller's scope (filter by level, parent
    code, name without accents)."""

    serializer_class = UnitSerializer

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("level", str, enum=["province", "district", "commune", "village"]),
            OpenApiParameter("parent", str, description="mã đơn vị cha"),
            OpenApiParameter("q", str, description="tìm theo tên, không cần dấu"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        year = year_param(self.request)
        assert year is not None
        scope = access.scope_filter(self.request.user)
        rows = Unit.objects.filter(scope).valid_on(judged_on(year))
        level = self.request.query_params.get("level", "").strip()
        if level:
            rows = rows.filter(level=level[:10])
        parent = self.request.query_params.get("parent", "").strip()
        if parent:
            rows = rows.filter(parent__code=parent[:16])
        text = self.request.query_params.get("q", "").strip()
        if text:
            rows = rows.filter(name_folded__contains=fold(text[:100]))
        return rows.select_related("parent").order_by("level", "code", "pk")

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        year = year_param(self.request)
        assert year is not None
        return with_year_names(list(page or []), year)


class EventSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField()
    effective = serializers.DateField()
    role = serializers.CharField(help_text="predecessor hoặc successor")
    legal_basis = serializers.CharField()


class UnitDetailSerializer(UnitSerializer):
    former_names = serializers.SerializerMethodField()
    events = serializers.SerializerMethodField()

    def get_former_names(self, unit: Unit) -> list[dict[str, Any]]:
        return [
            {"name": n.name, "valid_from": n.valid_from, "valid_to": n.valid_to}
            for n in unit.former_names.order_by("valid_to")
        ]

    def get_events(self, unit: Unit) -> list[dict[str, Any]]:
        links = UnitEventLink.objects.filter(unit=unit).select_related("event")
        return [
            {
                "kind": link.event.kind,
                "effective": link.event.effective,
                "role": link.role,
                "legal_basis": link.event.legal_basis,
            }
            for link in links.order_by("event__effective")
        ]


class UnitDetail(APIView):
    @extend_schema(parameters=[YEAR], responses=UnitDetailSerializer)
    def get(self, request: Request, code: str) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, code, year)
        with_year_names([unit], year)
        return Response(UnitDetailSerializer(unit).data)


class UnitSummary(APIView):
    """The same JSON as `ntm summary --unit CODE --year YEAR --format json`."""

    @extend_schema(
        parameters=[YEAR, OpenApiParameter("by", str, enum=["child"])],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, code: str) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, code, year)
        verdicts_required(request.user)
        by_child = request.query_params.get("by") == "child"
        return Response(summary_data(unit=unit, year=year, by_child=by_child))


class UnitGap(APIView):
    """The same JSON as `ntm gap --format json`: communes closest to the standard first."""

    @extend_schema(parameters=[YEAR], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, code, year)
        verdicts_required(request.user)
        return Response(gap_data(unit=unit, year=year))


class UnitForecast(APIView):
    """The same JSON as `ntm forecast --format json`."""

    @extend_schema(
        parameters=[
            OpenApiParameter("target_year", int, required=True),
            OpenApiParameter("base_year", int, description="dự báo từ số liệu đến năm này"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, code: str) -> Response:
        target = year_param(request, "target_year")
        assert target is not None
        base = year_param(request, "base_year", required=False)
        unit = unit_of(request, code, base or target)
        verdicts_required(request.user)
        try:
            return Response(forecast_data(unit=unit, target_year=target, last_year=base))
        except ForecastError as exc:  # no verdict yet to forecast from
            raise NotFound(str(exc)) from exc
