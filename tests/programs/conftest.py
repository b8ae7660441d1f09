from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.demo.services import demo_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The Lai Châu demo (programmes included), loaded once for these tests."""
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def province(demo, db):
    from ntm.units.models import Unit

    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)


@pytest.fixture
def as_user(client, demo, db):
    """as_user("vanphong.laichau") logs the test client in as that demo account."""

    def login(username: str):
        client.force_login(get_user_model().objects.get(username=username))
        return client

    return login
