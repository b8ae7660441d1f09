"""Golden cases for the district set of QĐ 320/QĐ-TTg (2022): transport guidance only.

QĐ 932/QĐ-BGTVT gives 2.1 (three 100% conditions, modelled yes/no), 2.2 (100% of district
roads at standard) and 2.4 (coach station type IV or better); nothing else is confirmed.
"""

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.registry import get_set

REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"]
CRITERION_LEVEL = ["1", "3", "4", "5", "6", "7", "8", "9"]


def _status(region, code, value):
    result = evaluate_unit(get_set("qd320-2022"), region, {code: value})
    return result.indicators[code].status, result.indicators[code].reason


@pytest.mark.parametrize("region", REGIONS)
def test_district_roads_at_standard_must_reach_100_percent_in_every_region(region):
    assert _status(region, "2.2", 100.0) == ("met", "")
    assert _status(region, "2.2", 99.9) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", ["2.1", "2.4"])
def test_transport_yes_no_indicator_is_met_only_when_dat(code, region):
    assert _status(region, code, 1.0) == ("met", "")
    assert _status(region, code, 0.0) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", CRITERION_LEVEL)
def test_criterion_level_indicator_has_no_threshold(code, region):
    assert _status(region, code, 1.0) == ("missing", "no_threshold")


def test_a_district_meeting_transport_only_meets_one_criterion():
    values = {"2.1": 1.0, "2.2": 100.0, "2.4": 1.0} | {c: 1.0 for c in CRITERION_LEVEL}
    result = evaluate_unit(get_set("qd320-2022"), "TDMNPB", values)
    assert result.criteria["2"] == "met"
    assert (result.criteria_met, result.meets_standard) == (1, False)
