"""`ntm forecast`: each commune's expected year from its unmet indicators, and --base-year.
(The rest of the command: tests/indicators/with_demo/test_gap_forecast_commands.py.)"""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

OLD_COMMUNE_KEYS = [
    "unit_code", "name", "criteria_met", "criteria_total", "met_since", "forecast",
    "expected_criteria_met", "interval", "p_meets", "expected_year", "expected_year_range",
    "reason", "indicators",
]  # fmt: skip
OLD_INDICATOR_KEYS = [
    "code", "text", "unit", "op", "value", "threshold", "method", "forecast", "interval",
    "p_meets", "reason",
]  # fmt: skip


def forecast(*args: str) -> dict:
    out = StringIO()
    call_command("forecast", "--unit", "12", "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def communes_2020(demo, db) -> list[dict]:
    return forecast("--target-year", "2020")["communes"]


def test_the_existing_keys_stay_and_the_expected_year_keys_are_added(communes_2020):
    row = communes_2020[0]
    assert set(OLD_COMMUNE_KEYS) <= set(row)
    assert {
        "expected_year_basis", "expected_year_note", "criteria_expected_year",
        "criteria_expected_year_range",
    } <= set(row)  # fmt: skip
    indicator = next(i for r in communes_2020 for i in r["indicators"])
    assert [k for k in indicator if k in OLD_INDICATOR_KEYS] == OLD_INDICATOR_KEYS
    assert {"expected_year", "expected_year_range", "expected_year_reason"} <= set(indicator)


def test_the_expected_year_is_the_latest_indicator_year_when_all_have_one(communes_2020):
    seen = set()
    for row in communes_2020:
        basis, years = row["expected_year_basis"], [i["expected_year"] for i in row["indicators"]]
        seen.add(basis)
        if basis == "indicators":
            assert None not in years and row["expected_year"] == max(years)
        elif basis == "criteria":
            assert row["expected_year"] == row["criteria_expected_year"]
            assert row["expected_year_note"].startswith("theo xu hướng số tiêu chí đạt")
        elif basis == "met":
            assert row["expected_year"] == row["met_since"]
        else:
            assert row["expected_year"] is None and row["expected_year_note"]
    assert seen == {"met", "indicators", "criteria", "none"}


def test_an_indicator_without_a_year_says_why(communes_2020):
    for ind in (i for r in communes_2020 for i in r["indicators"]):
        if ind["expected_year"] is None:
            assert ind["expected_year_reason"]
        else:
            assert ind["expected_year"] > 2019 and ind["op"] in (">=", "<=", ">", "<")


def test_the_table_says_what_each_expected_year_was_read_from(demo):
    out = StringIO()
    call_command("forecast", "--unit", "12", "--target-year", "2020", stdout=out)
    assert "theo từng chỉ tiêu chưa đạt" in out.getvalue()
    assert "theo xu hướng số tiêu chí đạt — chỉ tiêu" in out.getvalue()


def test_the_base_year_option_forecasts_from_an_earlier_year(demo):
    data = forecast("--target-year", "2020", "--base-year", "2017")
    assert data["base_year"] == 2017
    assert data["expected"]["count"] != forecast("--target-year", "2020")["expected"]["count"]


def test_a_base_year_before_any_data_is_refused_with_exit_code_2(demo):
    with pytest.raises(CommandError) as info:
        forecast("--target-year", "2020", "--base-year", "2010")
    assert info.value.returncode == 2
    assert "chưa có kết quả đánh giá nào" in str(info.value)
