"""The programme's resources and programmes of a unit's subtree over years: read-only lists.

Every list is paginated (`limit`/`offset`) and carries the same sums as `ntm resources` for the
same unit and years (`summary`), computed over all rows, not the page. A figure counts for a
period only when its whole period lies within the years asked (ntm.finance.selectors). The unit
is the one holding the code on 31/12 of `year_to`; outside the caller's scope it is a 404.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import LimitOffsetPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.accounts import access
from ntm.api.common import unit_of, year_param
from ntm.finance.models import CapitalEntry, Contribution
from ntm.finance.selectors import (
    MEASURES,
    capital_entries,
    capital_summary,
    capital_table,
    contributions,
    contributions_summary,
)
from ntm.programs.models import CommunicationActivity, Course, OcopProduct, ProductionModel
from ntm.programs.selectors import (
    communications_in,
    courses_in,
    ocop_in,
    ocop_summary,
    production_models_in,
    training_summary,
)
from ntm.programs.selectors import targets_progress as progress_of_targets
from ntm.units.models import Unit

PERIOD = [
    OpenApiParameter("unit", str, required=True, description="mã tỉnh, huyện hoặc xã"),
    OpenApiParameter("year_from", int, required=True, description="từ năm"),
    OpenApiParameter("year_to", int, required=True, description="đến năm (hết năm)"),
    OpenApiParameter("limit", int),
    OpenApiParameter("offset", int),
]


def _period(request: Request, can_view: Callable[[Any, Unit], bool]) -> tuple[Unit, int, int]:
    first = year_param(request, "year_from")
    last = year_param(request, "year_to")
    assert first is not None and last is not None
    if last < first:
        raise ValidationError({"year_to": f"Năm kết thúc {last} trước năm bắt đầu {first}."})
    unit = unit_of(request, request.query_params.get("unit", ""), last)
    if not can_view(request.user, unit):
        raise NotFound(f"Không có đơn vị mã {unit.code} trong phạm vi của bạn.")
    return unit, first, last


def _page(
    view: APIView,
    request: Request,
    rows: Sequence[Any] | Any,
    item: Callable[[Any], dict[str, Any]],
    **extra: Any,
) -> Response:
    pager = LimitOffsetPagination()
    page = pager.paginate_queryset(rows, request, view=view) or []
    response = pager.get_paginated_response([item(r) for r in page])
    response.data.update(extra)
    return response


def _head(unit: Unit, first: int, last: int) -> dict[str, Any]:
    return {"unit_code": unit.code, "year_from": first, "year_to": last}


# --- finance --------------------------------------------------------------------------------


def _capital(e: CapitalEntry) -> dict[str, Any]:
    return {
        "unit_code": e.unit.code,
        "unit_name": e.unit.name,
        "year_from": e.year_from,
        "year_to": e.year_to,
        "source": e.source.code,
        "source_name": e.source.name,
        "stage": e.stage,
        "amount_million_vnd": e.amount,
        "work": e.work.name if e.work else None,
        "figure_source": e.figure_source,
        "note": e.note,
    }


class CapitalList(APIView):
    """Capital entries (million VND); `summary` is `ntm resources`' "capital" (allocated),
    `table` the page's lines per source and stage."""

    @extend_schema(operation_id="capital_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_resources)
        table = capital_table(unit=unit, year_from=first, year_to=last)
        return _page(
            self,
            request,
            capital_entries(unit=unit, year_from=first, year_to=last),
            _capital,
            **_head(unit, first, last),
            summary=capital_summary(unit=unit, year_from=first, year_to=last),
            table=[
                {"code": line.code, "label": line.label, "depth": line.depth, **line.amounts}
                for line in table
            ],
        )


def _contribution(c: Contribution) -> dict[str, Any]:
    return {
        "unit_code": c.unit.code,
        "unit_name": c.unit.name,
        "date_from": c.date_from,
        "date_to": c.date_to,
        **{name: getattr(c, name) for name in MEASURES},
        "work": c.work.name if c.work else None,
        "figure_source": c.figure_source,
        "note": c.note,
    }


class ContributionList(APIView):
    """The community's contributions; `summary` is `ntm resources`' "contributions"."""

    @extend_schema(
        operation_id="contributions_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_resources)
        start, end = dt.date(first, 1, 1), dt.date(last, 12, 31)
        return _page(
            self,
            request,
            contributions(unit=unit, date_from=start, date_to=end),
            _contribution,
            **_head(unit, first, last),
            summary=contributions_summary(unit=unit, date_from=start, date_to=end),
        )


# --- programmes -----------------------------------------------------------------------------


def _course(c: Course) -> dict[str, Any]:
    return {
        "unit_code": c.unit.code,
        "topic": c.topic,
        "level": c.level,
        "start_date": c.start_date,
        "end_date": c.end_date,
        "attendances": c.attendances,
        "audience": c.audience,
        "simulated": c.simulated,
    }


class CourseList(APIView):
    """Training courses starting in the years; `summary` is `ntm resources`' "training"."""

    @extend_schema(operation_id="courses_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_programs)
        rows = courses_in(unit=unit, year_from=first, year_to=last)
        return _page(
            self,
            request,
            rows.select_related("unit").order_by("start_date", "pk"),
            _course,
            **_head(unit, first, last),
            summary=training_summary(unit=unit, year_from=first, year_to=last),
        )


def _communication(c: CommunicationActivity) -> dict[str, Any]:
    return {
        "unit_code": c.unit.code,
        "kind": c.kind,
        "date": c.date,
        "title": c.title,
        "reach": c.reach,
        "simulated": c.simulated,
    }


class CommunicationList(APIView):
    """Communication activities dated within the years, newest first."""

    @extend_schema(
        operation_id="communications_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_programs)
        rows = communications_in(unit=unit).filter(date__year__gte=first, date__year__lte=last)
        return _page(
            self, request, rows.order_by("-date", "pk"), _communication, **_head(unit, first, last)
        )


def _ocop(p: OcopProduct) -> dict[str, Any]:
    return {
        "commune_code": p.commune.code,
        "name": p.name,
        "producer": p.producer,
        "stars": p.stars,
        "decision": p.decision,
        "recognised_on": p.recognised_on,
        "expires_on": p.expires_on,
        "simulated": p.simulated,
    }


class OcopList(APIView):
    """OCOP products in force on 31/12 of `year_to` (as `ntm resources` counts them)."""

    @extend_schema(operation_id="ocop_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_programs)
        on = dt.date(last, 12, 31)
        return _page(
            self,
            request,
            ocop_in(unit=unit, on=on).order_by("-stars", "name", "pk"),
            _ocop,
            **_head(unit, first, last),
            summary=ocop_summary(unit=unit, on=on),
        )


def _model(m: ProductionModel) -> dict[str, Any]:
    return {
        "unit_code": m.unit.code,
        "name": m.name,
        "year": m.year,
        "households": m.households,
        "simulated": m.simulated,
    }


class ProductionModelList(APIView):
    """Production models of the years."""

    @extend_schema(
        operation_id="production_models_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_programs)
        rows = production_models_in(unit=unit).filter(year__gte=first, year__lte=last)
        return _page(
            self, request, rows.order_by("-year", "name", "pk"), _model, **_head(unit, first, last)
        )


class TargetList(APIView):
    """Targets of the subtree for the years with their progress (`ntm resources`' "targets")."""

    @extend_schema(operation_id="targets_list", parameters=PERIOD, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        unit, first, last = _period(request, access.can_view_programs)
        rows = progress_of_targets(unit=unit, year_from=first, year_to=last)
        return _page(self, request, rows, lambda r: r, **_head(unit, first, last))
