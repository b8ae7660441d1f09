"""Which criteria set, with which provincial thresholds, applies to a commune and year."""

from __future__ import annotations

from ntm.core.model import CriteriaSet, Level
from ntm.core.registry import get_set, set_for_year
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecCell, apply_spec
from ntm.criteria.models import CommuneClass, ProvincialSpec


class NoClassError(ValueError):
    """A commune without a region or group under a set: named in the message."""


def spec_data(*, spec: ProvincialSpec) -> SpecData:
    cells = tuple(
        SpecCell(indicator=t.indicator, class_code=t.class_code, value=t.value, tier=t.tier)
        for t in spec.thresholds.all()
    )
    return SpecData(
        id=spec.spec_id,
        province_code=spec.province.code,
        criteria_set=spec.criteria_set,
        legal_source=spec.legal_source,
        cells=cells,
        first_year=spec.first_year,
        last_year=spec.last_year,
        illustrative=spec.illustrative,
    )


def criteria_set_for_province(
    *, province_id: int | None, year: int, set_id: str = ""
) -> CriteriaSet:
    """The national set for the year (or ``set_id``) with the province's specifications applied."""
    cset = get_set(set_id) if set_id else set_for_year(year, Level.COMMUNE)
    if province_id is None:
        return cset
    specs = ProvincialSpec.objects.filter(
        province_id=province_id, criteria_set=cset.id
    ).prefetch_related("thresholds", "province")
    for spec in specs.order_by("first_year", "id"):
        data = spec_data(spec=spec)
        if data.covers(year):
            cset = apply_spec(cset, data)
    return cset


def commune_class(*, unit: object, cset: CriteriaSet, province_region: str) -> str:
    """The commune's class under the set: its own record, else (region sets) its province's."""
    record = CommuneClass.objects.filter(unit=unit, criteria_set=cset.id).first()
    if record is not None:
        return record.class_code
    if cset.classification == "region" and province_region:
        return province_region
    what = "nhóm" if cset.classification == "group" else "vùng"
    raise NoClassError(
        f"Xã {getattr(unit, 'name', '')} ({getattr(unit, 'code', '')}) chưa được xác định {what} "
        f"theo bộ tiêu chí {cset.id}"
    )
