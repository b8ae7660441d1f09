"""The list of communes behind the unit page's counts, through HTTP, on the Lai Châu demo."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from ntm.audit.models import AuditEvent
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

ROW = re.compile(r'<tr class="commune">')


def province() -> Unit:
    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


def district() -> Unit:
    return Unit.objects.get(level="district", code="105", valid_from__isnull=True)


def rows_of(html: str) -> int:
    return len(ROW.findall(html))


def list_url(unit: Unit, year: int, query: str = "") -> str:
    return f"/don-vi/{unit.id}/{year}/cac-xa/" + (f"?{query}" if query else "")


def test_every_bucket_count_links_to_a_list_of_that_many_communes(as_user):
    client = as_user("vanphong.laichau")
    html = client.get(f"/don-vi/{province().id}/2018/").content.decode()
    links = re.findall(r'href="(/don-vi/\d+/2018/cac-xa/\?nhom=[^"]+)">(\d+)</a>', html)
    assert [int(n) for _, n in links] == [29, 22, 19, 15, 11]
    for href, count in links:
        assert rows_of(client.get(href.replace("&amp;", "&")).content.decode()) == int(count)


def test_the_meeting_standard_count_links_to_the_29_communes_meeting_it(as_user):
    client = as_user("vanphong.laichau")
    html = client.get(f"/don-vi/{province().id}/2018/").content.decode()
    assert f'href="{list_url(province(), 2018)}?dat=1">29</a>' in html
    assert "Danh sách các xã" in html
    listed = client.get(list_url(province(), 2018, "dat=1")).content.decode()
    assert rows_of(listed) == 29 and "not_met" not in listed


def test_the_list_holds_every_commune_of_the_year_with_its_district(as_user):
    html = as_user("vanphong.laichau").get(list_url(province(), 2018)).content.decode()
    assert rows_of(html) == 29 + 22 + 19 + 15 + 11
    assert "Huyện Tam Đường" in html


def test_the_xlsx_holds_the_same_filtered_rows_with_numbers_as_numbers(as_user):
    client = as_user("vanphong.laichau")
    response = client.get(list_url(province(), 2018, "nhom=15-18&dinh-dang=xlsx"))
    assert response.status_code == 200
    assert "danh-sach-xa-12-2018.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "Tỉnh Lai Châu" in rows[0][0] and "2018" in rows[0][0]
    assert "Số tiêu chí đạt" in rows[1] and "Huyện" in rows[1]
    met = rows[1].index("Số tiêu chí đạt")
    assert len(rows) == 2 + 22
    assert all(isinstance(r[met], int) and 15 <= r[met] <= 18 for r in rows[2:])
    assert AuditEvent.objects.filter(action="export.communes", object_id="12").exists()


def test_a_district_sees_only_its_communes_and_not_the_province_list(as_user):
    client = as_user("huyen.tplaichau")
    html = client.get(list_url(district(), 2018)).content.decode()
    ids = [int(i) for i in re.findall(r'<a href="/xa/(\d+)/2018/">', html)]
    assert ids and rows_of(html) == len(ids)
    assert set(Unit.objects.filter(pk__in=ids).values_list("parent_id", flat=True)) == {
        district().id
    }
    assert client.get(list_url(province(), 2018)).status_code == 404


def test_a_department_sees_no_verdict_and_cannot_filter_by_it(as_user):
    client = as_user("so.giaothong")
    html = client.get(list_url(province(), 2018, "dat=1")).content.decode()
    assert rows_of(html) == rows_of(client.get(list_url(province(), 2018)).content.decode()) > 29
    assert "Kết luận" not in html and "Đạt chuẩn" not in html
    sheet = load_workbook(
        io.BytesIO(client.get(list_url(province(), 2018, "dinh-dang=xlsx")).content)
    ).active
    assert "Kết luận" not in list(sheet.iter_rows(values_only=True))[1]


def test_2026_has_no_district_column(as_user):
    client = as_user("vanphong.laichau")
    response = client.get(list_url(province(), 2026), follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and rows_of(html) > 0
    assert "sap-xep=huyen" not in html and 'name="huyen"' not in html


def test_a_commune_board_cannot_open_the_province_list(as_user):
    assert as_user("xa.santhang").get(list_url(province(), 2018)).status_code == 404


def test_the_text_filter_ignores_accents(as_user):
    html = as_user("vanphong.laichau").get(list_url(province(), 2018, "q=san thang")).content
    text = html.decode()
    assert rows_of(text) == 1 and "Xã San Thàng" in text


def test_communes_sort_by_criteria_met_descending(as_user):
    html = as_user("vanphong.laichau").get(list_url(province(), 2018, "sap-xep=-tieu-chi"))
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)/19</td>', html.content.decode())]
    assert counts and counts == sorted(counts, reverse=True)


def test_the_province_list_runs_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(25):
        client.get(list_url(province(), 2018))
