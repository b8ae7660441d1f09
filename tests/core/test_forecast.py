"""Forecasts: a line through a history, a commune's expected year, the count and the backtest."""

import pytest

from ntm.core.forecast import (
    MIN_POINTS,
    VerdictPoint,
    backtest,
    commune_forecast,
    count_forecast,
    indicator_forecast,
    line_fit,
)
from tests.core.sample_set import sample_set


def indicator(code: str):
    ind = sample_set().indicator(code)
    assert ind is not None
    return ind


def climbing(start: int, per_year: int, years: range, total: int = 19) -> list[VerdictPoint]:
    """A commune gaining ``per_year`` criteria a year, meeting the standard once at the total."""
    out = []
    for k, year in enumerate(years):
        met = min(start + per_year * k, total)
        out.append(VerdictPoint(year, met, total, met == total))
    return out


def test_a_line_needs_at_least_three_years():
    assert line_fit([(2016, 1.0), (2017, 2.0)]) is None
    assert line_fit([(2015, 1.0), (2016, 2.0), (2017, 3.0)]) is not None


def test_a_line_fits_the_last_five_years_only():
    old = [(2010, 100.0), (2011, 100.0)]
    recent = [(y, float(y - 2012)) for y in range(2012, 2017)]
    line = line_fit(old + recent)
    assert line is not None
    assert line.slope == pytest.approx(1.0)
    assert line.predict(2018)[0] == pytest.approx(6.0)


def test_a_numeric_indicator_follows_its_trend_with_an_interval():
    history = [(2014, 20.0), (2015, 24.0), (2016, 27.0), (2017, 31.0)]
    f = indicator_forecast(indicator("1.1"), 36.0, history, 2019)
    assert f.method == "trend"
    assert f.value == pytest.approx(38.0, abs=0.5)
    assert f.low < f.value < f.high
    assert 0.5 < f.p_meets < 1


def test_a_percentage_forecast_is_clipped_to_100():
    history = [(2014, 80.0), (2015, 90.0), (2016, 99.0)]
    f = indicator_forecast(indicator("2.1"), 6.0, history, 2020)
    assert f.value is not None and f.high is not None
    assert f.value <= 100 and f.high <= 100


def test_an_at_most_indicator_is_likely_met_when_its_trend_is_well_below_the_threshold():
    history = [(2014, 9.0), (2015, 7.0), (2016, 5.0), (2017, 3.0)]
    f = indicator_forecast(indicator("2.1"), 6.0, history, 2018)
    assert f.p_meets is not None and f.p_meets > 0.9


def test_a_short_numeric_history_gives_no_forecast_and_says_why():
    f = indicator_forecast(indicator("1.1"), 36.0, [(2016, 30.0)], 2018)
    assert (f.method, f.value, f.p_meets) == ("", None, None)
    assert f.reason == f"không dự báo được: cần ít nhất {MIN_POINTS} năm số liệu, mới có 1"


def test_a_yes_no_indicator_keeps_its_last_value_with_growing_doubt():
    history = [(2014, 0.0), (2015, 0.0), (2016, 1.0), (2017, 1.0)]
    near = indicator_forecast(indicator("3.1"), 1.0, history, 2018)
    far = indicator_forecast(indicator("3.1"), 1.0, history, 2025)
    assert (near.method, near.value) == ("persistence", 1.0)
    assert near.p_meets is not None and far.p_meets is not None
    assert 0.5 < far.p_meets < near.p_meets < 1


def test_an_unconfirmed_threshold_gives_a_value_but_no_probability():
    history = [(2014, 20.0), (2015, 24.0), (2016, 27.0)]
    f = indicator_forecast(indicator("1.1"), None, history, 2018)
    assert f.value is not None and f.p_meets is None


def test_a_commune_gaining_two_criteria_a_year_is_expected_when_it_reaches_the_total():
    history = climbing(7, 2, range(2012, 2017))  # 7, 9, 11, 13, 15: 19 in 2018
    f = commune_forecast(history, 2018)
    assert f.expected_year == 2018
    assert f.criteria_met == pytest.approx(19.0)
    assert f.p_meets > 0.5
    early, late = f.year_range
    assert early is not None and late is not None and early <= 2018 <= late


def test_a_commune_meeting_the_standard_counts_as_meeting_since_its_run_began():
    history = climbing(15, 2, range(2012, 2017))  # 15, 17, 19, 19, 19
    f = commune_forecast(history, 2020)
    assert (f.p_meets, f.met_since) == (1.0, 2014)


def test_a_commune_with_a_flat_count_has_no_expected_year():
    history = [VerdictPoint(y, 10, 19, False) for y in range(2012, 2017)]
    f = commune_forecast(history, 2018)
    assert f.expected_year is None
    assert "không tăng" in f.reason
    assert f.p_meets < 0.01


def test_a_commune_with_two_years_of_verdicts_is_not_forecast():
    f = commune_forecast(climbing(10, 2, range(2015, 2017)), 2018)
    assert not f.forecast
    assert f.p_meets == 0.0
    assert f.reason == f"không dự báo được: cần ít nhất {MIN_POINTS} năm số liệu, mới có 2"


def test_a_count_under_a_smaller_set_is_rescaled_to_the_latest_set():
    history = [VerdictPoint(2013, 4, 10, False), VerdictPoint(2014, 5, 10, False)]
    history += [VerdictPoint(2015, 12, 19, False), VerdictPoint(2016, 13, 19, False)]
    f = commune_forecast(history, 2017)
    assert f.criteria_total == 19
    assert f.criteria_met is not None and 13 < f.criteria_met < 16


def test_the_expected_count_is_the_sum_of_probabilities_with_an_interval():
    # 7, 9, 11, 13, 15 then 19 expected in 2018, not certain: the line's sd is floored
    forecasts = [commune_forecast(climbing(7, 2, range(2012, 2017)), 2018) for _ in range(10)]
    forecasts += [commune_forecast(climbing(15, 2, range(2012, 2017)), 2018) for _ in range(5)]
    count = count_forecast(forecasts)
    assert count.expected == pytest.approx(sum(f.p_meets for f in forecasts), abs=0.01)
    assert 0.5 < forecasts[0].p_meets < 0.99
    assert 5 <= count.low < count.expected < count.high <= 15
    assert count.communes == 15


def test_certain_communes_give_a_point_interval():
    forecasts = [commune_forecast(climbing(15, 2, range(2012, 2017)), 2018) for _ in range(4)]
    count = count_forecast(forecasts)
    assert (count.expected, count.low, count.high) == (4.0, 4, 4)


def test_the_backtest_fits_up_to_one_year_and_checks_another():
    histories = {
        "fast": climbing(9, 2, range(2012, 2019)),  # reaches 19 in 2017
        "slow": climbing(3, 1, range(2012, 2019)),  # 9 in 2018
        "done": climbing(15, 2, range(2012, 2019)),
    }
    tested = backtest(histories, 2016, 2018)
    assert (tested.communes, tested.actual) == (3, 2)
    assert tested.error == pytest.approx(tested.forecast.expected - 2)
    assert tested.accuracy == 1.0
    assert tested.criteria_mae is not None and tested.criteria_mae < 1


def test_the_backtest_refuses_a_check_year_before_the_fit_year():
    with pytest.raises(ValueError, match="phải sau"):
        backtest({}, 2018, 2016)
