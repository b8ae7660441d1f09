"""Schemathesis against the OpenAPI document, in process: no input the schema allows (and none
it forbids that Hypothesis tries) makes the API answer a server error. Bounded examples per
operation, as the office account (widest write scope in one province) on the demo."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

from ntm.api.tokens import token_issue
from tests.web.conftest import demo_user

DOCUMENT = json.loads(
    json.dumps(SchemaGenerator().get_schema(request=None, public=True), default=str)
)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
APP = get_wsgi_application()


@pytest.fixture
def token(demo) -> str:
    return token_issue(user=demo_user("vanphong.laichau"))


@pytest.fixture(autouse=True)
def connection_kept() -> Iterator[None]:
    """As Django's test client does: the in-process WSGI call must not close the test's database
    connection at the end of each request (PostgreSQL would lose the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db(transaction=False)
@SCHEMA.parametrize()
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_no_request_the_schema_allows_makes_a_server_error(case, token):
    response = case.call(
        app=APP, base_url="http://testserver", headers={"Authorization": f"Token {token}"}
    )
    assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:500]}"
