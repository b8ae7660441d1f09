"""`ntm users list|create|set-password|unlock`: accounts from the server's shell, for scripts.

Passwords are read from standard input (one line) when it is not a terminal, otherwise asked
twice without echo; they are never taken as arguments, which would leave them in the history.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.accounts.models import Role
from ntm.accounts.selectors import unit_candidates, user_rows
from ntm.accounts.services import AccountError, user_create, user_password_set, user_unlock
from ntm.audit.models import Origin
from ntm.units.models import Unit


def _origin_detail(action: str) -> str:
    try:
        who = getpass.getuser()
    except (KeyError, OSError):  # no user name in a bare container
        who = "?"
    return f"ntm users {action} (người dùng hệ điều hành: {who})"


class Command(BaseCommand):
    help = "Quản lý tài khoản từ dòng lệnh: list, create, set-password, unlock."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("list", help="Liệt kê tài khoản, vai trò và đơn vị.")
        create = sub.add_parser("create", help="Tạo tài khoản; mật khẩu đọc từ stdin.")
        create.add_argument("username")
        create.add_argument("--role", required=True, choices=Role.values)
        create.add_argument("--unit", default="", help="Mã đơn vị, ví dụ 12, 105, 03409.")
        create.add_argument(
            "--on",
            type=dt.date.fromisoformat,
            help="Ngày (YYYY-MM-DD) chọn đơn vị khi một mã có ở nhiều thời kỳ.",
        )
        create.add_argument(
            "--criteria",
            default="",
            help="Tiêu chí của sở, ngành theo từng bộ tiêu chí, ví dụ "
            "qd1980-2016:2,qd318-2022:2,qd51-2025:2 (mỗi “bộ:” mở một bộ, các mã sau nó thuộc "
            "bộ đó). Danh sách mã không ghi bộ (2,15) là cho các bộ đến năm 2025 (qd491-2009, "
            "qd1980-2016, qd318-2022), như trước đây; không áp dụng cho qd51-2025.",
        )
        create.add_argument("--name", default="", help="Họ và tên hoặc tên cơ quan.")
        create.add_argument("--email", default="")
        password = sub.add_parser("set-password", help="Đặt mật khẩu mới; đọc từ stdin.")
        password.add_argument("username")
        unlock = sub.add_parser(
            "unlock",
            help="Mở khóa đăng nhập trước hạn: xóa mọi lần đăng nhập sai đã ghi cho tên này, từ mọi máy.",
        )
        unlock.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdin: TextIO = options.get("stdin") or sys.stdin
        action = options["action"]
        try:
            if action == "list":
                self._list()
            elif action == "create":
                self._create(options)
            elif action == "set-password":
                self._set_password(options["username"])
            else:
                self._unlock(options["username"])
        except AccountError as exc:
            raise CommandError(str(exc)) from None

    def _user(self, username: str) -> Any:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        return user

    def _password(self) -> str:
        if not self.stdin.isatty():
            return self.stdin.readline().rstrip("\r\n")
        first = getpass.getpass("Mật khẩu mới: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise CommandError("Hai mật khẩu không khớp; chưa thay đổi gì.")
        return first

    def _unit(self, options: dict[str, Any]) -> Unit | None:
        code, role = options["unit"].strip(), options["role"]
        if not code:
            return None
        units = unit_candidates(text=code, role=role, on=options["on"])
        if len(units) == 1:
            return units[0]
        if not units:
            raise CommandError(
                f"Không có đơn vị mã “{code}” phù hợp với vai trò {Role(role).label}."
            )
        periods = "; ".join(f"{u.name} ({_period(u)})" for u in units)
        raise CommandError(
            f"Mã {code} có {len(units)} đơn vị: {periods}. Thêm --on NGÀY để chọn một đơn vị."
        )

    def _create(self, options: dict[str, Any]) -> None:
        unit = self._unit(options)
        user = user_create(
            actor=None,
            username=options["username"],
            password=self._password(),
            role=options["role"],
            unit=unit,
            criteria=options["criteria"],
            name=options["name"],
            email=options["email"],
            origin=Origin.CLI,
            origin_detail=_origin_detail("create"),
        )
        where = f", {unit.name} ({unit.code})" if unit else ""
        self.stdout.write(
            f"Đã tạo tài khoản {user.username}: {Role(options['role']).label}{where}."
        )

    def _set_password(self, username: str) -> None:
        user = self._user(username)
        user_password_set(
            actor=None,
            user=user,
            password=self._password(),
            origin=Origin.CLI,
            origin_detail=_origin_detail("set-password"),
        )
        self.stdout.write(f"Đã đặt mật khẩu mới cho {user.username}.")

    def _unlock(self, username: str) -> None:
        user = self._user(username)
        done = user_unlock(
            actor=None, user=user, origin=Origin.CLI, origin_detail=_origin_detail("unlock")
        )
        self.stdout.write(
            f"Đã mở khóa đăng nhập cho {user.username}."
            if done
            else f"{user.username} không bị khóa."
        )

    def _list(self) -> None:
        for row in user_rows():
            m = row.membership
            role = m.get_role_display() if m else "(chưa có vai trò)"
            unit = f"{m.unit.name} ({m.unit.code})" if m and m.unit else ""
            state = (
                "vô hiệu hóa"
                if not row.user.is_active
                else ("tạm khóa" if row.locked_until else "")
            )
            criteria = m.criteria_text() if m else ""
            self.stdout.write("\t".join([row.user.username, role, unit, criteria, state]))


def _period(unit: Unit) -> str:
    start = unit.valid_from.strftime("%d/%m/%Y") if unit.valid_from else "trước đây"
    end = unit.valid_to.strftime("%d/%m/%Y") if unit.valid_to else "nay"
    return f"{start} – {end}"
