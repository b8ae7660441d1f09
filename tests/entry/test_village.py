"""Village (thôn, bản) entry exists only where a village-level criteria set is in force."""

import dataclasses

import pytest

from ntm.core import registry
from ntm.core.model import Level
from ntm.indicators.models import IndicatorValue
from ntm.units.models import Kind
from ntm.units.services import village_create
from tests.entry.conftest import YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(commune):
    return village_create(commune=commune, name="Bản Sin Chải", kind=Kind.BAN)


def test_no_shipped_set_judges_villages():
    assert all(s.level is not Level.VILLAGE for s in registry.national_sets().values())


def test_the_village_page_says_no_village_criteria_set_is_in_force(board, village):
    response = board.get(f"/thon/{village.id}/{YEAR}/nhap/")
    assert response.status_code == 200
    assert (
        "Chưa có bộ tiêu chí cấp thôn, bản nào có hiệu lực trong năm 2018"
        in response.content.decode()
    )


def test_a_village_of_another_commune_is_not_found(client, village, binh_lu_board):
    client.force_login(binh_lu_board)
    assert client.get(f"/thon/{village.id}/{YEAR}/nhap/").status_code == 404


def test_a_village_set_in_force_opens_the_village_form(board, village, monkeypatch):
    commune_set = registry.get_set("qd1980-2016")
    village_set = dataclasses.replace(commune_set, id="thon-thu", level=Level.VILLAGE)
    sets = {**registry.national_sets(), village_set.id: village_set}
    monkeypatch.setattr(registry, "national_sets", lambda: sets)
    html = board.get(f"/thon/{village.id}/{YEAR}/nhap/").content.decode()
    assert "Bản Sin Chải" in html and 'name="val-14.2"' in html
    assert board.post(f"/thon/{village.id}/{YEAR}/nhap/", {"val-14.2": "80"}).status_code == 302
    assert IndicatorValue.objects.get(unit=village).criteria_set == "thon-thu"
