"""Golden cases for QĐ 318/QĐ-TTg (2022), worked by hand from the reference transcription.

Only a few cells are confirmed (6.3 through HD 1064/HD-BVHTTDL; 5 and 14.1 through
QĐ 1491/QĐ-BGDĐT). The tables are written out here, not derived from the data file.
"""

import pytest

from ntm.core.evaluate import NO_THRESHOLD, evaluate_batch, evaluate_unit, values_row
from ntm.core.registry import get_set

REGIONS = ["TDMNPB", "DBSH", "BTB", "DHNTB", "TN", "DNB", "DBSCL"]

# 6.3 thôn có nhà văn hóa: 100% in every region (B1). (region, at, just below)
CULTURAL_HOUSES = [
    ("TDMNPB", 100, 99.9),
    ("DBSH", 100, 99.9),
    ("BTB", 100, 99.9),
    ("DHNTB", 100, 99.9),
    ("TN", 100, 99.9),
    ("DNB", 100, 99.9),
    ("DBSCL", 100, 99.9),
]

# Yes/no rules published by QĐ 1491/QĐ-BGDĐT, "đạt" in every region.
EDUCATION_RULES = ["5", "14.1"]

UNCONFIRMED_EVERYWHERE = [
    "1.1", "1.2", "2.1", "2.2", "2.3", "2.4", "3.1", "3.2", "4.1", "4.2", "6.1", "6.2",
    "7", "8.1", "8.2", "8.3", "8.4", "9.1", "9.2", "10", "11", "12", "13", "14.2",
    "15", "16", "17", "18", "19.1", "19.2",
]  # fmt: skip


def _status(region, code, value):
    result = evaluate_unit(get_set("qd318-2022"), region, {code: value})
    return result.indicators[code].status, result.indicators[code].reason


@pytest.mark.parametrize(("region", "at", "below"), CULTURAL_HOUSES)
def test_village_cultural_house_share_of_each_region_is_met_at_the_boundary(region, at, below):
    assert _status(region, "6.3", at) == ("met", "")
    assert _status(region, "6.3", below) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", EDUCATION_RULES)
def test_education_rule_is_met_only_when_dat(code, region):
    assert _status(region, code, 1.0) == ("met", "")
    assert _status(region, code, 0.0) == ("not_met", "")


@pytest.mark.parametrize("region", REGIONS)
@pytest.mark.parametrize("code", UNCONFIRMED_EVERYWHERE)
def test_indicator_without_confirmed_cell_is_missing_for_lack_of_threshold(code, region):
    assert _status(region, code, 1.0) == ("missing", "no_threshold")


def test_no_nang_cao_threshold_is_confirmed_so_nang_cao_is_never_met():
    cset = get_set("qd318-2022")
    values = {ind.code: 1.0 for ind in cset.indicators} | {"6.3": 100.0}
    row = values_row(cset, values)
    batch = evaluate_batch(cset, ["DBSH"], row, "nang_cao")
    assert (batch.indicator_status == NO_THRESHOLD).all()
    assert evaluate_unit(cset, "DBSH", values).tiers == {"ntm": False, "nang_cao": False}
