"""Writes: a province records its specification (thresholds with their legal source), an office
stores a criteria set imported from a workbook."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from ntm.audit.services import audit_record
from ntm.core.loader import load_mapping
from ntm.core.model import CriteriaSet
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecError, checked_cells
from ntm.criteria.models import CommuneClass, CriteriaSetRecord, ProvincialSpec, SpecThreshold
from ntm.criteria.selectors import get_any_set, spec_province
from ntm.criteria.signals import (
    announce,
    classes_saved,
    set_save_requested,
    set_saved,
    spec_saved,
)
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
    _check_years(data, cset)
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
    announce(spec_saved, province_code=province.code)
    return spec


def _check_years(data: SpecData, cset: Any) -> None:
    """A specification's years must meet the set's period: one that cannot apply to any year
    is a mistake, not a rule to store."""
    if cset.period is None:
        return
    first, last = cset.period
    starts, ends = data.first_year or first, data.last_year or last
    if ends < first or starts > last or starts > ends:
        raise SpecError(
            f"Quy định {data.id}: các năm {starts}-{ends} không thuộc giai đoạn {first}-{last} "
            f"của bộ tiêu chí {cset.id}"
        )


@transaction.atomic
def commune_class_set(
    *,
    unit: Unit,
    criteria_set: str,
    class_code: str,
    legal_basis: str,
    actor: Any = None,
    origin: str = "page",
    origin_detail: str = "",
) -> CommuneClass:
    """Record a commune's region or group under a set (e.g. group 3 by QĐ 113/QĐ-UBND), and
    re-judge the commune's stored verdicts, which depend on it."""
    cset = get_any_set(criteria_set)
    record = _commune_class_write(
        unit=unit,
        cset=cset,
        class_code=class_code,
        legal_basis=legal_basis,
        actor=actor,
        origin=origin,
        origin_detail=origin_detail,
    )
    announce(classes_saved, units=[unit], set_id=cset.id)
    return record


@transaction.atomic
def commune_classes_import(
    *,
    criteria_set: str,
    classes: list[tuple[Unit, str]],
    legal_basis: str,
    actor: Any = None,
    origin: str = "file",
    origin_detail: str = "",
) -> int:
    """Record many communes' classes under one basis (a province's list), all or none, then
    re-judge them once. ``classes`` holds (commune, class code); returns how many changed."""
    cset = get_any_set(criteria_set)
    changed = []
    for unit, class_code in classes:
        current = CommuneClass.objects.filter(unit=unit, criteria_set=cset.id).first()
        if current and (current.class_code, current.legal_basis) == (class_code, legal_basis):
            continue
        _commune_class_write(
            unit=unit,
            cset=cset,
            class_code=class_code,
            legal_basis=legal_basis,
            actor=actor,
            origin=origin,
            origin_detail=origin_detail,
        )
        changed.append(unit)
    if changed:
        announce(classes_saved, units=changed, set_id=cset.id)
    return len(changed)


def _commune_class_write(
    *,
    unit: Unit,
    cset: CriteriaSet,
    class_code: str,
    legal_basis: str,
    actor: Any,
    origin: str,
    origin_detail: str,
) -> CommuneClass:
    if class_code not in cset.classes:
        allowed = ", ".join(cset.classes)
        raise SpecError(
            f"Xã {unit.name}: '{class_code}' không phải vùng/nhóm của {cset.id} (có: {allowed})"
        )
    if not legal_basis.strip():
        raise SpecError(f"Xã {unit.name}: cần ghi căn cứ (quyết định phân nhóm/phân vùng)")
    if unit.level != "commune":
        raise SpecError(f"{unit.name}: chỉ xếp vùng/nhóm cho đơn vị cấp xã")
    legal_basis = " ".join(legal_basis.split())
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
        after={"criteria_set": cset.id, "class_code": class_code, "legal_basis": legal_basis},
        origin=origin,
        origin_detail=origin_detail,
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
    background: bool = False,
) -> CriteriaSetRecord | None:
    """Store (or replace) an imported set; the audit keeps the previous content.

    The caller has validated ``mapping`` with core.loader.load_mapping (see workbook_import);
    it is validated again here so that no path stores a set the loader would refuse.
    ``background``: the set is stored and its verdicts re-evaluated by the task worker, in one
    transaction, after the caller's commit (the web page: too long for a request); until then
    every page reads the old rules with the old verdicts. Otherwise both happen before this
    returns (the command line). Returns the stored record, or None when left to the worker.
    """
    cset = load_mapping(mapping, file=source_name)
    if background:
        arguments = {
            "mapping": mapping,
            "source_name": source_name,
            "source_sha256": source_sha256,
            "replaces_national": replaces_national,
            "origin": origin,
            "origin_detail": origin_detail,
        }
        announce(set_save_requested, set_id=cset.id, arguments=arguments, actor=actor)
        return None
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
    announce(set_saved, set_id=cset.id)
    return record
