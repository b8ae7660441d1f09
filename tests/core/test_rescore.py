"""Merger re-scoring in the engine: combine rules, caveats, then the usual evaluation."""

import copy

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.loader import load_mapping
from ntm.core.rescore import (
    DECIDED_WITHOUT,
    MISSING,
    NO_RULE,
    NO_WEIGHT,
    OUTSIDE,
    PARTIAL,
    SUM_WITHOUT,
    Caveat,
    Predecessor,
    combine_values,
    rescore,
)
from tests.core.sample_set import SAMPLE

RULES = {"1.1": "mean_by:population", "2.1": "mean_by:households", "2.2": "any", "3.1": "all"}


def merger_set(rules=RULES, extra=True):
    """The sample set with combine rules, plus a count (cooperatives, summed) and its max."""
    data = copy.deepcopy(SAMPLE)
    for crit in data["criteria"]:
        for ind in crit["indicators"]:
            if ind["code"] in rules:
                ind["combine"] = rules[ind["code"]]
    if extra:
        data["criteria"].append(
            {
                "code": "4",
                "name": "Tổ chức sản xuất",
                "indicators": [
                    {
                        "code": "4.1",
                        "text": "Số hợp tác xã",
                        "unit": "hợp tác xã",
                        "op": ">=",
                        "combine": "sum",
                        "sources": ["S"],
                        "thresholds": {"A": 2, "B": 2},
                    },
                    {
                        "code": "4.2",
                        "text": "Tỷ lệ lao động qua đào tạo",
                        "unit": "%",
                        "op": ">=",
                        "combine": "min",
                        "sources": ["S"],
                        "thresholds": {"A": 40, "B": 40},
                    },
                ],
            }
        )
    return load_mapping(data, file="merger.yaml")


CSET = merger_set()

# Two neighbours that merge: Bản A is small and poor, Bản B is larger and richer.
A_VALUES = {"1.1": 30.0, "2.1": 10.0, "2.2": 0.0, "3.1": 1.0, "4.1": 1.0, "4.2": 50.0}
B_VALUES = {"1.1": 42.0, "2.1": 2.0, "2.2": 0.0, "3.1": 1.0, "4.1": 2.0, "4.2": 45.0}
WEIGHTS_A = {"population": 1000.0, "households": 100.0}
WEIGHTS_B = {"population": 3000.0, "households": 300.0}


def ban(name, values, weights=None, partial=False):
    return Predecessor(name=name, values=values, weights=weights or {}, partial=partial)


def merged(*predecessors):
    return combine_values(CSET, predecessors)


def test_a_count_is_the_sum_of_the_predecessors():
    assert merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES))["4.1"].value == 3.0


def test_a_sum_with_a_gap_adds_what_is_known_and_names_who_lacked_it():
    b = {**B_VALUES, "4.1": None}
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", b))["4.1"]
    assert (combined.value, combined.combine) == (1.0, "sum")
    assert combined.caveats == (Caveat(SUM_WITHOUT, ("Xã B",)),)


def test_a_rate_of_households_is_weighted_by_households():
    combined = merged(ban("Xã A", A_VALUES, WEIGHTS_A), ban("Xã B", B_VALUES, WEIGHTS_B))
    # (10% x 100 + 2% x 300) / 400 households = 4%, not the plain mean of 6%.
    assert combined["2.1"].value == pytest.approx(4.0)
    assert combined["2.1"].combine == "mean_by:households" and combined["2.1"].caveats == ()
    assert combined["1.1"].value == pytest.approx((30 * 1000 + 42 * 3000) / 4000)


def test_a_missing_weight_falls_back_to_the_plain_mean_and_says_whose():
    combined = merged(ban("Xã A", A_VALUES, WEIGHTS_A), ban("Xã B", B_VALUES))["2.1"]
    assert combined.value == pytest.approx(6.0) and combined.combine == "mean"
    assert combined.caveats == (Caveat(NO_WEIGHT, ("Xã B",), "households"),)


def test_no_weight_at_all_falls_back_for_everyone():
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES))["1.1"]
    assert combined.value == pytest.approx(36.0) and combined.combine == "mean"
    assert combined.caveats == (Caveat(NO_WEIGHT, ("Xã A", "Xã B"), "population"),)


def test_a_mean_is_missing_when_a_predecessor_lacks_the_value():
    a = {**A_VALUES, "2.1": None}
    combined = merged(ban("Xã A", a, WEIGHTS_A), ban("Xã B", B_VALUES, WEIGHTS_B))["2.1"]
    assert combined.value is None and combined.caveats == (Caveat(MISSING, ("Xã A",)),)


def test_min_takes_the_weakest_predecessor():
    assert merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES))["4.2"].value == 45.0


def test_all_needs_every_predecessor():
    b = {**B_VALUES, "3.1": 0.0}
    assert merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES))["3.1"].value == 1.0
    assert merged(ban("Xã A", A_VALUES), ban("Xã B", b))["3.1"].value == 0.0


def test_one_no_decides_all_even_when_another_predecessor_lacks_the_value():
    a, b = {**A_VALUES, "3.1": 0.0}, {**B_VALUES, "3.1": None}
    combined = merged(ban("Xã A", a), ban("Xã B", b))["3.1"]
    assert combined.value == 0.0 and combined.caveats == (Caveat(DECIDED_WITHOUT, ("Xã B",)),)


def test_all_is_missing_when_only_yes_is_known_and_a_value_lacks():
    """A gap never counts as met: the missing commune might not have it."""
    b = {**B_VALUES, "3.1": None}
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", b))["3.1"]
    assert combined.value is None and combined.caveats == (Caveat(MISSING, ("Xã B",)),)


def test_temporary_houses_in_any_predecessor_fail_the_merged_commune():
    b = {**B_VALUES, "2.2": 1.0}  # "có": Xã B still has temporary houses
    result = rescore(CSET, "A", [ban("Xã A", A_VALUES), ban("Xã B", b)])
    assert result.indicators["2.2"].value == 1.0 and result.indicators["2.2"].combine == "any"
    assert result.result.indicators["2.2"].status == "not_met"
    clean = rescore(CSET, "A", [ban("Xã A", A_VALUES), ban("Xã B", B_VALUES)])
    assert clean.result.indicators["2.2"].status == "met"


def test_a_partial_predecessor_is_flagged_on_every_indicator():
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES, partial=True))
    assert all(Caveat(PARTIAL, ("Xã B",)) in c.caveats for c in combined.values())
    assert combined["4.1"].value == 3.0  # its figures still go in whole: the caveat warns


def test_a_town_outside_the_programme_is_left_out_and_named():
    town = Predecessor(name="Thị trấn C", values={}, outside=True)
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", B_VALUES), town)
    assert combined["4.1"].value == 3.0 and combined["3.1"].value == 1.0
    assert all(Caveat(OUTSIDE, ("Thị trấn C",)) in c.caveats for c in combined.values())


def test_a_commune_without_any_value_leaves_gaps_not_a_smaller_merger():
    combined = merged(ban("Xã A", A_VALUES), ban("Xã B", {}))
    assert combined["2.1"].value is None and combined["3.1"].value is None
    assert combined["2.1"].caveats == (Caveat(MISSING, ("Xã B",)),)
    assert combined["4.1"].value == 1.0  # a sum adds what is known, and says so


def test_a_single_predecessor_carries_its_values_over_whatever_the_rule():
    combined = merged(ban("Xã A", A_VALUES))
    assert {code: c.value for code, c in combined.items()} == A_VALUES
    assert all(c.caveats == () for c in combined.values())


def test_an_indicator_without_a_rule_cannot_be_combined():
    cset = merger_set(rules={}, extra=False)
    combined = combine_values(cset, [ban("Xã A", A_VALUES), ban("Xã B", B_VALUES)])
    assert combined["1.1"].value is None and combined["1.1"].caveats == (Caveat(NO_RULE),)


def test_the_combined_values_are_judged_by_the_engine():
    preds = [ban("Xã A", A_VALUES, WEIGHTS_A), ban("Xã B", B_VALUES, WEIGHTS_B)]
    result = rescore(CSET, "A", preds)
    values = {code: c.value for code, c in result.indicators.items()}
    assert result.result == evaluate_unit(CSET, "A", values)
    # (30 x 1000 + 42 x 3000) / 4000 = 39 million: income met; poverty 4% <= 6%; 3 cooperatives; 45% trained.
    assert result.result.criteria == {"1": "met", "2": "met", "3": "met", "4": "met"}
    assert result.result.meets_standard
