"""Smoke test of ``make bench`` on a tiny synthetic size (no GSO file needed)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `bench` lives at the repo root, outside src/
    sys.path.insert(0, str(ROOT))

run = importlib.import_module("bench.run")
synthetic = importlib.import_module("bench.synthetic")
loop = importlib.import_module("bench.loop")
evaluate = importlib.import_module("ntm.core.evaluate")

PROVINCES = sorted(synthetic.PROVINCE_REGION)
COMMUNES = [
    synthetic.Commune(f"{i:05d}", f"Xã Thử {i}", PROVINCES[i % len(PROVINCES)]) for i in range(70)
]


def test_bench_tiny_run_writes_json_and_agrees(tmp_path: Path) -> None:
    out = tmp_path / "var" / "bench.json"
    out.parent.mkdir()
    out.write_text(json.dumps({"other": 1, "loop_sampled_rows": 3}), encoding="utf-8")
    argv = ["--communes", "50", "--years", "2", "--out", str(out), "--no-progress"]
    record = run.main(argv, communes=COMMUNES)  # asserts loop == engine internally
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data == {**record, "other": 1}
    assert set(record) == {"values", "engine_s", "loop_s", "numpy_s"}
    assert record["values"] == 50 * 2 * 49
    assert all(record[k] > 0 for k in ("engine_s", "loop_s", "numpy_s"))


def test_bench_sampled_loop_is_extrapolated(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    argv = ["--communes", "50", "--years", "2", "--out", str(out), "--no-progress"]
    record = run.main([*argv, "--loop-limit", "0"], communes=COMMUNES)
    assert 1 <= record["loop_sampled_rows"] < 100
    assert json.loads(out.read_text(encoding="utf-8"))["loop_sampled_rows"] > 0


def test_loop_matches_engine_including_missing_paths() -> None:
    cset = synthetic.build_criteria_set()
    assert len(cset.criteria) == 19 and len(cset.indicators) == 49
    assert cset.unconfirmed_cells()  # the no-threshold path is exercised
    rng = np.random.default_rng(0)
    classes = synthetic.row_classes(COMMUNES, 3)
    values = synthetic.make_values(cset, COMMUNES, 3, rng)
    assert np.isnan(values).any()
    batch = evaluate.evaluate_batch(cset, classes, values)
    result = loop.loop_evaluate(cset, classes, values, progress=False)
    assert result.complete
    assert np.array_equal(result.criteria_met, batch.criteria_met)
    statuses = set(np.unique(batch.criterion_status).tolist())
    assert {evaluate.MET, evaluate.NOT_MET, evaluate.NO_VALUE} <= statuses


def test_missing_gso_file_fails_in_vietnamese(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NTM_GSO_COMMUNES", str(tmp_path / "khong_co.csv"))
    with pytest.raises(SystemExit, match="Không tìm thấy danh sách") as exc:
        run.main(["--communes", "5", "--years", "1", "--out", str(tmp_path / "b.json")])
    assert "NTM_GSO_COMMUNES" in str(exc.value)


importing = importlib.import_module("bench.importing")
dashboards = importlib.import_module("bench.dashboards")


def gso_like_rows(provinces: int, districts: int, communes: int) -> list[dict[str, str]]:
    """A tiny registry in the GSO file's columns, on real province codes (for their regions)."""
    rows = []
    for p, province in enumerate(PROVINCES[:provinces]):
        for d in range(districts):
            district = f"{p}{d:02d}"
            for c in range(communes):
                rows.append(
                    {
                        "Mã TP": province,
                        "Tỉnh Thành Phố": f"Tỉnh Thử {province}",
                        "Mã QH": district,
                        "Quận Huyện": f"Huyện Thử {district}",
                        "Mã PX": f"{district}{c:02d}",
                        "Phường Xã": f"Xã Thử {district}{c:02d}",
                    }
                )
    return rows


@pytest.mark.django_db
def test_the_dashboards_bench_times_the_national_and_province_pages(capsys) -> None:
    importing.units_create(gso_like_rows(provinces=2, districts=2, communes=3))
    importing.base_year_create(seed=1)
    record = dashboards.measure(years=[2017, 2018], repeat=1)
    assert record["dashboard_communes"] == 12
    assert record["dashboard_years"] == 2
    assert record["dashboard_national_ratio"] > 0 and record["dashboard_province_ratio"] > 0
    printed = capsys.readouterr().out
    assert "toàn quốc /toan-quoc/2018/" in printed and "x trang đơn giản" in printed


def test_the_dashboard_years_always_hold_the_base_year() -> None:
    assert run.dashboard_years(0) == [2018]
    assert run.dashboard_years(1) == [2016, 2017, 2018]
    assert run.dashboard_years(3) == [2016, 2017, 2018]
    assert run.dashboard_years(9) == [2016, 2017, 2018, 2019, 2020]


reports = importlib.import_module("bench.reports")


@pytest.mark.django_db
def test_the_import_and_report_bench_writes_a_whole_year_and_prints_a_summary(capsys) -> None:
    importing.units_create(gso_like_rows(provinces=2, districts=1, communes=3))
    record = importing.measure(commit_communes=0)
    assert record["import_commit_communes"] == 6
    assert record["import_commit_values"] == record["import_values"] == 6 * 49
    assert record["import_commit_lines"] < 40  # a summary, not one line per value
    assert record["import_bare_insert_s"] > 0 and record["reevaluate_commune_years"] == 6
    record = reports.measure(formats=("xlsx",))
    assert record["report_communes"] == 3 and record["report_xlsx_s"] > 0
    printed = capsys.readouterr().out
    assert "nhập / ghi trần = " in printed and "ntm report " in printed
