"""The client's address (ntm.audit.client): REMOTE_ADDR, or behind NTM_PROXY_HOPS reverse
proxies the X-Forwarded-For entry the outermost proxy wrote; never one the client chose."""

from __future__ import annotations

import ipaddress
import logging

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from ntm.audit.checks import proxy_hops_check
from ntm.audit.client import _warn_header_ignored, client_address

PROXY = "127.0.0.1"


def address(rf, settings, *, remote, forwarded="", hops=0, trusted=""):
    settings.PROXY_HOPS = hops
    settings.TRUSTED_PROXIES = tuple(
        ipaddress.ip_network(t, strict=False) for t in trusted.split(",") if t
    )
    return client_address(rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))


@pytest.mark.parametrize(
    ("remote", "forwarded", "hops", "trusted", "expected"),
    [
        ("203.0.113.9", "", 0, "", "203.0.113.9"),
        ("203.0.113.9", "10.0.0.1", 0, "", "203.0.113.9"),  # no proxy: header ignored
        (PROXY, "198.51.100.4", 1, "", "198.51.100.4"),
        (PROXY, "198.51.100.4", 1, PROXY, "198.51.100.4"),
        # The client wrote the left-most entries; each of the two proxies appended one.
        (PROXY, "1.2.3.4, 198.51.100.4, 10.0.0.7", 2, PROXY, "198.51.100.4"),
        (PROXY, "", 1, PROXY, PROXY),  # the header missing: the proxy's own address
        (PROXY, "10.0.0.7", 2, "", PROXY),  # fewer entries than proxies
        (PROXY, "nonsense", 1, PROXY, PROXY),
        ("203.0.113.9", "198.51.100.4", 1, PROXY, "203.0.113.9"),  # around the proxy
        ("", "", 0, "", ""),
    ],
)
def test_the_client_address(rf, settings, remote, forwarded, hops, trusted, expected):
    found = address(rf, settings, remote=remote, forwarded=forwarded, hops=hops, trusted=trusted)
    assert found == expected


def test_a_client_inside_the_proxys_network_cannot_choose_its_address(rf, settings):
    # An office PC at 10.0.5.7 writes "6.6.6.6"; nginx (10.0.0.2) appends the address it saw.
    found = address(
        rf,
        settings,
        remote="10.0.0.2",
        forwarded="6.6.6.6, 10.0.5.7",
        hops=1,
        trusted="10.0.0.0/8",
    )
    assert found == "10.0.5.7"


def test_an_unread_forwarded_header_is_logged_once(rf, settings, caplog):
    _warn_header_ignored.cache_clear()
    with caplog.at_level(logging.WARNING, logger="ntm.audit.client"):
        for _ in range(3):
            address(rf, settings, remote=PROXY, forwarded="198.51.100.4")
        address(rf, settings, remote=PROXY)
    warnings = [r for r in caplog.records if "NTM_PROXY_HOPS" in r.getMessage()]
    assert len(warnings) == 1


def test_no_warning_without_the_header(rf, settings, caplog):
    _warn_header_ignored.cache_clear()
    with caplog.at_level(logging.WARNING, logger="ntm.audit.client"):
        address(rf, settings, remote=PROXY)
    assert not caplog.records


def test_the_deploy_check_warns_behind_https_without_proxy_hops(settings):
    settings.HTTPS, settings.PROXY_HOPS = True, 0
    (warning,) = proxy_hops_check(None)
    assert warning.id == "ntm.W001" and "NTM_PROXY_HOPS" in warning.msg
    settings.PROXY_HOPS = 1
    assert proxy_hops_check(None) == []
    settings.HTTPS, settings.PROXY_HOPS = False, 0
    assert proxy_hops_check(None) == []


def test_the_deploy_check_is_registered(settings):
    settings.HTTPS, settings.PROXY_HOPS = True, 0
    with pytest.raises(SystemCheckError, match=r"ntm\.W001"):
        call_command("check", "--deploy", "--fail-level", "WARNING", "--tag", "security")
