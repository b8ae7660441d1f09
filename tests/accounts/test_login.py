"""Logging in, the lockout after repeated failures, and the user's own password change."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from ntm.accounts.models import LoginFailure
from ntm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

PASSWORD = "mat-khau-dung-1"


@pytest.fixture
def officer(django_user_model):
    return django_user_model.objects.create_user(username="canbo.xa", password=PASSWORD)


def login(client, password, username="canbo.xa"):
    return client.post("/dang-nhap/", {"username": username, "password": password})


def fail(client, times, username="canbo.xa"):
    for _ in range(times):
        response = login(client, "sai-mat-khau", username)
    return response


def later(monkeypatch, minutes):
    """Time passes: every clock reading (ours and Django's) moves forward."""
    moved = timezone.now() + dt.timedelta(minutes=minutes)
    monkeypatch.setattr(timezone, "now", lambda: moved)


def test_the_right_password_logs_in(client, officer):
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(officer.pk)


def test_passwords_are_hashed_with_argon2(officer):
    assert officer.password.startswith("argon2")


def test_a_wrong_password_says_how_many_attempts_are_left(client, officer):
    html = login(client, "sai-mat-khau").content.decode()
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in html
    assert f"Còn {settings.LOGIN_MAX_FAILURES - 1} lần thử" in html


def test_the_fifth_failure_locks_the_account_and_says_until_when(client, officer):
    html = fail(client, settings.LOGIN_MAX_FAILURES).content.decode()
    until = timezone.localtime(LoginFailure.objects.get(username="canbo.xa").locked_until)
    assert "tạm thời bị khóa" in html
    assert f"{until:%H:%M} ngày {until:%d/%m/%Y}" in html
    expected = timezone.now() + dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)
    assert abs((until - expected).total_seconds()) < 60


def test_four_failures_do_not_lock(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302


def test_the_right_password_is_refused_while_locked(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES)
    response = login(client, PASSWORD)
    assert response.status_code == 200
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_ends_after_the_lock_period(client, officer, monkeypatch):
    fail(client, settings.LOGIN_MAX_FAILURES)
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES - 1)
    assert login(client, PASSWORD).status_code == 200
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES + 1)
    assert login(client, PASSWORD).status_code == 302


def test_failures_after_a_lock_ran_out_start_a_fresh_count(client, officer, monkeypatch):
    fail(client, settings.LOGIN_MAX_FAILURES)
    later(monkeypatch, settings.LOGIN_LOCK_MINUTES + 1)
    html = fail(client, 1).content.decode()
    assert "tạm thời bị khóa" not in html
    assert f"Còn {settings.LOGIN_MAX_FAILURES - 1} lần thử" in html


def test_a_successful_login_resets_the_count(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302
    client.logout()
    fail(client, settings.LOGIN_MAX_FAILURES - 1)
    assert login(client, PASSWORD).status_code == 302
    assert not LoginFailure.objects.filter(username="canbo.xa").exists()


def test_an_unknown_name_locks_the_same_way_so_names_cannot_be_probed(client, db):
    html = fail(client, settings.LOGIN_MAX_FAILURES, username="khong.co.ai").content.decode()
    assert "tạm thời bị khóa" in html


def test_a_lock_on_one_name_leaves_others_alone(client, officer, django_user_model):
    django_user_model.objects.create_user(username="canbo.huyen", password=PASSWORD)
    fail(client, settings.LOGIN_MAX_FAILURES)
    assert login(client, PASSWORD, username="canbo.huyen").status_code == 302


def test_the_lock_is_recorded_in_the_audit_trail(client, officer):
    fail(client, settings.LOGIN_MAX_FAILURES)
    event = AuditEvent.objects.get(action="user.lock")
    assert event.object_id == str(officer.pk)
    assert event.after["failures"] == settings.LOGIN_MAX_FAILURES


def test_a_deactivated_user_cannot_log_in(client, officer):
    officer.is_active = False
    officer.save()
    assert login(client, PASSWORD).status_code == 200


def test_the_login_page_is_in_vietnamese(client, db):
    html = client.get("/dang-nhap/").content.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html


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
    )
    assert response.status_code == 302 and response["Location"] == "/doi-mat-khau/xong/"
    officer.refresh_from_db()
    assert officer.check_password("mat-khau-moi-2")
    event = AuditEvent.objects.get(action="user.password")
    assert event.actor == officer and event.origin == "page"
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
