"""Load the Lai Châu demo: 2019 units, illustrative provincial thresholds, simulated values.

Idempotent: running it again rebuilds the same values and evaluations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import load_spec_file
from ntm.criteria.models import ProvincialSpec, SpecThreshold
from ntm.demo.simulate import YEAR_TARGETS, simulate_year
from ntm.indicators.models import IndicatorValue
from ntm.indicators.services import commune_criteria, evaluations_refresh
from ntm.units.models import Unit
from ntm.units.services import units_load_laichau

SPECS_DIR = Path(__file__).parent / "specs"
PROVINCE_CODE = "12"
DEMO_SOURCE = "Dữ liệu mô phỏng (demo)"
DEMO_USERNAME = "vanphong.laichau"
DEMO_PASSWORD = "demo-ntm-laichau"


def demo_communes() -> list[Unit]:
    """The 96 rural communes of Lai Châu's 2019 structure."""
    communes = Unit.objects.filter(
        level="commune",
        ntm_eligible=True,
        parent__parent__code=PROVINCE_CODE,
        valid_from__isnull=True,
    ).select_related("parent__parent")
    return list(communes)


@transaction.atomic
def demo_load(*, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    progress("Nạp đơn vị hành chính Lai Châu (2019 và 2025)")
    units_load_laichau()
    province = Unit.objects.get(level="province", code=PROVINCE_CODE, valid_from__isnull=True)
    progress("Nạp quy định minh họa của tỉnh (không chính thức)")
    for path in sorted(SPECS_DIR.glob("*.yaml")):
        _save_spec(load_spec_file(path), province)
    communes = demo_communes()
    years = sorted(YEAR_TARGETS)
    progress(f"Sinh giá trị mô phỏng cho {len(communes)} xã, {years[0]}-{years[-1]}")
    IndicatorValue.objects.filter(unit__in=communes, year__in=years).delete()
    rows = []
    by_code = {u.code: u for u in communes}
    for year in years:
        cset, cls = commune_criteria(unit=communes[0], year=year)
        for v in simulate_year(cset, cls, list(by_code), year):
            rows.append(
                IndicatorValue(
                    unit=by_code[v.unit_code],
                    year=year,
                    criteria_set=cset.id,
                    indicator=v.indicator,
                    value=v.value,
                    source=DEMO_SOURCE,
                )
            )
    IndicatorValue.objects.bulk_create(rows, batch_size=2000)
    progress("Đánh giá tiêu chí")
    evaluations_refresh(units=communes, years=years)
    _demo_user()
    return {"communes": len(communes), "values": len(rows), "years": len(years)}


def _save_spec(data: SpecData, province: Unit) -> None:
    spec, _ = ProvincialSpec.objects.update_or_create(
        spec_id=data.id,
        defaults={
            "province": province,
            "criteria_set": data.criteria_set,
            "legal_source": data.legal_source,
            "first_year": data.first_year,
            "last_year": data.last_year,
            "illustrative": data.illustrative,
        },
    )
    spec.thresholds.all().delete()
    from ntm.core.loader import threshold_value
    from ntm.core.registry import get_set

    cset = get_set(data.criteria_set)
    cells = []
    for cell in data.cells:
        ind = cset.indicator(cell.indicator)
        if ind is None:
            raise ValueError(
                f"Quy định {data.id}: chỉ tiêu '{cell.indicator}' không có trong {cset.id}"
            )
        cells.append(
            SpecThreshold(
                spec=spec,
                indicator=cell.indicator,
                class_code=cell.class_code,
                tier=cell.tier,
                value=threshold_value(None, ind.op, cell.value),
            )
        )
    SpecThreshold.objects.bulk_create(cells)


def _demo_user() -> None:
    user, created = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"first_name": "Văn phòng điều phối NTM tỉnh Lai Châu"}
    )
    if created or not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
