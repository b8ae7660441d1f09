from __future__ import annotations

import pytest
from django.test import Client

from ntm.api.tokens import token_issue
from tests.web.conftest import as_user, demo, demo_user  # noqa: F401  (the shared demo)


@pytest.fixture
def api():
    """api("vanphong.laichau") is a client sending that account's new token (no session)."""

    def client_for(username: str) -> Client:
        token = token_issue(user=demo_user(username))
        return Client(HTTP_AUTHORIZATION=f"Token {token}")

    return client_for
