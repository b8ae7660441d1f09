"""Writes: a province records its specification (thresholds with their legal source), an office
stores a criteria set imported from a workbook."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ntm.audit.services import audit_record
from ntm.core.loader import load_mapping
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecError, checked_cells
from ntm.criteria.models import CommuneClass, CriteriaSetRecord, ProvincialSpec, SpecThreshold
from ntm.criteria.selectors import get_any_set, spec_province
from ntm.units.models import Unit


@transaction.atomic
def spec_save(
    *, data: SpecData, actor: Any = None, origin: str = "cli", origin_detail: str = ""
) -> ProvincialSpec:
    """Create or replace a provincial specification, all cells or none.

    Every cell is checked against the national set (indicator exists, class exists, value
    fits the comparison) before anything is written.
    """
    cset = get_any_set(data.criteria_set)
    province = spec_province(data=data)
    if province is None:
        raise SpecError(f"Quy định {data.id}: không có tỉnh mã {data.province_code}")
    cells = [
        (ind.code, cell.class_code, cell.tier, value)
        for ind, cell, value in checked_cells(cset, data)
    ]
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
    cset = get_any_set(criteria_set)
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


@transaction.atomic
def criteria_set_record_save(
    *,
    mapping: dict[str, Any],
    source_name: str,
    source_sha256: str,
    replaces_national: bool,
    actor: Any = None,
    origin: str = "cli",
    origin_detail: str = "",
) -> CriteriaSetRecord:
    """Store (or replace) an imported set; the audit keeps the previous content.

    The caller has validated ``mapping`` with core.loader.load_mapping (see workbook_import);
    it is validated again here so that no path stores a set the loader would refuse.
    """
    cset = load_mapping(mapping, file=source_name)
    record = CriteriaSetRecord.objects.select_for_update().filter(set_id=cset.id).first()
    before = (
        {"source_name": record.source_name, "sha256": record.source_sha256, "data": record.data}
        if record
        else None
    )
    record, _ = CriteriaSetRecord.objects.update_or_create(
        set_id=cset.id,
        defaults={
            "data": mapping,
            "source_name": source_name[:255],
            "source_sha256": source_sha256,
            "replaces_national": replaces_national,
            "imported_by": actor if getattr(actor, "is_authenticated", False) else None,
        },
    )
    audit_record(
        actor=actor,
        action="criteria_set.import",
        object_type="criteria_set",
        object_id=cset.id,
        before=before,
        after={
            "source_name": source_name,
            "sha256": source_sha256,
            "replaces_national": replaces_national,
            "criteria": len(cset.criteria),
            "indicators": len(cset.indicators),
            "unconfirmed_cells": len(cset.unconfirmed_cells()),
        },
        origin=origin,
        origin_detail=origin_detail,
    )
    return record
