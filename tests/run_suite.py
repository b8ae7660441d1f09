"""`make test`: the whole suite on SQLite and, at the same time (one core each), the database
tests again on PostgreSQL; the PostgreSQL output is printed when the SQLite pass ends.

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
import threading
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[1]
# The engine and benchmark tests touch no database: they run once, on the SQLite pass.
NO_DB_TEST_DIRS = ["tests/core", "tests/bench", "tests/browser"]


def _pytest(args: list[str], env: dict[str, str], out: IO[str] | None = None) -> int:
    return subprocess.call(
        [sys.executable, "-m", "pytest", *args], cwd=ROOT, env=env, stdout=out, stderr=out
    )


def _with_initdb(args: list[str], env: dict[str, str], out: IO[str] | None = None) -> int:
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
            return _pytest(args, env, out)
        finally:
            subprocess.call(
                ["pg_ctl", "-D", str(data), "-m", "fast", "stop"], stdout=subprocess.DEVNULL
            )


def run_postgres(args: list[str], env: dict[str, str], out: IO[str] | None = None) -> int:
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
        return subprocess.call(cmd, cwd=ROOT, env=env, stdout=out, stderr=out)
    if shutil.which("initdb") and shutil.which("pg_ctl") and os.geteuid() != 0:
        return _with_initdb(args, env, out)
    print(
        "Không tìm thấy PostgreSQL (pg_virtualenv hoặc initdb): bỏ qua lượt chạy trên PostgreSQL.",
        file=out,
    )
    return 0


def main() -> int:
    """Both passes at once (one per core): the SQLite pass prints as it goes, the PostgreSQL
    pass writes to a log printed when it ends. Each has its own data folder."""
    extra = sys.argv[1:]
    with (
        tempfile.TemporaryDirectory(prefix="ntm-test-") as sqlite_dir,
        tempfile.TemporaryDirectory(prefix="ntm-test-pg-") as pg_dir,
        tempfile.TemporaryFile("w+", encoding="utf-8") as pg_log,
    ):
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        codes: dict[str, int] = {}
        postgres = threading.Thread(
            target=lambda: codes.update(
                postgres=run_postgres(
                    ["-m", "not browser", *extra], {**base, "NTM_DATA_DIR": pg_dir}, pg_log
                )
            )
        )
        postgres.start()
        print("== Bộ kiểm thử trên SQLite ==", flush=True)
        codes["sqlite"] = _pytest(["tests", *extra], {**base, "NTM_DATA_DIR": sqlite_dir})
        print("== Kiểm thử cơ sở dữ liệu trên PostgreSQL (chạy song song) ==", flush=True)
        postgres.join()
        pg_log.seek(0)
        sys.stdout.write(pg_log.read())
        sys.stdout.flush()
        return codes["sqlite"] or codes["postgres"]


if __name__ == "__main__":
    sys.exit(main())
