import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from ntm.core.evaluate import evaluate_batch, evaluate_unit
from tests.core.sample_set import sample_set

ALL_MET = {"1.1": 40.0, "2.1": 5.0, "2.2": 0.0, "3.1": 1.0}


def test_a_commune_meeting_every_indicator_meets_the_standard():
    result = evaluate_unit(sample_set(), "A", ALL_MET)
    assert result.criteria == {"1": "met", "2": "met", "3": "met"}
    assert (result.criteria_met, result.criteria_total, result.meets_standard) == (3, 3, True)


def test_value_at_the_threshold_is_met_for_at_least_and_at_most():
    result = evaluate_unit(sample_set(), "A", {**ALL_MET, "1.1": 36.0, "2.1": 6.0})
    assert result.indicators["1.1"].status == "met"
    assert result.indicators["2.1"].status == "met"


def test_value_just_past_the_threshold_is_not_met():
    result = evaluate_unit(sample_set(), "A", {**ALL_MET, "1.1": 35.9, "2.1": 6.1})
    assert result.indicators["1.1"].status == "not_met"
    assert result.indicators["2.1"].status == "not_met"
    assert result.criteria["1"] == "not_met"


def test_thresholds_follow_the_commune_region():
    assert evaluate_unit(sample_set(), "A", {"1.1": 40.0}).indicators["1.1"].status == "met"
    assert evaluate_unit(sample_set(), "B", {"1.1": 40.0}).indicators["1.1"].status == "not_met"


def test_missing_value_is_missing_with_reason_no_value():
    result = evaluate_unit(sample_set(), "A", {k: v for k, v in ALL_MET.items() if k != "3.1"})
    assert result.indicators["3.1"].status == "missing"
    assert result.indicators["3.1"].reason == "no_value"
    assert result.criteria["3"] == "missing"


def test_unconfirmed_threshold_is_missing_with_reason_no_threshold():
    result = evaluate_unit(sample_set(), "B", {"1.1": 60.0, "2.1": 1.0, "2.2": 0.0, "3.1": 1.0})
    assert result.indicators["2.1"].status == "missing"
    assert result.indicators["2.1"].reason == "no_threshold"
    assert result.criteria["2"] == "missing"


def test_missing_never_counts_as_met():
    result = evaluate_unit(sample_set(), "A", {})
    assert result.criteria_met == 0
    assert result.meets_standard is False


def test_not_met_wins_over_missing_within_a_criterion():
    result = evaluate_unit(sample_set(), "B", {"2.2": 1.0})  # 2.1 has no threshold for B
    assert result.criteria["2"] == "not_met"


def test_yes_no_indicator_that_must_be_no_fails_on_yes():
    result = evaluate_unit(sample_set(), "A", {**ALL_MET, "2.2": 1.0})
    assert result.indicators["2.2"].status == "not_met"


def test_each_tier_is_judged_with_its_own_thresholds():
    result = evaluate_unit(sample_set(), "A", {**ALL_MET, "1.1": 38.0})
    assert result.tiers["ntm"] is True
    assert result.tiers["nang_cao"] is False  # nâng cao needs 40 in region A


def test_batch_and_single_evaluation_agree():
    cset = sample_set()
    rows = np.array([[40, 5, 0, 1], [30, 5, 0, 1], [np.nan, 7, 1, 0]], dtype=float)
    batch = evaluate_batch(cset, ["A", "A", "B"], rows)
    singles = [
        evaluate_unit(
            cset, cls, dict(zip(["1.1", "2.1", "2.2", "3.1"], map(float, row), strict=True))
        )
        for cls, row in zip(["A", "A", "B"], rows, strict=True)
    ]
    assert list(batch.criteria_met) == [s.criteria_met for s in singles]


values = st.floats(min_value=0, max_value=100, allow_nan=False)


@given(base=values, raise_by=st.floats(min_value=0, max_value=50, allow_nan=False))
def test_raising_a_value_never_turns_an_at_least_indicator_from_met_to_not_met(base, raise_by):
    before = evaluate_unit(sample_set(), "A", {"1.1": base}).indicators["1.1"].status
    after = evaluate_unit(sample_set(), "A", {"1.1": base + raise_by}).indicators["1.1"].status
    assert not (before == "met" and after == "not_met")


@given(base=values, lower_by=st.floats(min_value=0, max_value=50, allow_nan=False))
def test_lowering_a_value_never_turns_an_at_most_indicator_from_met_to_not_met(base, lower_by):
    before = evaluate_unit(sample_set(), "A", {"2.1": base}).indicators["2.1"].status
    after = evaluate_unit(sample_set(), "A", {"2.1": base - lower_by}).indicators["2.1"].status
    assert not (before == "met" and after == "not_met")


@given(st.dictionaries(st.sampled_from(["1.1", "2.1", "2.2", "3.1"]), values))
def test_criteria_met_never_exceeds_total_and_standard_means_all_met(vals):
    result = evaluate_unit(sample_set(), "A", vals)
    assert 0 <= result.criteria_met <= result.criteria_total
    assert result.meets_standard == (result.criteria_met == result.criteria_total)


@given(
    st.dictionaries(st.sampled_from(["1.1", "2.1", "2.2", "3.1"]), values),
    st.sampled_from(["1.1", "2.1", "2.2", "3.1"]),
)
def test_removing_a_value_never_adds_a_met_criterion(vals, dropped):
    full = evaluate_unit(sample_set(), "A", vals).criteria_met
    fewer = evaluate_unit(
        sample_set(), "A", {k: v for k, v in vals.items() if k != dropped}
    ).criteria_met
    assert fewer <= full
