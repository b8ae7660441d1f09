"""The demo's accounts, one or more per role, on Lai Châu's 2019 units.

They work in 2018 and in 2026 alike: the province's accounts are rooted at the 2019 province
row and reach the province of 1/7/2025 by its code (ntm.accounts.access); the district and
commune accounts keep their 2019 rows (a district ends on 30/6/2025). Departments own
criteria per criteria set: the 19 criteria up to 2025 and the 10 of QĐ 51/2025.

DEMO PASSWORDS ONLY: they are printed by `ntm demo` and written in this file on purpose, so
anyone trying the demo can log in. Never load the demo on a server holding real data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from ntm.accounts.models import SETS_TO_2025, FailedLogin, Membership, Role
from ntm.accounts.services import (
    criteria_by_set,
    user_active_set,
    user_create,
    user_password_set,
    user_update,
)
from ntm.audit.models import Origin
from ntm.units.models import Level, Unit

ORIGIN_DETAIL = "ntm demo"
QD51 = "qd51-2025"


def _owned(to_2025: tuple[str, ...], qd51: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """The same codes in every set up to 2025 (numbered alike), and the QĐ 51/2025 codes."""
    return {**{set_id: to_2025 for set_id in SETS_TO_2025}, QD51: qd51}


# Who owns what, from the criterion names of the sets (core/criteria_sets/*.yaml). Up to
# 2025: 2 Giao thông (transport), 15 Y tế (health). QĐ 51/2025 has no transport or health
# criterion of its own: roads are part of 2 "Hạ tầng kinh tế - xã hội" and health of
# 5 "Văn hóa, giáo dục, y tế", so transport owns 2 and health owns 5 (in a real province the
# culture and education departments would share 5). Agriculture stands for every other
# department, in both periods, so that no dossier waits for a criterion nobody owns.
TRANSPORT = _owned(("2",), ("2",))
HEALTH = _owned(("15",), ("5",))
AGRICULTURE = _owned(
    tuple(str(n) for n in range(1, 20) if n not in (2, 15)),
    tuple(str(n) for n in range(1, 11) if n not in (2, 5)),
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    password: str
    role: str
    level: str | None  # level of the unit the account is rooted at (None: administrator)
    unit_code: str | None
    criteria: Mapping[str, tuple[str, ...]]
    name: str


DEMO_ACCOUNTS = (
    DemoAccount(
        "quantri", "demo-admin-2019", Role.ADMIN, None, None, {}, "Quản trị hệ thống (demo)"
    ),
    # Kept from the first demo: other tests and notes log in with it.
    DemoAccount(
        "vanphong.laichau",
        "demo-ntm-laichau",
        Role.PROVINCE,
        Level.PROVINCE,
        "12",
        {},
        "Văn phòng điều phối NTM tỉnh Lai Châu",
    ),
    DemoAccount(
        "huyen.tplaichau",
        "demo-district-105",
        Role.DISTRICT,
        Level.DISTRICT,
        "105",
        {},
        "Thành phố Lai Châu (cấp huyện)",
    ),
    DemoAccount(
        "xa.santhang",
        "demo-commune-03409",
        Role.COMMUNE,
        Level.COMMUNE,
        "03409",
        {},
        "Ban quản lý xã San Thàng",
    ),
    DemoAccount(
        "xa.daosan",
        "demo-commune-03571",
        Role.COMMUNE,
        Level.COMMUNE,
        "03571",
        {},
        "Ban quản lý xã Dào San",
    ),
    DemoAccount(
        "so.giaothong",
        "demo-dept-gtvt",
        Role.DEPARTMENT,
        Level.PROVINCE,
        "12",
        TRANSPORT,
        "Sở Giao thông vận tải",
    ),
    DemoAccount(
        "so.yte", "demo-dept-yte", Role.DEPARTMENT, Level.PROVINCE, "12", HEALTH, "Sở Y tế"
    ),
    # Every other criterion needs an owner too, or no dossier could pass the department
    # stage; in the demo one department stands for all of them.
    DemoAccount(
        "so.nongnghiep",
        "demo-dept-nnptnt",
        Role.DEPARTMENT,
        Level.PROVINCE,
        "12",
        AGRICULTURE,
        "Sở Nông nghiệp và PTNT (các tiêu chí còn lại, demo)",
    ),
    DemoAccount(
        "lanhdao.laichau",
        "demo-leader-12",
        Role.LEADER,
        Level.PROVINCE,
        "12",
        {},
        "Lãnh đạo UBND tỉnh Lai Châu",
    ),
)


def _unit(account: DemoAccount) -> Unit | None:
    if account.level is None:
        return None
    # The demo's data is on the 2019 structure: the units "in force since before our records".
    return Unit.objects.get(level=account.level, code=account.unit_code, valid_from__isnull=True)


@transaction.atomic
def demo_accounts_create() -> list[dict[str, Any]]:
    """Create or restore every demo account (role, unit, password, unlocked); idempotent.

    Returns [{"username", "password", "role", "unit_code", "criteria"}], as `ntm demo
    --accounts` prints it. Changes go through the account services, so they are audited.
    """
    User = get_user_model()
    for account in DEMO_ACCOUNTS:
        unit = _unit(account)
        user = User.objects.filter(username=account.username).first()
        common: dict[str, Any] = {
            "actor": None,
            "origin": Origin.SYSTEM,
            "origin_detail": ORIGIN_DETAIL,
        }
        if user is None:
            user_create(
                username=account.username,
                password=account.password,
                role=account.role,
                unit=unit,
                criteria=_criteria(account),
                name=account.name,
                **common,
            )
            continue
        if not Membership.objects.filter(user=user).exists() or _differs(user, account, unit):
            user_update(
                user=user,
                role=account.role,
                unit=unit,
                criteria=_criteria(account),
                name=account.name,
                **common,
            )
        if not user.check_password(account.password):
            user_password_set(user=user, password=account.password, **common)
        if not user.is_active:
            user_active_set(user=user, active=True, **common)
    FailedLogin.objects.filter(username__in=[a.username for a in DEMO_ACCOUNTS]).delete()
    return demo_accounts()


def _criteria(account: DemoAccount) -> dict[str, list[str]]:
    return {set_id: list(codes) for set_id, codes in account.criteria.items()}


def _differs(user: Any, account: DemoAccount, unit: Unit | None) -> bool:
    m = user.membership
    wanted = criteria_by_set(_criteria(account)) if account.criteria else {}
    expected = (account.role, unit.pk if unit else None, wanted, account.name)
    return (m.role, m.unit_id, m.criteria, user.first_name) != expected


def demo_accounts() -> list[dict[str, Any]]:
    """The demo accounts as data, without touching the database."""
    return [
        {
            "username": a.username,
            "password": a.password,
            "role": str(a.role),
            "unit_code": a.unit_code,
            "criteria": _criteria(a),
        }
        for a in DEMO_ACCOUNTS
    ]
