from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.demo.services import demo_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The Lai Châu demo with its accounts, loaded once for the web tests (about 3 s)."""
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)  # leave an empty database behind


def demo_user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.fixture
def as_user(client, demo):
    """as_user("xa.santhang") logs the test client in as that demo account."""

    def login(username: str):
        client.force_login(demo_user(username))
        return client

    return login
