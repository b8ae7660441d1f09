"""Golden cases for Phụ lục III of QĐ 51/2025/QĐ-TTg: a province completing the NTM task."""

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.registry import get_set

# (condition, at the threshold, just below)
CONDITIONS = [
    ("1", 100, 99.9),  # 100% of communes meet the NTM standard
    ("2", 10, 9.9),  # at least 10% of communes are "NTM hiện đại"
    ("3", 70, 69.9),  # wards / special zones meet at least 70% of the criterion contents
]


def _status(code, value):
    result = evaluate_unit(get_set("qd51-2025-province"), "ALL", {code: value})
    return result.indicators[code].status


@pytest.mark.parametrize(("code", "at", "below"), CONDITIONS)
def test_province_condition_is_met_at_the_boundary(code, at, below):
    assert _status(code, at) == "met"
    assert _status(code, below) == "not_met"


def test_a_province_meeting_the_three_known_conditions_completes_the_task():
    result = evaluate_unit(get_set("qd51-2025-province"), "ALL", {"1": 100, "2": 12.5, "3": 75})
    assert (result.criteria_met, result.meets_standard) == (3, True)
    result = evaluate_unit(get_set("qd51-2025-province"), "ALL", {"1": 97.4, "2": 12.5, "3": 75})
    assert result.criteria["1"] == "not_met"
    assert not result.meets_standard
