"""The entry form's jump list and its filter "only what is not met or missing" (?loc=chua-dat)."""

import re

import pytest

from ntm.indicators.models import IndicatorValue
from tests.entry.conftest import form_url

pytestmark = pytest.mark.django_db


def rows(html: str) -> list[str]:
    return re.findall(r'<div class="ind[^"]*" id="row-([^"]+)"', html)


def test_the_form_links_to_each_criterion(board, commune):
    html = board.get(form_url(commune)).content.decode()
    headings = re.findall(r'<h2 id="(h-[^"]+)"', html)
    assert len(headings) == 19
    for heading in headings:
        assert f'href="#{heading}"' in html
    assert f'href="{form_url(commune)}?loc=chua-dat"' in html


def test_the_filter_shows_only_indicators_not_met_or_missing(board, commune):
    board.post(form_url(commune), {"val-14.2": "80", "val-14.3": "20", "val-10": "45.000"})
    everything = rows(board.get(form_url(commune)).content.decode())
    html = board.get(form_url(commune) + "?loc=chua-dat").content.decode()
    narrowed = rows(html)
    assert "i14_2" in everything and "i14_2" not in narrowed  # 80% meets 70%
    assert "i14_3" in narrowed  # 20% misses the 25% of its region
    assert "i1_1" in narrowed  # no value yet
    assert 0 < len(narrowed) < len(everything)
    assert 'name="loc" value="chua-dat"' in html and "Hiện tất cả chỉ tiêu" in html


def test_saving_from_the_filtered_form_stores_the_value_and_leaves_the_others(board, commune):
    board.post(form_url(commune), {"val-14.2": "80", "val-14.3": "20"})
    html = board.get(form_url(commune) + "?loc=chua-dat").content.decode()
    assert 'name="val-14.2"' not in html
    response = board.post(
        form_url(commune), {"loc": "chua-dat", "val-14.3": "95", "orig-14.3": "20", "ver-14.3": "1"}
    )
    assert response.status_code == 302
    assert response["Location"] == form_url(commune) + "?loc=chua-dat"
    stored = {v.indicator: v.value for v in IndicatorValue.objects.all()}
    assert stored == {"14.2": 80.0, "14.3": 95.0}
