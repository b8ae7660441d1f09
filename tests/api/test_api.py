"""The REST API v1: tokens, the fixed points other tools rely on, scope, the value writer."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from ntm.audit.models import AuditEvent
from ntm.indicators.models import IndicatorValue
from tests.web.conftest import demo_user

pytestmark = pytest.mark.django_db


def _summary_cli(code: str, year: int) -> dict:
    out = io.StringIO()
    call_command("summary", unit=code, year=year, format="json", stdout=out)
    return json.loads(out.getvalue())


def test_ntm_token_prints_a_token_that_opens_the_api_and_replaces_the_old_one(demo):
    first, second = io.StringIO(), io.StringIO()
    call_command("token", "vanphong.laichau", stdout=first)
    call_command("token", "vanphong.laichau", stdout=second)
    old, new = first.getvalue().strip(), second.getvalue().strip()
    url = "/api/v1/units/12/summary/?year=2018"
    assert Client(HTTP_AUTHORIZATION=f"Token {new}").get(url).status_code == 200
    assert Client(HTTP_AUTHORIZATION=f"Token {old}").get(url).status_code == 401
    assert Client(HTTP_AUTHORIZATION="Token nonsense").get(url).status_code == 401
    assert Client().get(url).status_code == 401
    with pytest.raises(CommandError, match="Không có tài khoản"):
        call_command("token", "khong-co-ai", stdout=io.StringIO())


def test_a_deactivated_account_loses_its_token(demo, api):
    client = api("xa.santhang")
    user = demo_user("xa.santhang")
    user.is_active = False
    user.save()
    assert client.get("/api/v1/units/03409/?year=2018").status_code == 401


def test_the_summary_endpoint_is_the_json_of_ntm_summary(demo, api):
    client = api("vanphong.laichau")
    for code, year in (("12", 2018), ("12", 2011), ("105", 2018), ("12", 2026)):
        got = client.get(f"/api/v1/units/{code}/summary/?year={year}")
        assert got.status_code == 200
        assert got.json() == _summary_cli(code, year)


def test_the_summary_outside_the_scope_is_404_and_a_department_gets_403(demo, api):
    commune = api("xa.santhang")
    assert commune.get("/api/v1/units/03409/summary/?year=2018").status_code == 200
    assert commune.get("/api/v1/units/03571/summary/?year=2018").status_code == 404
    assert commune.get("/api/v1/units/12/summary/?year=2018").status_code == 404
    assert api("so.giaothong").get("/api/v1/units/12/summary/?year=2018").status_code == 403
    bad = api("vanphong.laichau").get("/api/v1/units/12/summary/?year=20x8")
    assert bad.status_code == 400 and "không hợp lệ" in bad.json()["year"]


def test_units_are_those_of_the_year_asked(demo, api):
    client = api("vanphong.laichau")
    districts = client.get("/api/v1/units/?year=2018&level=district").json()
    assert districts["count"] == 8
    assert client.get("/api/v1/units/?year=2026&level=district").json()["count"] == 0
    found = client.get("/api/v1/units/?year=2018&level=commune&q=san thang").json()["results"]
    assert [u["code"] for u in found] == ["03409"]
    history = client.get("/api/v1/units/03409/?year=2018").json()
    assert history["events"] and history["events"][0]["effective"] == "2025-07-01"


def test_a_commune_board_writes_a_value_through_the_value_writer(demo, api):
    client = api("xa.santhang")
    read = client.get("/api/v1/values/?unit=03409&year=2020").json()
    cell = next(v for v in read["values"] if v["indicator"] == "2.1")
    new = 0.0 if cell["value"] == 1 else 1.0
    body = {
        "unit": "03409",
        "year": 2020,
        "values": [{"indicator": "2.1", "value": new, "version": cell["version"]}],
    }
    response = client.post("/api/v1/values/", body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert "criteria_met" in response.json()["evaluation"]
    row = IndicatorValue.objects.get(unit__code="03409", year=2020, indicator="2.1")
    assert row.value == new and row.version == cell["version"] + 1
    event = AuditEvent.objects.filter(action="value.set").latest("pk")
    assert event.origin == "api"
    # the same body again is based on an old version: both values shown, nothing written
    again = client.post(
        "/api/v1/values/",
        body | {"values": [{"indicator": "2.1", "value": 1.0 - new, "version": cell["version"]}]},
        content_type="application/json",
    )
    assert again.status_code == 409
    assert again.json()["conflicts"][0]["stored"] == new


def test_hostile_values_are_refused_and_nothing_is_stored(demo, api):
    client = api("xa.santhang")
    before = IndicatorValue.objects.count()
    for raw in (
        '{"unit": "03409", "year": 2020, "values": [{"indicator": "2.1", "value": NaN, "version": null}]}',
        '{"unit": "03409", "year": 2020, "values": [{"indicator": "2.1", "value": 1e308, "version": null}]}',
        '{"unit": "03409", "year": 99999, "values": []}',
        '{"unit": "03409", "year": 2020, "values": [{"indicator": "99.9", "value": 1, "version": null}]}',
        "[]",
        "not json",
    ):
        response = client.post("/api/v1/values/", raw, content_type="application/json")
        assert response.status_code == 400, (raw, response.status_code, response.content)
    nul = '{"unit": "034\\u000009", "year": 2020, "values": [{"indicator": "2.1", "value": 1, "version": null}]}'
    assert client.post("/api/v1/values/", nul, content_type="application/json").status_code == 400
    assert IndicatorValue.objects.count() == before


def test_a_department_reads_and_writes_only_its_criteria(demo, api):
    client = api("so.giaothong")
    read = client.get("/api/v1/values/?unit=03409&year=2020").json()
    assert {v["criterion"] for v in read["values"]} == {"2"}
    assert "meets_standard" not in read["evaluation"]
    body = {
        "unit": "03409",
        "year": 2020,
        "values": [{"indicator": "15.1", "value": 1, "version": None}],
    }
    assert client.post("/api/v1/values/", body, content_type="application/json").status_code == 403
    evaluations = client.get("/api/v1/evaluations/?unit=105&year=2018").json()["results"]
    assert evaluations and all(set(e["criteria"]) == {"2"} for e in evaluations)
    assert all("meets_standard" not in e for e in evaluations)


def test_the_leader_writes_nothing(demo, api):
    body = {
        "unit": "03409",
        "year": 2020,
        "values": [{"indicator": "2.1", "value": 1, "version": None}],
    }
    response = api("lanhdao.laichau").post("/api/v1/values/", body, content_type="application/json")
    assert response.status_code == 403


def test_the_schema_and_its_docs_page_are_served_without_a_cdn(demo):
    schema = Client().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/units/{code}/summary/" in document["paths"]
    page = Client().get("/api/v1/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in page
    assert "cdn" not in page.lower() and "https://" not in page


def test_classes_are_the_regions_to_2025_and_the_groups_from_2026(demo, api):
    client = api("vanphong.laichau")
    before = client.get("/api/v1/classes/?unit=105&year=2018").json()
    assert before["classification"] == "region"
    assert {c["class"] for c in before["communes"]} == {"TDMNPB"}
    after = client.get("/api/v1/classes/?unit=12&year=2026").json()
    assert after["classification"] == "group" and after["criteria_set"] == "qd51-2025"
    groups = [c["class"] for c in after["communes"]]
    assert groups.count("3") == 32 and groups.count(None) == 4  # as the demo's README says


def test_the_api_explains_refusals_in_vietnamese(demo, api):
    anonymous = Client().get("/api/v1/units/?year=2018").json()["detail"]
    assert anonymous.startswith("Chưa đăng nhập")
    body = {"unit": "03409", "year": "năm nay", "values": []}
    response = api("xa.santhang").post("/api/v1/values/", body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["year"] == ["Cần một số nguyên hợp lệ."]
    assert response.json()["values"] == ["Danh sách này không được rỗng."]
