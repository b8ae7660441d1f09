"""The machine a benchmark ran on, printed with the results and kept in the JSON file."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import numpy as np


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _ram_gb() -> float:
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        return round(pages * size / 1024**3, 1)
    except (ValueError, OSError):
        return 0.0


def _postgres() -> str:
    """The PostgreSQL server found on this machine, if any (the bench itself uses SQLite)."""
    try:
        done = subprocess.run(
            ["psql", "--version"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return "không có"
    return done.stdout.strip() or "không có"


def machine_describe() -> dict[str, Any]:
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count() or 0,
        "ram_gb": _ram_gb(),
        "os": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "sqlite": sqlite3.sqlite_version,
        "postgresql": _postgres(),
        "load_1min": round(os.getloadavg()[0], 2),
    }


def machine_line(info: dict[str, Any]) -> str:
    return (
        f"Máy: {info['cpu']}, {info['cores']} lõi, {info['ram_gb']} GB RAM, {info['os']}; "
        f"Python {info['python']}, NumPy {info['numpy']}, SQLite {info['sqlite']}, "
        f"PostgreSQL: {info['postgresql']}; tải 1 phút lúc bắt đầu {info['load_1min']}"
    )
