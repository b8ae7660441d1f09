"""Writes for capabilities 9-12: one audited, access-checked creation for every record kind.

The records are plain rows (no derived state), so one function serves them all instead of a
pass-through service per model; what differs between kinds is data (RECORD_KINDS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.forms.models import model_to_dict

from ntm.accounts import access
from ntm.audit.services import audit_record
from ntm.programs.models import (
    Body,
    CommunicationActivity,
    Cooperative,
    Course,
    EmulationMovement,
    Enterprise,
    OcopProduct,
    ProductionModel,
    Resolution,
    Target,
)
from ntm.units.models import Unit


@dataclass(frozen=True)
class RecordKind:
    model: type[models.Model]
    unit_field: str  # the field holding the unit that scopes the row
    label: str


RECORD_KINDS: dict[str, RecordKind] = {
    "course": RecordKind(Course, "unit", "lớp tập huấn"),
    "communication": RecordKind(CommunicationActivity, "unit", "hoạt động tuyên truyền"),
    "movement": RecordKind(EmulationMovement, "unit", "phong trào thi đua"),
    "ocop": RecordKind(OcopProduct, "commune", "sản phẩm OCOP"),
    "cooperative": RecordKind(Cooperative, "commune", "hợp tác xã"),
    "production_model": RecordKind(ProductionModel, "unit", "mô hình sản xuất"),
    "enterprise": RecordKind(Enterprise, "unit", "doanh nghiệp"),
    "body": RecordKind(Body, "unit", "bộ máy chỉ đạo, điều hành"),
    "resolution": RecordKind(Resolution, "unit", "nghị quyết, quyết định"),
    "target": RecordKind(Target, "unit", "mục tiêu"),
}


def _json(row: models.Model) -> dict[str, Any]:
    data = model_to_dict(row)
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}


@transaction.atomic
def program_record_create(
    *,
    actor: Any,
    kind: str,
    data: dict[str, Any],
    origin: str = "page",
    origin_detail: str = "",
) -> models.Model:
    """Validate (Vietnamese messages), check the actor may record for the unit, save, audit.

    Raises ValidationError for bad input and PermissionDenied outside the actor's scope;
    nothing is saved in either case.
    """
    spec = RECORD_KINDS[kind]
    row = spec.model(**data)
    if getattr(row, f"{spec.unit_field}_id") is None:
        raise ValidationError({spec.unit_field: "Cần chọn đơn vị."})
    unit: Unit = getattr(row, spec.unit_field)
    if not access.can_manage_programs(actor, unit):
        raise PermissionDenied(f"Bạn không có quyền ghi {spec.label} cho {unit.name}.")
    row.full_clean()
    row.save()
    audit_record(
        actor=actor,
        action=f"programs.{kind}.create",
        object_type=spec.model._meta.label,
        object_id=row.pk,
        unit=unit,
        after=_json(row),
        origin=origin,
        origin_detail=origin_detail,
    )
    return row
