from __future__ import annotations

import datetime as dt

from ntm.programs import selectors
from ntm.programs.demo import programs_demo_load
from ntm.programs.models import NO_DECISION_NUMBER, Body, Course, EmulationMovement
from ntm.units.models import Unit

END_2019 = dt.date(2019, 12, 31)


def test_the_demo_has_140_courses_with_over_7200_attendances(province):
    summary = selectors.training_summary(unit=province, year_from=2011, year_to=2019)
    assert summary == {"courses": 140, "attendances": 7236}
    assert not Course.objects.filter(simulated=False).exists()  # the detail is labelled


def test_training_summary_counts_only_the_years_asked(province):
    summary = selectors.training_summary(unit=province, year_from=2011, year_to=2011)
    assert summary["courses"] == 8


def test_training_summary_of_a_district_counts_its_subtree_only(province):
    district = Unit.objects.get(level="district", code="105", valid_from__isnull=True)
    summary = selectors.training_summary(unit=district, year_from=2011, year_to=2019)
    assert 0 < summary["courses"] < 140


def test_the_demo_holds_the_provinces_emulation_movement(province):
    movement = EmulationMovement.objects.get(name__contains="chung sức xây dựng nông thôn mới")
    assert movement.launched_by == "UBND tỉnh Lai Châu"
    assert movement.launch_date == dt.date(2011, 11, 18)


def test_8_of_8_districts_set_up_steering_committees(province):
    coverage = selectors.organisation_coverage(
        unit=province, kind="steering_committee", on=END_2019
    )
    assert coverage == {"units_with": 8, "units_total": 8, "level": "district"}


def test_96_of_96_communes_set_up_management_boards(province):
    coverage = selectors.organisation_coverage(unit=province, kind="management_board", on=END_2019)
    assert coverage == {"units_with": 96, "units_total": 96, "level": "commune"}


def test_the_province_set_up_its_steering_committee(province):
    coverage = selectors.organisation_coverage(
        unit=province, kind="steering_committee", on=END_2019, level="province"
    )
    assert coverage["units_with"] == coverage["units_total"] == 1


def test_bodies_known_only_by_period_count_from_the_periods_end(province):
    coverage = selectors.organisation_coverage(
        unit=province, kind="management_board", on=dt.date(2014, 6, 1)
    )
    assert coverage["units_with"] == 0


def test_decision_numbers_are_left_blank_not_invented(province):
    body = Body.objects.filter(unit=province).first()
    assert body.decision_number == ""
    assert NO_DECISION_NUMBER in body.note


def test_every_unit_issued_ntm_resolutions_in_2011_2015(province):
    districts = selectors.resolution_coverage(unit=province, level="district", on=END_2019)
    communes = selectors.resolution_coverage(unit=province, level="commune", on=END_2019)
    assert (districts["units_with"], districts["units_total"]) == (8, 8)
    assert (communes["units_with"], communes["units_total"]) == (96, 96)


def test_2020_targets_show_the_demos_actual_values(province):
    rows = selectors.targets_progress(unit=province, year_from=2020, year_to=2020)
    by_name = {r["name"]: r for r in rows}
    reached = by_name["39 xã đạt chuẩn NTM"]
    assert (reached["target"], reached["actual"], reached["data_year"]) == (39, 39, 2020)
    # reached only in the demo's invented values: flagged, never shown as plainly achieved
    assert reached["simulated_data"] and "mô phỏng" in reached["note"]
    assert by_name["Bình quân 15,5 tiêu chí/xã"]["target"] == 15.5
    assert by_name["Bình quân 15,5 tiêu chí/xã"]["actual"] == 15.5
    assert len(rows) == 4


def test_unit_completion_targets_report_the_named_units_communes(province):
    rows = selectors.targets_progress(unit=province, year_from=2020, year_to=2020)
    city = next(r for r in rows if r["name"].startswith("Thành phố Lai Châu"))
    assert isinstance(city["actual"], str)
    assert "xã đạt chuẩn" in city["actual"]


def test_ocop_summary_counts_products_by_stars(province):
    summary = selectors.ocop_summary(unit=province)
    assert summary["products"] == sum(summary["by_stars"].values())
    assert set(summary["by_stars"]) == {"3", "4", "5"}


def test_ocop_summary_on_a_date_leaves_out_expired_products(province):
    assert selectors.ocop_summary(unit=province, on=dt.date(2030, 1, 1))["products"] == 0


def test_the_demo_reloads_without_duplicating(province):
    programs_demo_load()
    summary = selectors.training_summary(unit=province, year_from=2011, year_to=2019)
    assert summary["courses"] == 140
