"""`make load`: locust on loopback, 100 users for a bounded time against PostgreSQL.

    python -m load.run [--seconds 60] [--users 100] [--workers 5]

In a throwaway PostgreSQL cluster (initdb/pg_ctl in a temporary folder, run by the postgres
account when started as root) and a throwaway data folder: `ntm migrate`, `ntm demo`, the load
accounts (load.accounts), API tokens (`ntm token`), then `ntm serve` (gunicorn and the task
worker) on a free loopback port, and locust headless with load/locustfile.py. Prints requests,
errors and p95 per endpoint; exits non-zero on any error (a 5xx, an unexpected status, a
refused connection).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
PG_PORT = "54339"  # a socket name only (no TCP): apart from the test suite's 54329


def _args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m load.run", description=__doc__)
    parser.add_argument("--seconds", type=int, default=60, help="thời gian tải (giây)")
    parser.add_argument("--users", type=int, default=100, help="số người dùng đồng thời")
    workers = 2 * (os.cpu_count() or 1) + 1
    parser.add_argument("--workers", type=int, default=workers, help="số tiến trình gunicorn")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _args(argv)
    if args.inside:
        return _load(args)
    me = [sys.executable, "-m", "load.run", "--inside", *argv]
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if shutil.which("initdb") and shutil.which("pg_ctl"):
        return _with_initdb(me, env)
    print("Không tìm thấy PostgreSQL (initdb, pg_ctl).", file=sys.stderr)
    return 2


def _with_initdb(cmd: list[str], env: dict[str, str]) -> int:
    """A cluster in a temporary folder, reached through its socket only. PostgreSQL refuses to
    run as root: then the cluster belongs to the postgres account (the socket stays open to
    root). Not pg_virtualenv: as root it makes one fixed cluster ("regress"), so it cannot run
    beside `make test`."""
    as_owner: list[str] = []
    with tempfile.TemporaryDirectory(prefix="ntm-load-pg-") as tmp:
        if os.geteuid() == 0:
            shutil.chown(tmp, user="postgres")
            as_owner = ["runuser", "-u", "postgres", "--"]
        data = Path(tmp) / "data"
        subprocess.check_call(
            [*as_owner, "initdb", "-A", "trust", "-U", "ntm", "-D", str(data)],
            stdout=subprocess.DEVNULL,
        )
        opts = f"-k {tmp} -p {PG_PORT} -c listen_addresses='' -c max_connections=200"
        subprocess.check_call(
            [
                *as_owner,
                "pg_ctl",
                "-D",
                str(data),
                "-o",
                opts,
                "-w",
                "-l",
                str(Path(tmp) / "log"),
                "start",
            ],
            stdout=subprocess.DEVNULL,
        )
        try:
            pg = {"DATABASE_URL": "postgres://ntm@/postgres", "PGHOST": tmp, "PGPORT": PG_PORT}
            return subprocess.call(cmd, cwd=ROOT, env={**env, **pg})
        finally:
            subprocess.call(
                [*as_owner, "pg_ctl", "-D", str(data), "-m", "fast", "stop"],
                stdout=subprocess.DEVNULL,
            )


def _step(title: str, env: dict[str, str], *cmd: str) -> str:
    started = time.monotonic()
    print(f"-- {title}", flush=True)
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"{title}: thất bại (mã {done.returncode})")
    print(f"   xong sau {time.monotonic() - started:.0f} s", flush=True)
    return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_up(url: str, server: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"ntm serve dừng (mã {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"ntm serve không trả lời sau {timeout:.0f} s")


def _load(args: argparse.Namespace) -> int:
    ntm = [sys.executable, "-m", "ntm.cli"]
    with tempfile.TemporaryDirectory(prefix="ntm-load-") as tmp:
        env = {
            **os.environ,
            "NTM_DATA_DIR": str(Path(tmp) / "data"),
            "NTM_SECRET_KEY": uuid.uuid4().hex * 2,
            "NTM_ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        env.pop("NTM_DEMO", None)
        env.pop("NTM_DEBUG", None)
        _step("ntm migrate", env, *ntm, "migrate", "--no-input")
        _step("ntm demo (Lai Châu)", env, *ntm, "demo")
        plan = json.loads(_step("tài khoản tải thử", env, sys.executable, "-m", "load.accounts"))
        plan["tokens"] = {
            o["username"]: _step(f"ntm token {o['username']}", env, *ntm, "token", o["username"])
            .strip()
            .splitlines()[-1]
            for o in plan["offices"]
        }
        plan_file = Path(tmp) / "plan.json"
        plan_file.write_text(json.dumps(plan), encoding="utf-8")
        port = _free_port()
        url = f"http://127.0.0.1:{port}"
        log = (Path(tmp) / "serve.log").open("wb")
        bind = f"127.0.0.1:{port}"
        server = subprocess.Popen(
            [*ntm, "serve", "--bind", bind, "--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_up(f"{url}/dang-nhap/", server)
            return _locust(args, url, {**env, "NTM_LOAD_PLAN": str(plan_file)}, Path(tmp))
        finally:
            server.send_signal(signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            log.close()
            errors = [
                line
                for line in (Path(tmp) / "serve.log").read_text(errors="replace").splitlines()
                if "Traceback" in line or '" 5' in line
            ]
            if errors:
                print("Máy chủ ghi lỗi:", *errors[:20], sep="\n")


BASELINE_USERS, BASELINE_SECONDS = 3, 20  # one of each kind of user: the cost of a request


def _locust(args: argparse.Namespace, url: str, env: dict[str, str], tmp: Path) -> int:
    # Server, database and locust share this machine: its size and how busy it already was
    # are part of the numbers.
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"   máy: {os.cpu_count()} lõi, gunicorn {args.workers} tiến trình, "
        f"tải trung bình trước khi chạy {load}",
        flush=True,
    )
    print(
        f"-- locust: {BASELINE_USERS} người dùng trong {BASELINE_SECONDS} s (máy vắng)", flush=True
    )
    quiet_code = _swarm(url, env, tmp, "vang", BASELINE_USERS, BASELINE_SECONDS)
    print(f"-- locust: {args.users} người dùng trong {args.seconds} s tại {url}", flush=True)
    code = _swarm(url, env, tmp, "tai", args.users, args.seconds)
    failures = _report(tmp / "tai", baseline=tmp / "vang")
    conflicts = tmp / "conflicts.json"
    for name, count in json.loads(conflicts.read_text() if conflicts.exists() else "{}").items():
        print(f"Xung đột phiên bản (409, đúng như mong đợi) ở {name}: {count}")
    if failures or code != 0 or quiet_code != 0:
        sys.stdout.write((tmp / "locust.log").read_text(errors="replace")[-3000:])
        print(f"THẤT BẠI: {failures} lỗi (locust trả mã {quiet_code}, {code})")
        return 1
    print("Không có lỗi nào.")
    return 0


def _swarm(url: str, env: dict[str, str], tmp: Path, name: str, users: int, seconds: int) -> int:
    with (tmp / "locust.log").open("ab") as log:
        return subprocess.call(
            [
                str(Path(sys.executable).with_name("locust")),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(max(1, users // 10)),
                "--run-time",
                f"{seconds}s",
                "--stop-timeout",
                "15",
                "--host",
                url,
                "--csv",
                str(tmp / name),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log,
        )


def _rows(prefix: Path, kind: str) -> list[dict[str, str]]:
    path = prefix.with_name(f"{prefix.name}_{kind}.csv")
    return list(csv.DictReader(path.open(encoding="utf-8"))) if path.exists() else []


def _report(prefix: Path, *, baseline: Path) -> int:
    """Print one line per endpoint (requests, errors, median, p95, max; and the median with
    the server to itself) and every kind of error of both runs; return the number of errors."""
    quiet = {(r["Type"], r["Name"]): r["50%"] for r in _rows(baseline, "stats")}
    rows = _rows(prefix, "stats")
    print(
        f"{'Điểm cuối':<40} {'Yêu cầu':>7} {'Lỗi':>4} {'Trung vị':>9} {'p95':>9} "
        f"{'Tối đa':>9} {'Khi vắng':>9}"
    )
    for row in rows:
        name = "Tổng cộng" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        alone = quiet.get((row["Type"], row["Name"]), "–")
        print(
            f"{name:<40} {row['Request Count']:>7} {row['Failure Count']:>4} "
            f"{row['50%']:>6} ms {row['95%']:>6} ms {float(row['Max Response Time']):>6.0f} ms "
            f"{alone:>6} ms"
        )
    failures = [*_rows(baseline, "failures"), *_rows(prefix, "failures")]
    for failure in failures:
        print(
            f"LỖI {failure['Method']} {failure['Name']}: {failure['Error']} ×{failure['Occurrences']}"
        )
    total = next((r for r in rows if r["Name"] == "Aggregated"), None)
    if total is not None:
        print(f"Thông lượng: {float(total['Requests/s']):.1f} yêu cầu/giây")
    return sum(int(f["Occurrences"]) for f in failures)


if __name__ == "__main__":
    sys.exit(main())
