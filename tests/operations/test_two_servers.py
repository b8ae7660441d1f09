"""Two app servers and one task worker on one PostgreSQL, as behind a load balancer.

Two `ntm serve --no-worker` (gunicorn) on two loopback ports and one `ntm worker` run against a
scratch database of the suite's cluster, with one shared NTM_DATA_DIR (the shared storage the
deployment guide asks for) and one secret key. One browser (one cookie jar) logs in on server
A and goes on on server B: the session lives in the database. A value saved on A is read on B;
a report asked for on A is made by the worker and downloaded from B.

Only in the PostgreSQL pass of `make test` (DATABASE_URL); SQLite is one machine's database.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2020
CODE = "14.2"
COMMUNE = "03409"  # San Thàng, in force in 2020
USERNAME, PASSWORD = "vanphong.hai-may", "mat-khau-hai-may-chu"

pytestmark = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="cần PostgreSQL: lượt chạy PostgreSQL của make test (DATABASE_URL) thử phần này",
)


@dataclass
class Cluster:
    env: dict[str, str]
    commune_id: int


def _ntm(env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ntm.cli", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _prepare(env: dict[str, str]) -> int:
    """Lai Châu's units and one province office account; returns San Thàng's id."""
    script = (
        "import django, os\n"
        "os.environ['DJANGO_SETTINGS_MODULE'] = 'ntm.settings'\n"
        "django.setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from ntm.accounts.models import Membership, Role\n"
        "from ntm.units.models import Unit\n"
        "from ntm.units.services import units_load_laichau\n"
        "units_load_laichau()\n"
        "province = Unit.objects.get(level='province', code='12', valid_from__isnull=True)\n"
        f"user = get_user_model().objects.create_user({USERNAME!r}, password={PASSWORD!r})\n"
        "Membership.objects.create(user=user, role=Role.PROVINCE, unit=province)\n"
        f"print(Unit.objects.get(level='commune', code={COMMUNE!r}).pk)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return int(done.stdout.split()[-1])


@pytest.fixture
def cluster(tmp_path) -> Iterator[Cluster]:
    """A scratch database beside the test database, migrated, dropped afterwards."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"ntm_two_servers_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DATABASE_URL": urlparse(url)._replace(path=f"/{name}").geturl(),
        "NTM_DATA_DIR": str(tmp_path / "shared"),  # on real servers: one shared mount
        "NTM_SECRET_KEY": uuid.uuid4().hex * 2,
    }
    try:
        _ntm(env, "migrate", "--no-input")
        yield Cluster(env=env, commune_id=_prepare(env))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Browser:
    """One cookie jar for both servers: cookies belong to the host name, not the port, as
    behind a load balancer that sends each request of one browser to either server."""

    def __init__(self) -> None:
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, url: str) -> tuple[int, bytes, str]:
        try:
            with self.opener.open(url, timeout=30) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), url

    def post(self, url: str, fields: dict[str, str]) -> tuple[int, bytes, str]:
        data = urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": self.csrf()}).encode()
        try:
            with self.opener.open(url, data=data, timeout=30) as response:
                return response.status, response.read(), response.geturl()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), url


def _wait_up(url: str, process: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text(errors="replace")[-2000:]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"{url}: no answer after {timeout:.0f} s\n" + log.read_text()[-2000:])


@pytest.fixture
def servers(cluster, tmp_path) -> Iterator[tuple[str, str]]:
    """Server A and server B (one gunicorn worker each) and the task worker, stopped after."""
    ports = [_free_port(), _free_port()]
    ntm = [sys.executable, "-m", "ntm.cli"]
    commands = [
        *(
            [*ntm, "serve", "--no-worker", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
            for port in ports
        ),
        [*ntm, "worker", "--no-reload"],
    ]
    paths = [tmp_path / f"process-{n}.log" for n in range(len(commands))]
    logs = [path.open("wb") for path in paths]
    processes = [
        subprocess.Popen(command, cwd=ROOT, env=cluster.env, stdout=log, stderr=subprocess.STDOUT)
        for command, log in zip(commands, logs, strict=True)
    ]
    try:
        urls = [f"http://127.0.0.1:{port}" for port in ports]
        for url, process, path in zip(urls, processes, paths, strict=False):
            _wait_up(f"{url}/dang-nhap/", process, path)
        yield urls[0], urls[1]
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()


def _field(page: bytes, name: str) -> str:
    found = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page.decode())
    return found.group(1) if found else ""


def test_a_session_a_value_and_a_report_begun_on_server_a_are_seen_on_server_b(cluster, servers):
    a, b = servers
    browser = Browser()
    browser.get(f"{a}/dang-nhap/")
    status, _, landed = browser.post(
        f"{a}/dang-nhap/", {"username": USERNAME, "password": PASSWORD}
    )
    assert status == 200 and not landed.endswith("/dang-nhap/")  # logged in, sent home

    entry = f"{a}/xa/{cluster.commune_id}/{YEAR}/nhap/"
    status, form, _ = browser.get(entry)
    assert status == 200
    fields = {
        f"ver-{CODE}": _field(form, f"ver-{CODE}"),
        f"orig-{CODE}": _field(form, f"orig-{CODE}"),
        f"val-{CODE}": "77",
    }
    status, _, _ = browser.post(entry, fields)
    assert status == 200  # the save redirected back to the form

    status, body, landed = browser.get(f"{b}/api/v1/values/?unit={COMMUNE}&year={YEAR}")
    assert status == 200, body[:500]  # server B knows the session server A opened
    values = {v["indicator"]: v["value"] for v in json.loads(body)["values"]}
    assert values[CODE] == 77

    # A report asked for on A: queued (never made in a web worker), made by the worker into
    # the shared data folder, downloaded from B.
    status, _, job_page = browser.post(
        f"{a}/don-vi/{cluster.commune_id}/{YEAR}/bao-cao/", {"format": "xlsx", "period": "annual"}
    )
    assert status == 200 and "/bao-cao/" in job_page
    download = f"{b}{urlparse(job_page).path}tai/"
    deadline = time.monotonic() + 40
    while (answer := browser.get(download))[0] == 404 and time.monotonic() < deadline:
        time.sleep(0.5)
    status, content, _ = answer
    assert status == 200, content[:500]
    assert content.startswith(b"PK")  # an xlsx file: a zip archive
