"""The criterion page: one criterion across a unit's communes (a department's own criteria),
its rate by year under each year's set and the communes failing it, over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape

import pytest

from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def url(year: int, code: str, unit: Unit | None = None) -> str:
    return f"/don-vi/{(unit or province()).id}/{year}/tieu-chi/{code}/"


def points(html: str) -> list[dict]:
    block = re.search(r'<script id="criterion-data" type="application/json">(.*?)</script>', html)
    assert block is not None, "the page carries no chart data"
    return json.loads(block.group(1))["points"]


def table_rows(html: str, name: str) -> list[list[str]]:
    table = re.search(rf'<table data-table="{name}">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [[unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)] for r in rows]


def test_a_department_reaches_its_criterion_from_the_menu(as_user):
    client = as_user("so.giaothong")
    home = client.get(f"/don-vi/{province().id}/2018/").content.decode()
    assert 'href="/tieu-chi-nganh/"' in home
    response = client.get("/tieu-chi-nganh/")
    assert response.status_code == 302
    assert re.fullmatch(r"/don-vi/\d+/2026/tieu-chi/2/", response["Location"])
    assert client.get(response["Location"]).status_code == 200


def test_the_menu_link_is_a_departments_only(as_user):
    page = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2018/").content.decode()
    assert 'href="/tieu-chi-nganh/"' not in page


def test_each_year_names_the_criterion_of_its_own_set_and_the_set_changes_are_noted(as_user):
    response = as_user("so.giaothong").get("/tieu-chi-nganh/", follow=True)
    html = response.content.decode()
    by_year = {p["year"]: p for p in points(html)}
    assert by_year[2011]["set_label"] == "QĐ 491/QĐ-TTg"
    assert by_year[2018]["name"] == "Giao thông"
    assert by_year[2026]["name"] == "Hạ tầng kinh tế - xã hội"
    assert by_year[2026]["set_label"] == "QĐ 51/2025/QĐ-TTg"
    assert [y for y, p in sorted(by_year.items()) if p["set_changed"]] == [2016, 2026]
    assert "Từ năm 2026 áp dụng QĐ 51/2025/QĐ-TTg" in html


def test_the_rate_is_the_share_of_judged_communes_meeting_the_criterion(as_user):
    html = as_user("so.giaothong").get(url(2018, "2")).content.decode()
    point = {p["year"]: p for p in points(html)}[2018]
    assert (point["met"], point["judged"]) == (39, 96)
    assert point["rate"] == 40.6
    assert max(p["year"] for p in points(html)) == 2018  # the trend stops at the shown year


def test_the_failing_communes_show_their_indicators_against_the_threshold(as_user):
    html = as_user("so.giaothong").get(url(2018, "2")).content.decode()
    rows = table_rows(html, "chua-dat")[1:]
    assert len(rows) == 96 - 39
    assert "57 xã chưa đạt trong 96 xã có kết quả" in html
    assert all("cần" in cells[1] or "thiếu số liệu" in cells[1] for cells in rows)
    assert "2.1. Đường xã" in html


def test_a_department_sees_no_overall_verdict(as_user):
    html = as_user("so.giaothong").get(url(2018, "2")).content.decode()
    main = html.split("<main>")[1]
    assert "đạt chuẩn" not in main.lower()
    assert "tiêu chí/xã" not in main


@pytest.mark.parametrize("code", ["15", "5", "1"])
def test_a_department_cannot_open_a_criterion_it_does_not_own(as_user, code):
    client = as_user("so.giaothong")
    assert client.get(url(2018, code)).status_code == 404
    assert client.get(url(2018, code) + "?dinh-dang=csv").status_code == 404


def test_the_health_department_follows_15_to_2025_and_5_from_2026(as_user):
    client = as_user("so.yte")
    html = client.get(url(2026, "15"), follow=True).content.decode()
    assert {p["name"] for p in points(html)} == {"Y tế"}
    assert max(p["year"] for p in points(html)) == 2020
    assert "không có tiêu chí 15 trong phạm vi của bạn" in html
    html = client.get(url(2026, "5"), follow=True).content.decode()
    assert [p["year"] for p in points(html)] == [2026]
    labels = re.findall(r'tieu-chi/(\d+)/"[^>]*>([^<]+)</a>', html)
    assert {code for code, _ in labels} == {"5", "15"}


def test_the_office_opens_any_criterion_of_the_year(as_user):
    client = as_user("vanphong.laichau")
    html = client.get(url(2018, "15")).content.decode()
    assert {p["name"] for p in points(html)} == {"Y tế"}
    choices = set(re.findall(r'/2018/tieu-chi/(\d+)/"', html))
    assert choices == {str(n) for n in range(1, 20)}


def test_the_leader_opens_it_too(as_user):
    assert as_user("lanhdao.laichau").get(url(2018, "7")).status_code == 200


def test_a_commune_board_is_sent_to_its_commune_page(as_user):
    client = as_user("xa.santhang")
    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    response = client.get(url(2018, "2", commune))
    assert response.status_code == 302 and response["Location"] == f"/xa/{commune.id}/2018/"
    assert client.get(url(2018, "2")).status_code == 404  # the province is not its scope


@pytest.mark.parametrize("code", ["abc", "99", "2;drop"])
def test_an_unknown_criterion_is_not_found(as_user, code):
    assert as_user("vanphong.laichau").get(url(2018, code)).status_code == 404


def test_the_csv_is_the_pages_table(as_user):
    client = as_user("so.giaothong")
    html = client.get(url(2018, "2")).content.decode()
    response = client.get(url(2018, "2") + "?dinh-dang=csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    shown = table_rows(html, "ty-le")
    assert rows == [[re.sub(r"<[^>]+>", "", c) for c in r] for r in shown]
    assert rows[-1] == ["2018", "QĐ 1980/QĐ-TTg", "2. Giao thông", "39", "96", "40,6"]


def test_the_unit_page_links_each_criterion_to_its_page(as_user):
    html = as_user("vanphong.laichau").get(f"/don-vi/{province().id}/2018/").content.decode()
    assert f'href="{url(2018, "2")}"' in html


def test_the_page_runs_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("so.giaothong")
    # about two per year of the trend (11 years with data), a few for the failing communes
    with django_assert_max_num_queries(45):
        assert client.get(url(2020, "2")).status_code == 200
