"""Lai Châu demo rows for capabilities 9-12 (called by ntm.demo.services.demo_load).

Two kinds of rows, told apart by `source` and `simulated`:
- from the 2019 report (../shared/reference): the emulation movement of 18/11/2011, the
  resolutions and bodies of 2011-2015 (decision numbers and exact dates are not in the report,
  so they stay blank and `by_year` holds the end of the period), the 2020 targets;
- simulated detail, labelled as such: 140 courses whose only true facts are the count and the
  total of 7,236 attendances ("hơn 7.200 lượt"), and a few OCOP products, cooperatives,
  models, enterprises and communication activities so the pages have something to show.
Idempotent: rows with these two sources under the province are deleted and rebuilt.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Q

from ntm.audit.services import audit_record
from ntm.programs.models import (
    NO_DECISION_NUMBER,
    Body,
    BodyKind,
    CommunicationActivity,
    CommunicationKind,
    Cooperative,
    Course,
    CourseLevel,
    EmulationMovement,
    Enterprise,
    OcopProduct,
    ProductionModel,
    Resolution,
    Target,
    TargetKind,
)
from ntm.units.models import Unit

PROVINCE_CODE = "12"
REPORT_SOURCE = "Báo cáo kết quả 10 năm xây dựng NTM tỉnh Lai Châu (2019)"
REPORT_YEAR, REPORT_LAST_MONTH = 2019, 9  # the report's figures run to September 2019
SIMULATED_SOURCE = "Dữ liệu mô phỏng (demo) — chỉ khớp số tổng của báo cáo"
PERIOD_NOTE = f"Giai đoạn 2011-2015 theo báo cáo; {NO_DECISION_NUMBER}"

COURSES_PER_YEAR = {
    2011: 8, 2012: 12, 2013: 16, 2014: 18, 2015: 18, 2016: 18, 2017: 17, 2018: 17, 2019: 16,
}  # fmt: skip
TOTAL_ATTENDANCES = 7236  # "hơn 7.200 lượt cán bộ": any total above 7,200 fits the report
LEVEL_CYCLE = (CourseLevel.TINH, CourseLevel.HUYEN, CourseLevel.XA, CourseLevel.THON)
# Offsets by level cancel out over each cycle of four courses, so the total stays exact.
LEVEL_OFFSET = {
    CourseLevel.TINH: 20,
    CourseLevel.HUYEN: 8,
    CourseLevel.XA: -8,
    CourseLevel.THON: -20,
}
TOPICS = (
    "Nâng cao năng lực quản lý, điều hành Chương trình xây dựng NTM",
    "Hướng dẫn thực hiện Bộ tiêu chí quốc gia về xã NTM",
    "Quản lý đầu tư xây dựng công trình hạ tầng cấp xã",
    "Phát triển sản xuất, liên kết tiêu thụ sản phẩm",
)
MODEL_SOURCES = (REPORT_SOURCE, SIMULATED_SOURCE)


def _units() -> tuple[Unit, list[Unit], list[Unit]]:
    province = Unit.objects.get(level="province", code=PROVINCE_CODE, valid_from__isnull=True)
    districts = list(
        Unit.objects.filter(level="district", parent=province, valid_from__isnull=True).order_by(
            "code"
        )
    )
    communes = list(
        Unit.objects.filter(
            level="commune", parent__in=districts, ntm_eligible=True, valid_from__isnull=True
        ).order_by("code")
    )
    return province, districts, communes


def _clear(province: Unit) -> None:
    for model in (Course, CommunicationActivity, EmulationMovement, ProductionModel, Enterprise,
                  Body, Resolution, Target):  # fmt: skip
        scope = Q(unit=province) | Q(unit__parent=province) | Q(unit__parent__parent=province)
        model.objects.filter(scope, source__in=MODEL_SOURCES).delete()
    for commune_model in (OcopProduct, Cooperative):
        commune_model.objects.filter(
            commune__parent__parent=province, source__in=MODEL_SOURCES
        ).delete()


def _courses(province: Unit, districts: list[Unit], communes: list[Unit]) -> list[Course]:
    rows: list[Course] = []
    total = sum(COURSES_PER_YEAR.values())
    base, extra = divmod(TOTAL_ATTENDANCES, total)
    for year, count in COURSES_PER_YEAR.items():
        for k in range(count):
            i = len(rows)
            level = LEVEL_CYCLE[i % 4]
            unit = {
                CourseLevel.TINH: province,
                CourseLevel.HUYEN: districts[(i // 4) % len(districts)],
            }.get(level, communes[(i * 7) % len(communes)])
            # The report counts courses to 9/2019: the simulated 2019 ones fall by September.
            months = REPORT_LAST_MONTH if year == REPORT_YEAR else 12
            start = dt.date(year, 1 + (k * 5) % months, 1 + (k * 3) % 25)
            rows.append(
                Course(
                    unit=unit,
                    topic=TOPICS[i % len(TOPICS)],
                    level=level,
                    start_date=start,
                    end_date=start + dt.timedelta(days=2),
                    attendances=base + (1 if i < extra else 0) + LEVEL_OFFSET[level],
                    audience="Cán bộ làm công tác xây dựng NTM",
                    source=SIMULATED_SOURCE,
                    simulated=True,
                )
            )
    return rows


def _organisation(
    province: Unit, districts: list[Unit], communes: list[Unit]
) -> tuple[list[Body], list[Resolution]]:
    def body(unit: Unit, kind: str) -> Body:
        return Body(unit=unit, kind=kind, by_year=2015, note=PERIOD_NOTE, source=REPORT_SOURCE)

    def resolution(unit: Unit, issuer: str) -> Resolution:
        subject = "Nghị quyết, quyết định về Chương trình xây dựng NTM"
        return Resolution(
            unit=unit, issuer=issuer, by_year=2015, subject=subject, source=REPORT_SOURCE
        )

    bodies = [body(province, BodyKind.STEERING), body(province, BodyKind.OFFICE)]
    bodies += [body(d, BodyKind.STEERING) for d in districts]
    bodies += [body(c, kind) for c in communes for kind in (BodyKind.STEERING, BodyKind.BOARD)]
    # Village boards: the report says every village set one up, but the demo has no villages.
    resolutions = [
        resolution(province, "Tỉnh ủy Lai Châu"),
        resolution(province, "HĐND tỉnh Lai Châu"),
    ]
    resolutions += [resolution(d, f"Huyện ủy, UBND {d.name}") for d in districts]
    resolutions += [resolution(c, f"Đảng ủy, UBND {c.name}") for c in communes]
    return bodies, resolutions


def _targets(province: Unit, districts: list[Unit]) -> list[Target]:
    by_name = {d.name: d for d in districts}
    common = {
        "unit": province,
        "year": 2020,
        "source": REPORT_SOURCE,
        "legal_source": REPORT_SOURCE,
    }
    return [
        Target(kind=TargetKind.COMMUNES, value=39, name="39 xã đạt chuẩn NTM", **common),
        Target(kind=TargetKind.AVG, value=15.5, name="Bình quân 15,5 tiêu chí/xã", **common),
        Target(
            kind=TargetKind.UNIT_COMPLETES,
            named_unit=by_name["Thành phố Lai Châu"],
            name="Thành phố Lai Châu hoàn thành nhiệm vụ xây dựng NTM",
            **common,
        ),
        Target(
            kind=TargetKind.UNIT_COMPLETES,
            named_unit=by_name["Huyện Tân Uyên"],
            name="Huyện Tân Uyên đạt chuẩn NTM",
            **common,
        ),
    ]


def _simulated_production(province: Unit, districts: list[Unit], communes: list[Unit]) -> None:
    sim = {"source": SIMULATED_SOURCE, "simulated": True}
    products = [
        ("Chè Shan tuyết (mô phỏng)", 4), ("Gạo tẻ râu (mô phỏng)", 3),
        ("Mật ong rừng (mô phỏng)", 3), ("Sâm Lai Châu (mô phỏng)", 5),
    ]  # fmt: skip
    for k, (name, stars) in enumerate(products):
        OcopProduct.objects.create(
            name=name, producer=f"Hợp tác xã mô phỏng số {k + 1}", commune=communes[k * 11],
            stars=stars, recognised_on=dt.date(2019, 6, 1), expires_on=dt.date(2022, 6, 1), **sim,
        )  # fmt: skip
    for k, (law, well) in enumerate((("2012", True), ("2012", False), ("2003", False))):
        Cooperative.objects.create(
            name=f"Hợp tác xã nông nghiệp mô phỏng số {k + 1}", commune=communes[k * 11],
            established=dt.date(2015 + k, 3, 1), law=law, operating_well=well, **sim,
        )  # fmt: skip
    ProductionModel.objects.create(
        unit=districts[0], name="Mô hình trồng chè (mô phỏng)", year=2018, households=40, **sim
    )
    Enterprise.objects.create(
        unit=province, name="Doanh nghiệp mô phỏng", field="Chế biến chè", since_year=2017, **sim
    )
    for k, kind in enumerate(
        (CommunicationKind.ARTICLE, CommunicationKind.CONTEST, CommunicationKind.WORKSHOP)
    ):
        CommunicationActivity.objects.create(
            unit=province, kind=kind, date=dt.date(2017 + k, 10, 15),
            title=f"Hoạt động tuyên truyền về NTM (mô phỏng) {k + 1}", reach=500 * (k + 1), **sim,
        )  # fmt: skip


@transaction.atomic
def programs_demo_load() -> dict[str, int]:
    province, districts, communes = _units()
    _clear(province)
    courses = Course.objects.bulk_create(_courses(province, districts, communes))
    bodies, resolutions = _organisation(province, districts, communes)
    Body.objects.bulk_create(bodies)
    Resolution.objects.bulk_create(resolutions)
    Target.objects.bulk_create(_targets(province, districts))
    EmulationMovement.objects.create(
        name="Nhân dân các dân tộc tỉnh Lai Châu chung sức xây dựng nông thôn mới",
        unit=province, launched_by="UBND tỉnh Lai Châu", launch_date=dt.date(2011, 11, 18),
        source=REPORT_SOURCE,
    )  # fmt: skip
    EmulationMovement.objects.create(
        name="Toàn dân đoàn kết xây dựng đời sống văn hóa", unit=province,
        launched_by="Ủy ban MTTQ Việt Nam tỉnh Lai Châu", source=REPORT_SOURCE,
    )  # fmt: skip
    _simulated_production(province, districts, communes)
    counts = {"courses": len(courses), "bodies": len(bodies), "resolutions": len(resolutions)}
    audit_record(actor=None, action="programs.demo_load", object_type="programs", unit=province,
                 after=counts, origin="system", origin_detail="ntm demo")  # fmt: skip
    return counts
