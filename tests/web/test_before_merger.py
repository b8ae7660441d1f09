"""The "Trước sáp nhập" section of a 2025 commune's page: its predecessors and the score they
make together (the same re-scoring as `ntm rescore`)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings

from ntm.indicators.models import IndicatorValue
from ntm.indicators.rescore import commune_rescore
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db


def sin_suoi_ho() -> Unit:
    """Xã Sin Suối Hồ of 1/7/2025: Nậm Xe, Sin Suối Hồ and Thèn Sin of the 2019 structure."""
    return Unit.objects.get(level="commune", code="03394", valid_from=dt.date(2025, 7, 1))


def section(html: str) -> str:
    start = html.find('id="truoc-sap-nhap"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_a_merged_commune_shows_its_predecessors_and_their_combined_score(as_user):
    unit = sin_suoi_ho()
    html = section(
        as_user("vanphong.laichau").get(f"/xa/{unit.id}/2025/?truoc=2019").content.decode()
    )
    found = commune_rescore(unit=unit, year=2019)
    assert "Trước sáp nhập" in html and "Tính lại từ số liệu năm 2019" in html
    for name in ("Xã Nậm Xe (03586)", "Xã Sin Suối Hồ (03592)", "Xã Thèn Sin (03394)"):
        assert name in html
    result = found.scored.result
    assert f"{result.criteria_met}/{result.criteria_total}" in html
    assert "Gộp lại thành một xã" in html and "Chưa đạt chuẩn" in html


def test_the_latest_year_with_predecessor_data_is_the_default(as_user):
    unit = sin_suoi_ho()
    latest = max(
        IndicatorValue.objects.filter(unit__code__in=["03586", "03592"], year__lt=2025)
        .values_list("year", flat=True)
        .distinct()
    )
    html = section(as_user("vanphong.laichau").get(f"/xa/{unit.id}/2025/").content.decode())
    assert f"Tính lại từ số liệu năm {latest}" in html
    assert 'href="?truoc=2015#truoc-sap-nhap"' in html


def test_a_year_without_data_says_why_instead_of_failing(as_user):
    unit = sin_suoi_ho()
    response = as_user("vanphong.laichau").get(f"/xa/{unit.id}/2025/?truoc=2024")
    assert response.status_code == 200
    assert "Không có số liệu năm 2024" in section(response.content.decode())


def test_a_commune_formed_by_no_merger_has_no_such_section(as_user):
    san_thang = Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)
    html = as_user("vanphong.laichau").get(f"/xa/{san_thang.id}/2018/").content.decode()
    assert "truoc-sap-nhap" not in html and "Trước sáp nhập" not in html


def test_the_section_in_english(as_user):
    client = as_user("vanphong.laichau")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = section(client.get(f"/xa/{sin_suoi_ho().id}/2025/?truoc=2019").content.decode())
    assert "Before the merger" in html and "Combined as one commune" in html
    assert "No number of households for Xã Nậm Xe" in html


QUERIES = 40  # 16 for the page without the section, 14 for it, 3 to check the viewer may see every predecessor


def test_the_page_runs_a_bounded_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("vanphong.laichau")
    with django_assert_max_num_queries(QUERIES):
        client.get(f"/xa/{sin_suoi_ho().id}/2025/?truoc=2019")
