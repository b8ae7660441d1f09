"""The commune page's "Còn thiếu để đạt chuẩn": each unmet indicator, as the gap engine says."""

from __future__ import annotations

import html as html_lib
import re

import pytest

from ntm.accounts.access import department_criteria
from ntm.indicators.gap_selectors import commune_gap_in_year
from ntm.indicators.models import Evaluation
from ntm.units.models import Unit
from tests.web.conftest import demo_user

pytestmark = pytest.mark.django_db

YEAR = 2018


def communes_2018(*, meeting: bool) -> list[Unit]:
    rows = Evaluation.objects.filter(
        year=YEAR, meets_standard=meeting, unit__valid_from__isnull=True
    ).select_related("unit")
    return [row.unit for row in rows.order_by("unit__code")]


def gap_section(client, unit: Unit) -> str:
    response = client.get(f"/xa/{unit.id}/{YEAR}/")
    assert response.status_code == 200
    return response.content.decode().split('<section id="gap">')[1].split("</section>")[0]


def items(section: str) -> list[str]:
    """The text of each listed indicator, tags stripped and spaces collapsed (without the year
    it is expected to be met, which tests/web/test_unit_forecast.py checks)."""
    found = [
        li.split('<span class="reach">')[0]
        for li in re.findall(r"<li[^>]*>(.*?)</li>", section, flags=re.S)
    ]
    return [" ".join(html_lib.unescape(re.sub(r"<[^>]+>", "", li)).split()) for li in found]


def test_a_commune_not_meeting_the_standard_lists_each_unmet_indicator_as_the_engine_does(
    as_user,
):
    commune = communes_2018(meeting=False)[0]
    gap = commune_gap_in_year(unit=commune, year=YEAR)
    section = gap_section(as_user("vanphong.laichau"), commune)
    shown = items(section)
    expected = [(c, i) for c in gap.criteria for i in c.indicators]
    assert expected and len(shown) == len(expected)
    for text, (crit, ind) in zip(shown, expected, strict=True):
        assert f"Tiêu chí {crit.code}." in section
        # The engine's own label ("78% / cần ≥ 100%", "thiếu số liệu") is what the row says.
        assert text.startswith(f"{ind.code}. {' '.join(ind.text.split())}: ")
        if ind.threshold is not None or ind.state == "no_value":
            assert ind.label in text
        else:
            assert "ngưỡng chưa được xác nhận" in text
        if ind.shortfall is not None:
            unit = "%" if ind.unit == "%" else f" {ind.unit}"
            shortfall = f"{ind.shortfall:g}".replace(".", ",")
            # Short of a minimum ("thiếu"), or over a maximum ("vượt"), in the indicator's unit.
            word = "vượt" if ind.op in ("<=", "<") else "thiếu"
            assert text.endswith(f"{word} {shortfall}{unit}")


def test_a_commune_meeting_the_standard_lists_nothing_missing(as_user):
    commune = communes_2018(meeting=True)[0]
    section = gap_section(as_user("vanphong.laichau"), commune)
    assert items(section) == []
    assert "đã đạt chuẩn" in section


def test_a_department_sees_only_its_own_criteria_in_the_gap(as_user):
    user = demo_user("so.giaothong")
    # A commune missing one of the department's criteria and another one.
    commune, gap, own = next(
        (c, gap, own)
        for c in communes_2018(meeting=False)
        for gap in [commune_gap_in_year(unit=c, year=YEAR)]
        for own in [department_criteria(user, gap_set(c))]
        if {g.code for g in gap.criteria} & own and {g.code for g in gap.criteria} - own
    )
    section = gap_section(as_user("so.giaothong"), commune)
    listed = set(re.findall(r"Tiêu chí (\w+)\.", section))
    assert listed == {c.code for c in gap.criteria if c.code in own} != set()
    assert len(items(section)) == sum(len(c.indicators) for c in gap.criteria if c.code in own)
    assert "đã đạt chuẩn" not in section  # the overall verdict is not the department's


def gap_set(commune: Unit) -> str:
    return Evaluation.objects.get(unit=commune, year=YEAR).criteria_set
