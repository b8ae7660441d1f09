"""Golden cases for QĐ 491/QĐ-TTg (2009), worked by hand from the reference transcription.

Each table row is (region, value at the threshold, value just beyond it). The tables are
written out here, not derived from the data file, so a wrong cell in the file fails a test.
"""

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.registry import get_set

REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"]

# Criterion 2: road hardening of village axis roads, ">=" (V2).
ROAD = [
    ("TDMNPB", 50, 49.9),
    ("DBSH", 100, 99.9),
    ("BTB", 70, 69.9),
    ("DHNTB", 70, 69.9),
    ("TN", 70, 69.9),
    ("DNB", 100, 99.9),
    ("DBSCL", 50, 49.9),
]

# Criterion 11: poor-household rate, strictly below ("<") the threshold (V2).
# (region, threshold, value just below it)
POVERTY = [
    ("TDMNPB", 10, 9.9),
    ("DBSH", 3, 2.9),
    ("BTB", 5, 4.9),
    ("DHNTB", 5, 4.9),
    ("TN", 7, 6.9),
    ("DNB", 3, 2.9),
    ("DBSCL", 7, 6.9),
]

# Criteria transcribed only as one criterion-level yes/no indicator (must be "đạt").
CRITERION_LEVEL = [
    "1",
    "3",
    "4",
    "5",
    "6",
    "7",
    "8",
    "9",
    "12",
    "13",
    "14",
    "15",
    "16",
    "17",
    "18",
    "19",
]


def _status(region, code, value):
    result = evaluate_unit(get_set("qd491-2009"), region, {code: value})
    return result.indicators[code].status, result.indicators[code].reason


@pytest.mark.parametrize(("region", "at", "beyond"), ROAD)
def test_road_hardening_of_each_region_is_met_at_the_boundary(region, at, beyond):
    assert _status(region, "2", at) == ("met", "")
    assert _status(region, "2", beyond) == ("not_met", "")


@pytest.mark.parametrize(("region", "threshold", "below"), POVERTY)
def test_poverty_rate_must_be_strictly_below_the_threshold_of_each_region(region, threshold, below):
    assert _status(region, "11", below) == ("met", "")
    assert _status(region, "11", threshold) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", CRITERION_LEVEL)
def test_criterion_level_indicator_is_met_only_when_dat(code, region):
    assert _status(region, code, 1.0) == ("met", "")
    assert _status(region, code, 0.0) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
def test_income_has_no_national_threshold_in_any_region(region):
    assert _status(region, "10", 100.0) == ("missing", "no_threshold")


def test_a_commune_meeting_everything_else_still_lacks_the_income_threshold():
    values = {code: 1.0 for code in CRITERION_LEVEL} | {"2": 100.0, "11": 0.0, "10": 50.0}
    result = evaluate_unit(get_set("qd491-2009"), "TDMNPB", values)
    assert result.criteria_met == 18
    assert result.criteria["10"] == "missing"
    assert not result.meets_standard
