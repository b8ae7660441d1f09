"""Logging in, throttling per address and per account, and the user's own password change."""

from __future__ import annotations

import datetime as dt
import ipaddress

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

from ntm.accounts.models import FailedLogin
from ntm.accounts.throttle import login_failure_record
from ntm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-1"
HOME, STRANGER = "10.1.1.1", "203.0.113.66"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="canbo.xa", password=PASSWORD)


def login(client, password, username="canbo.xa", address=HOME):
    return client.post(
        "/dang-nhap/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def fail(client, times, username="canbo.xa", address=HOME):
    for _ in range(times):
        response = login(client, "sai-mat-khau", username, address)
    return response


def later(monkeypatch, minutes):
    """Time passes: every clock reading (ours and Django's) moves forward."""
    moved = timezone.now() + dt.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def logged_in(client):
    return "_auth_user_id" in client.session


def test_the_right_password_logs_in(client, officer):
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")


def test_a_wrong_password_says_how_many_attempts_are_left(client, officer):
    html = login(client, "sai-mat-khau").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert f"Còn {settings.LOGIN_MAX_FAILURES - 1} lần thử từ máy này" in html


def test_the_fifth_failure_from_one_address_makes_it_wait_and_says_how_long(client, officer):
    html = fail(client, settings.LOGIN_MAX_FAILURES).content.decode()
    last = FailedLogin.objects.filter(username="canbo.xa").latest("at").at
    until = timezone.localtime(last + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES))
    assert "tạm thời bị chặn" in html
    assert f"chờ {settings.LOGIN_LOCK_MINUTES} phút" in html
    assert f"{until:%H:%M} ngày {until:%d/%m/%Y}" in html


def test_four_failures_do_not_stop_the_owner(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302


def test_the_right_password_is_refused_from_an_address_that_must_wait(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES)
    response = login(client, PASSWORD)
    assert response.status_code == 200
    assert "tạm thời bị chặn" in response.content.decode()
    assert not logged_in(client)


def test_the_wait_ends_after_the_lock_period(client, officer, monkeypatch):
    fail(client, settings.LOGIN_MAX_FAILURES)
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES - 1)
    assert login(client, PASSWORD).status_code == 200
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES + 1)
    assert login(client, PASSWORD).status_code == 302


def test_failures_after_a_wait_ran_out_start_a_fresh_count(client, officer, monkeypatch):
    fail(client, settings.LOGIN_MAX_FAILURES)
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES + 1)
    html = fail(client, 1).content.decode()
    assert "tạm thời bị chặn" not in html
    assert f"Còn {settings.LOGIN_MAX_FAILURES - 1} lần thử" in html


def test_a_successful_login_resets_the_count_from_its_address(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302
    assert not FailedLogin.objects.filter(username="canbo.xa", address=HOME).exists()


def test_an_unknown_name_is_throttled_the_same_way_so_names_cannot_be_probed(client, db):
    html = fail(client, settings.LOGIN_MAX_FAILURES, username="khong.co.ai").content.decode()
    assert "tạm thời bị chặn" in html


def test_a_wait_on_one_name_leaves_others_alone(client, officer, django_user_model):
    django_user_model.objects.create_user(username="canbo.huyen", password=PASSWORD)
    fail(client, settings.LOGIN_MAX_FAILURES)
    assert login(client, PASSWORD, username="canbo.huyen").status_code == 302


# --- a stranger cannot lock the owner out --------------------------------------------------


def test_a_stranger_failing_50_times_on_admin_does_not_stop_admin_elsewhere(
    client, django_user_model
):
    django_user_model.objects.create_user(username="admin", password=PASSWORD)
    html = fail(client, 50, username="admin", address=STRANGER).content.decode()
    assert "tạm thời bị chặn" in html
    # The stranger's address waits, even with the right password...
    assert login(client, PASSWORD, username="admin", address=STRANGER).status_code == 200
    assert not logged_in(client)
    # ...while admin, from an address that has not failed, logs in at once.
    assert login(client, PASSWORD, username="admin", address=HOME).status_code == 302
    assert logged_in(client)


def test_an_address_guessing_many_names_waits_for_every_name(client, officer, django_user_model):
    per_name = settings.LOGIN_MAX_FAILURES - 1  # under the per-account limit each time
    names = -(-settings.LOGIN_ADDRESS_MAX_FAILURES // per_name)
    for i in range(names):
        fail(client, per_name, username=f"doan-{i}", address=STRANGER)
    response = login(client, PASSWORD, address=STRANGER)  # a name it never tried
    html = response.content.decode()
    assert response.status_code == 200 and not logged_in(client)
    assert "Máy của bạn đã đăng nhập sai quá nhiều lần" in html
    assert f"chờ {settings.LOGIN_LOCK_MINUTES} phút" in html
    assert login(client, PASSWORD, address=HOME).status_code == 302


def test_the_address_wait_expires(client, officer, monkeypatch):
    for i in range(settings.LOGIN_ADDRESS_MAX_FAILURES):
        login_failure_record(username=f"doan-{i % 7}", address=STRANGER)
    assert login(client, PASSWORD, address=STRANGER).status_code == 200
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES + 1)
    assert login(client, PASSWORD, address=STRANGER).status_code == 302


def test_failures_from_many_addresses_slow_those_addresses_only(client, officer, monkeypatch):
    # A spread guess: a few failures from each of many addresses, none over its own limit.
    for i in range(settings.LOGIN_ACCOUNT_SLOW_FAILURES + 2):
        login_failure_record(username="canbo.xa", address=f"198.51.100.{i}")
    response = login(client, PASSWORD, address="198.51.100.0")
    assert response.status_code == 200
    assert "đang bị thử mật khẩu sai nhiều lần" in response.content.decode()
    assert "giây" in response.content.decode()
    assert login(client, PASSWORD, address=HOME).status_code == 302  # the owner: no wait
    client.logout()
    later(monkeypatch, 1)  # the delay is seconds, growing with the failures
    assert login(client, PASSWORD, address="198.51.100.0").status_code == 302


def test_the_start_of_a_wait_is_in_the_audit_trail(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES)
    event = AuditEvent.objects.get(action="login.throttle")
    assert event.object_id == "canbo.xa" and event.address == HOME
    assert event.after["failures"] == settings.LOGIN_MAX_FAILURES
    assert event.after["reason"] == "account"


def test_a_deactivated_user_cannot_log_in(client, officer):
    officer.is_active = False
    officer.save()
    assert login(client, PASSWORD).status_code == 200


def test_the_login_page_is_in_vietnamese(client, db):
    html = client.get("/dang-nhap/").content.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


# --- the client's address --------------------------------------------------------------------


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, officer):
    for i in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            "/dang-nhap/",
            {"username": "canbo.xa", "password": "sai"},
            REMOTE_ADDR=STRANGER,
            HTTP_X_FORWARDED_FOR=f"10.9.9.{i}",
        )
    assert set(FailedLogin.objects.values_list("address", flat=True)) == {STRANGER}


@override_settings(PROXY_HOPS=1, TRUSTED_PROXIES=(ipaddress.ip_network("127.0.0.0/8"),))
def test_behind_a_trusted_proxy_the_forwarded_address_counts(client, officer):
    # The client wrote "1.2.3.4" itself; the proxy appended the address it saw.
    client.post(
        "/dang-nhap/",
        {"username": "canbo.xa", "password": "sai"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR=f"1.2.3.4, {STRANGER}",
    )
    assert list(FailedLogin.objects.values_list("address", flat=True)) == [STRANGER]


@override_settings(PROXY_HOPS=1, TRUSTED_PROXIES=(ipaddress.ip_network("10.0.0.0/8"),))
def test_a_client_in_the_proxys_network_cannot_escape_the_throttle(client, officer):
    # An office PC (10.0.5.7) writes a new address each time; nginx (10.0.0.2) appends its own
    # view of the client: the throttle still counts the PC.
    for i in range(settings.LOGIN_MAX_FAILURES):
        client.post(
            "/dang-nhap/",
            {"username": "canbo.xa", "password": "sai"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{i}, 10.0.5.7",
        )
    assert set(FailedLogin.objects.values_list("address", flat=True)) == {"10.0.5.7"}
    response = client.post(
        "/dang-nhap/",
        {"username": "canbo.xa", "password": PASSWORD},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR="9.9.9.9, 10.0.5.7",
    )
    assert response.status_code == 200  # still waiting, whatever the PC writes


# --- the user's own password change -------------------------------------------------------


def test_a_user_changes_their_own_password(client, officer):
    client.force_login(officer)
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": PASSWORD,
            "new_password1": "mat-khau-moi-2",
            "new_password2": "mat-khau-moi-2",
        },
        REMOTE_ADDR=HOME,
    )
    assert response.status_code == 302 and response["Location"] == "/doi-mat-khau/xong/"
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-moi-2")
    event = AuditEvent.objects.get(action="user.password")
    assert event.actor == officer and event.origin == "page"
    assert (event.address, event.origin_detail) == (HOME, "/doi-mat-khau/")
    assert "mat-khau-moi-2" not in str(event.after)
    assert "Đã đổi mật khẩu" in client.get("/doi-mat-khau/xong/").content.decode()


def test_a_wrong_old_password_changes_nothing(client, officer):
    client.force_login(officer)
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "sai",
            "new_password1": "mat-khau-moi-2",
            "new_password2": "mat-khau-moi-2",
        },
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    officer.refresh_from_db()
    assert officer.check_password(PASSWORD)


def test_the_password_change_page_needs_a_login(client, db):
    response = client.get("/doi-mat-khau/")
    assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
