"""`ntm gap` and `ntm forecast` on the Lai Châu demo, through the command line."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.criteria.services import commune_class_set
from ntm.indicators.services import values_set
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def run(command: str, *args: str) -> dict:
    out = StringIO()
    call_command(command, *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def table(command: str, *args: str) -> str:
    out = StringIO()
    call_command(command, *args, stdout=out)
    return out.getvalue()


def gap_2018(unit: str = "12") -> dict:
    return run("gap", "--unit", unit, "--year", "2018")


def indicators_of(data: dict) -> list[dict]:
    return [i for row in data["ranking"] for c in row["criteria"] for i in c["indicators"]]


def test_the_gap_json_has_the_documented_shape(demo):
    data = gap_2018()
    assert list(data) == [
        "unit_code", "name", "year", "criteria_set", "communes", "ranking", "meeting",
        "not_evaluated",
    ]  # fmt: skip
    row = data["ranking"][0]
    assert list(row) == [
        "rank", "unit_code", "name", "district", "criteria_set", "class_code", "criteria_met",
        "criteria_total", "criteria_not_met", "criteria_missing", "shortfall_score", "criteria",
    ]  # fmt: skip
    assert set(row["criteria"][0]) == {"code", "name", "status", "indicators"}
    assert set(row["criteria"][0]["indicators"][0]) >= {"value", "threshold", "shortfall"}


def test_the_gap_lists_the_communes_not_meeting_the_standard_closest_first(demo):
    data = gap_2018()
    # 2018: 96 communes, 29 meeting the standard (the province's published figure).
    assert (data["communes"], len(data["meeting"]), len(data["ranking"])) == (96, 29, 67)
    keys = [
        (r["criteria_not_met"] + r["criteria_missing"], r["shortfall_score"])
        for r in data["ranking"]
    ]
    assert keys == sorted(keys)
    assert [r["rank"] for r in data["ranking"]] == list(range(1, 68))
    assert data["ranking"][0]["criteria_met"] == 18


def test_a_commune_meeting_the_standard_is_not_listed_with_gaps(demo):
    data = gap_2018()
    meeting = {r["unit_code"] for r in data["meeting"]}
    assert meeting.isdisjoint(r["unit_code"] for r in data["ranking"])
    assert "03409" in meeting  # San Thàng, reported among the first to finish


def test_the_shortfall_of_an_at_least_indicator_is_threshold_minus_value(demo):
    at_least = [i for i in indicators_of(gap_2018()) if i["op"] == ">=" and i["unit"] == "%"]
    assert at_least
    for ind in at_least:
        assert ind["shortfall"] == pytest.approx(ind["threshold"] - ind["value"])
        assert 0 < ind["shortfall_normalised"] <= 1
        assert ind["label"].endswith(f"cần ≥ {ind['label'].split('≥ ')[1]}")


def test_a_yes_no_indicator_has_no_shortfall_in_units(demo):
    yes_no = [i for i in indicators_of(gap_2018()) if i["op"] == "dat"]
    assert yes_no and all(i["shortfall"] is None for i in yes_no)
    assert {i["label"] for i in yes_no} == {"không đạt / cần đạt"}


def test_thresholds_no_source_confirms_are_flagged_not_invented(demo):
    # Moved to a region for which neither QĐ 1980 nor the demo's provincial values give
    # thresholds of some indicators.
    commune = Unit.objects.get(level="commune", code="03628", valid_to__isnull=False)
    commune_class_set(
        unit=commune, criteria_set="qd1980-2016", class_code="DBSH", legal_basis="thử nghiệm"
    )
    unconfirmed = [i for i in indicators_of(gap_2018("03628")) if not i["threshold_confirmed"]]
    assert unconfirmed
    for ind in unconfirmed:
        assert (ind["state"], ind["threshold"], ind["shortfall"]) == ("no_threshold", None, None)
        assert "ngưỡng chưa được xác nhận" in ind["label"]


def test_demo_thresholds_are_flagged_as_illustrative(demo):
    assert any(i["threshold_illustrative"] for i in indicators_of(gap_2018()))
    assert "(ngưỡng minh họa)" in table("gap", "--unit", "12", "--year", "2018")


def test_a_value_saved_now_is_in_the_gap_at_once(demo):
    data = gap_2018()
    first = data["ranking"][0]
    commune = Unit.objects.get(level="commune", code=first["unit_code"], valid_to__isnull=False)
    fixed = {
        i["code"]: (i["threshold"] if i["op"] != "khong" else 0.0)
        for c in first["criteria"]
        for i in c["indicators"]
    }
    values_set(unit=commune, year=2018, values=fixed)
    after = gap_2018()
    assert first["unit_code"] in {r["unit_code"] for r in after["meeting"]}


def test_an_unknown_unit_is_refused_in_vietnamese_with_exit_code_2(demo):
    with pytest.raises(CommandError) as info:
        call_command("gap", "--unit", "99999", "--year", "2018", stdout=StringIO())
    assert info.value.returncode == 2
    assert "Không có đơn vị mã 99999" in str(info.value)


def forecast_2020(*args: str) -> dict:
    return run("forecast", "--unit", "12", "--target-year", "2020", *args)


def test_the_forecast_json_has_the_documented_shape(demo):
    data = forecast_2020()
    assert list(data) == [
        "unit_code", "name", "target_year", "base_year", "method", "expected", "target",
        "actual", "communes", "backtest", "backtest_note",
    ]  # fmt: skip
    assert (data["target_year"], data["base_year"]) == (2020, 2019)
    expected = data["expected"]
    assert expected["low"] <= expected["count"] <= expected["high"]
    assert expected["communes"] == 96
    assert data["target"]["value"] == 39
    assert data["actual"] == 39


def test_each_commune_has_an_expected_year_or_a_reason(demo):
    for row in forecast_2020()["communes"]:
        assert row["met_since"] or row["expected_year"] or row["reason"]
        if row["met_since"]:
            assert row["expected_year"] == row["met_since"] <= 2019
        elif row["expected_year"]:
            assert row["expected_year"] >= 2020
        assert 0 <= row["p_meets"] <= 1


def test_communes_already_meeting_the_standard_come_first(demo):
    rows = forecast_2020()["communes"]
    met = [bool(r["met_since"]) for r in rows]
    assert met == sorted(met, reverse=True)
    assert sum(met) == 34  # 2019's communes meeting the standard


def test_an_unmet_indicator_comes_with_its_own_forecast(demo):
    rows = [r for r in forecast_2020()["communes"] if not r["met_since"]]
    indicators = [i for r in rows for i in r["indicators"]]
    assert indicators
    assert {i["method"] for i in indicators} <= {"trend", "persistence", ""}
    for ind in indicators:
        assert ind["forecast"] is not None or ind["reason"].startswith("không dự báo được")


def test_the_default_backtest_fits_to_2016_and_predicts_2018(demo):
    tested = forecast_2020()["backtest"]
    assert (tested["fit_year"], tested["check_year"], tested["actual"]) == (2016, 2018, 29)
    assert tested["error"] == pytest.approx(tested["forecast"] - 29, abs=0.01)
    assert 0 <= tested["accuracy"] <= 1


def test_the_backtest_years_can_be_chosen(demo):
    tested = forecast_2020("--backtest-fit", "2015", "--backtest-check", "2017")["backtest"]
    assert (tested["fit_year"], tested["check_year"], tested["actual"]) == (2015, 2017, 21)


def test_the_table_prints_the_count_the_target_and_the_backtest_error(demo):
    text = table("forecast", "--unit", "12", "--target-year", "2020")
    assert "Số xã đạt chuẩn dự kiến:" in text and "khoảng 90%" in text
    assert "Mục tiêu: 39 xã" in text
    assert "Kiểm tra lại (khớp đến 2016, dự báo 2018, 96 xã)" in text and "sai số" in text


def test_a_target_year_without_earlier_data_is_refused(demo):
    with pytest.raises(CommandError) as info:
        call_command("forecast", "--unit", "12", "--target-year", "2011", stdout=StringIO())
    assert info.value.returncode == 2
    assert "chưa có kết quả đánh giá nào trước năm 2011" in str(info.value)


def test_a_backtest_checking_before_its_fit_is_refused(demo):
    with pytest.raises(CommandError) as info:
        forecast_2020("--backtest-fit", "2018", "--backtest-check", "2016")
    assert info.value.returncode == 2
