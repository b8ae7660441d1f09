"""Pages by year: 2026 in the 2025 structure, no server error for odd years, names of the year."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ntm.units.selectors import unit_for_year

pytestmark = pytest.mark.django_db


def test_a_2026_commune_page_shows_its_verdict_under_qd51(as_user):
    commune = unit_for_year(code="03571", year=2026)  # Xã Dào San, group 3
    page = as_user("quantri").get(f"/xa/{commune.id}/2026/")
    assert page.status_code == 200
    assert "51/2025" in page.content.decode()


def test_a_2026_commune_without_a_group_says_why_instead_of_failing(as_user):
    commune = unit_for_year(code="03595", year=2026)  # Xã Than Uyên: not in QĐ 113's list
    page = as_user("quantri").get(f"/xa/{commune.id}/2026/")
    assert page.status_code == 200
    assert "chưa được xác định nhóm" in page.content.decode()


@pytest.mark.parametrize("year", [0, 1999, 99999])
def test_a_year_outside_the_programme_is_not_found(as_user, year):
    commune = unit_for_year(code="03409", year=2019)
    assert as_user("quantri").get(f"/xa/{commune.id}/{year}/").status_code == 404


def test_the_2019_province_page_for_2026_leads_to_the_province_of_2026(as_user):
    old, new = unit_for_year(code="12", year=2019), unit_for_year(code="12", year=2026)
    response = as_user("quantri").get(f"/don-vi/{old.id}/2026/")
    assert response.status_code == 302 and response["Location"] == f"/don-vi/{new.id}/2026/"


def test_the_2020_province_page_counts_94_communes(as_user):
    province = unit_for_year(code="12", year=2020)
    page = as_user("quantri").get(f"/don-vi/{province.id}/2020/").content.decode()
    assert "<b>94</b>" in page


def test_summary_by_child_lists_the_districts_of_the_year_under_their_names(demo):
    out = StringIO()
    call_command("summary", unit="12", year=2012, by="child", format="json", stdout=out)
    children = json.loads(out.getvalue())["children"]
    assert len(children) == 8
    assert {"unit_code": "105", "name": "Thị xã Lai Châu"}.items() <= children[-1].items() or any(
        c["name"] == "Thị xã Lai Châu" for c in children
    )
    assert sum(c["communes"] for c in children) == 96


def test_summary_2026_reports_the_36_communes_under_qd51(demo):
    out = StringIO()
    call_command("summary", unit="12", year=2026, format="json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["communes"], data["criteria_set"]) == (36, "qd51-2025")
    assert len(data["not_evaluated"]) == 4


def test_a_merged_commune_for_2025_points_to_the_commune_it_became(as_user):
    san_thang = unit_for_year(code="03409", year=2024)
    for url in (f"/xa/{san_thang.id}/2025/", f"/xa/{san_thang.id}/2025/nhap/"):
        page = as_user("vanphong.laichau").get(url)
        assert page.status_code == 404
        html = page.content.decode()
        assert "không có trong danh mục đơn vị hành chính vào 31/12/2025" in html
        assert "Phường Tân Phong (03408)" in html.split("Đơn vị thay thế")[1]


@pytest.mark.parametrize(
    ("username", "enters", "imports"),
    [
        ("vanphong.laichau", True, True),
        ("xa.santhang", True, True),
        ("so.giaothong", True, True),
        ("huyen.tplaichau", False, False),
        ("lanhdao.laichau", False, False),
    ],
)
def test_entry_and_import_links_are_shown_only_to_who_may_follow_them(
    as_user, username, enters, imports
):
    commune = unit_for_year(code="03409", year=2018)
    html = as_user(username).get(f"/xa/{commune.id}/2018/").content.decode()
    assert (f"/xa/{commune.id}/2018/nhap/" in html) is enters
    assert ('href="/nhap-tep/"' in html) is imports


def test_home_never_sends_a_merged_communes_board_to_a_page_it_cannot_open(as_user):
    client = as_user("xa.daosan")
    response = client.get("/")
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_the_before_merger_section_is_shown_only_to_who_may_see_every_predecessor(as_user):
    sung_phai_2020 = unit_for_year(code="03403", year=2020)  # Sùng Phài (Tam Đường) + Nậm Loỏng
    office = as_user("vanphong.laichau").get(f"/xa/{sung_phai_2020.id}/2020/").content.decode()
    assert 'id="truoc-sap-nhap"' in office
    district = as_user("huyen.tplaichau").get(f"/xa/{sung_phai_2020.id}/2020/")
    assert district.status_code == 200
    assert 'id="truoc-sap-nhap"' not in district.content.decode()


def test_a_ward_page_says_wards_are_outside_the_programme(as_user):
    ward = unit_for_year(code="03408", year=2026)  # Phường Tân Phong
    html = as_user("vanphong.laichau").get(f"/xa/{ward.id}/2026/").content.decode()
    assert "không thuộc Chương trình xây dựng nông thôn mới" in html
    assert "trang phân loại xã" not in html


def _patterns(resolver=None):
    from django.urls import URLResolver, get_resolver

    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry)
        else:
            yield entry


def test_every_address_with_a_year_takes_only_years_within_the_bounds():
    from ntm.converters import YearConverter

    with_year = [p for p in _patterns() if "year" in p.pattern.converters]
    assert with_year
    for pattern in with_year:
        assert isinstance(pattern.pattern.converters["year"], YearConverter), str(pattern.pattern)


@pytest.mark.parametrize("year", ["0", "0020", "99999"])
def test_opening_a_dossier_for_an_absurd_year_is_not_found(as_user, year):
    commune = unit_for_year(code="03409", year=2019)
    answer = as_user("vanphong.laichau").post(f"/xa/{commune.id}/{year}/ho-so/mo/")
    assert answer.status_code == 404
