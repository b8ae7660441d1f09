"""The forecast on the unit and commune pages agrees with `ntm forecast`; the trend says when
its years cross criteria sets of different sizes. Over HTTP, on the Lai Châu demo."""

from __future__ import annotations

import html as html_lib
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from ntm.indicators.models import Evaluation
from ntm.units.models import Unit
from ntm.web.forecast_selectors import commune_page_forecast, unit_page_forecast
from tests.web.conftest import demo_user
from tests.web.test_unit_charts import chart_data, province, table_rows

pytestmark = pytest.mark.django_db


def cli(*args: str) -> dict:
    out = StringIO()
    call_command("forecast", "--unit", "12", *args, "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def text(html: str) -> str:
    return " ".join(html_lib.unescape(re.sub(r"<[^>]+>", " ", html)).split())


def section(html: str, start: str) -> str:
    return html.split(start)[1].split("</section>")[0]


def commune_2019(code: str) -> Unit:
    return Evaluation.objects.select_related("unit").get(year=2019, unit__code=code).unit


@pytest.mark.parametrize(("year", "args"), [(2019, ()), (2018, ("--base-year", "2018"))])
def test_the_unit_page_shows_the_count_ntm_forecast_expects_against_the_target(as_user, year, args):
    html = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/{year}/").content.decode()
    expected = cli("--target-year", "2020", *args)["expected"]
    forecast = chart_data(html)["forecast"]
    assert forecast["base_year"] == year
    assert forecast["target"] == {"year": 2020, "value": 39.0}
    last = forecast["points"][-1]
    assert (last["year"], last["expected"], last["low"], last["high"]) == (
        2020, expected["count"], expected["low"], expected["high"],
    )  # fmt: skip
    assert [p["year"] for p in forecast["points"]] == list(range(year + 1, 2021))
    shown = text(section(html, 'aria-labelledby="du-bao"'))
    rounded = f"{expected['count']:.0f}"
    assert f"{rounded} ({expected['low']}–{expected['high']}) / mục tiêu 39 năm 2020" in shown
    assert "Cách dự báo" in shown


def test_in_the_target_year_the_page_sets_the_actual_count_against_the_target(as_user):
    html = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2020/").content.decode()
    forecast = chart_data(html)["forecast"]
    assert forecast["points"] == [] and forecast["target"]["year"] == 2020
    assert "Số xã đạt chuẩn năm 2020: 39 / mục tiêu 39" in text(html)


def test_without_a_later_target_the_page_shows_no_forecast(as_user):
    response = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2026/", follow=True)
    html = response.content.decode()
    assert chart_data(html)["forecast"] is None
    assert 'aria-labelledby="du-bao"' not in html


def test_a_department_sees_no_overall_forecast(as_user):
    html = as_user("so.giaothong").get(f"/don-vi/{province().id}/2019/").content.decode()
    assert chart_data(html)["forecast"] is None
    assert 'aria-labelledby="du-bao"' not in html


def test_the_commune_page_gives_the_expected_year_ntm_forecast_gives(as_user):
    client = as_user("vanphong.laichau")
    rows = cli("--target-year", "2020")["communes"]
    picked = {}
    for row in rows:
        picked.setdefault(row["expected_year_basis"], row)
    assert {"met", "criteria", "none"} <= set(picked)
    for basis, row in picked.items():
        html = client.get(f"/xa/{commune_2019(row['unit_code']).id}/2019/").content.decode()
        shown = text(section(html, '<section class="forecast" id="du-bao">'))
        if basis == "met":
            assert "Dự kiến đạt chuẩn: đã đạt" in shown
        elif basis == "none":
            assert "Dự kiến đạt chuẩn: chưa đủ dữ liệu để dự báo" in shown
        else:
            assert f"Dự kiến đạt chuẩn: năm {row['expected_year']}" in shown, row["unit_code"]
        if basis == "criteria":
            assert "Theo xu hướng số tiêu chí đạt" in shown
        if basis != "met":
            assert "Cách dự báo" in shown


def test_each_unmet_indicator_shows_the_year_ntm_forecast_gives_it(as_user):
    client = as_user("vanphong.laichau")
    rows = cli("--target-year", "2020")["communes"]
    row = next(r for r in rows if any(i["expected_year"] for i in r["indicators"]))
    html = client.get(f"/xa/{commune_2019(row['unit_code']).id}/2019/").content.decode()
    found = re.findall(r"<li[^>]*>(.*?)</li>", section(html, '<section id="gap">'), re.S)
    items = {text(li).split(". ")[0]: text(li) for li in found}  # "2.1. Tỷ lệ ...": "2.1"
    for ind in row["indicators"]:
        shown = items[ind["code"]]
        if ind["expected_year"]:
            assert f"dự kiến đạt: {ind['expected_year']}" in shown
        else:
            assert "dự kiến đạt: chưa dự báo được" in shown
            assert ind["expected_year_reason"] in shown


def test_a_department_sees_its_indicators_years_but_not_the_communes(as_user):
    rows = cli("--target-year", "2020")["communes"]
    row = next(r for r in rows if any(i["code"].startswith("2.") for i in r["indicators"]))
    client = as_user("so.giaothong")
    html = client.get(f"/xa/{commune_2019(row['unit_code']).id}/2019/").content.decode()
    assert "Dự kiến đạt chuẩn" not in html
    assert "dự kiến đạt:" in section(html, '<section id="gap">')


def test_the_2026_trend_says_the_sets_change_size_and_breaks_the_average(as_user):
    response = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2026/", follow=True)
    html = response.content.decode()
    runs = chart_data(html)["size_runs"]
    assert [(r["first"], r["last"], r["criteria_total"]) for r in runs] == [
        (2011, 2020, 19),
        (2026, 2026, 10),
    ]
    assert runs[1]["decisions"] == ["51/2025/QĐ-TTg"]
    note = "2011–2020: 19 tiêu chí (Quyết định 491/QĐ-TTg, 1980/QĐ-TTg); 2026: 10 tiêu chí"
    chart_part = html.split('data-chart="dien-bien"')[1].split("<details>")[0]
    assert note in html_lib.unescape(chart_part)
    caption = re.search(r'<table data-table="dien-bien"><caption>(.*?)</caption>', html, re.S)
    assert caption is not None and note in html_lib.unescape(caption.group(1))
    assert table_rows(html, "dien-bien")[-1][0] == "2026"


def test_a_trend_under_one_set_size_has_no_note(as_user):
    html = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2018/").content.decode()
    assert len(chart_data(html)["size_runs"]) == 1
    assert "<caption>" not in html.split('data-table="dien-bien"')[1].split("</table>")[0]


def test_the_forecasts_add_a_few_queries_whatever_the_number_of_communes(
    as_user, django_assert_max_num_queries
):
    client = as_user("vanphong.laichau")
    user = demo_user("vanphong.laichau")
    commune = Evaluation.objects.filter(year=2019, meets_standard=False).first()
    assert commune is not None
    with django_assert_max_num_queries(8):  # role, target, years, units, verdicts (96 xã)
        assert unit_page_forecast(unit=province(), year=2019, user=user) is not None
    with django_assert_max_num_queries(12):
        assert commune_page_forecast(unit=commune.unit, year=2019).outlook is not None
    # The pages as a whole (other sections included) stay bounded too.
    with django_assert_max_num_queries(90):
        client.get(f"/don-vi/{province().id}/2019/")
    with django_assert_max_num_queries(50):
        client.get(f"/xa/{commune.unit_id}/2019/")
