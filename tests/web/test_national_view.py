"""The national view: every province with verdicts in a year (units as they were that year)
and the country's trend, for the administrator only."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from ntm.units.models import Unit
from ntm.units.selectors import unit_for_year

pytestmark = pytest.mark.django_db


def table_rows(html: str, name: str) -> list[list[str]]:
    table = re.search(rf'<table data-table="{name}">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S) for r in rows]
    return [[unescape(re.sub(r"<[^>]+>", "", c)) for c in r] for r in cells]


def test_the_administrator_sees_each_province_with_its_figures_of_the_year(as_user):
    html = as_user("quantri").get("/toan-quoc/2018/").content.decode()
    rows = table_rows(html, "tinh")
    assert rows[0][:4] == ["Tỉnh, thành phố", "Số xã", "Bình quân tiêu chí/xã", "Xã đạt chuẩn"]
    assert rows[1] == ["Tỉnh Lai Châu", "96", "13,43", "29", "29", "22", "19", "15", "11"]


def test_each_count_links_to_the_province_and_its_communes(as_user):
    laichau = Unit.objects.get(level="province", code="12", valid_from__isnull=True)
    html = as_user("quantri").get("/toan-quoc/2018/").content.decode()
    assert f'href="/don-vi/{laichau.id}/2018/"' in html
    assert f'href="/don-vi/{laichau.id}/2018/cac-xa/?nhom=15-18"' in html
    assert f'href="/don-vi/{laichau.id}/2018/cac-xa/?dat=1"' in html


def test_years_from_the_2025_reorganisation_use_the_34_provinces(as_user):
    html = as_user("quantri").get("/toan-quoc/2026/").content.decode()
    after = unit_for_year(code="12", year=2026, level="province")
    assert after is not None and after.valid_from is not None
    assert f'href="/don-vi/{after.id}/2026/"' in html
    rows = table_rows(html, "tinh")
    assert rows[0][4:] == [
        "10 tiêu chí",
        "8-9 tiêu chí",
        "5-7 tiêu chí",
        "3-4 tiêu chí",
        "<3 tiêu chí",
    ]
    assert rows[1][:2] == ["Tỉnh Lai Châu", "32"]


def test_the_trend_runs_over_every_year_with_verdicts(as_user):
    html = as_user("quantri").get("/toan-quoc/2018/").content.decode()
    block = re.search(r'<script id="national-data" type="application/json">(.*?)</script>', html)
    assert block is not None
    points = {p["year"]: p for p in json.loads(block.group(1))["points"]}
    assert min(points) == 2011 and max(points) == 2026
    assert points[2018] == {
        "year": 2018,
        "provinces": 1,
        "communes": 96,
        "avg_criteria": 13.43,
        "meeting_standard": 29,
    }
    assert points[2026]["provinces"] == 1 and points[2026]["communes"] == 32


def test_the_csv_is_the_trend_table(as_user):
    client = as_user("quantri")
    shown = table_rows(client.get("/toan-quoc/2018/").content.decode(), "dien-bien")
    response = client.get("/toan-quoc/2018/?dinh-dang=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows == shown


def test_the_menu_leads_the_administrator_to_the_latest_year(as_user):
    client = as_user("quantri")
    assert 'href="/toan-quoc/"' in client.get("/bo-tieu-chi/").content.decode()
    response = client.get("/toan-quoc/")
    assert response.status_code == 302 and response["Location"] == "/toan-quoc/2026/"


def test_a_year_without_data_shows_an_empty_table(as_user):
    response = as_user("quantri").get("/toan-quoc/2030/")
    assert response.status_code == 200
    assert "Không có dữ liệu năm 2030." in response.content.decode()


@pytest.mark.parametrize(
    "username",
    ["vanphong.laichau", "huyen.tplaichau", "xa.santhang", "so.giaothong", "lanhdao.laichau"],
)
def test_no_one_but_the_administrator_opens_the_national_view(as_user, username):
    client = as_user(username)
    assert client.get("/toan-quoc/2018/").status_code == 403
    assert client.get("/toan-quoc/2018/?dinh-dang=csv").status_code == 403
    assert client.get("/toan-quoc/").status_code == 403
    assert 'href="/toan-quoc/"' not in client.get("/bo-tieu-chi/").content.decode()


def test_the_anonymous_visitor_is_sent_to_log_in(client, demo):
    response = client.get("/toan-quoc/2018/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]


def test_the_page_runs_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("quantri")
    # one per year of the trend (11 with data), two for the year's provinces, a few for the page
    with django_assert_max_num_queries(25):
        assert client.get("/toan-quoc/2018/").status_code == 200
