"""Writes on accounts: every change to a user, each with an audit row (login throttling is in
ntm.accounts.throttle).

Passwords never reach the audit trail: a password change is recorded as the event alone.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import SETS_TO_2025, Membership, Role
from ntm.accounts.selectors import ROLE_LEVELS, department_sets, login_lock_of
from ntm.accounts.throttle import login_failures_clear as throttle_clear
from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.core.model import CriteriaSet
from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_successors_current

# What callers may give as a department's criteria: a mapping set id -> codes (a list or a
# text "2, 15"), a text in the form of `ntm users create --criteria`, or a bare list of codes.
CriteriaInput = Mapping[str, list[str] | str] | list[str] | str


class AccountError(ValueError):
    """A refused account change; the message is a sentence for the user (in their language)."""


# How messages name a unit level, as the lower-case level label of ntm.units (unit data).
LEVEL_WORDS = {
    Level.PROVINCE: _("cấp tỉnh"),
    Level.DISTRICT: _("cấp huyện"),
    Level.COMMUNE: _("cấp xã"),
    Level.VILLAGE: _("thôn, bản"),
}


def login_failures_clear(*, username: str) -> int:
    """Lift every login throttle on a name (the administrator's unlock, a new password)."""
    return throttle_clear(username=username)


# --- users ---------------------------------------------------------------------------------


def user_snapshot(user: Any) -> dict[str, Any]:
    """What the audit trail keeps of a user: identity, state and scope, never the password."""
    m = Membership.objects.filter(user=user).select_related("unit").first()
    return {
        "username": user.username,
        "name": user.first_name,
        "email": user.email,
        "is_active": user.is_active,
        "role": m.role if m else None,
        "unit_id": m.unit_id if m else None,
        "unit_code": m.unit.code if m and m.unit else None,
        "unit_name": m.unit.name if m and m.unit else None,
        "criteria": {k: list(v) for k, v in m.criteria.items()} if m else {},
    }


def scope_clean(*, role: str, unit: Unit | None, criteria: CriteriaInput) -> dict[str, list[str]]:
    """Check that a role, its unit and its criteria fit together; return the criteria to keep.

    Criteria are kept for departments only, per set, in numeric order.
    """
    if role not in Role.values:
        raise AccountError(
            gettext("Vai trò “%(role)s” không có; chọn một trong: %(roles)s.")
            % {"role": role, "roles": ", ".join(Role.values)}
        )
    label = Role(role).label
    if role == Role.ADMIN and unit is not None:
        raise AccountError(
            gettext("%(role)s không gắn với đơn vị nào: bỏ trống ô đơn vị.") % {"role": label}
        )
    if role != Role.ADMIN and unit is None:
        raise AccountError(gettext("Vai trò “%(role)s” cần một đơn vị.") % {"role": label})
    if unit is not None and unit.level not in ROLE_LEVELS[role]:
        levels = ", ".join(_level_word(level) for level in ROLE_LEVELS[role])
        raise AccountError(
            gettext("Vai trò “%(role)s” gắn với đơn vị %(levels)s; %(unit)s là %(level)s.")
            % {"role": label, "levels": levels, "unit": unit.name, "level": _level_word(unit.level)}
        )
    if role != Role.DEPARTMENT:
        return {}
    by_set = criteria_by_set(criteria)
    if not by_set:
        raise AccountError(
            gettext(
                "Sở, ngành cần ít nhất một tiêu chí phụ trách, theo từng bộ tiêu chí "
                "(ví dụ: qd318-2022:2, qd51-2025:2)."
            )
        )
    return by_set


def _level_word(level: str) -> str:
    return str(LEVEL_WORDS[Level(level)])


def criteria_by_set(criteria: CriteriaInput) -> dict[str, list[str]]:
    """Criteria per set, checked against each set; AccountError names the set and the code.

    ``{"qd51-2025": "2, 5"}`` and ``"qd318-2022:2,15 qd51-2025:2"`` give what they say; codes
    given without a set (``"2, 15"`` or ``["2", "15"]``) are for the sets up to 2025
    (QĐ 491/2009, QĐ 1980/2016, QĐ 318/2022), which numbered their 19 criteria alike.
    """
    if isinstance(criteria, str):
        raw = criteria_parse(criteria)
    elif isinstance(criteria, Mapping):
        raw = {str(k): _codes(v) for k, v in criteria.items()}
    else:
        raw = {set_id: _codes(list(criteria)) for set_id in SETS_TO_2025}
    sets = {s.id: s for s in department_sets()}
    cleaned: dict[str, list[str]] = {}
    for set_id in sets:  # oldest set first, whatever order they came in
        if raw.get(set_id):
            cleaned[set_id] = _known(sets[set_id], raw[set_id])
    unknown = [set_id for set_id, codes in raw.items() if codes and set_id not in sets]
    if unknown:
        raise AccountError(
            gettext("Không có bộ tiêu chí cấp xã “%(set)s”; các bộ: %(sets)s.")
            % {"set": unknown[0], "sets": ", ".join(sets)}
        )
    return cleaned


def criteria_parse(text: str) -> dict[str, list[str]]:
    """ "2, 15 qd51-2025:2,5" -> {sets up to 2025: ["2", "15"], "qd51-2025": ["2", "5"]}.

    A token "set:code" starts a set; codes after it, up to the next set, belong to it; codes
    before any set are for the sets up to 2025. Codes are not checked here.
    """
    found: dict[str, list[str]] = {}
    current: tuple[str, ...] = SETS_TO_2025
    for token in re.split(r"[,;\s]+", text.strip()):
        if ":" in token:
            set_id, token = (part.strip() for part in token.split(":", 1))
            current = (set_id,)
            found.setdefault(set_id, [])
        for set_id in current:
            if token:
                found.setdefault(set_id, []).append(token)
    return {set_id: _codes(codes) for set_id, codes in found.items()}


def _codes(items: list[str] | str) -> list[str]:
    """ "2, 15" or ["15", "2", "2"] -> ["2", "15"]."""
    if isinstance(items, str):
        items = re.split(r"[,;\s]+", items)
    codes = {str(c).strip() for c in items if str(c).strip()}
    return sorted(
        codes, key=lambda c: [(0, int(p), "") if p.isdigit() else (1, 0, p) for p in c.split(".")]
    )


def _known(cset: CriteriaSet, codes: list[str]) -> list[str]:
    known = [c.code for c in cset.criteria]
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise AccountError(
            gettext(
                "Bộ tiêu chí %(set)s (Quyết định %(decision)s) không có tiêu chí %(codes)s; "
                "các tiêu chí của bộ này: %(known)s."
            )
            % {
                "set": cset.id,
                "decision": cset.decision,
                "codes": ", ".join(unknown),
                "known": ", ".join(known),
            }
        )
    return codes


def _password_check(password: str, user: Any = None) -> None:
    if not password:
        raise AccountError(gettext("Mật khẩu không được để trống."))
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise AccountError(" ".join(exc.messages)) from None


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    unit: Unit | None,
    criteria: CriteriaInput = "",
    name: str = "",
    email: str = "",
    origin: str = Origin.PAGE,
    origin_detail: str = "",
) -> Any:
    username = username.strip()
    if not username:
        raise AccountError(gettext("Tên đăng nhập không được để trống."))
    User = get_user_model()
    if User.objects.filter(username=username).exists():
        raise AccountError(
            gettext("Tên đăng nhập “%(username)s” đã có người dùng.") % {"username": username}
        )
    codes = scope_clean(role=role, unit=unit, criteria=criteria)
    _password_check(password)
    # Vietnamese names do not split into first/last the English way: the whole name goes in
    # first_name, last_name stays empty.
    user = User.objects.create_user(
        username=username, password=password, first_name=name.strip(), email=email.strip()
    )
    Membership.objects.create(user=user, role=role, unit=unit, criteria=codes)
    audit_record(
        actor=actor,
        action="user.create",
        object_type="user",
        object_id=user.pk,
        unit=unit,
        after=user_snapshot(user),
        origin=origin,
        origin_detail=origin_detail,
    )
    return user


@transaction.atomic
def user_update(
    *,
    actor: Any,
    user: Any,
    role: str,
    unit: Unit | None,
    criteria: CriteriaInput = "",
    name: str | None = None,
    email: str | None = None,
    origin: str = Origin.PAGE,
    origin_detail: str = "",
) -> bool:
    """Change a user's role, scope, name or e-mail; False when nothing changed."""
    codes = scope_clean(role=role, unit=unit, criteria=criteria)
    before = user_snapshot(user)
    if _same_user(actor, user) and role != before["role"]:
        raise AccountError(gettext("Bạn không thể tự đổi vai trò của chính mình."))
    if name is not None:
        user.first_name = name.strip()
    if email is not None:
        user.email = email.strip()
    user.save(update_fields=["first_name", "email"])
    Membership.objects.update_or_create(
        user=user, defaults={"role": role, "unit": unit, "criteria": codes}
    )
    after = user_snapshot(user)
    if after == before:
        return False
    audit_record(
        actor=actor,
        action="user.update",
        object_type="user",
        object_id=user.pk,
        unit=unit,
        before=before,
        after=after,
        origin=origin,
        origin_detail=origin_detail,
    )
    return True


@transaction.atomic
def user_unit_succeed(
    *, actor: Any, user: Any, unit: Unit, origin: str = Origin.PAGE, origin_detail: str = ""
) -> None:
    """Move an account rooted at a commune that has ended to a commune it became.

    The administrator confirms the move (several successors: they choose one); the role and
    criteria stay, and so does the old commune's history (access keeps a commune's
    predecessors in its scope).
    """
    m = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("unit")
        .filter(user=user)
        .first()
    )
    old = m.unit if m is not None else None
    if m is None or old is None:
        raise AccountError(
            gettext("Tài khoản %(username)s không gắn với đơn vị nào.") % {"username": user}
        )
    where = {"old": old.name, "unit": unit.name, "username": user.username}
    if old.is_valid_on(timezone.localdate()):
        raise AccountError(
            gettext("%(old)s vẫn đang có hiệu lực: tài khoản %(username)s không cần chuyển.")
            % where
        )
    if unit.pk not in {u.pk for u in unit_successors_current(unit=old)}:
        raise AccountError(
            gettext("%(unit)s không phải đơn vị kế thừa của %(old)s; không chuyển %(username)s.")
            % where
        )
    scope_clean(role=m.role, unit=unit, criteria=m.criteria)
    before = user_snapshot(user)
    m.unit = unit
    m.save(update_fields=["unit"])
    audit_record(
        actor=actor,
        action="user.succeed",
        object_type="user",
        object_id=user.pk,
        unit=unit,
        before=before,
        after=user_snapshot(user),
        origin=origin,
        origin_detail=origin_detail,
    )


@transaction.atomic
def user_password_set(
    *, actor: Any, user: Any, password: str, origin: str = Origin.PAGE, origin_detail: str = ""
) -> None:
    """Set a new password (the administrator's reset) and lift any login lock on the name.

    The user's other sessions end: Django ties a session to the password hash.
    """
    _password_check(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    login_failures_clear(username=user.username)
    audit_record(
        actor=actor,
        action="user.password",
        object_type="user",
        object_id=user.pk,
        after={"password": "đã đặt mật khẩu mới", "by_self": _same_user(actor, user)},
        origin=origin,
        origin_detail=origin_detail,
    )


@transaction.atomic
def user_active_set(
    *, actor: Any, user: Any, active: bool, origin: str = Origin.PAGE, origin_detail: str = ""
) -> None:
    """Deactivate (the account stays, with its history, but cannot log in) or reactivate."""
    if _same_user(actor, user) and not active:
        raise AccountError(gettext("Bạn không thể tự khóa tài khoản của chính mình."))
    if user.is_active == active:
        return
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit_record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        object_type="user",
        object_id=user.pk,
        before={"is_active": not active},
        after={"is_active": active},
        origin=origin,
        origin_detail=origin_detail,
    )


@transaction.atomic
def user_unlock(
    *, actor: Any, user: Any, origin: str = Origin.PAGE, origin_detail: str = ""
) -> bool:
    """Lift the login throttles on a name (every address) before they run out; False when no
    address was kept waiting."""
    lock = login_lock_of(username=user.username)
    login_failures_clear(username=user.username)
    if lock is None:
        return False
    audit_record(
        actor=actor,
        action="user.unlock",
        object_type="user",
        object_id=user.pk,
        before={"locked_until": _iso(lock)},
        after={"locked_until": None},
        origin=origin,
        origin_detail=origin_detail,
    )
    return True


def _same_user(actor: Any, user: Any) -> bool:
    return actor is not None and getattr(actor, "pk", None) == user.pk


def _iso(moment: dt.datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="minutes") if moment else None
