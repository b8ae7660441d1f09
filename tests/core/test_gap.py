"""The gap to the standard of one commune, and the "closest to the standard" ranking."""

import pytest

from ntm.core.evaluate import evaluate_unit
from ntm.core.gap import commune_gap, gap_rank
from tests.core.sample_set import sample_set

ALL_MET = {"1.1": 40.0, "2.1": 5.0, "2.2": 0.0, "3.1": 1.0}


def gap_of(class_code: str, values: dict[str, float]):
    cset = sample_set()
    return commune_gap(cset, evaluate_unit(cset, class_code, values))


def only_indicator(gap, criterion: str):
    (crit,) = [c for c in gap.criteria if c.code == criterion]
    (ind,) = crit.indicators
    return ind


def test_a_commune_meeting_the_standard_has_no_gaps():
    gap = gap_of("A", ALL_MET)
    assert gap.meets_standard
    assert gap.criteria == ()
    assert gap.shortfall_score == 0


def test_the_shortfall_of_an_at_least_indicator_is_threshold_minus_value():
    ind = only_indicator(gap_of("A", {**ALL_MET, "1.1": 27.0}), "1")
    assert (ind.state, ind.value, ind.threshold) == ("not_met", 27.0, 36.0)
    assert ind.shortfall == 9.0
    assert ind.normalised == pytest.approx(9 / 36, abs=1e-6)
    assert ind.label == "27 triệu đồng / cần ≥ 36 triệu đồng"


def test_the_shortfall_of_an_at_most_percentage_is_value_minus_threshold():
    ind = only_indicator(gap_of("A", {**ALL_MET, "2.1": 8.5}), "2")
    assert ind.shortfall == 2.5
    assert ind.normalised == pytest.approx(2.5 / 94, abs=1e-6)
    assert ind.label == "8,5% / cần ≤ 6%"


def test_a_shortfall_prints_without_float_noise():
    ind = only_indicator(gap_of("A", {**ALL_MET, "1.1": 35.7}), "1")
    assert ind.shortfall == 0.3


def test_a_yes_no_indicator_has_no_shortfall_in_units_and_counts_as_a_whole_gap():
    ind = only_indicator(gap_of("A", {**ALL_MET, "3.1": 0.0}), "3")
    assert (ind.shortfall, ind.normalised) == (None, 1.0)
    assert ind.label == "không đạt / cần đạt"


def test_a_must_be_none_indicator_says_what_is_there_and_what_is_needed():
    ind = only_indicator(gap_of("A", {**ALL_MET, "2.2": 1.0}), "2")
    assert ind.label == "có / cần không"


def test_a_missing_value_is_reported_as_missing_data_not_as_a_shortfall():
    values = {k: v for k, v in ALL_MET.items() if k != "3.1"}
    gap = gap_of("A", values)
    ind = only_indicator(gap, "3")
    assert (ind.state, ind.label, ind.shortfall, ind.normalised) == (
        "no_value",
        "thiếu số liệu",
        None,
        None,
    )
    assert (gap.criteria_not_met, gap.criteria_missing, gap.shortfall_score) == (0, 1, 0)


def test_an_unconfirmed_threshold_is_reported_as_such_and_never_invented():
    # Region B has no confirmed threshold for 2.1 in the sample set.
    gap = gap_of("B", {**ALL_MET, "1.1": 60.0, "2.1": 3.0})
    ind = only_indicator(gap, "2")
    assert ind.state == "no_threshold"
    assert ind.threshold is None
    assert ind.shortfall is None
    assert ind.label == "3% / ngưỡng chưa được xác nhận"


def test_met_indicators_of_an_unmet_criterion_are_not_listed():
    gap = gap_of("A", {**ALL_MET, "2.1": 9.0})
    (crit,) = gap.criteria
    assert [i.code for i in crit.indicators] == ["2.1"]


def test_the_ranking_puts_fewest_criteria_missing_first_then_smallest_shortfall():
    one_far = gap_of("A", {**ALL_MET, "1.1": 10.0})
    one_near = gap_of("A", {**ALL_MET, "1.1": 35.0})
    two_near = gap_of("A", {**ALL_MET, "1.1": 35.9, "2.1": 6.1})
    one_missing = gap_of("A", {k: v for k, v in ALL_MET.items() if k != "1.1"})
    done = gap_of("A", ALL_MET)
    ranked = gap_rank(
        [("two_near", two_near), ("one_far", one_far), ("done", done), ("one_near", one_near),
         ("one_missing", one_missing)]
    )  # fmt: skip
    # one_missing has one criterion missing and no shortfall: as close as it can be told.
    assert [key for key, _ in ranked] == ["one_missing", "one_near", "one_far", "two_near"]


def test_a_commune_meeting_the_standard_is_left_out_of_the_ranking():
    assert gap_rank([("done", gap_of("A", ALL_MET))]) == []
