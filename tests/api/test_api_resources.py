"""Resources and programmes through the API: the lists carry the sums of `ntm resources`."""

from __future__ import annotations

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db


def _cli(code: str, first: int, last: int) -> dict:
    out = io.StringIO()
    call_command("resources", unit=code, year_from=first, year_to=last, stdout=out)
    return json.loads(out.getvalue())


def _all(client, url: str) -> tuple[dict, list[dict]]:
    """The first page's body and the rows of every page (pages of 2)."""
    first = client.get(url + "&limit=2").json()
    rows, offset = list(first["results"]), 2
    while len(rows) < first["count"]:
        rows += client.get(f"{url}&limit=2&offset={offset}").json()["results"]
        offset += 2
    return first, rows


def _number(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def test_capital_lists_the_entries_and_the_sums_of_ntm_resources(demo, api):
    client = api("vanphong.laichau")
    body, rows = _all(client, "/api/v1/capital/?unit=12&year_from=2011&year_to=2020")
    cli = _cli("12", 2011, 2020)["capital"]
    assert rows and body["count"] == len(rows)
    assert _number(body["summary"]["total"]) == _number(cli["total"])
    assert {k: _number(v) for k, v in body["summary"]["by_source"].items()} == {
        k: _number(v) for k, v in cli["by_source"].items()
    }
    totals = [r for r in rows if r["stage"] == "allocated" and r["source"] == "total"]
    assert sum(_number(r["amount_million_vnd"]) for r in totals) == _number(cli["total"])
    narrower = client.get("/api/v1/capital/?unit=12&year_from=2015&year_to=2020").json()
    assert narrower["count"] == 0  # a 2011-2020 figure is not part of 2015-2020


def test_contributions_sum_as_ntm_resources(demo, api):
    client = api("vanphong.laichau")
    body, rows = _all(client, "/api/v1/contributions/?unit=12&year_from=2010&year_to=2019")
    cli = _cli("12", 2010, 2019)["contributions"]
    assert rows
    for measure, total in cli.items():
        assert _number(body["summary"][measure]) == _number(total)
        assert sum(_number(r[measure]) or 0 for r in rows) == (_number(total) or 0)


def test_programmes_and_targets_match_ntm_resources(demo, api):
    client = api("huyen.tplaichau")
    cli = _cli("105", 2016, 2020)
    query = "?unit=105&year_from=2016&year_to=2020"
    courses, rows = _all(client, "/api/v1/programs/courses/" + query)
    assert courses["summary"] == cli["training"]
    assert courses["count"] == cli["training"]["courses"]
    assert sum(r["attendances"] for r in rows) == cli["training"]["attendances"]
    ocop, products = _all(client, "/api/v1/programs/ocop/" + query)
    assert ocop["summary"] == cli["ocop"] and len(products) == cli["ocop"]["products"]
    _, targets = _all(client, "/api/v1/targets/" + query)
    assert targets == cli["targets"]
    for kind in ("communications", "production-models"):
        assert client.get(f"/api/v1/programs/{kind}/{query}").status_code == 200


def test_resources_outside_the_scope_are_404_and_bad_years_400(demo, api):
    commune = api("xa.santhang")
    for url in (
        "/api/v1/capital/",
        "/api/v1/contributions/",
        "/api/v1/programs/courses/",
        "/api/v1/programs/communications/",
        "/api/v1/programs/ocop/",
        "/api/v1/programs/production-models/",
        "/api/v1/targets/",
    ):
        assert commune.get(f"{url}?unit=03409&year_from=2016&year_to=2020").status_code == 200
        assert commune.get(f"{url}?unit=12&year_from=2016&year_to=2020").status_code == 404
        assert commune.get(f"{url}?unit=03571&year_from=2016&year_to=2020").status_code == 404
        backwards = commune.get(f"{url}?unit=03409&year_from=2020&year_to=2016")
        assert backwards.status_code == 400 and "year_to" in backwards.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/capital/?unit=12&year_from=2011&year_to=2020",
        "/api/v1/contributions/?unit=12&year_from=2010&year_to=2019",
        "/api/v1/programs/courses/?unit=12&year_from=2016&year_to=2020",
        "/api/v1/programs/communications/?unit=12&year_from=2016&year_to=2020",
        "/api/v1/programs/ocop/?unit=12&year_from=2016&year_to=2020",
        "/api/v1/programs/production-models/?unit=12&year_from=2016&year_to=2020",
    ],
)
def test_a_list_page_costs_the_same_queries_whatever_its_length(demo, api, url):
    client = api("vanphong.laichau")
    client.get(url + "&limit=1")  # the token's use is recorded (once a minute at most)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url + "&limit=1").status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(url + "&limit=100").status_code == 200
    assert len(many) == len(one)
