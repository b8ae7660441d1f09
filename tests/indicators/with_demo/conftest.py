from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management import call_command

from ntm.demo.services import demo_load


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker) -> Iterator[None]:
    """The Lai Châu demo, loaded once for the tests of this folder; each test's own writes
    are rolled back with its transaction."""
    with django_db_blocker.unblock():
        demo_load()
        yield
        call_command("flush", interactive=False, verbosity=0)  # leave an empty database behind
