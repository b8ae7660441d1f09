"""Forms: the login with throttling, and the administrator's user forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import FailedLogin, Role
from ntm.accounts.selectors import department_sets, unit_candidates
from ntm.accounts.throttle import (
    ACCOUNT,
    ADDRESS,
    Wait,
    login_failure_record,
    login_failures_clear,
    login_wait,
)
from ntm.audit.client import client_address
from ntm.core.model import CriteriaSet
from ntm.units.models import Unit


def _wait_text(seconds: int) -> str:
    if seconds < 60:
        return gettext("%(n)d giây") % {"n": seconds}
    return gettext("%(n)d phút") % {"n": (seconds + 59) // 60}


def wait_message(username: str, wait: Wait) -> str:
    """How long to wait, in words and as a time of day, and why (no word on whether the name
    exists)."""
    local = timezone.localtime(wait.until)
    where = {
        "username": username,
        "wait": _wait_text(wait.seconds()),
        "time": local.strftime("%H:%M:%S" if wait.seconds() < 60 else "%H:%M"),
        "date": local.strftime("%d/%m/%Y"),
    }
    if wait.reason == ADDRESS:
        text = gettext(
            "Máy của bạn đã đăng nhập sai quá nhiều lần: tạm thời không đăng nhập được từ "
            "địa chỉ này. Vui lòng chờ %(wait)s (đến %(time)s ngày %(date)s) rồi thử lại."
        )
    elif wait.reason == ACCOUNT:
        text = gettext(
            "Đăng nhập vào tài khoản “%(username)s” từ máy này đã sai nhiều lần liên tiếp nên "
            "tạm thời bị chặn. Vui lòng chờ %(wait)s (đến %(time)s ngày %(date)s) rồi thử lại, "
            "hoặc nhờ quản trị hệ thống mở khóa."
        )
    else:
        text = gettext(
            "Tài khoản “%(username)s” đang bị thử mật khẩu sai nhiều lần. Vui lòng chờ "
            "%(wait)s (đến %(time)s ngày %(date)s) rồi thử lại."
        )
    return text % where


USERNAME_MAX = FailedLogin._meta.get_field("username").max_length or 150


class LockoutAuthenticationForm(AuthenticationForm):
    """Django's login form with throttling per address and per (account, address).

    While an address must wait, the password is not even checked: a guesser learns nothing
    from the answer. A failure from one address never keeps the owner out on another.
    """

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Tài khoản này đã bị vô hiệu hóa."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            return super().clean() or {}
        address = client_address(self.request) if self.request is not None else ""
        # Failures are kept under the name as far as the column holds it: a longer name is no
        # account's (the password check fails) but still counts against its address.
        username = username[:USERNAME_MAX]
        wait = login_wait(username=username, address=address)
        if wait is not None:
            raise ValidationError(wait_message(username, wait), code="locked")
        try:
            cleaned = super().clean()
        except ValidationError as exc:
            state = login_failure_record(username=username, address=address)
            if state.wait is not None:
                raise ValidationError(wait_message(username, state.wait), code="locked") from None
            left = max(settings.LOGIN_MAX_FAILURES - state.failures, 1)
            raise ValidationError(
                [
                    *exc.error_list,
                    ValidationError(
                        gettext(
                            "Còn %(left)d lần thử từ máy này trước khi phải chờ %(minutes)d phút."
                        )
                        % {"left": left, "minutes": settings.LOGIN_LOCK_MINUTES},
                        code="attempts_left",
                    ),
                ]
            ) from None
        login_failures_clear(username=username, address=address)
        return cleaned or {}


CRITERIA_PREFIX = "criteria_"


class ScopeForm(forms.Form):
    """Role, unit (typed as a code or a name, then picked if several match) and criteria.

    A department's criteria are one field per commune-level criteria set (``criteria_<set
    id>``): a code names different criteria in different sets.
    """

    name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=Role.choices)
    unit = forms.CharField(
        label=_("Đơn vị (mã hoặc tên)"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: 12, 105, 03409 hoặc “san thang”. Bỏ trống cho quản trị hệ thống."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates: list[Unit] = []
        self.unit_obj: Unit | None = None
        self.criteria_sets: list[CriteriaSet] = department_sets()
        for cset in self.criteria_sets:
            self.fields[CRITERIA_PREFIX + cset.id] = forms.CharField(
                label=gettext("Theo %(set)s") % {"set": cset.label},
                max_length=200,
                required=False,
            )

    @property
    def criteria_fields(self) -> list[tuple[forms.BoundField, CriteriaSet]]:
        """(field, set) for the template: each set's field with its criteria listed below."""
        return [(self[CRITERIA_PREFIX + s.id], s) for s in self.criteria_sets]

    def criteria(self) -> dict[str, str]:
        """Set id -> the codes typed for it, for accounts.services (which checks them)."""
        return {s.id: self.cleaned_data.get(CRITERIA_PREFIX + s.id, "") for s in self.criteria_sets}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        role, text = cleaned.get("role"), (cleaned.get("unit") or "").strip()
        if role is None or role == Role.ADMIN:
            return cleaned
        if not text:
            self.add_error("unit", gettext("Chọn đơn vị cho vai trò này."))
            return cleaned
        candidates = unit_candidates(text=text, role=role)
        picked = [u for u in candidates if str(u.pk) == self.data.get("unit_id")]
        if picked:
            self.unit_obj = picked[0]
        elif len(candidates) == 1:
            self.unit_obj = candidates[0]
        elif not candidates:
            label = Role(role).label
            self.add_error(
                "unit",
                gettext("Không tìm thấy đơn vị “%(text)s” phù hợp với vai trò “%(role)s”.")
                % {"text": text, "role": label},
            )
        else:
            self.candidates = candidates
            self.add_error(
                "unit",
                gettext("Có %(n)d đơn vị khớp với “%(text)s”: chọn một đơn vị trong danh sách.")
                % {"n": len(candidates), "text": text},
            )
        return cleaned


class UserCreateForm(ScopeForm):
    username = forms.CharField(label=_("Tên đăng nhập"), max_length=150)
    password1 = forms.CharField(label=_("Mật khẩu"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Nhập lại mật khẩu"), widget=forms.PasswordInput)

    field_order = ["username", "name", "email", "role", "unit", "password1"]

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise ValidationError(gettext("Hai mật khẩu không khớp."))
        return p2 or ""


class PasswordSetForm(forms.Form):
    password1 = forms.CharField(label=_("Mật khẩu mới"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("Nhập lại mật khẩu mới"), widget=forms.PasswordInput)

    def clean_password2(self) -> str:
        p1, p2 = self.cleaned_data.get("password1"), self.cleaned_data.get("password2")
        if p1 and p2 and p1 != p2:
            raise ValidationError(gettext("Hai mật khẩu không khớp."))
        return p2 or ""
