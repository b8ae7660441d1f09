"""The year each unmet indicator reaches its threshold, and the commune's expected year from them
(pure: no database)."""

from ntm.core.forecast import (
    CRITERIA,
    HORIZON,
    INDICATORS,
    MET,
    NONE,
    VerdictPoint,
    commune_forecast,
    expected_year,
    indicator_reach_year,
)
from tests.core.sample_set import sample_set


def indicator(code: str):
    ind = sample_set().indicator(code)
    assert ind is not None
    return ind


def climbing(start: int, per_year: int, years: range, total: int = 19) -> list[VerdictPoint]:
    out = []
    for k, year in enumerate(years):
        met = min(start + per_year * k, total)
        out.append(VerdictPoint(year, met, total, met == total))
    return out


INCOME = [(2014, 20.0), (2015, 24.0), (2016, 27.0), (2017, 31.0)]  # ~3.6 a year, 36 in 2019


def test_an_income_rising_towards_its_threshold_reaches_it_the_year_its_line_does():
    reach = indicator_reach_year(indicator("1.1"), 36.0, INCOME, 2017)
    assert reach.year == 2019
    early, late = reach.year_range
    assert early is not None and late is not None
    assert early <= 2019 <= late
    assert reach.reason == ""


def test_an_at_most_rate_falling_towards_its_threshold_reaches_it():
    poor = [(2014, 14.0), (2015, 12.0), (2016, 10.5), (2017, 8.5)]  # ≤ 6% about 2019
    reach = indicator_reach_year(indicator("2.1"), 6.0, poor, 2017)
    assert reach.year in (2019, 2020)


def test_a_trend_moving_away_from_the_threshold_has_no_year_and_says_why():
    falling = [(2015, 30.0), (2016, 28.0), (2017, 26.0)]
    reach = indicator_reach_year(indicator("1.1"), 36.0, falling, 2017)
    assert (reach.year, reach.year_range) == (None, (None, None))
    assert "không tiến về ngưỡng" in reach.reason


def test_a_slow_trend_beyond_the_horizon_has_no_year():
    slow = [(2015, 10.0), (2016, 10.1), (2017, 10.2)]
    reach = indicator_reach_year(indicator("1.1"), 36.0, slow, 2017)
    assert reach.year is None
    assert f"đến năm {2017 + HORIZON}" in reach.reason


def test_a_yes_no_indicator_an_unconfirmed_threshold_or_a_short_history_have_no_year():
    assert indicator_reach_year(indicator("3.1"), 1.0, [(2017, 0.0)], 2017).year is None
    assert (
        "ngưỡng chưa được xác nhận"
        in indicator_reach_year(indicator("1.1"), None, INCOME, 2017).reason
    )
    short = indicator_reach_year(indicator("1.1"), 36.0, INCOME[-2:], 2017)
    assert short.year is None and "cần ít nhất 3 năm" in short.reason


def test_an_indicator_without_a_value_in_the_base_year_has_no_year():
    reach = indicator_reach_year(indicator("1.1"), 36.0, INCOME, 2018)
    assert reach.year is None and reach.reason == "chưa có số liệu năm 2018"


def test_values_after_the_base_year_are_not_used():
    later = [*INCOME, (2018, 100.0)]
    assert indicator_reach_year(indicator("1.1"), 36.0, later, 2017).year == 2019


def test_the_commune_is_expected_when_its_last_unmet_indicator_is():
    commune = commune_forecast(climbing(7, 2, range(2013, 2018)), 2019)
    income = indicator_reach_year(indicator("1.1"), 36.0, INCOME, 2017)
    poor = indicator_reach_year(
        indicator("2.1"), 6.0, [(2015, 20.0), (2016, 17.0), (2017, 14.0)], 2017
    )
    assert income.year is not None and poor.year is not None and poor.year > income.year
    expected = expected_year(commune, [income, poor])
    assert (expected.basis, expected.year) == (INDICATORS, poor.year)
    assert expected.year_range[0] == max(income.year_range[0] or 0, poor.year_range[0] or 0)


def test_one_unforecastable_indicator_falls_back_to_the_criteria_count_and_says_so():
    commune = commune_forecast(climbing(7, 2, range(2013, 2018)), 2019)
    income = indicator_reach_year(indicator("1.1"), 36.0, INCOME, 2017)
    yes_no = indicator_reach_year(indicator("3.1"), 1.0, [(2017, 0.0)], 2017)
    expected = expected_year(commune, [income, yes_no])
    assert (expected.basis, expected.year) == (CRITERIA, commune.expected_year)
    assert expected.year_range == commune.year_range
    assert expected.note.startswith("theo xu hướng số tiêu chí đạt")
    assert "chỉ tiêu 3.1" in expected.note


def test_a_commune_meeting_the_standard_keeps_its_year():
    commune = commune_forecast(climbing(15, 2, range(2014, 2018)), 2019)
    expected = expected_year(commune, [])
    assert (expected.basis, expected.year) == (MET, commune.met_since)


def test_no_year_from_either_gives_the_reasons():
    commune = commune_forecast(climbing(7, 2, range(2016, 2018)), 2019)  # two years only
    yes_no = indicator_reach_year(indicator("3.1"), 1.0, [(2017, 0.0)], 2017)
    expected = expected_year(commune, [yes_no])
    assert (expected.basis, expected.year) == (NONE, None)
    assert "chỉ tiêu 3.1" in expected.note and "cần ít nhất 3 năm" in expected.note
