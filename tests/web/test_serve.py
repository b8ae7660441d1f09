"""`ntm serve`: gunicorn in the foreground, the task worker beside it unless --no-worker."""

from __future__ import annotations

import signal
import sys
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from ntm.web.management.commands import serve


class FakeProcess:
    """A started process that records what it was sent and exits with ``code``."""

    def __init__(self, argv: list[str], code: int, started: list[FakeProcess]) -> None:
        self.argv, self.code, self.signals = argv, code, []
        self.new_session = False
        self.returncode: int | None = None
        started.append(self)

    def wait(self) -> int:
        self.returncode = self.code
        return self.code

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.signals.append(signal.SIGTERM)

    def send_signal(self, signum: int) -> None:
        self.signals.append(signum)


@pytest.fixture
def started(monkeypatch) -> list[FakeProcess]:
    processes: list[FakeProcess] = []

    def popen(argv: list[str], start_new_session: bool = False) -> FakeProcess:
        process = FakeProcess(argv, 3 if "gunicorn" in argv else 0, processes)
        process.new_session = start_new_session
        return process

    monkeypatch.setattr(serve.subprocess, "Popen", popen)
    monkeypatch.setattr(serve.signal, "signal", lambda *args: None)  # keep pytest's handlers
    return processes


def test_it_runs_the_task_worker_beside_gunicorn_and_stops_it_after(started):
    with pytest.raises(SystemExit) as ended:
        call_command("serve", "--bind", "127.0.0.1:9000", stdout=StringIO())
    worker, web = started
    assert worker.argv == [sys.executable, "-m", "ntm.cli", "worker", "--no-reload"]
    assert worker.new_session  # Ctrl+C reaches gunicorn, not a re-evaluation in its middle
    assert web.argv[1:4] == ["-m", "gunicorn", "ntm.wsgi:application"]
    assert "127.0.0.1:9000" in web.argv
    assert worker.signals == [signal.SIGTERM]  # one: finish the current job, then exit
    assert ended.value.code == 3  # gunicorn's exit code


def test_with_no_worker_it_only_runs_gunicorn(started, monkeypatch):
    executed: list[Any] = []
    monkeypatch.setattr(serve.os, "execv", lambda path, argv: executed.append(argv))
    call_command("serve", "--no-worker", stdout=StringIO())
    assert not started
    assert executed[0][1:4] == ["-m", "gunicorn", "ntm.wsgi:application"]
