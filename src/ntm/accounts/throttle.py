"""Login throttling per client address and per (account, address) pair.

Nobody can lock an account for its owner: failures count against the address they came
from. Three rules, over the last LOGIN_WINDOW_MINUTES:

- an address with LOGIN_ADDRESS_MAX_FAILURES failures (whatever the names tried) waits
  LOGIN_LOCK_MINUTES after its last failure, for every name: one machine guessing many
  accounts;
- an account tried LOGIN_MAX_FAILURES times from one address waits as long, from that
  address only: one machine guessing one account (the owner mistyping, often);
- an account with LOGIN_ACCOUNT_SLOW_FAILURES failures from all addresses together slows
  down every address that has itself failed on it: after each further failure it waits 2, 4,
  8... seconds (at most LOGIN_LOCK_MINUTES). An address that has not failed on the account,
  the owner's own usually, is never slowed.

While an address waits, its attempts are refused without checking the password and are not
counted (a waiting address cannot lengthen its own wait by knocking, nor fill the table).
Failures are kept per name whether or not such an account exists, so the answers tell
nothing about which names are real. The administrator's unlock clears a name's failures.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from ntm.accounts.models import FailedLogin
from ntm.audit.models import Origin
from ntm.audit.services import audit_record

ADDRESS, ACCOUNT, SLOW = "address", "account", "slow"


@dataclass(frozen=True)
class Wait:
    """An address must wait until `until` before trying this name again."""

    until: dt.datetime
    reason: str  # ADDRESS, ACCOUNT (the account from this address) or SLOW

    def seconds(self, now: dt.datetime | None = None) -> int:
        left = (self.until - (now or timezone.now())).total_seconds()
        return max(1, int(left + 0.999))


@dataclass(frozen=True)
class FailureState:
    failures: int  # on this account from this address, in the window
    wait: Wait | None  # the wait that starts now, if this failure started one


def _window_start(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)


def _lock() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCK_MINUTES)


def _count_last(**filters: object) -> tuple[int, dt.datetime | None]:
    found = FailedLogin.objects.filter(**filters).aggregate(n=Count("id"), last=Max("at"))
    return found["n"], found["last"]


def login_wait(*, username: str, address: str, now: dt.datetime | None = None) -> Wait | None:
    """The wait in force for this name from this address, or None: they may try."""
    now = now or timezone.now()
    since = _window_start(now)
    n_address, last_address = _count_last(address=address, at__gt=since)
    n_pair, last_pair = _count_last(username=username, address=address, at__gt=since)
    n_account = FailedLogin.objects.filter(username=username, at__gt=since).count() if n_pair else 0
    return _wait(
        address=(n_address, last_address),
        pair=(n_pair, last_pair),
        account=n_account,
        now=now,
    )


def _wait(
    *,
    address: tuple[int, dt.datetime | None],
    pair: tuple[int, dt.datetime | None],
    account: int,
    now: dt.datetime,
) -> Wait | None:
    """The three rules, from the counts over the window (and the last failure of each)."""
    waits: list[Wait] = []
    n_address, last_address = address
    if n_address >= settings.LOGIN_ADDRESS_MAX_FAILURES and last_address is not None:
        waits.append(Wait(last_address + _lock(), ADDRESS))
    n_pair, last_pair = pair
    if n_pair and last_pair is not None:
        if n_pair >= settings.LOGIN_MAX_FAILURES:
            waits.append(Wait(last_pair + _lock(), ACCOUNT))
        beyond = account - settings.LOGIN_ACCOUNT_SLOW_FAILURES
        if beyond >= 0:
            delay = min(dt.timedelta(seconds=2 ** min(beyond + 1, 20)), _lock())
            waits.append(Wait(last_pair + delay, SLOW))
    waits = [w for w in waits if w.until > now]
    return max(waits, key=lambda w: w.until) if waits else None


def login_failure_record(*, username: str, address: str) -> FailureState:
    """Count one failed login (and audit it); say whether a wait starts with it."""
    now = timezone.now()
    with transaction.atomic():
        FailedLogin.objects.filter(at__lte=_window_start(now) - _lock()).delete()
        FailedLogin.objects.create(username=username, address=address, at=now)
        audit_record(
            actor=None,
            actor_name=AUDIT_GUEST,
            action="login.fail",
            object_type="account",
            object_id=username,
            after={"username": username},
            origin=Origin.PAGE,
            origin_detail=settings.LOGIN_URL,
            address=address,
        )
        failures, _ = _count_last(username=username, address=address, at__gt=_window_start(now))
        wait = login_wait(username=username, address=address, now=now)
        if wait is not None:
            _audit_wait(username=username, address=address, wait=wait, failures=failures)
    return FailureState(failures=failures, wait=wait)


# Who the audit trail names for a failed login: nobody is logged in; the name tried is in
# the row's object and its after.
AUDIT_GUEST = "khách (chưa đăng nhập)"


def _audit_wait(*, username: str, address: str, wait: Wait, failures: int) -> None:
    audit_record(
        actor=None,
        action="login.throttle",
        object_type="account",
        object_id=username,
        after={
            "address": address,
            "reason": wait.reason,
            "failures": failures,
            "until": timezone.localtime(wait.until).isoformat(timespec="seconds"),
        },
        origin=Origin.SYSTEM,
        origin_detail="đăng nhập sai nhiều lần",
        address=address,
    )


def login_failures_clear(*, username: str, address: str | None = None) -> int:
    """A successful login clears the failures of its name from its address; the
    administrator's unlock (address None) clears every failure on the name. Returns how many
    failures were cleared."""
    rows = FailedLogin.objects.filter(username=username)
    if address is not None:
        rows = rows.filter(address=address)
    return rows.delete()[0]


def login_throttle_of(*, username: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """Until when some address must wait before trying this name again (None: none must).

    For the administrator's user pages: the name is not locked for its owner, but someone
    (a mistyping owner, or a guesser) is kept waiting. Two queries, however many addresses.
    """
    now = now or timezone.now()
    since = _window_start(now)
    pairs = {
        row["address"]: (row["n"], row["last"])
        for row in FailedLogin.objects.filter(username=username, at__gt=since)
        .values("address")
        .annotate(n=Count("id"), last=Max("at"))
    }
    if not pairs:
        return None
    per_address = {
        row["address"]: (row["n"], row["last"])
        for row in FailedLogin.objects.filter(address__in=list(pairs), at__gt=since)
        .values("address")
        .annotate(n=Count("id"), last=Max("at"))
    }
    account = sum(n for n, _ in pairs.values())
    waits = [
        _wait(address=per_address[a], pair=pair, account=account, now=now)
        for a, pair in pairs.items()
    ]
    untils = [w.until for w in waits if w is not None]
    return max(untils) if untils else None


def throttled_names(*, now: dt.datetime | None = None) -> dict[str, dt.datetime]:
    """Name -> until when some address must wait for it, among existing accounts (user list)."""
    now = now or timezone.now()
    names = set(
        FailedLogin.objects.filter(at__gt=_window_start(now)).values_list("username", flat=True)
    )
    names &= set(
        get_user_model().objects.filter(username__in=names).values_list("username", flat=True)
    )
    found = {name: login_throttle_of(username=name, now=now) for name in names}
    return {name: until for name, until in found.items() if until is not None}
