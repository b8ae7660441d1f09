"""`make test`: the whole suite on SQLite, then the database tests again on PostgreSQL.

PostgreSQL runs in a throwaway cluster: as root (CI) through Debian's pg_virtualenv, which
works as root and exports PGHOST/PGPORT/PGUSER/PGPASSWORD; otherwise with initdb/pg_ctl in a
temporary folder. Without PostgreSQL binaries the second run is skipped with a message.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The engine and benchmark tests touch no database: they run once, on the SQLite pass.
NO_DB_TEST_DIRS = ["tests/core", "tests/bench", "tests/browser"]


def _pytest(args: list[str], env: dict[str, str]) -> int:
    return subprocess.call([sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env)


def _with_initdb(args: list[str], env: dict[str, str]) -> int:
    with tempfile.TemporaryDirectory(prefix="ntm-pg-") as tmp:
        data, sock = Path(tmp) / "data", Path(tmp)
        subprocess.check_call(
            ["initdb", "-A", "trust", "-U", "ntm", "-D", str(data)], stdout=subprocess.DEVNULL
        )
        port = "54329"
        opts = f"-k {sock} -p {port} -c listen_addresses=''"
        subprocess.check_call(
            ["pg_ctl", "-D", str(data), "-o", opts, "-w", "start"], stdout=subprocess.DEVNULL
        )
        try:
            env = {
                **env,
                "DATABASE_URL": "postgres://ntm@/postgres",
                "PGHOST": str(sock),
                "PGPORT": port,
            }
            return _pytest(args, env)
        finally:
            subprocess.call(
                ["pg_ctl", "-D", str(data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL
            )


def run_postgres(args: list[str], env: dict[str, str]) -> int:
    args = [*args, "tests", *(f"--ignore={d}" for d in NO_DB_TEST_DIRS)]
    if os.geteuid() == 0 and shutil.which("pg_virtualenv"):
        cmd = [
            "pg_virtualenv",
            "env",
            "DATABASE_URL=postgres:///postgres",
            sys.executable,
            "-m",
            "pytest",
            *args,
        ]
        return subprocess.call(cmd, cwd=ROOT, env=env)
    if shutil.which("initdb") and shutil.which("pg_ctl") and os.geteuid() != 0:
        return _with_initdb(args, env)
    print(
        "Không tìm thấy PostgreSQL (pg_virtualenv hoặc initdb): bỏ qua lượt chạy trên PostgreSQL."
    )
    return 0


def main() -> int:
    extra = sys.argv[1:]
    with tempfile.TemporaryDirectory(prefix="ntm-test-") as data_dir:
        env = {**os.environ, "NTM_DATA_DIR": data_dir}
        env.pop("DATABASE_URL", None)
        print("== Bộ kiểm thử trên SQLite ==", flush=True)
        code = _pytest(["tests", *extra], env)
        if code != 0:
            return code
        print("== Kiểm thử cơ sở dữ liệu trên PostgreSQL ==", flush=True)
        return run_postgres(["-m", "not browser", *extra], env)


if __name__ == "__main__":
    sys.exit(main())
