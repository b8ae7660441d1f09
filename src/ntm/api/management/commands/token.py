"""`ntm token USERNAME`: print a new API token for the account (its earlier token stops)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ntm.api.tokens import token_issue


class Command(BaseCommand):
    help = (
        "In ra một mã truy cập API mới cho tài khoản (mã cũ của tài khoản đó hết hiệu lực). "
        "Gửi kèm mỗi yêu cầu: Authorization: Token <mã>."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="tên đăng nhập")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Không có tài khoản '{options['username']}'")
        if not user.is_active:
            raise CommandError(f"Tài khoản '{options['username']}' đang bị vô hiệu hóa")
        self.stdout.write(token_issue(user=user))
