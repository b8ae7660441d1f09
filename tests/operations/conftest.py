"""A small server to back up: Lai Châu, San Thàng's board (a real PBKDF2 password, so a
restored server can check it), values with their audit rows, one evidence file, one import
job's stored file; and a second, empty server run in subprocesses like an operator's shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from ntm.accounts.models import Membership, Role
from ntm.exchange.jobs import job_create
from ntm.indicators.evidence import evidence_add
from ntm.indicators.services import values_set

YEAR = 2018
PASSWORD = "mat-khau-phuc-hoi"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
CSV = b"unit_code,year,indicator,value\n03409,2018,14.2,80\n"


@dataclass
class Stocked:
    board: Any
    evidence: Any
    job: Any
    data_dir: Path


@pytest.fixture
def stocked(commune, django_user_model, settings, tmp_path) -> Stocked:
    data_dir = tmp_path / "data"
    settings.EVIDENCE_ROOT = data_dir / "evidence"
    settings.NTM_IMPORT_ROOT = data_dir / "imports"
    board = django_user_model.objects.create(
        username="bql.santhang", password=make_password(PASSWORD, hasher="pbkdf2_sha256")
    )
    Membership.objects.create(user=board, role=Role.COMMUNE, unit=commune, criteria=[])
    values_set(unit=commune, year=YEAR, values={"14.2": 60.0, "1.1": 1.0}, author=board)
    values_set(unit=commune, year=YEAR, values={"14.2": 92.5}, author=board)
    upload = SimpleUploadedFile("bien-ban.pdf", PDF, "application/pdf")
    evidence = evidence_add(unit=commune, year=YEAR, indicator="14.2", upload=upload, author=board)
    job = job_create(user=board, name="so-lieu.csv", data=CSV)
    return Stocked(board=board, evidence=evidence, job=job, data_dir=data_dir)


@dataclass
class Server:
    """Another NTM_DATA_DIR (and, on PostgreSQL, another database), driven through `ntm`."""

    env: dict[str, str]
    data_dir: Path

    def ntm(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "ntm.cli", *args],
            env=self.env,
            capture_output=True,
            text=True,
            check=False,
        )

    def download(self, username: str, password: str, url: str) -> dict[str, Any]:
        """Log in with the test client inside the restored server, fetch ``url``, then write
        one audit row (its id shows where the database's sequence stands)."""
        script = (
            "import django, hashlib, json, os\n"
            "os.environ['DJANGO_SETTINGS_MODULE'] = 'ntm.settings'\n"
            "django.setup()\n"
            "from django.test import Client\n"
            "client = Client()\n"
            f"logged_in = client.login(username={username!r}, password={password!r})\n"
            f"response = client.get({url!r})\n"
            "body = b''.join(response.streaming_content) if response.streaming else b''\n"
            # A new row takes the next id: the sequences start after the restored rows.
            "from ntm.audit.models import AuditEvent\n"
            "new = AuditEvent.objects.create(action='restore.check', object_type='test')\n"
            "print(json.dumps({'logged_in': logged_in, 'status': response.status_code,\n"
            "                  'sha256': hashlib.sha256(body).hexdigest(), 'new_id': new.id}))\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", script], env=self.env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout.strip().splitlines()[-1])


@contextmanager
def _postgres_database(env: dict[str, str]) -> Iterator[dict[str, str]]:
    """A new, empty database beside the test database, dropped afterwards."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    name = f"ntm_restore_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {**env, "DATABASE_URL": urlparse(url)._replace(path=f"/{name}").geturl()}
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(params=["sqlite", "postgresql"])
def new_server(request, tmp_path) -> Iterator[Server]:
    """A fresh server on SQLite, and on PostgreSQL when the suite runs on PostgreSQL: a
    backup taken on PostgreSQL is restored on both."""
    if request.param == "postgresql" and connection.vendor != "postgresql":
        pytest.skip(
            "cần PostgreSQL: lượt chạy PostgreSQL của make test (DATABASE_URL) thử phần này"
        )
    data_dir = tmp_path / "new-server"
    env = {**os.environ, "NTM_DATA_DIR": str(data_dir), "NTM_SECRET_KEY": "khoa-thu-" + "x" * 40}
    env.pop("DATABASE_URL", None)
    if request.param == "sqlite":
        yield Server(env=env, data_dir=data_dir)
        return
    with_pg = {**env, "DATABASE_URL": os.environ["DATABASE_URL"]}
    with _postgres_database(with_pg) as pg_env:
        yield Server(env=pg_env, data_dir=data_dir)
