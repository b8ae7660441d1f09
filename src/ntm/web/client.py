"""Which address a request comes from, for login throttling and the audit trail."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return any(address in network for network in settings.TRUSTED_PROXIES)


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR ("" when there is none); behind a trusted reverse proxy
    (NTM_TRUSTED_PROXIES), the address the proxies saw, from X-Forwarded-For.

    X-Forwarded-For is read from the right: each proxy appends the address it received the
    request from, so the right-most entry not itself a trusted proxy is the client; anything
    further left was written by the client and proves nothing. A proxy that replaces the
    header with the client's address (nginx: `proxy_set_header X-Forwarded-For
    $remote_addr`) leaves one entry, the client. Without a trusted proxy the header is
    ignored: anyone can write it.
    """
    remote = request.META.get("REMOTE_ADDR", "") or ""
    peer = _address(remote)
    if peer is None:
        return ""  # no address (a Unix socket): every such request shares one throttle
    if not settings.TRUSTED_PROXIES or not _trusted(peer):
        return str(peer)
    hops = [_address(h) for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    found = peer
    for hop in reversed(hops):
        if hop is None:
            break  # a malformed entry: nothing to its left can be trusted
        found = hop
        if not _trusted(hop):
            break
    return str(found)
