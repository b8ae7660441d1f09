import os

import pytest
from django.conf import settings
from django.test.utils import override_settings
from hypothesis import settings as hypothesis_settings

from ntm.units.services import units_load_laichau

# The suite is a demo machine: commands it runs in subprocesses (`ntm migrate` in a scratch
# data folder...) may keep a generated secret key, as this process does (settings.py).
os.environ.setdefault("NTM_DEMO", "1")

# The same examples on every run: a property that fails shows up on every machine, not by luck
# on CI only. Set HYPOTHESIS_PROFILE=explore locally to search with fresh random examples.
hypothesis_settings.register_profile("repeatable", derandomize=True, database=None, deadline=None)
hypothesis_settings.register_profile("explore", deadline=None)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def laichau(db: None) -> None:
    """Lai Châu in both structures with its 2020 and 2025 events (about 0.3 s)."""
    units_load_laichau()


@pytest.fixture
def commune(laichau: None):
    """Xã San Thàng (03409, TP Lai Châu, region TDMNPB) in the 2019 structure."""
    from ntm.units.models import Unit

    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


@pytest.fixture
def office_user(db: None, django_user_model):
    return django_user_model.objects.create_user(username="vanphong", password="mat-khau-thu")


ARGON2_FIRST = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


@pytest.fixture(scope="session", autouse=True)
def fast_password_hashing():
    """Argon2 is slow on purpose; most tests only need a password to work.

    tests/accounts checks the real hashing and puts Argon2 first again (its conftest).
    Argon2 stays in the list, so Argon2 hashes still verify.
    """
    with override_settings(
        PASSWORD_HASHERS=[
            "django.contrib.auth.hashers.MD5PasswordHasher",
            *settings.PASSWORD_HASHERS,
        ]
    ):
        yield
