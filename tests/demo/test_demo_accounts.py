"""The demo's accounts: one or more per role, printed by `ntm demo`, as JSON by --accounts."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.management import call_command
from django.test import override_settings

from ntm.accounts.demo import demo_accounts, demo_accounts_create
from ntm.accounts.models import Role
from ntm.audit.models import AuditEvent
from ntm.indicators.models import IndicatorValue
from ntm.units.models import Unit

pytestmark = pytest.mark.django_db

User = get_user_model()


def accounts_json() -> list[dict]:
    out = StringIO()
    call_command("demo", "--accounts", stdout=out)
    return json.loads(out.getvalue())  # nothing but the JSON on stdout


def test_accounts_on_an_empty_database_load_the_demo_first(db):
    """Runs before the module's demo is loaded: --accounts must bring everything it names."""
    data = accounts_json()
    assert IndicatorValue.objects.exists()
    assert {a["username"] for a in data} <= set(User.objects.values_list("username", flat=True))


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("demo", stdout=StringIO())
        yield
        call_command("flush", interactive=False, verbosity=0)


def test_accounts_json_has_the_documented_shape(demo):
    data = accounts_json()
    assert isinstance(data, list)
    for account in data:
        assert set(account) == {"username", "password", "role", "unit_code", "criteria"}
        assert isinstance(account["password"], str) and account["password"]
        assert isinstance(account["criteria"], dict)  # set id -> criterion codes
    assert {a["role"] for a in data} == set(Role.values)


def test_accounts_are_the_ones_the_issue_lists(demo):
    by_name = {a["username"]: a for a in accounts_json()}
    scopes = {
        (a["role"], a["unit_code"], tuple(a["criteria"].get("qd1980-2016", [])))
        for a in by_name.values()
    }
    assert ("admin", None, ()) in scopes
    assert ("province", "12", ()) in scopes
    assert ("district", "105", ()) in scopes
    assert ("commune", "03409", ()) in scopes
    assert len([s for s in scopes if s[0] == "commune"]) >= 2
    assert ("department", "12", ("2",)) in scopes
    assert ("department", "12", ("15",)) in scopes
    assert ("leader", "12", ()) in scopes
    assert by_name["so.giaothong"]["criteria"]["qd1980-2016"] == ["2"]
    assert by_name["so.giaothong"]["criteria"]["qd51-2025"] == ["2"]


def test_accounts_do_not_reload_a_loaded_demo(demo):
    before = list(IndicatorValue.objects.order_by("pk").values_list("pk", flat=True)[:5])
    accounts_json()
    assert list(IndicatorValue.objects.order_by("pk").values_list("pk", flat=True)[:5]) == before


def test_every_demo_account_logs_in_with_its_password(client, demo):
    for account in accounts_json():
        response = client.post(
            "/dang-nhap/", {"username": account["username"], "password": account["password"]}
        )
        assert response.status_code == 302, account["username"]
        client.logout()


def test_demo_accounts_sit_on_the_2019_units(demo):
    santhang = User.objects.get(username="xa.santhang").membership
    assert santhang.unit == Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


def test_creating_the_accounts_again_changes_and_audits_nothing(demo):
    count = AuditEvent.objects.filter(object_type="user").count()
    assert demo_accounts_create() == demo_accounts()
    assert AuditEvent.objects.filter(object_type="user").count() == count


def test_creating_the_accounts_again_restores_a_changed_account(demo):
    user = User.objects.get(username="xa.santhang")
    user.set_password("doi-roi")
    user.is_active = False
    user.save()
    user.membership.criteria = ["9"]
    user.membership.role = Role.DEPARTMENT
    user.membership.save()
    demo_accounts_create()
    user.refresh_from_db()
    password = next(a["password"] for a in demo_accounts() if a["username"] == "xa.santhang")
    assert user.check_password(password) and user.is_active
    assert (user.membership.role, user.membership.criteria) == ("commune", {})


def test_ntm_demo_prints_the_accounts_as_a_table(demo):
    out = StringIO()
    call_command("demo", stdout=out)
    text = out.getvalue()
    assert "TÀI KHOẢN DEMO" in text and "mật khẩu demo" in text
    for account in demo_accounts():
        assert account["username"] in text and account["password"] in text
    assert "Đã nạp 96 xã, " in text  # the Vietnamese thousands dot does not eat the comma


STANDARD_VALIDATORS = [
    {"NAME": f"django.contrib.auth.password_validation.{name}"}
    for name in (
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    )
]


@override_settings(AUTH_PASSWORD_VALIDATORS=STANDARD_VALIDATORS)
def test_demo_passwords_pass_djangos_standard_validators(demo):
    """So the lead can turn the validators on without breaking the demo."""
    for account in demo_accounts():
        user = User.objects.get(username=account["username"])
        password_validation.validate_password(account["password"], user)
