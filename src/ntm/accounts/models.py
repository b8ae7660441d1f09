"""Who a user is in the programme: one role, a unit subtree, and criteria for a department."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ntm.core.registry import UnknownCriteriaSetError, get_set

# The national commune-level sets before 2026. A bare list of criterion codes (the form of
# memberships before migration 0002, and of `ntm users create --criteria 2,15`) means these:
# the 19 criteria kept their numbers from QĐ 491/2009 to QĐ 318/2022, while QĐ 51/2025
# renumbered them into 10 ("2" became Hạ tầng kinh tế - xã hội), so a bare code never
# reaches it.
SETS_TO_2025 = ("qd491-2009", "qd1980-2016", "qd318-2022")


class Role(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    PROVINCE = "province", _("Văn phòng điều phối tỉnh")
    DISTRICT = "district", _("Cấp huyện (trước 7/2025)")
    COMMUNE = "commune", _("Ban quản lý xã")
    DEPARTMENT = "department", _("Sở, ngành phụ trách tiêu chí")
    LEADER = "leader", _("Lãnh đạo (chỉ xem)")


def criteria_from_bare(codes: list[str]) -> dict[str, list[str]]:
    """["2"] -> {"qd491-2009": ["2"], "qd1980-2016": ["2"], "qd318-2022": ["2"]}."""
    if not codes:
        return {}
    return {set_id: [str(c) for c in codes] for set_id in SETS_TO_2025}


def _set_order(set_id: str) -> tuple[str, str]:
    """qd491-2009 < qd1980-2016 < qd318-2022 < qd51-2025: the decision's year, then the id."""
    return (set_id.rsplit("-", 1)[-1], set_id)


def criteria_text(
    criteria: Mapping[str, Iterable[str]], *, name: Callable[[str], str] = str
) -> str:
    """{"qd1980-2016": ["2"], "qd318-2022": ["2"], "qd51-2025": ["2"]} ->
    "qd1980-2016, qd318-2022: 2; qd51-2025: 2" (sets owning the same codes said once);
    ``name`` writes each set (pages name it by its decision, the CLI by its id)."""
    groups: dict[tuple[str, ...], list[str]] = {}
    # By the year in the id, not the stored order: PostgreSQL's jsonb keeps keys sorted by
    # length, so qd51-2025 would come before qd1980-2016.
    for set_id in sorted(criteria, key=_set_order):
        groups.setdefault(tuple(criteria[set_id]), []).append(set_id)
    return "; ".join(
        f"{', '.join(name(s) for s in sets)}: {', '.join(codes)}" for codes, sets in groups.items()
    )


def set_label(set_id: str) -> str:
    """A set by its decision ("QĐ 1980/QĐ-TTg"), or its id when not a shipped set."""
    try:
        return get_set(set_id).label
    except UnknownCriteriaSetError:
        return set_id


class WithUnit(models.Manager["Membership"]):
    def get_queryset(self) -> models.QuerySet[Membership]:
        return super().get_queryset().select_related("unit")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    role = models.CharField(_("vai trò"), max_length=12, choices=Role.choices)
    # The root of the user's subtree; null only for the system administrator. The scope it
    # gives across periods (a province by its code, a commune with its predecessors) is
    # decided in ntm.accounts.access.
    unit = models.ForeignKey(
        "units.Unit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The criteria a department owns, per criteria set: {"qd1980-2016": ["2"], "qd51-2025":
    # ["2"]}; empty for other roles. Per set because a code names different criteria in
    # different sets. A mapping on the membership rather than a related table: it is read
    # with the membership on every access check (no join, no extra query), written only by
    # the account services, and never queried by set.
    criteria = models.JSONField(_("tiêu chí phụ trách"), default=dict, blank=True)
    # access.py's cache of the unit rows the scope hangs from, for the life of this object
    # (one request): not a field.
    scope_roots: frozenset[int] | None = None

    objects = models.Manager()
    # `user.membership` goes through the base manager: it brings the unit in the same query,
    # since every access decision reads the unit's level and code (ntm.accounts.access).
    with_unit = WithUnit()

    class Meta:
        verbose_name = _("phân quyền")
        base_manager_name = "with_unit"

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if isinstance(self.criteria, list | tuple):  # bare codes: the sets up to 2025
            self.criteria = criteria_from_bare(list(self.criteria))
        self.scope_roots = None
        super().save(*args, **kwargs)

    def criteria_text(self) -> str:
        return criteria_text(self.criteria) if isinstance(self.criteria, dict) else ""

    def criteria_label(self) -> str:
        """The criteria owned, for pages: each set named by its decision."""
        if not isinstance(self.criteria, dict):
            return ""
        return criteria_text(self.criteria, name=set_label)

    def criteria_in(self, set_id: str) -> list[str]:
        """The criterion codes owned in one set (none for a set the mapping does not name)."""
        data = self.criteria
        if isinstance(data, list | tuple):  # written around save(), e.g. by QuerySet.update
            data = criteria_from_bare(list(data))
        return list(data.get(set_id, [])) if isinstance(data, dict) else []


class FailedLogin(models.Model):
    """One failed login: the name tried and the address it came from (never the password).

    Kept in the database (several web workers share it) for login throttling
    (ntm.accounts.throttle); rows older than the throttling window are pruned as new ones come.
    """

    username = models.CharField(max_length=150)
    address = models.CharField(max_length=45)
    at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["address", "at"], name="failedlogin_address_at"),
            models.Index(fields=["username", "at"], name="failedlogin_username_at"),
        ]

    def __str__(self) -> str:
        return f"{self.username} @ {self.address} ({self.at:%Y-%m-%d %H:%M:%S})"
