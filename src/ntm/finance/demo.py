"""The demo's capital and contribution figures: Lai Châu's 2019 report, not simulated.

The report gives only province-wide period figures, so they are stored as such (a 2011-2020
capital entry, a 01/2010-09/2019 contribution), each naming the report as its source. Its total
is entered beside the named sources; what they leave (27,221,274 million VND, which the report
attributes to other programmes and credit without figures) stays "chưa phân loại".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from ntm.audit.models import Origin
from ntm.finance.models import CapitalSource, Stage
from ntm.finance.services import capital_entry_save, capital_sources_load, contribution_save
from ntm.units.models import Unit

PROVINCE_CODE = "12"
REPORT = "Báo cáo kết quả xây dựng NTM tỉnh Lai Châu năm 2019 (số liệu công bố, không mô phỏng)"
# 2011-2020, "tổng vốn huy động và bố trí" (mobilised and allocated): stage allocated.
CAPITAL_2011_2020 = {
    "total": Decimal("28991124"),
    "central": Decimal("1364845"),
    "local_dev": Decimal("180931"),
    "enterprise": Decimal("15850"),
    "community": Decimal("208224"),
}
CONTRIBUTIONS_2010_2019_09 = {
    "land_m2": Decimal("2142589"),
    "labour_days": Decimal("991588"),
    "cash_million_vnd": Decimal("502108"),
    "materials_million_vnd": Decimal("61923"),
}


@transaction.atomic
def finance_demo_load() -> dict[str, int]:
    """Write the report's figures on province 12 (2019 structure); idempotent."""
    capital_sources_load()
    province = Unit.objects.get(level="province", code=PROVINCE_CODE, valid_from__isnull=True)
    for code, amount in CAPITAL_2011_2020.items():
        capital_entry_save(
            actor=None,
            unit=province,
            figure_source=REPORT,
            origin=Origin.SYSTEM,
            source=CapitalSource.objects.get(code=code),
            stage=Stage.ALLOCATED,
            year_from=2011,
            year_to=2020,
            amount=amount,
            note="Số của cả giai đoạn 2011-2020; báo cáo không chia theo năm.",
        )
    contribution_save(
        actor=None,
        unit=province,
        figure_source=REPORT,
        origin=Origin.SYSTEM,
        date_from=dt.date(2010, 1, 1),
        date_to=dt.date(2019, 9, 30),
        values=dict(CONTRIBUTIONS_2010_2019_09),
        note="Tổng của tỉnh từ năm 2010 đến tháng 9/2019; báo cáo không chia theo xã.",
    )
    return {"capital_entries": len(CAPITAL_2011_2020), "contributions": 1}
