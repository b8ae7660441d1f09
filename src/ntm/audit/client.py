"""Which address a request comes from, for login throttling and the audit trail (its origin
column); here, below the accounts app, so that both can read it."""

from __future__ import annotations

import functools
import ipaddress
import logging

from django.conf import settings
from django.http import HttpRequest

logger = logging.getLogger(__name__)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR ("" when there is none); behind NTM_PROXY_HOPS reverse proxies, the address
    the outermost proxy saw, from X-Forwarded-For.

    Each proxy appends the address it received the request from, so the entry PROXY_HOPS
    places from the right is the client; anything further left was written by the client and
    proves nothing. Hops are counted, not skipped by trusted range: a client inside a trusted
    range (an office PC in 10.0.0.0/8) could otherwise prepend any address and escape the login
    throttle. With NTM_TRUSTED_PROXIES set, only requests from those addresses have the header
    read. Too few entries, or a malformed one at that place, leaves REMOTE_ADDR. Without
    proxies the header is ignored: anyone can write it.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    peer = _address(remote)
    if peer is None:
        return ""  # no address (a Unix socket): every such request shares one throttle
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops: int = settings.PROXY_HOPS
    if not hops:
        if forwarded:
            _warn_header_ignored()
        return str(peer)
    if settings.TRUSTED_PROXIES and not _trusted(peer):
        return str(peer)  # not through the proxy: whoever it is wrote the header
    entries = forwarded.split(",") if forwarded.strip() else []
    if len(entries) < hops:
        return str(peer)
    return str(_address(entries[-hops]) or peer)


@functools.cache
def _warn_header_ignored() -> None:
    """Once per process: a proxy is probably in front but NTM_PROXY_HOPS is 0, so every client
    has the proxy's address and 20 failed logins from anyone lock everyone out."""
    logger.warning(
        "Yêu cầu có X-Forwarded-For nhưng chưa đặt NTM_PROXY_HOPS: nếu có proxy phía trước, mọi "
        "máy khách mang địa chỉ của proxy và hạn chế đăng nhập sai áp dụng chung cho tất cả. "
        "Đặt NTM_PROXY_HOPS bằng số proxy phía trước (thường là 1)."
    )
