"""Production switches: the secret key rule, `ntm check --deploy` with NTM_HTTPS=1, and the
security headers (Content-Security-Policy among them) on every page."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ntm(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`ntm ARGS` in a fresh process with only the given NTM_* variables."""
    # Nor the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE (set for the whole pytest process),
    # which `check --deploy` rightly refuses on a server.
    hidden = ("NTM_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    base = {k: v for k, v in os.environ.items() if not k.startswith(hidden)}
    return subprocess.run(
        [sys.executable, "-m", "ntm.cli", *args],
        capture_output=True,
        text=True,
        env={**base, "NTM_DATA_DIR": str(tmp_path), **env},
        cwd=ROOT,
        timeout=120,
    )


def test_check_deploy_reports_nothing_with_https_a_key_a_proxy_and_no_debug(tmp_path):
    done = ntm(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        tmp_path=tmp_path,
        NTM_HTTPS="1",
        NTM_SECRET_KEY=secrets.token_urlsafe(50),
        NTM_DEBUG="0",
        NTM_ALLOWED_HOSTS="ntm.laichau.gov.vn",
        # The intended deployment: one reverse proxy (nginx) on the same machine.
        NTM_PROXY_HOPS="1",
        NTM_TRUSTED_PROXIES="127.0.0.1",
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "System check identified no issues" in done.stdout
    assert "WARNING" not in done.stderr + done.stdout


def test_check_deploy_without_https_names_what_is_missing(tmp_path):
    done = ntm("check", "--deploy", tmp_path=tmp_path, NTM_SECRET_KEY=secrets.token_urlsafe(50))
    assert "security.W004" in done.stderr and "security.W012" in done.stderr


def test_no_secret_key_outside_the_demo_fails_loudly_in_vietnamese(tmp_path):
    done = ntm("check", tmp_path=tmp_path)
    assert done.returncode != 0
    assert "Chưa đặt biến môi trường NTM_SECRET_KEY" in done.stderr
    assert not (tmp_path / "secret_key").exists()


def test_the_demo_keeps_a_generated_key_in_its_data_folder(tmp_path):
    done = ntm("check", tmp_path=tmp_path, NTM_DEMO="1")
    assert done.returncode == 0, done.stderr
    key = (tmp_path / "secret_key").read_text()
    assert len(key) >= 50
    assert ntm("check", tmp_path=tmp_path, NTM_DEMO="1").returncode == 0
    assert (tmp_path / "secret_key").read_text() == key  # the same key on every start


def test_a_bad_flag_is_refused(tmp_path):
    done = ntm("check", tmp_path=tmp_path, NTM_DEMO="1", NTM_HTTPS="yes")
    assert done.returncode != 0 and "NTM_HTTPS phải là 0 hoặc 1" in done.stderr


@pytest.mark.django_db
def test_every_page_carries_the_security_headers(client):
    response = client.get("/dang-nhap/")
    policy = response["Content-Security-Policy"]
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]:
        assert part in policy
    assert "unsafe-inline" not in policy
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_the_session_cookie_is_http_only_and_same_site(client, django_user_model):
    django_user_model.objects.create_user(username="canbo", password="mat-khau-dung-1")
    response = client.post("/dang-nhap/", {"username": "canbo", "password": "mat-khau-dung-1"})
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_check_deploy_behind_https_asks_for_the_proxy_hops(tmp_path):
    done = ntm(
        "check",
        "--deploy",
        tmp_path=tmp_path,
        NTM_HTTPS="1",
        NTM_SECRET_KEY=secrets.token_urlsafe(50),
        NTM_ALLOWED_HOSTS="ntm.laichau.gov.vn",
    )
    assert "ntm.W001" in done.stderr and "NTM_PROXY_HOPS" in done.stderr


def test_trusted_proxies_without_a_hop_count_are_refused(tmp_path):
    done = ntm("check", tmp_path=tmp_path, NTM_DEMO="1", NTM_TRUSTED_PROXIES="127.0.0.1")
    assert done.returncode != 0 and "NTM_PROXY_HOPS" in done.stderr


def test_a_bad_hop_count_is_refused(tmp_path):
    done = ntm("check", tmp_path=tmp_path, NTM_DEMO="1", NTM_PROXY_HOPS="-1")
    assert done.returncode != 0 and "NTM_PROXY_HOPS phải là một số nguyên" in done.stderr
