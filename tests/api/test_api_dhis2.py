"""DHIS2 dataValueSets over the API: the file export out, the file import's pipeline in."""

from __future__ import annotations

import json

import pytest
from django.test.utils import override_settings

from ntm.audit.models import AuditEvent
from ntm.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db
URL = "/api/v1/dataValueSets"


def _post(client, body, query: str = ""):
    text = body if isinstance(body, str) else json.dumps(body)
    return client.post(f"{URL}{query}", text, content_type="application/json")


def _rows() -> list[tuple]:
    return list(IndicatorValue.objects.order_by("pk").values_list("pk", "value", "version"))


def _element(body: dict, code: str) -> dict:
    return next(v for v in body["dataValues"] if v["dataElement"] == code)


def test_get_gives_the_dhis2_values_of_a_commune_year_with_last_updated(demo, api):
    got = api("xa.santhang").get(f"{URL}?orgUnit=03409&period=2020")
    assert got.status_code == 200, got.content
    values = got.json()["dataValues"]
    stored = IndicatorValue.objects.filter(unit__code="03409", year=2020).count()
    assert len([v for v in values if not v["dataElement"].startswith("NTM_KQ_")]) == stored
    cell = _element(got.json(), "2.1")
    assert cell["period"] == "2020" and cell["orgUnit"] == "03409"
    assert cell["lastUpdated"] and isinstance(cell["value"], str)


def test_get_of_a_district_holds_its_communes_only_with_children(demo, api):
    client = api("vanphong.laichau")
    own = client.get(f"{URL}?orgUnit=105&period=2018").json()["dataValues"]
    assert own == []
    tree = client.get(f"{URL}?orgUnit=105&period=2018&children=true").json()["dataValues"]
    assert len({v["orgUnit"] for v in tree}) > 1


def test_a_department_gets_its_criteria_only_and_no_verdicts(demo, api):
    values = api("so.giaothong").get(f"{URL}?orgUnit=03409&period=2020").json()["dataValues"]
    assert values and all(v["dataElement"].startswith("2.") for v in values)


def test_get_outside_the_scope_is_404_and_bad_parameters_400(demo, api):
    client = api("xa.santhang")
    assert client.get(f"{URL}?orgUnit=03571&period=2020").status_code == 404
    assert client.get(f"{URL}?orgUnit=03409&period=20x0").status_code == 400
    assert client.get(f"{URL}?orgUnit=03%00409&period=2020").status_code in (400, 404)
    assert client.get(f"{URL}?orgUnit=03409&period=2020&children=maybe").status_code == 400


def test_posting_back_what_get_gave_changes_nothing(demo, api):
    client = api("xa.santhang")
    body = client.get(f"{URL}?orgUnit=03409&period=2020").json()
    before, audits = _rows(), AuditEvent.objects.count()
    got = _post(client, body)
    assert got.status_code == 200, got.content
    summary = got.json()
    assert summary["status"] == "SUCCESS" and summary["conflicts"] == []
    assert summary["importCount"]["imported"] == summary["importCount"]["updated"] == 0
    assert summary["importCount"]["ignored"] > 0
    assert _rows() == before and AuditEvent.objects.count() == audits


def test_a_changed_value_is_imported_and_audited_as_coming_from_the_api(demo, api):
    client = api("xa.santhang")
    body = client.get(f"{URL}?orgUnit=03409&period=2020").json()
    cell = _element(body, "2.1")
    new = "0" if cell["value"] == "1" else "1"
    cell["value"] = new
    got = _post(client, body)
    assert got.status_code == 200, got.content
    assert got.json()["importCount"]["updated"] == 1
    row = IndicatorValue.objects.get(unit__code="03409", year=2020, indicator="2.1")
    assert row.value == float(new)
    event = AuditEvent.objects.filter(action="value.set").latest("pk")
    assert event.origin == "api" and "dataValueSets" in event.origin_detail


def test_a_value_outside_the_scope_refuses_the_whole_body(demo, api):
    client = api("xa.santhang")
    body = client.get(f"{URL}?orgUnit=03409&period=2020").json()
    cell = _element(body, "2.1")
    cell["value"] = "0" if cell["value"] == "1" else "1"
    body["dataValues"].append(
        {"dataElement": "2.1", "period": "2020", "orgUnit": "03571", "value": "1"}
    )
    before = _rows()
    got = _post(client, body)
    assert got.status_code == 409, got.content
    summary = got.json()
    assert summary["status"] == "ERROR" and summary["importCount"]["imported"] == 0
    conflict = summary["conflicts"][0]
    assert conflict["row"] == len(body["dataValues"]) - 1 and conflict["reason"]
    assert _rows() == before


def test_a_dry_run_gives_the_plan_and_writes_nothing(demo, api):
    client = api("xa.santhang")
    body = client.get(f"{URL}?orgUnit=03409&period=2020").json()
    cell = _element(body, "2.1")
    cell["value"] = "0" if cell["value"] == "1" else "1"
    before, audits = _rows(), AuditEvent.objects.count()
    got = _post(client, body, "?dryRun=true")
    assert got.status_code == 200, got.content
    summary = got.json()
    assert summary["dryRun"] and summary["importCount"]["updated"] == 1
    assert summary["plan"]["counts"]["changed"] == 1
    assert summary["plan"]["verdicts"]["communes_count"] == 1
    assert _rows() == before and AuditEvent.objects.count() == audits
    cell["value"] = "bảy"
    bad = _post(client, body, "?dryRun=true")
    assert bad.status_code == 409
    conflict = bad.json()["conflicts"][0]
    assert conflict["field"] == "value" and conflict["dataElement"] == "2.1"
    assert _rows() == before


def test_those_who_may_not_import_get_403(demo, api):
    body = {
        "dataValues": [{"dataElement": "2.1", "period": "2020", "orgUnit": "03409", "value": "1"}]
    }
    assert _post(api("lanhdao.laichau"), body).status_code == 403
    assert _post(api("huyen.tplaichau"), body).status_code == 403


@override_settings(NTM_IMPORT_SYNC_MAX_BYTES=2000)
def test_hostile_bodies_are_refused_and_nothing_is_written(demo, api):
    client = api("xa.santhang")
    item = {"dataElement": "2.1", "period": "2020", "orgUnit": "03409"}
    before = _rows()
    for raw, expected in (
        (json.dumps({"dataValues": [item | {"value": "1"}] * 40}), 400),  # over the size bound
        ('{"dataValues": [{"dataElement": "2.1", "period": "2020", "value": NaN}]}', 400),
        ('{"dataValues": [{"dataElement": "2.1", "period": "2020", "value": Infinity}]}', 400),
        ("not json", 400),
        ("[]", 400),
        ('{"dataValues": {"a": 1}}', 400),
        ('{"dataValues": [{"dataElement": "2.1", "orgUnit": "03\u0000409"}]}', 400),
        (json.dumps({"dataValues": [item | {"orgUnit": "03\u0000409", "value": "1"}]}), 409),
        (json.dumps({"dataValues": [item | {"dataElement": "2.1\u0000", "value": "1"}]}), 409),
        (json.dumps({"dataValues": [item | {"value": "1\u0000"}]}), 409),
        (json.dumps({"dataValues": [item | {"value": 1e308}]}), 409),
        (json.dumps({"dataValues": [item | {"value": "9" * 500}]}), 409),
        (json.dumps({"dataValues": [item | {"value": 10**40}]}), 409),
        (json.dumps({"dataValues": [item | {"value": [1]}]}), 409),
        (json.dumps({"dataValues": [item | {"value": {"a": 1}}]}), 409),
        (json.dumps({"dataValues": [item | {"period": ["2020"], "value": "1"}]}), 409),
        (json.dumps({"dataValues": [item | {"period": 2020.5, "value": "1"}]}), 409),
        (json.dumps({"dataValues": [item | {"orgUnit": ["03409"], "value": "1"}]}), 409),
        (json.dumps({"dataValues": [1, "x", None]}), 409),
        (json.dumps({"dataValues": [item | {"value": "1", "deleted": True}]}), 409),
        (json.dumps({"dataValues": [item | {"value": "1"}] * 2}), 409),  # twice the same cell
    ):
        for query in ("", "?dryRun=true"):
            got = _post(client, raw, query)
            assert got.status_code == expected, (raw[:120], query, got.status_code, got.content)
    assert _rows() == before
    assert _post(client, "{}", "?dryRun=perhaps").status_code == 400
