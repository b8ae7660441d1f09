"""The charts of a unit page: their data, their tables and their CSV downloads, over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from ntm.indicators.models import Evaluation
from ntm.units.models import Unit
from ntm.units.selectors import communes_in_year

pytestmark = pytest.mark.django_db


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def chart_data(html: str) -> dict:
    block = re.search(r'<script id="chart-data" type="application/json">(.*?)</script>', html)
    assert block is not None, "the page carries no chart data"
    return json.loads(block.group(1))


def table_rows(html: str, chart: str) -> list[list[str]]:
    table = re.search(rf'<table data-table="{chart}">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)] for r in rows]


def csv_rows(client, url: str, chart: str) -> list[list[str]]:
    response = client.get(f"{url}?bieu-do={chart}&dinh-dang=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_the_province_trend_runs_from_2011_with_each_years_figures(as_user):
    client = as_user("vanphong.laichau")
    data = chart_data(client.get(f"/don-vi/{province().id}/2018/").content.decode())
    by_year = {p["year"]: p for p in data["trend"]}
    assert min(by_year) == 2011 and max(by_year) == 2018
    assert by_year[2011]["avg_criteria"] == 2.88
    assert by_year[2018]["avg_criteria"] == 13.43
    assert by_year[2018]["meeting_standard"] == 29


def test_the_trend_stops_at_the_shown_year(as_user):
    client = as_user("vanphong.laichau")
    data = chart_data(client.get(f"/don-vi/{province().id}/2015/").content.decode())
    assert max(p["year"] for p in data["trend"]) == 2015


def test_each_criterion_counts_the_stored_verdicts_meeting_it(as_user):
    client = as_user("vanphong.laichau")
    data = chart_data(client.get(f"/don-vi/{province().id}/2018/").content.decode())
    evaluations = Evaluation.objects.filter(
        year=2018, unit__in=communes_in_year(unit=province(), year=2018)
    )
    assert len(data["criteria"]) == 19
    for row in data["criteria"]:
        meeting = [e for e in evaluations if e.criteria.get(row["code"]) == "met"]
        assert row["met"] == len(meeting), row["code"]
        assert row["judged"] == len(evaluations)


def test_a_department_sees_only_its_criteria_and_no_overall_series(as_user):
    client = as_user("so.giaothong")
    html = client.get(f"/don-vi/{province().id}/2018/").content.decode()
    data = chart_data(html)
    assert data["trend"] == []
    assert [row["code"] for row in data["criteria"]] == ["2"]
    assert 'data-chart="dien-bien"' not in html
    assert csv_rows(client, f"/don-vi/{province().id}/2018/", "dien-bien") == [
        ["Năm", "Số xã", "Bình quân tiêu chí/xã", "Xã đạt chuẩn"]
    ]


@pytest.mark.parametrize("chart", ["dien-bien", "tieu-chi"])
def test_the_csv_download_is_the_charts_table(as_user, chart):
    client = as_user("vanphong.laichau")
    url = f"/don-vi/{province().id}/2018/"
    shown = table_rows(client.get(url).content.decode(), chart)
    assert len(shown) > 1
    assert csv_rows(client, url, chart) == shown


def test_the_trend_table_shows_vietnamese_numbers(as_user):
    client = as_user("vanphong.laichau")
    rows = table_rows(client.get(f"/don-vi/{province().id}/2018/").content.decode(), "dien-bien")
    assert rows[1][:1] == ["2011"] and rows[1][2] == "2,88"
    assert rows[-1][2:] == ["13,43", "29"]


def test_the_charts_add_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(60):
        client.get(f"/don-vi/{province().id}/2018/")


def test_the_trend_of_the_2026_province_reads_the_earlier_years_with_their_own_rows(as_user):
    client = as_user("vanphong.laichau")
    response = client.get(f"/don-vi/{province().id}/2026/", follow=True)
    data = chart_data(response.content.decode())
    by_year = {p["year"]: p for p in data["trend"]}
    assert by_year[2011]["avg_criteria"] == 2.88
    assert by_year[2018]["meeting_standard"] == 29
