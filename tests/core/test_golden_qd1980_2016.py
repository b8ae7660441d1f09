"""Golden cases for QĐ 1980/QĐ-TTg (2016), worked by hand from the reference transcription.

Numeric rows are (region, value at the threshold, value just beyond it). The tables are
written out here, not derived from the data file, so a wrong cell in the file fails a test.
"""

from pathlib import Path

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.registry import get_set
from ntm.core.specs import apply_spec, load_spec_file

REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"]
DEMO_SPEC = (
    Path(__file__).parents[2] / "src" / "ntm" / "demo" / "specs" / "laichau_demo_qd1980.yaml"
)

# 10 Thu nhập 2020, triệu đồng/người/năm (S5, S6, S22): (region, at the threshold, just below)
INCOME = [
    ("TDMNPB", 36, 35.9),
    ("DBSH", 50, 49.9),
    ("BTB", 36, 35.9),
    ("DHNTB", 41, 40.9),
    ("TN", 41, 40.9),
    ("DNB", 59, 58.9),
    ("DBSCL", 50, 49.9),
]

# Other ">=" cells: (indicator, region, at the threshold, just below)
AT_LEAST = [
    # 14.2 học sinh tốt nghiệp THCS tiếp tục học (S2)
    ("14.2", "TDMNPB", 70, 69.9),
    ("14.2", "DBSH", 90, 89.9),
    ("14.2", "BTB", 85, 84.9),
    ("14.2", "DHNTB", 85, 84.9),
    ("14.2", "TN", 70, 69.9),
    ("14.2", "DNB", 90, 89.9),
    ("14.2", "DBSCL", 80, 79.9),
    # 14.3 lao động có việc làm qua đào tạo (S2)
    ("14.3", "TDMNPB", 25, 24.9),
    ("14.3", "DBSH", 40, 39.9),
    ("14.3", "BTB", 40, 39.9),
    ("14.3", "DHNTB", 40, 39.9),
    ("14.3", "TN", 25, 24.9),
    ("14.3", "DNB", 45, 44.9),
    ("14.3", "DBSCL", 25, 24.9),
    # 15.1 bảo hiểm y tế (S3, S10)
    ("15.1", "TDMNPB", 85, 84.9),
    ("15.1", "DBSH", 85, 84.9),
    ("15.1", "BTB", 85, 84.9),
    ("15.1", "DHNTB", 85, 84.9),
    ("15.1", "TN", 85, 84.9),
    ("15.1", "DNB", 85, 84.9),
    ("15.1", "DBSCL", 85, 84.9),
    # 17.1 nước hợp vệ sinh (S4); DHNTB is a typo in the source, left unconfirmed
    ("17.1", "TDMNPB", 90, 89.9),
    ("17.1", "DBSH", 98, 97.9),
    ("17.1", "BTB", 98, 97.9),
    ("17.1", "TN", 95, 94.9),
    ("17.1", "DNB", 98, 97.9),
    ("17.1", "DBSCL", 95, 94.9),
    # 5 trường học, ĐBSCL only (A1); 16 văn hóa, ĐBSCL only (S13)
    ("5", "DBSCL", 70, 69.9),
    ("16", "DBSCL", 70, 69.9),
]

# "<=" cells: (indicator, region, at the threshold, just above)
AT_MOST = [
    # 15.3 trẻ em dưới 5 tuổi suy dinh dưỡng thể thấp còi (S3, S10)
    ("15.3", "TDMNPB", 26.7, 26.8),
    ("15.3", "DBSH", 13.9, 14.0),
    ("15.3", "BTB", 24.2, 24.3),
    ("15.3", "DHNTB", 24.2, 24.3),
    ("15.3", "TN", 31.4, 31.5),
    ("15.3", "DNB", 14.3, 14.4),
    ("15.3", "DBSCL", 20.5, 20.6),
]

# Yes/no indicators confirmed "đạt" in every region.
DAT_EVERYWHERE = ["1.1", "1.2", "8.1", "8.2", "8.3", "8.4", "14.1", "15.2"]

# Indicators with no confirmed cell in any region.
UNCONFIRMED_EVERYWHERE = [
    "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "6.1", "6.2", "6.3", "7",
    "9.1", "9.2", "11", "12", "13.1", "13.2",
    "17.2", "17.3", "17.4", "17.5", "17.6", "17.7", "17.8",
    "18.1", "18.2", "18.3", "18.4", "18.5", "18.6", "19.1", "19.2",
]  # fmt: skip

# Partly confirmed indicators: the regions whose cell is unconfirmed.
UNCONFIRMED_CELLS = [("17.1", "DHNTB")] + [
    (code, region) for code in ("5", "16") for region in REGIONS if region != "DBSCL"
]


def _status(region, code, value, cset=None):
    result = evaluate_unit(cset or get_set("qd1980-2016"), region, {code: value})
    return result.indicators[code].status, result.indicators[code].reason


@pytest.mark.parametrize(("code", "region", "at", "below"), AT_LEAST)
def test_minimum_threshold_of_each_region_is_met_at_the_boundary(code, region, at, below):
    assert _status(region, code, at) == ("met", "")
    assert _status(region, code, below) == ("not_met", "")


@pytest.mark.parametrize(("code", "region", "at", "above"), AT_MOST)
def test_stunting_maximum_of_each_region_is_met_at_the_boundary(code, region, at, above):
    assert _status(region, code, at) == ("met", "")
    assert _status(region, code, above) == ("not_met", "")


@pytest.mark.parametrize(("region", "at", "below"), INCOME)
def test_income_threshold_of_each_region_is_met_at_the_boundary(region, at, below):
    assert _status(region, "10", at) == ("met", "")
    assert _status(region, "10", below) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", DAT_EVERYWHERE)
def test_yes_no_indicator_is_met_only_when_dat(code, region):
    assert _status(region, code, 1.0) == ("met", "")
    assert _status(region, code, 0.0) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", UNCONFIRMED_EVERYWHERE)
def test_indicator_without_confirmed_cell_is_missing_for_lack_of_threshold(code, region):
    assert _status(region, code, 1.0) == ("missing", "no_threshold")


@pytest.mark.parametrize(("code", "region"), UNCONFIRMED_CELLS)
def test_unconfirmed_region_of_a_partly_confirmed_indicator_is_missing(code, region):
    assert _status(region, code, 100.0) == ("missing", "no_threshold")


def test_no_value_is_missing_not_failed():
    assert _status("TDMNPB", "14.2", None) == ("missing", "no_value")


def test_temporary_houses_under_the_demo_spec_are_met_only_when_there_are_none():
    demo = apply_spec(get_set("qd1980-2016"), load_spec_file(DEMO_SPEC))
    assert _status("TDMNPB", "9.1", 0.0, demo) == ("met", "")  # không có nhà tạm
    assert _status("TDMNPB", "9.1", 1.0, demo) == ("not_met", "")  # còn nhà tạm


def test_a_tdmnpb_commune_under_the_demo_spec_can_meet_all_19_criteria():
    demo = apply_spec(get_set("qd1980-2016"), load_spec_file(DEMO_SPEC))
    values = {
        "1.1": 1, "1.2": 1, "2.1": 1, "2.2": 1, "2.3": 1, "2.4": 1, "3.1": 80, "3.2": 1,
        "4.1": 1, "4.2": 98, "5": 80, "6.1": 1, "6.2": 1, "6.3": 100, "7": 1,
        "8.1": 1, "8.2": 1, "8.3": 1, "8.4": 1, "9.1": 0, "9.2": 80, "10": 36, "11": 6,
        "12": 90, "13.1": 1, "13.2": 1, "14.1": 1, "14.2": 70, "14.3": 25,
        "15.1": 85, "15.2": 1, "15.3": 26.7, "16": 70, "17.1": 90, "17.2": 90,
        "17.3": 1, "17.4": 1, "17.5": 1, "17.6": 85, "17.7": 60, "17.8": 100,
        "18.1": 1, "18.2": 1, "18.3": 1, "18.4": 1, "18.5": 1, "18.6": 1, "19.1": 1, "19.2": 1,
    }  # fmt: skip
    result = evaluate_unit(demo, "TDMNPB", values)
    assert (result.criteria_met, result.meets_standard) == (19, True)
    result = evaluate_unit(demo, "TDMNPB", values | {"15.3": 26.8})
    assert (result.criteria_met, result.criteria["15"]) == (18, "not_met")
