"""A bad criteria file is refused with file, criterion, indicator and field named."""

import copy

import pytest

from ntm.core.loader import CriteriaFileError, load_mapping
from tests.core.sample_set import SAMPLE


def broken(change) -> dict:
    data = copy.deepcopy(SAMPLE)
    change(data)
    return data


def load_error(data: dict) -> CriteriaFileError:
    with pytest.raises(CriteriaFileError) as info:
        load_mapping(data, file="hong.yaml")
    return info.value


def test_it_names_the_indicator_and_field_of_an_unknown_comparison():
    error = load_error(broken(lambda d: d["criteria"][1]["indicators"][0].update(op=">>")))
    assert (error.file, error.criterion, error.indicator, error.field) == (
        "hong.yaml",
        "2",
        "2.1",
        "op",
    )
    assert "Tệp hong.yaml, tiêu chí 2, chỉ tiêu 2.1, trường 'op'" in str(error)


def test_it_rejects_a_threshold_for_an_unknown_region():
    error = load_error(
        broken(lambda d: d["criteria"][0]["indicators"][0]["thresholds"].update(ZZ=1))
    )
    assert error.field == "thresholds" and "ZZ" in str(error)


def test_it_rejects_a_text_threshold_on_a_number_indicator():
    error = load_error(
        broken(lambda d: d["criteria"][0]["indicators"][0]["thresholds"].update(A="nhiều"))
    )
    assert error.indicator == "1.1" and "không phải là số" in str(error)


def test_it_rejects_a_yes_no_threshold_that_contradicts_the_comparison():
    error = load_error(
        broken(lambda d: d["criteria"][1]["indicators"][1]["thresholds"].update(A="đạt"))
    )
    assert error.indicator == "2.2"


def test_it_rejects_a_threshold_without_a_source():
    error = load_error(broken(lambda d: d["criteria"][2]["indicators"][0].pop("sources")))
    assert error.field == "sources"


def test_it_rejects_duplicate_indicator_codes():
    error = load_error(broken(lambda d: d["criteria"][2]["indicators"][0].update(code="1.1")))
    assert "1.1" in str(error) and "trùng" in str(error)


def test_it_names_a_missing_required_field():
    error = load_error(broken(lambda d: d["criteria"][0]["indicators"][0].pop("unit")))
    assert (error.indicator, error.field) == ("1.1", "unit")


def test_it_rejects_a_criterion_without_indicators():
    error = load_error(broken(lambda d: d["criteria"][0].update(indicators=[])))
    assert error.criterion == "1" and error.field == "indicators"


def test_it_rejects_a_bad_date():
    error = load_error(broken(lambda d: d.update(effective="15/02/2026")))
    assert error.field == "effective"
