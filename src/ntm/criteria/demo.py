"""The demo's commune groups under QĐ 51/2025: Lai Châu's 32 Area III communes go to group 3.

QĐ 51/2025/QĐ-TTg puts "xã khu vực II, III vùng đồng bào dân tộc thiểu số và miền núi" in
group 3. Lai Châu's QĐ 113/QĐ-UBND of 16/01/2026 lists 32 of its 36 communes as Area III
(shared/reference/criteria/qd51_2025_additions.yaml, entry G3_LAI_CHAU). The other four (Than
Uyên, Mường Than, Tân Uyên, Bình Lư) are Area I or II or outside the ethnic-minority area: the
reference does not say which, so their group is unknown and they stay without one.
"""

from __future__ import annotations

from django.db import transaction

from ntm.audit.models import Origin
from ntm.core.values import fold
from ntm.criteria.classes import class_communes, class_set, classes_year
from ntm.criteria.services import commune_classes_import
from ntm.units.models import bare_name
from ntm.units.selectors import unit_for_year

SET_ID = "qd51-2025"
PROVINCE_CODE = "12"
GROUP = "3"
BASIS = "QĐ 113/QĐ-UBND ngày 16/01/2026 của UBND tỉnh Lai Châu (xã khu vực III)"
AREA_III = (
    "Mường Kim",
    "Khoen On",
    "Pắc Ta",
    "Nậm Sỏ",
    "Mường Khoa",
    "Bản Bo",
    "Tả Lèng",
    "Khun Há",
    "Sin Suối Hồ",
    "Phong Thổ",
    "Sì Lở Lầu",
    "Dào San",
    "Khổng Lào",
    "Tủa Sín Chải",
    "Sìn Hồ",
    "Hồng Thu",
    "Nậm Tăm",
    "Pu Sam Cáp",
    "Nậm Cuổi",
    "Nậm Mạ",
    "Lê Lợi",
    "Nậm Hàng",
    "Mường Mô",
    "Hua Bum",
    "Pa Tần",
    "Bum Nưa",
    "Bum Tở",
    "Mường Tè",
    "Thu Lũm",
    "Pa Ủ",
    "Tà Tổng",
    "Mù Cả",
)


@transaction.atomic
def classes_demo_load() -> int:
    """Group 3 for the 32 communes (matched by name among the 2025-structure communes of
    Lai Châu); returns how many were assigned. Idempotent."""
    cset = class_set(SET_ID)
    year = classes_year(cset)
    province = unit_for_year(code=PROVINCE_CODE, year=year, level="province")
    if province is None:
        raise LookupError(f"Chưa nạp tỉnh Lai Châu của năm {year}")
    by_name = {fold(bare_name(c.name)): c for c in class_communes(unit=province, year=year)}
    missing = [name for name in AREA_III if fold(name) not in by_name]
    if missing:
        raise LookupError(f"Không tìm thấy xã: {', '.join(missing)} (tỉnh Lai Châu, {year})")
    communes = [by_name[fold(name)] for name in AREA_III]
    commune_classes_import(
        criteria_set=SET_ID,
        classes=[(c, GROUP) for c in communes],
        legal_basis=BASIS,
        origin=Origin.SYSTEM,
        origin_detail="demo",
    )
    return len(communes)
