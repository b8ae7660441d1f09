from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from ntm.demo.services import demo_load
from ntm.finance.services import capital_sources_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The Lai Châu demo with its accounts, loaded once for the finance tests."""
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)
        capital_sources_load()  # flush empties the table the migration filled


@pytest.fixture
def demo_user(demo, db):
    return lambda username: get_user_model().objects.get(username=username)


@pytest.fixture
def as_user(client, demo_user):
    """as_user("xa.santhang") logs the test client in as that demo account."""

    def login(username: str):
        client.force_login(demo_user(username))
        return client

    return login


@pytest.fixture
def province(demo, db):
    from ntm.units.models import Unit

    return Unit.objects.get(level="province", code="12", valid_from__isnull=True)
