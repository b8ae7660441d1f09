"""Smoke test of the import part of ``make bench`` on a few synthetic communes."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `bench` lives at the repo root, outside src/
    sys.path.insert(0, str(ROOT))

importing = importlib.import_module("bench.importing")
pytestmark = pytest.mark.django_db


def gso_row(n: int, province: str) -> dict[str, str]:
    return {
        "Tỉnh Thành Phố": f"Tỉnh Thử {province}",
        "Mã TP": province,
        "Quận Huyện": f"Huyện Thử {province}",
        "Mã QH": f"{int(province):03d}",
        "Phường Xã": f"Xã Thử {n}",
        "Mã PX": f"{n:05d}",
    }


def test_the_import_benchmark_measures_dry_run_and_commit(capsys):
    rows = [gso_row(n, province) for n, province in enumerate(["12", "12", "01", "96"] * 3, 1)]
    importing.units_create(rows)
    record = importing.measure(commit_communes=2)
    assert record["import_values"] == 12 * 49
    assert record["import_commit_values"] == 2 * 49
    assert record["import_dry_run_ratio"] > 0
    assert "kiểm tra thử / đọc trần" in capsys.readouterr().out
