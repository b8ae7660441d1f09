"""User management for the system administrator, and the user's own password change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from ntm.accounts import access
from ntm.accounts.forms import (
    CRITERIA_PREFIX,
    LockoutAuthenticationForm,
    PasswordSetForm,
    ScopeForm,
    UserCreateForm,
)
from ntm.accounts.models import Membership
from ntm.accounts.selectors import (
    departments_without,
    login_lock_of,
    newest_set,
    successor_offers,
    user_rows,
)
from ntm.accounts.services import (
    AccountError,
    user_active_set,
    user_create,
    user_password_set,
    user_unit_succeed,
    user_unlock,
    user_update,
)
from ntm.audit.models import Origin
from ntm.audit.services import audit_request
from ntm.units.models import Level, Unit

View = Callable[..., HttpResponse]


def user_admin_required(view: View) -> View:
    """Logged in and allowed to manage users (access.can_manage_users), else 403."""

    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not access.can_manage_users(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


@user_admin_required
def users(request: HttpRequest) -> HttpResponse:
    rows = user_rows()
    newest = newest_set()
    offers = successor_offers(rows=rows)
    context = {
        "entries": [(row, offers.get(row.user.pk, [])) for row in rows],
        "newest_set": newest,
        "without_newest": departments_without(rows=rows, set_id=newest.id),
    }
    return render(request, "accounts/users.html", context)


@user_admin_required
@require_POST
def user_successor(request: HttpRequest, user_id: int) -> HttpResponse:
    """Confirm the move of an account whose commune has ended to the commune it became."""
    user = get_object_or_404(get_user_model(), pk=user_id)
    raw = request.POST.get("unit_id", "")
    unit = get_object_or_404(Unit, pk=int(raw) if raw.isdigit() else 0, level=Level.COMMUNE)
    try:
        user_unit_succeed(actor=request.user, user=user, unit=unit, origin_detail=request.path)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        done = gettext("Đã chuyển %(username)s sang %(unit)s.")
        messages.success(request, done % {"username": user.username, "unit": unit.name})
    return redirect("users")


@user_admin_required
def user_new(request: HttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = user_create(
                actor=request.user,
                username=data["username"],
                password=data["password1"],
                role=data["role"],
                unit=form.unit_obj,
                criteria=form.criteria(),
                name=data["name"],
                email=data["email"],
                origin=Origin.PAGE,
                origin_detail=request.path,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, gettext("Đã tạo tài khoản %(username)s.") % {"username": user.username}
            )
            return redirect("user_edit", user_id=user.pk)
    return render(request, "accounts/user_new.html", _form_context(form))


@user_admin_required
def user_edit(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    form = ScopeForm(request.POST or None, initial=_scope_initial(user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            changed = user_update(
                actor=request.user,
                user=user,
                role=data["role"],
                unit=form.unit_obj,
                criteria=form.criteria(),
                name=data["name"],
                email=data["email"],
                origin=Origin.PAGE,
                origin_detail=request.path,
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            done = gettext("Đã lưu thay đổi.") if changed else gettext("Không có gì thay đổi.")
            messages.success(request, done)
            return redirect("user_edit", user_id=user.pk)
    return render(request, "accounts/user_edit.html", _edit_context(user, form, PasswordSetForm()))


@user_admin_required
@require_POST
def user_password(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    form = PasswordSetForm(request.POST)
    if form.is_valid():
        try:
            user_password_set(
                actor=request.user,
                user=user,
                password=form.cleaned_data["password1"],
                origin=Origin.PAGE,
                origin_detail=request.path,
            )
        except AccountError as exc:
            form.add_error("password1", str(exc))
        else:
            if user.pk == request.user.pk:
                update_session_auth_hash(request, user)
            done = gettext("Đã đặt mật khẩu mới cho %(username)s và mở khóa đăng nhập.")
            messages.success(request, done % {"username": user.username})
            return redirect("user_edit", user_id=user.pk)
    scope = ScopeForm(initial=_scope_initial(user))
    return render(request, "accounts/user_edit.html", _edit_context(user, scope, form))


@user_admin_required
@require_POST
def user_active(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    active = request.POST.get("active") == "1"
    try:
        user_active_set(actor=request.user, user=user, active=active, origin_detail=request.path)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        if active:
            done = gettext("Đã kích hoạt lại %(username)s.")
        else:
            done = gettext("Đã vô hiệu hóa %(username)s.")
        messages.success(request, done % {"username": user.username})
    return redirect("user_edit", user_id=user.pk)


@user_admin_required
@require_POST
def user_unlock_view(request: HttpRequest, user_id: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=user_id)
    if user_unlock(actor=request.user, user=user, origin_detail=request.path):
        done = gettext("Đã mở khóa đăng nhập cho %(username)s.")
        messages.success(request, done % {"username": user.username})
    else:
        note = gettext("Tài khoản %(username)s không bị khóa.")
        messages.info(request, note % {"username": user.username})
    return redirect("user_edit", user_id=user.pk)


class LoginView(auth_views.LoginView):
    """Django's login page with throttling (LockoutAuthenticationForm) and an audit row for
    each login; failed logins are audited by the throttle (ntm.accounts.throttle)."""

    template_name = "web/login.html"
    authentication_form = LockoutAuthenticationForm

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        user = form.get_user()
        audit_request(
            self.request,
            actor=user,
            action="login",
            object_type="account",
            object_id=user.get_username(),
        )
        return response


class LogoutView(auth_views.LogoutView):
    """Django's logout (POST only), with an audit row while the user is still known."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            audit_request(
                request,
                action="logout",
                object_type="account",
                object_id=request.user.get_username(),
            )
        return super().post(request, *args, **kwargs)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's own view (old password, then the new one twice), plus an audit row."""

    template_name = "accounts/password_change.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        audit_request(
            self.request,
            action="user.password",
            object_type="user",
            object_id=self.request.user.pk,
            after={"password": "đã đổi mật khẩu", "by_self": True},
        )
        return response


def _scope_initial(user: Any) -> dict[str, Any]:
    m = Membership.objects.filter(user=user).select_related("unit").first()
    return {
        "name": user.first_name,
        "email": user.email,
        "role": m.role if m else "",
        "unit": m.unit.code if m and m.unit else "",
        "unit_id": m.unit_id if m else None,
        **{CRITERIA_PREFIX + k: ", ".join(v) for k, v in (m.criteria if m else {}).items()},
    }


def _form_context(form: BaseForm) -> dict[str, Any]:
    return {"form": form}


def _edit_context(user: Any, form: ScopeForm, password_form: PasswordSetForm) -> dict[str, Any]:
    return {
        **_form_context(form),
        "target": user,
        "password_form": password_form,
        "locked_until": login_lock_of(username=user.username),
        "current_unit_id": form.initial.get("unit_id"),
    }
