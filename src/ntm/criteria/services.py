"""Writes: a province records its specification (thresholds with their legal source)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from ntm.audit.services import audit_record
from ntm.core.loader import threshold_value
from ntm.core.registry import get_set
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecError
from ntm.criteria.models import CommuneClass, ProvincialSpec, SpecThreshold
from ntm.units.models import Unit
from ntm.units.selectors import unit_at


def _province_for(data: SpecData) -> Unit | None:
    """The province row in force in the specification's first year (codes outlive rows)."""
    on = dt.date(data.first_year, 12, 31) if data.first_year else dt.date.today()
    return unit_at(code=data.province_code, level="province", on=on)


@transaction.atomic
def spec_save(
    *, data: SpecData, actor: Any = None, origin: str = "cli", origin_detail: str = ""
) -> ProvincialSpec:
    """Create or replace a provincial specification, all cells or none.

    Every cell is checked against the national set (indicator exists, class exists, value
    fits the comparison) before anything is written.
    """
    cset = get_set(data.criteria_set)
    province = _province_for(data)
    if province is None:
        raise SpecError(f"Quy định {data.id}: không có tỉnh mã {data.province_code}")
    cells = []
    for cell in data.cells:
        ind = cset.indicator(cell.indicator)
        if ind is None:
            raise SpecError(
                f"Quy định {data.id}: chỉ tiêu '{cell.indicator}' không có trong {cset.id}"
            )
        if cell.class_code not in cset.classes:
            raise SpecError(
                f"Quy định {data.id}, chỉ tiêu {ind.code}: vùng/nhóm '{cell.class_code}' không có trong {cset.id}"
            )
        try:
            value = threshold_value(None, ind.op, cell.value)
        except ValueError as exc:
            raise SpecError(f"Quy định {data.id}, chỉ tiêu {ind.code}: {exc}") from None
        cells.append((ind.code, cell.class_code, cell.tier, value))
    spec, _ = ProvincialSpec.objects.update_or_create(
        spec_id=data.id,
        defaults={
            "province": province,
            "criteria_set": cset.id,
            "legal_source": data.legal_source,
            "first_year": data.first_year,
            "last_year": data.last_year,
            "illustrative": data.illustrative,
        },
    )
    before = sorted(spec.thresholds.values_list("indicator", "class_code", "tier", "value"))
    spec.thresholds.all().delete()
    SpecThreshold.objects.bulk_create(
        SpecThreshold(spec=spec, indicator=code, class_code=cls, tier=tier, value=value)
        for code, cls, tier, value in cells
    )
    audit_record(
        actor=actor,
        action="spec.save",
        object_type="provincial_spec",
        object_id=spec.spec_id,
        unit=province,
        before={"cells": [list(c) for c in before]},
        after={"legal_source": data.legal_source, "cells": [list(c) for c in sorted(cells)]},
        origin=origin,
        origin_detail=origin_detail,
    )
    return spec


@transaction.atomic
def commune_class_set(
    *,
    unit: Unit,
    criteria_set: str,
    class_code: str,
    legal_basis: str,
    actor: Any = None,
    origin: str = "page",
) -> CommuneClass:
    """Record a commune's region or group under a set (e.g. group 3 by QĐ 113/QĐ-UBND)."""
    cset = get_set(criteria_set)
    if class_code not in cset.classes:
        allowed = ", ".join(cset.classes)
        raise SpecError(
            f"Xã {unit.name}: '{class_code}' không phải vùng/nhóm của {cset.id} (có: {allowed})"
        )
    if not legal_basis.strip():
        raise SpecError(f"Xã {unit.name}: cần ghi căn cứ (quyết định phân nhóm/phân vùng)")
    record = CommuneClass.objects.filter(unit=unit, criteria_set=cset.id).first()
    before = (
        {"class_code": record.class_code, "legal_basis": record.legal_basis} if record else None
    )
    record, _ = CommuneClass.objects.update_or_create(
        unit=unit,
        criteria_set=cset.id,
        defaults={"class_code": class_code, "legal_basis": legal_basis},
    )
    audit_record(
        actor=actor,
        action="class.set",
        object_type="commune_class",
        object_id=record.id,
        unit=unit,
        before=before,
        after={"class_code": class_code, "legal_basis": legal_basis},
        origin=origin,
    )
    return record
