"""Criteria sets: criteria, indicators, thresholds per tier and class, and which are unconfirmed."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ntm.api.common import unit_of, year_param
from ntm.core.model import CriteriaSet
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.classes import commune_class_rows
from ntm.criteria.selectors import all_sets, set_in_force


def _summary(cset: CriteriaSet) -> dict[str, Any]:
    return {
        "id": cset.id,
        "label": cset.label,
        "title": cset.title,
        "decision": cset.decision,
        "level": str(cset.level),
        "effective": cset.effective,
        "ends": cset.ends,
        "classification": cset.classification,
        "criteria": len(cset.criteria),
        "indicators": len(cset.indicators),
    }


def _detail(cset: CriteriaSet) -> dict[str, Any]:
    return {
        **_summary(cset),
        "classes": cset.classes,
        "tiers": [{"code": t.code, "name": t.name} for t in cset.tiers],
        "criteria": [
            {
                "code": c.code,
                "name": c.name,
                "indicators": [
                    {
                        "code": i.code,
                        "text": i.text,
                        "unit": i.unit,
                        "op": str(i.op),
                        "thresholds": {
                            tier: {
                                cls: {
                                    "value": t.value,
                                    "source": t.source,
                                    "illustrative": t.illustrative,
                                }
                                for cls, t in by_class.items()
                            }
                            for tier, by_class in i.thresholds.items()
                        },
                    }
                    for i in c.indicators
                ],
            }
            for c in cset.criteria
        ],
        "unconfirmed": [
            {"tier": tier, "class": cls, "indicator": code}
            for tier, cls, code in cset.unconfirmed_cells()
        ],
    }


class CriteriaSetList(APIView):
    @extend_schema(operation_id="criteria_sets_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        sets = sorted(all_sets().values(), key=lambda s: (s.effective, s.id))
        return Response([_summary(s) for s in sets])


class CriteriaSetDetail(APIView):
    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, set_id: str) -> Response:
        cset = all_sets().get(set_id)
        if cset is None:
            raise NotFound(f"Không có bộ tiêu chí «{set_id[:40]}».")
        return Response(_detail(cset))


class CommuneClasses(APIView):
    """The class (region to 2025, commune group from 2026) of every commune under a unit in a
    year, with its legal basis, or why it has none (a group not yet decided by the province)."""

    @extend_schema(
        operation_id="classes_list",
        parameters=[
            OpenApiParameter("unit", str, required=True, description="mã tỉnh, huyện hoặc xã"),
            OpenApiParameter("year", int, required=True),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        year = year_param(request)
        assert year is not None
        unit = unit_of(request, request.query_params.get("unit", ""), year)
        try:
            cset = set_in_force(year=year)
        except UnknownCriteriaSetError as exc:
            raise NotFound(f"Năm {year}: chưa có bộ tiêu chí xã nào có hiệu lực.") from exc
        # every commune under a unit in scope is in scope (scopes are subtrees)
        rows = commune_class_rows(cset=cset, unit=unit, year=year)
        return Response(
            {
                "criteria_set": cset.id,
                "classification": cset.classification,
                "classes": cset.classes,
                "year": year,
                "communes": [r.as_dict() for r in rows],
            }
        )
