"""Every commune indicator says how merged communes combine, and the loader checks it."""

import copy

import pytest

from ntm.core.loader import CriteriaFileError, load_mapping
from ntm.core.model import Level, Op
from ntm.core.registry import national_sets
from ntm.core.rescore import RULES, parse_combine
from tests.core.sample_set import SAMPLE

COMMUNE_SETS = sorted(s.id for s in national_sets().values() if s.level is Level.COMMUNE)


def test_the_four_commune_sets_are_covered():
    assert COMMUNE_SETS == ["qd1980-2016", "qd318-2022", "qd491-2009", "qd51-2025"]


@pytest.mark.parametrize("set_id", COMMUNE_SETS)
def test_every_commune_indicator_of_a_shipped_set_has_a_valid_rule(set_id):
    for ind in national_sets()[set_id].indicators:
        assert ind.combine in RULES, ind.code
        assert str(parse_combine(ind.combine, ind.op)) == ind.combine


@pytest.mark.parametrize("set_id", COMMUNE_SETS)
def test_the_rules_follow_what_the_indicator_counts(set_id):
    for ind in national_sets()[set_id].indicators:
        if ind.op is Op.KHONG:  # one commune with temporary houses fails the merged one
            assert ind.combine == "any", ind.code
        elif ind.op is Op.DAT:
            assert ind.combine == "all", ind.code
        if ind.text.startswith("Tỷ lệ hộ"):
            assert ind.combine == "mean_by:households", ind.code
        if ind.unit == "triệu đồng/người/năm":
            assert ind.combine == "mean_by:population", ind.code
        if ind.text.startswith("Tỷ lệ thôn"):
            assert ind.combine == "mean_by:villages", ind.code


def test_district_and_province_sets_may_leave_the_rule_out():
    others = [s for s in national_sets().values() if s.level is not Level.COMMUNE]
    assert others and all(i.combine == "" for s in others for i in s.indicators)


def with_combine(code: str, combine: object) -> dict:
    data = copy.deepcopy(SAMPLE)
    for crit in data["criteria"]:
        for ind in crit["indicators"]:
            if ind["code"] == code:
                ind["combine"] = combine
    return data


def load_error(data: dict) -> CriteriaFileError:
    with pytest.raises(CriteriaFileError) as info:
        load_mapping(data, file="hong.yaml")
    return info.value


def test_it_names_file_criterion_indicator_and_field_of_an_unknown_rule():
    error = load_error(with_combine("2.1", "median"))
    assert (error.file, error.criterion, error.indicator, error.field) == (
        "hong.yaml",
        "2",
        "2.1",
        "combine",
    )
    assert str(error).startswith("Tệp hong.yaml, tiêu chí 2, chỉ tiêu 2.1, trường 'combine'")
    assert "cách gộp 'median' không hợp lệ" in str(error) and "mean_by:households" in str(error)


def test_it_rejects_an_unknown_weight():
    assert "không hợp lệ" in str(load_error(with_combine("2.1", "mean_by:ponies")))


def test_it_rejects_a_mean_of_a_yes_no_indicator():
    error = load_error(with_combine("3.1", "mean"))
    assert error.indicator == "3.1" and "chỉ gộp theo all hoặc any" in str(error)


def test_it_rejects_all_for_a_number():
    error = load_error(with_combine("1.1", "all"))
    assert error.indicator == "1.1" and "chỉ dùng cho chỉ tiêu có/không" in str(error)


def test_it_rejects_a_rule_that_is_not_text():
    assert "kiểu dữ liệu không đúng" in str(load_error(with_combine("1.1", 3)))


def test_it_reads_a_valid_rule_and_leaves_an_absent_one_empty():
    cset = load_mapping(with_combine("2.1", " mean_by:households "), file="ok.yaml")
    assert cset.indicator("2.1").combine == "mean_by:households"
    assert cset.indicator("1.1").combine == ""
