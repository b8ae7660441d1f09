"""Load the Lai Châu demo: 2019 units, illustrative provincial thresholds, simulated values.

Idempotent: running it again rebuilds the same values and evaluations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from ntm.accounts.demo import demo_accounts_create
from ntm.core.specs import load_spec_file
from ntm.criteria.services import spec_save
from ntm.demo.simulate import YEAR_TARGETS, simulate_year
from ntm.finance.demo import finance_demo_load
from ntm.indicators.models import Evaluation, IndicatorValue
from ntm.indicators.services import commune_criteria, evaluations_refresh
from ntm.programs.demo import programs_demo_load
from ntm.units.models import Unit
from ntm.units.services import units_load_laichau

SPECS_DIR = Path(__file__).parent / "specs"
PROVINCE_CODE = "12"
DEMO_SOURCE = "Dữ liệu mô phỏng (demo)"
# The province office's demo account (see ntm.accounts.demo for every role's account).
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
    progress("Nạp quy định minh họa của tỉnh (không chính thức)")
    for path in sorted(SPECS_DIR.glob("*.yaml")):
        spec_save(data=load_spec_file(path))
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
    programs_demo_load()
    progress("Nạp nguồn vốn và đóng góp theo báo cáo của tỉnh (2011-2020)")
    finance_demo_load()
    progress("Tạo tài khoản demo cho từng vai trò")
    accounts = demo_accounts_create()
    return {
        "communes": len(communes),
        "values": len(rows),
        "years": len(years),
        "accounts": len(accounts),
    }


def demo_is_loaded() -> bool:
    """Whether the demo's evaluations are in the database (so accounts alone can be restored)."""
    return Evaluation.objects.filter(
        unit__level="commune",
        unit__parent__parent__code=PROVINCE_CODE,
        unit__valid_from__isnull=True,
    ).exists()
