"""Writes: a province records its specification (thresholds with their legal source)."""

from __future__ import annotations

from django.db import transaction

from ntm.core.loader import threshold_value
from ntm.core.registry import get_set
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecError
from ntm.criteria.models import ProvincialSpec, SpecThreshold
from ntm.units.models import Unit


@transaction.atomic
def spec_save(*, data: SpecData) -> ProvincialSpec:
    """Create or replace a provincial specification, all cells or none.

    Every cell is checked against the national set (indicator exists, class exists, value
    fits the comparison) before anything is written.
    """
    cset = get_set(data.criteria_set)
    province = (
        Unit.objects.filter(level="province", code=data.province_code)
        .order_by("valid_from")
        .first()
    )
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
    spec.thresholds.all().delete()
    SpecThreshold.objects.bulk_create(
        SpecThreshold(spec=spec, indicator=code, class_code=cls, tier=tier, value=value)
        for code, cls, tier, value in cells
    )
    return spec
