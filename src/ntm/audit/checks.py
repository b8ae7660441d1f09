"""`ntm check --deploy`: a server behind HTTPS has a reverse proxy in front, whose hops the
client's address (ntm.audit.client) must be told about."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage
from django.core.checks import Warning as CheckWarning


def proxy_hops_check(app_configs: Any, **kwargs: Any) -> list[CheckMessage]:
    """Behind a proxy with NTM_PROXY_HOPS=0 every client has the proxy's address: 20 failed
    logins from anyone make everyone wait, and the audit trail names only the proxy."""
    if not settings.HTTPS or settings.PROXY_HOPS:
        return []
    return [
        CheckWarning(
            "NTM_HTTPS=1 nhưng chưa đặt NTM_PROXY_HOPS: sau một proxy (nginx…), mọi máy khách "
            "mang địa chỉ của proxy, nên 20 lần đăng nhập sai của bất kỳ ai sẽ chặn đăng nhập "
            "của mọi người và nhật ký chỉ ghi địa chỉ proxy.",
            hint="Đặt NTM_PROXY_HOPS bằng số proxy phía trước (thường là 1) và, nếu được, "
            "NTM_TRUSTED_PROXIES bằng địa chỉ của proxy đó.",
            id="ntm.W001",
        )
    ]
