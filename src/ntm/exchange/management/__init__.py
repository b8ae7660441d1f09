"""Shared by the exchange commands: resolving --unit and --user the way the pages do."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from ntm.exchange.export import level_of_code
from ntm.units.models import Unit
from ntm.units.selectors import unit_for_year

USAGE = 2  # exit status of a usage error (argparse uses 2 too)


def user_named(username: str | None) -> Any:
    """The named user, or None for the system (full scope) when no --user is given."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"Không có tài khoản «{username}»", returncode=USAGE)
    if not user.is_active:
        raise CommandError(f"Tài khoản «{username}» đang bị khóa", returncode=USAGE)
    return user


def unit_for(code: str, year: int) -> Unit:
    """The unit holding the code on 31/12 of the year (codes are reused across periods)."""
    level = level_of_code(code)
    if level is None:
        raise CommandError(
            f"Mã đơn vị «{code}» không đúng dạng (tỉnh 2 số, huyện 3 số, xã 5 số)",
            returncode=USAGE,
        )
    unit = unit_for_year(code=code, year=year, level=level)
    if unit is None:
        raise CommandError(f"Không có đơn vị mã {code} vào 31/12/{year}", returncode=USAGE)
    return unit
