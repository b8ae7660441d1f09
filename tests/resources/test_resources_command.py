"""`ntm resources` on the demo gives the seed report's figures, remainder included."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from ntm.demo.services import demo_load

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)


def resources(*args: str) -> dict:
    out = StringIO()
    call_command("resources", *args, stdout=out)
    return json.loads(out.getvalue())


def test_capital_2011_2020_gives_the_report_figures_and_the_unexplained_remainder(demo):
    capital = resources("--unit", "12", "--from", "2011", "--to", "2020")["capital"]
    assert capital["total"] == 28991124
    assert capital["by_source"]["central"] == 1364845
    assert capital["by_source"]["local_dev"] == 180931
    assert capital["by_source"]["enterprise"] == 15850
    assert capital["by_source"]["community"] == 208224
    assert capital["unclassified"] == 28991124 - 1364845 - 180931 - 15850 - 208224


def test_contributions_2010_to_september_2019_give_the_report_figures(demo):
    data = resources("--unit", "12", "--from", "2010", "--until", "2019-09")["contributions"]
    assert data == {
        "land_m2": 2142589,
        "labour_days": 991588,
        "cash_million_vnd": 502108,
        "materials_million_vnd": 61923,
    }


def test_training_ocop_and_targets_are_in_the_summary(demo):
    data = resources("--unit", "12", "--from", "2011", "--to", "2020")
    assert data["training"]["courses"] == 140 and data["training"]["attendances"] > 7200
    assert set(data["ocop"]) == {"products", "by_stars"}
    targets = {t["name"]: t for t in data["targets"]}
    assert targets["39 xã đạt chuẩn NTM"]["actual"] == 39


def test_a_bad_month_is_a_clear_error(demo):
    with pytest.raises(CommandError, match="YYYY-MM"):
        resources("--unit", "12", "--from", "2010", "--until", "2019-13")
