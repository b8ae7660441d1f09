"""One answer to "which units, under which names, in year Y": the ones in force on 31/12."""

import datetime as dt

import pytest

from ntm.units.models import Unit
from ntm.units.selectors import (
    communes_in_year,
    judged_on,
    names_in_year,
    structure_note,
    unit_for_year,
    unit_in_year,
    units_under,
)

pytestmark = pytest.mark.django_db


def province(year: int) -> Unit:
    found = unit_for_year(code="12", year=year, level="province")
    assert found is not None
    return found


def test_a_year_is_judged_on_its_last_day():
    assert judged_on(2025) == dt.date(2025, 12, 31)


def test_2020_has_94_communes_since_three_ended_on_31_december_2019(laichau):
    assert communes_in_year(unit=province(2019), year=2019).count() == 96
    assert communes_in_year(unit=province(2020), year=2020).count() == 94


def test_2025_and_2026_have_the_36_communes_of_the_new_structure(laichau):
    for year in (2025, 2026):
        assert province(year).valid_from == dt.date(2025, 7, 1)
        assert communes_in_year(unit=province(year), year=year).count() == 36
        assert not units_under(unit=province(year), on=judged_on(year), level="district").exists()


def test_a_code_reused_across_periods_gives_the_row_of_the_year(laichau):
    assert unit_for_year(code="03403", year=2019).name == "Xã Nậm Loỏng"
    assert unit_for_year(code="03403", year=2020).name == "Xã Sùng Phài"
    assert unit_in_year(unit=province(2019), year=2026) == province(2026)
    assert unit_in_year(unit=unit_for_year(code="105", year=2019), year=2026) is None


def test_the_city_of_lai_chau_was_a_town_until_28_december_2013(laichau):
    city = unit_for_year(code="105", year=2018)
    assert names_in_year(units=[city], year=2012)[city.pk] == "Thị xã Lai Châu"
    assert names_in_year(units=[city], year=2013)[city.pk] == "Thành phố Lai Châu"


def test_years_before_the_recorded_history_say_so_instead_of_projecting(laichau):
    assert "chỉ được ghi nhận từ 28/12/2013" in structure_note(unit=province(2012), year=2012)
    assert structure_note(unit=province(2018), year=2018) == ""
    assert structure_note(unit=province(2026), year=2026) == ""
