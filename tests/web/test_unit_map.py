"""The map of a unit page: its colours agree with the page's counts, it links to each commune,
it follows the units of its year, and it draws imported outlines when there are some."""

from __future__ import annotations

import json
import re
from collections import Counter
from html import unescape

import pytest

from ntm.units.boundaries import boundaries_plan, boundaries_save
from ntm.units.models import Level, Unit
from ntm.units.selectors import communes_in_year
from ntm.web.map_selectors import unit_map
from tests.web.conftest import demo_user

pytestmark = pytest.mark.django_db


def province(year: int = 2018) -> Unit:
    rows = Unit.objects.filter(level="province", code="12")
    return rows.get(valid_from__isnull=True) if year < 2025 else rows.get(valid_from__isnull=False)


def map_data(html: str) -> dict:
    block = re.search(r'<script id="map-data" type="application/json">(.*?)</script>', html)
    assert block is not None, "the page carries no map data"
    return json.loads(block.group(1))


def map_table(html: str) -> list[list[str]]:
    table = re.search(r'<table data-table="ban-do">(.*?)</table>', html, re.S)
    assert table is not None
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [
        [unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r)]
        for r in rows
    ]


def colours(data: dict, mode: str) -> Counter[str]:
    return Counter(c["shown"][mode] for c in data["communes"])


def page(client, unit: Unit, year: int) -> str:
    response = client.get(f"/don-vi/{unit.pk}/{year}/", follow=True)
    assert response.status_code == 200
    return response.content.decode()


def test_the_2018_province_map_colours_communes_as_the_page_counts_them(as_user):
    data = map_data(page(as_user("vanphong.laichau"), province(), 2018))
    by_bucket = colours(data, "tieu-chi")
    assert [by_bucket[label] for label in ("19", "15-18", "10-14", "5-9", "<5")] == [
        29,
        22,
        19,
        15,
        11,
    ]
    assert colours(data, "ket-luan")["dat"] == 29
    legend = [c["label"] for c in data["modes"][0]["categories"]]
    assert legend == ["19 tiêu chí", "15-18 tiêu chí", "10-14 tiêu chí", "5-9 tiêu chí",
                      "<5 tiêu chí", "Chưa đánh giá"]  # fmt: skip


def test_each_commune_of_the_map_links_to_its_page_for_the_year(as_user):
    client = as_user("vanphong.laichau")
    data = map_data(page(client, province(), 2018))
    in_force = set(communes_in_year(unit=province(), year=2018).values_list("pk", flat=True))
    assert {c["id"] for c in data["communes"]} == in_force
    for commune in data["communes"]:
        assert commune["url"] == f"/xa/{commune['id']}/2018/"
    assert client.get(data["communes"][0]["url"]).status_code == 200


def test_the_map_table_lists_criteria_met_and_verdict_per_commune(as_user):
    html = page(as_user("vanphong.laichau"), province(), 2018)
    rows = map_table(html)
    assert rows[0] == ["Xã", "Tiêu chí đạt", "Kết luận"]
    assert len(rows) == 1 + 96
    assert sum(r[2] == "Đạt chuẩn" for r in rows[1:]) == 29
    assert all(re.fullmatch(r"\d+/19", r[1]) for r in rows[1:])


def test_the_2026_map_has_the_communes_of_2026_and_no_district(as_user):
    data = map_data(page(as_user("vanphong.laichau"), province(2018), 2026))
    ids = [c["id"] for c in data["communes"]]
    communes = Unit.objects.filter(pk__in=ids).select_related("parent")
    assert len(ids) == communes_in_year(unit=province(2026), year=2026).count() > 0
    assert {c.parent.level for c in communes} == {Level.PROVINCE}
    assert all(c.valid_from is not None and c.valid_from.year == 2025 for c in communes)
    assert all(c["url"].endswith("/2026/") for c in data["communes"])


def test_a_district_map_holds_only_its_communes(as_user):
    district = Unit.objects.get(level="district", code="105")
    data = map_data(page(as_user("vanphong.laichau"), district, 2018))
    parents = set(
        Unit.objects.filter(pk__in=[c["id"] for c in data["communes"]]).values_list(
            "parent_id", flat=True
        )
    )
    assert parents == {district.pk}


def test_a_department_map_shows_criteria_met_but_no_verdict(as_user):
    html = page(as_user("so.giaothong"), province(), 2018)
    data = map_data(html)
    assert [m["key"] for m in data["modes"]] == ["tieu-chi"]
    assert all(set(c["shown"]) == {"tieu-chi"} for c in data["communes"])
    assert map_table(html)[0] == ["Xã", "Tiêu chí đạt"]
    assert "data-map-mode" not in html


def test_communes_without_a_position_are_named_under_the_map(as_user):
    html = page(as_user("vanphong.laichau"), province(), 2018)
    note = re.search(r"2 xã chưa có vị trí trên bản đồ:(.*?)</p>", html, re.S)
    assert note is not None
    assert "Xã Ma Li Chải" in note.group(1) and "Xã Sùng Phài" in note.group(1)


def test_the_map_draws_imported_outlines_by_unit_row(as_user):
    commune = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    ring = [[103.4, 22.3], [103.5, 22.3], [103.5, 22.4], [103.4, 22.3]]
    feature = {"type": "Feature", "properties": {"ma": "03409"},
               "geometry": {"type": "Polygon", "coordinates": [ring]}}  # fmt: skip
    content = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    boundaries_save(plan=boundaries_plan(content=content, key="ma", year=2018), source="t.json")
    client = as_user("vanphong.laichau")
    data = map_data(page(client, province(), 2018))
    assert [f["properties"]["name"] for f in data["shapes"]["features"]] == [str(commune.pk)]
    assert data["shapes"]["features"][0]["geometry"]["coordinates"] == [ring]
    # the 2026 map's communes are other unit rows: the outline of a 2019 row is not theirs
    assert map_data(page(client, province(2026), 2026))["shapes"] is None


def test_the_page_loads_the_map_script_after_echarts(as_user):
    html = page(as_user("vanphong.laichau"), province(), 2018)
    assert html.index("vendor/echarts.min.js") < html.index("web/map.js")


def test_the_map_reads_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    as_user("vanphong.laichau")
    user = demo_user("vanphong.laichau")
    for unit, year in ((province(), 2018), (province(2026), 2026)):
        with django_assert_max_num_queries(6):
            result = unit_map(unit=unit, year=year, user=user)
        assert result.rows


def test_the_unit_page_with_its_map_stays_within_its_query_budget(
    as_user, django_assert_max_num_queries
):
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(60):
        client.get(f"/don-vi/{province().pk}/2018/")
