"""`ntm users`: accounts from the shell, passwords read from standard input."""

from __future__ import annotations

from io import StringIO

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.accounts.models import FailedLogin
from ntm.accounts.throttle import login_failure_record
from ntm.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

User = get_user_model()


def throttle(username, address="203.0.113.66"):
    """Enough failed logins on the name from one address to make that address wait."""
    for _ in range(settings.LOGIN_MAX_FAILURES):
        login_failure_record(username=username, address=address)


def users(*args, password=""):
    out = StringIO()
    call_command("users", *args, stdin=StringIO(password + "\n"), stdout=out)
    return out.getvalue()


def test_set_password_reads_the_password_from_stdin(world):
    out = users("set-password", "u.commune", password="mat-khau-cli-1")
    assert "Đã đặt mật khẩu mới cho u.commune" in out
    assert User.objects.get(username="u.commune").check_password("mat-khau-cli-1")
    event = AuditEvent.objects.get(action="user.password")
    assert event.origin == "cli" and event.actor is None
    assert "ntm users set-password" in event.origin_detail


def test_set_password_lifts_a_login_lock(world):
    throttle("u.commune")
    users("set-password", "u.commune", password="mat-khau-cli-1")
    assert not FailedLogin.objects.filter(username="u.commune").exists()


def test_set_password_refuses_an_empty_password(world):
    with pytest.raises(CommandError, match="không được để trống"):
        users("set-password", "u.commune", password="")


def test_set_password_names_an_unknown_user(world):
    with pytest.raises(CommandError, match=r"Không có tài khoản “ai\.do”"):
        users("set-password", "ai.do", password="x-1")


def test_create_makes_a_department_account(world):
    out = users(
        "create",
        "so.nongnghiep",
        "--role",
        "department",
        "--unit",
        "12",
        "--on",
        "2019-01-01",
        "--criteria",
        "13,2",
        "--name",
        "Sở Nông nghiệp",
        password="mat-khau-cli-1",
    )
    assert "Đã tạo tài khoản so.nongnghiep" in out
    user = User.objects.get(username="so.nongnghiep")
    # Codes without a set are for the sets up to 2025, as before criteria were per set.
    assert user.membership.criteria == {
        "qd491-2009": ["2", "13"],
        "qd1980-2016": ["2", "13"],
        "qd318-2022": ["2", "13"],
    }
    assert user.membership.unit_id == world.units["province"]
    assert AuditEvent.objects.get(action="user.create", object_id=str(user.pk)).origin == "cli"


def test_create_asks_for_a_date_when_a_code_has_several_periods(world):
    with pytest.raises(CommandError, match="--on"):
        users("create", "tinh.moi", "--role", "province", "--unit", "12", password="mat-khau-cli-1")


def test_create_names_a_unit_that_does_not_fit_the_role(world):
    with pytest.raises(CommandError, match="Không có đơn vị mã “105”"):
        users("create", "xa.moi", "--role", "commune", "--unit", "105", password="mat-khau-cli-1")


def test_create_refuses_a_taken_name(world):
    with pytest.raises(CommandError, match="đã có người dùng"):
        users("create", "u.commune", "--role", "admin", password="mat-khau-cli-1")


def test_list_shows_roles_and_units(world):
    out = users("list")
    assert "u.district\tCấp huyện (trước 7/2025)\tThành phố Lai Châu (105)" in out


def test_unlock_lifts_a_lock(world):
    throttle("u.commune")
    assert "Đã mở khóa" in users("unlock", "u.commune")
    assert "không bị khóa" in users("unlock", "u.commune")
