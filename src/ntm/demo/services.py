"""Load the Lai Châu demo: 2019 units, illustrative provincial thresholds, simulated values.

Idempotent: running it again rebuilds the same values and evaluations.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from ntm.accounts.demo import demo_accounts_create
from ntm.audit.models import Origin
from ntm.core.specs import apply_spec, load_spec_file
from ntm.criteria.demo import classes_demo_load
from ntm.criteria.selectors import NoClassError, RecordedClasses, get_any_set, recorded_classes
from ntm.criteria.services import spec_save
from ntm.criteria.workbook_import import workbook_import
from ntm.criteria.workbook_write import workbook_bytes
from ntm.demo.simulate import YEAR_TARGETS, simulate_year
from ntm.finance.demo import finance_demo_load
from ntm.indicators.models import SIMULATED_SOURCE, Evaluation, IndicatorValue
from ntm.indicators.reevaluation import province_commune_ids, reevaluate
from ntm.indicators.services import CriteriaCache, commune_criteria
from ntm.indicators.writer import CellWrite, values_write
from ntm.programs.demo import programs_demo_load
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year, unit_for_year
from ntm.units.services import units_load_laichau

SPECS_DIR = Path(__file__).parent / "specs"
PROVINCE_CODE = "12"
DEMO_SOURCE = SIMULATED_SOURCE
QD51 = "qd51-2025"
# The province office's demo account (see ntm.accounts.demo for every role's account).
DEMO_USERNAME = "vanphong.laichau"
DEMO_PASSWORD = "demo-ntm-laichau"


def demo_communes(year: int = 2019) -> list[Unit]:
    """Lai Châu's rural communes in force in ``year``: 96 (2011-2019), 94 (2020), 36 (2025-)."""
    province = unit_for_year(code=PROVINCE_CODE, year=year, level="province")
    if province is None:
        return []
    return list(communes_in_year(unit=province, year=year).select_related("parent__parent"))


@transaction.atomic
def demo_load(*, progress: Callable[[str], None] = lambda _: None) -> dict[str, int]:
    progress("Nạp đơn vị hành chính Lai Châu (2019 và 2025)")
    loaded = units_load_laichau()
    if loaded.touched_unit_ids:
        reevaluate(unit_ids=loaded.touched_unit_ids)
    progress("Nạp quy định minh họa của tỉnh (không chính thức)")
    for path in sorted(SPECS_DIR.glob("*.yaml")):
        spec = load_spec_file(path)
        if spec.criteria_set == QD51:
            _spec_through_workbook(path)
        else:
            spec_save(data=spec)
    classes_demo_load()
    years = sorted(YEAR_TARGETS)
    progress(f"Sinh giá trị mô phỏng cho các xã của Lai Châu, {years[0]}-{years[-1]}")
    written = _values_load(years)
    programs_demo_load()
    progress("Nạp nguồn vốn và đóng góp theo báo cáo của tỉnh (2011-2020)")
    finance_demo_load()
    progress("Tạo tài khoản demo cho từng vai trò")
    accounts = demo_accounts_create()
    return {
        "communes": len(demo_communes()),
        "values": written,
        "years": len(years),
        "accounts": len(accounts),
    }


def _spec_through_workbook(path: Path) -> None:
    """Load a specification the way a province office would: as a workbook, imported."""
    data = load_spec_file(path)
    applied = apply_spec(get_any_set(data.criteria_set), data)
    content = workbook_bytes(applied, spec=data)
    workbook_import(content=content, filename=path.with_suffix(".xlsx").name)


def _values_load(years: list[int]) -> int:
    """Simulated values of each year's communes, through the one value writer.

    Cells of the demo's communes that the simulation no longer produces are deleted, so a
    reload after a change of the demo leaves exactly the demo's values.
    """
    wanted: dict[tuple[int, int, str, str], tuple[Unit, float]] = {}
    cache: CriteriaCache = {}
    for year in years:
        communes = demo_communes(year)
        recorded = recorded_classes(unit_ids=[u.pk for u in communes])
        judged = [u for u in communes if _judged(u, year, cache, recorded)]
        if not judged:
            continue
        cset, cls = commune_criteria(unit=judged[0], year=year, cache=cache, recorded=recorded)
        by_code = {u.code: u for u in judged}
        for v in simulate_year(cset, cls, list(by_code), year):
            unit = by_code[v.unit_code]
            wanted[(unit.pk, year, cset.id, v.indicator)] = (unit, v.value)
    province_ids = province_commune_ids(province_code=PROVINCE_CODE)
    stored = IndicatorValue.objects.filter(unit_id__in=province_ids, year__in=years)
    writes: list[CellWrite] = []
    for row in stored.select_related("unit"):
        key = (row.unit_id, row.year, row.criteria_set, row.indicator)
        new = wanted.pop(key, (row.unit, None))[1]
        writes.append(
            CellWrite(
                row.unit,
                row.year,
                row.criteria_set,
                row.indicator,
                row.value,
                new,
                row.pk,
                row.version,
            )
        )
    for (_, year, set_id, code), (unit, value) in wanted.items():
        writes.append(CellWrite(unit, year, set_id, code, None, value))
    return values_write(writes=writes, actor=None, origin=Origin.SYSTEM, source=DEMO_SOURCE)


def _judged(unit: Unit, year: int, cache: CriteriaCache, recorded: RecordedClasses) -> bool:
    """Whether the commune has a class under the year's set (the demo leaves four 2026
    communes without a group, as QĐ 113/QĐ-UBND's list does not settle theirs)."""
    try:
        commune_criteria(unit=unit, year=year, cache=cache, recorded=recorded)
    except NoClassError:
        return False
    return True


def demo_is_loaded() -> bool:
    """Whether the demo's evaluations are in the database (so accounts alone can be restored)."""
    return Evaluation.objects.filter(
        unit__level="commune",
        unit__parent__parent__code=PROVINCE_CODE,
        unit__valid_from__isnull=True,
    ).exists()
