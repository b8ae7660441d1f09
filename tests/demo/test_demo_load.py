"""The Lai Châu demo: the engine reproduces the published aggregates from simulated values."""

import json
from io import StringIO

import pytest
from django.core.management import call_command

from ntm.demo.services import demo_load
from ntm.indicators.models import Evaluation, IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)  # leave an empty database behind


def summary(unit: str, year: int) -> dict:
    out = StringIO()
    call_command("summary", unit=unit, year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_2011_average_is_2_88_criteria_per_commune(demo):
    data = summary("12", 2011)
    assert data["communes"] == 96
    assert data["avg_criteria"] == 2.88
    assert data["criteria_set"] == "qd491-2009"


def test_2018_average_is_13_43_with_29_communes_meeting_the_standard(demo):
    data = summary("12", 2018)
    assert (data["communes"], data["avg_criteria"], data["meeting_standard"]) == (96, 13.43, 29)
    assert data["criteria_set"] == "qd1980-2016"
    assert sum(data["buckets"].values()) == 96
    assert data["buckets"]["19"] == 29


def test_district_summary_covers_only_its_communes(demo):
    data = summary("105", 2018)  # Thành phố Lai Châu: 2 rural communes
    assert data["communes"] == 2


def test_loading_twice_gives_the_same_data(demo):
    before = (
        IndicatorValue.objects.count(),
        list(Evaluation.objects.order_by("unit_id", "year").values_list("criteria_met", flat=True)),
    )
    demo_load()
    after = (
        IndicatorValue.objects.count(),
        list(Evaluation.objects.order_by("unit_id", "year").values_list("criteria_met", flat=True)),
    )
    assert before == after


def test_every_demo_indicator_has_a_threshold_so_nothing_is_missing(demo):
    assert not Evaluation.objects.filter(criteria_missing__gt=0).exists()
