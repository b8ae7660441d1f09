"""``make bench``: the evaluation engine against a plain Python loop and a bare NumPy pass.

Every commune of the GSO list x years x the 49 indicators of a synthetic QĐ 1980/2016-shaped
set, evaluated three ways in one run. The loop must agree with the engine (asserted before
any time is printed), so the benchmark is also a correctness check at national scale.

Then, in a throwaway SQLite database holding the same communes: a national year through
``ntm import`` against a bare insert of the same rows, a national re-evaluation against a
bare write (bench/importing.py), the dashboards (bench/dashboards.py) and ``ntm report`` for
the largest province (bench/reports.py). Results and the machine: docs/performance.md.

    python -m bench.run [--communes N] [--years N] [--out var/bench.json]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from bench.loop import loop_evaluate
from bench.machine import machine_describe, machine_line
from bench.synthetic import (
    Commune,
    build_criteria_set,
    load_communes,
    make_values,
    row_classes,
)
from ntm.core.evaluate import MET, NO_THRESHOLD, NO_VALUE, NOT_MET, evaluate_batch, threshold_matrix
from ntm.core.model import CriteriaSet, Op
from ntm.core.values import format_number as vn

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "var" / "bench.json"
LOOP_LIMIT_S = 60.0
# Best of several: a shared machine disturbs single sub-second timings a lot.
REPEAT = 7


def best_of(fn: Callable[[], Any], repeat: int = 3) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def signed_for_ge(
    cset: CriteriaSet, class_codes: Sequence[str], values: npt.NDArray[np.float64]
) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
    """Values and per-row thresholds, negated where the rule is <= or "không", so that one
    ``values >= thresholds`` over the whole matrix is the met test of every (non-NaN) cell."""
    classes, table = threshold_matrix(cset, cset.primary_tier)
    index = {c: i for i, c in enumerate(classes)}
    rows = np.array([index[c] for c in class_codes], dtype=np.intp)
    sign = np.array([-1.0 if i.op in (Op.LE, Op.KHONG) else 1.0 for i in cset.indicators])
    return values * sign, table[rows] * sign


def write_json(path: Path, record: dict[str, Any], drop: Sequence[str] = ()) -> None:
    """Read-modify-write: later benchmarks add their own keys to the same file."""
    data: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            loaded = None
        if isinstance(loaded, dict):
            data = loaded
    for key in drop:
        data.pop(key, None)
    data.update(record)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__.split("\n")[0])
    p.add_argument("--communes", type=int, default=0, help="chỉ lấy N xã ngẫu nhiên (0 = tất cả)")
    p.add_argument("--years", type=int, default=15, help="số năm (mặc định 15)")
    p.add_argument("--seed", type=int, default=1980)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, help="tệp JSON kết quả")
    p.add_argument(
        "--loop-limit",
        type=float,
        default=LOOP_LIMIT_S,
        help="giây tối đa cho vòng lặp Python; quá thì ngoại suy từ mẫu dòng ngẫu nhiên",
    )
    p.add_argument("--no-progress", action="store_true", help="không hiện thanh tiến độ")
    p.add_argument("--no-import", action="store_true", help="bỏ qua phần đo nhập tệp Excel")
    p.add_argument(
        "--no-dashboards", action="store_true", help="bỏ qua phần đo trang toàn quốc và trang tỉnh"
    )
    p.add_argument("--no-report", action="store_true", help="bỏ qua phần đo lập báo cáo tỉnh")
    p.add_argument(
        "--dashboard-years",
        type=int,
        default=3,
        help="số năm có số liệu cho phần đo trang (2016-2020, mặc định 3: 2016-2018)",
    )
    p.add_argument(
        "--import-commit-communes",
        type=int,
        default=0,
        help="số xã được ghi thật khi đo lệnh nhập (0 = mọi xã, mặc định; cả tệp vẫn được kiểm)",
    )
    args = p.parse_args(argv)
    if args.years < 1 or args.communes < 0:
        p.error("--years phải >= 1 và --communes phải >= 0")
    return args


def main(
    argv: Sequence[str] | None = None, *, communes: Sequence[Commune] | None = None
) -> dict[str, Any]:
    """Run the benchmark; ``communes`` replaces the GSO list (tests use a synthetic one)."""
    args = parse_args(argv)
    rng = np.random.default_rng(args.seed)
    all_communes = list(communes) if communes is not None else load_communes()
    if args.communes and args.communes < len(all_communes):
        picked = np.sort(rng.choice(len(all_communes), args.communes, replace=False))
        all_communes = [all_communes[i] for i in picked]

    machine = machine_describe()
    print(machine_line(machine), flush=True)
    cset = build_criteria_set()
    n_ind = len(cset.indicators)
    class_codes = row_classes(all_communes, args.years)
    values = make_values(cset, all_communes, args.years, rng)
    n_rows = values.shape[0]
    print(
        f"{vn(len(all_communes))} xã x {args.years} năm x {n_ind} chỉ tiêu "
        f"({len(cset.criteria)} tiêu chí, {len(cset.classes)} vùng, "
        f"{len(cset.unconfirmed_cells())} ô ngưỡng chưa xác nhận) = {vn(values.size)} giá trị, "
        f"{np.isnan(values).mean():.1%} trống",
        flush=True,
    )

    # 1. The engine.
    engine_s, batch = best_of(lambda: evaluate_batch(cset, class_codes, values), repeat=REPEAT)

    # 3. A bare NumPy comparison pass: one values >= thresholds over the matrix.
    signed_values, signed_thresholds = signed_for_ge(cset, class_codes, values)
    numpy_s, ge = best_of(
        partial(np.greater_equal, signed_values, signed_thresholds), repeat=REPEAT
    )
    del signed_values, signed_thresholds
    decided = batch.indicator_status <= NOT_MET
    assert np.array_equal(ge[decided], batch.indicator_status[decided] == MET), (
        "phép so sánh NumPy không khớp với bộ máy đánh giá"
    )
    del ge, decided

    # 2. The plain loop, over the rows in random order so that stopping early leaves a
    # random sample to extrapolate from.
    order = rng.permutation(n_rows)
    loop = loop_evaluate(
        cset,
        class_codes,
        values,
        order=order,
        time_limit=args.loop_limit,
        progress=not args.no_progress,
    )
    sampled = len(loop.rows)
    loop_s = loop.seconds if loop.complete else loop.seconds * n_rows / sampled

    # The loop and the engine must agree on every row the loop saw.
    engine_criteria = batch.criterion_status[loop.rows]
    engine_criteria = np.where(
        (engine_criteria == NO_VALUE) | (engine_criteria == NO_THRESHOLD), 2, engine_criteria
    )
    assert np.array_equal(loop.criteria_met, batch.criteria_met[loop.rows]), (
        "số tiêu chí đạt của vòng lặp Python khác bộ máy đánh giá"
    )
    assert np.array_equal(loop.criterion_status, engine_criteria), (
        "trạng thái tiêu chí của vòng lặp Python khác bộ máy đánh giá"
    )
    checked = "tất cả" if loop.complete else "mẫu"
    print(
        f"Kết quả khớp ({checked} {vn(sampled)} dòng): số tiêu chí đạt và trạng thái từng tiêu chí; "
        f"{vn(int(batch.meets_standard.sum()))}/{vn(n_rows)} xã-năm đạt chuẩn",
    )

    record: dict[str, Any] = {
        "values": int(values.size),
        "engine_s": engine_s,
        "loop_s": loop_s,
        "numpy_s": numpy_s,
    }
    drop: list[str] = []
    if loop.complete:
        drop.append("loop_sampled_rows")
    else:
        record["loop_sampled_rows"] = sampled
    loop_note = (
        ""
        if loop.complete
        else f"  (ngoại suy tuyến tính: {vn(loop.seconds, 1)} s cho {vn(sampled)}/{vn(n_rows)} "
        f"dòng chọn ngẫu nhiên, vượt giới hạn {args.loop_limit:g} s)"
    )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bộ máy (evaluate_batch, tốt nhất {REPEAT} lần): {engine_s:10.4f} s")
    print(f"vòng lặp Python:                        {loop_s:10.4f} s{loop_note}")
    print(f"NumPy so sánh thuần (tốt nhất {REPEAT} lần):   {numpy_s:10.4f} s")
    print(
        f"vòng lặp / bộ máy = {vn(loop_s / engine_s, 1)}x; bộ máy / NumPy = {vn(engine_s / numpy_s, 1)}x"
    )
    print(f"bộ nhớ đỉnh ~{vn(peak_mb)} MB; ghi {args.out}")
    write_json(args.out, record, drop)
    return record


def import_main(argv: Sequence[str] | None = None) -> dict[str, Any]:
    """The import benchmark (bench/importing.py) and then the dashboards (bench/dashboards.py)
    in the same throwaway database, their keys added to the same JSON file."""
    args = parse_args(argv)
    if args.no_import and args.no_dashboards and args.no_report:
        return {}
    from bench.importing import base_year_create, database_setup
    from bench.importing import measure as import_measure

    count = database_setup(communes=args.communes, seed=args.seed)
    record: dict[str, Any] = {}
    if args.no_import:
        base_year_create(seed=args.seed)
    else:
        record |= import_measure(commit_communes=min(args.import_commit_communes, count))
    if not args.no_dashboards:
        from bench.dashboards import measure as dashboards_measure

        record |= dashboards_measure(years=dashboard_years(args.dashboard_years))
    if not args.no_report:
        from bench.reports import measure as report_measure

        record |= report_measure()
    from django.db import connections

    from bench.machine import machine_describe

    record["machine"] = machine_describe()
    write_json(args.out, record)
    # database_setup pointed NTM_DATA_DIR at a fresh temporary folder: a national run leaves
    # about 500 MB there, so remove it.
    connections.close_all()
    shutil.rmtree(os.environ["NTM_DATA_DIR"], ignore_errors=True)
    return record


def dashboard_years(count: int) -> list[int]:
    """The first ``count`` years of QĐ 1980/QĐ-TTg (2016-2020), at least up to the base year
    2018, whose values the others are copied from."""
    return list(range(2016, 2021))[: max(count, 3)] if count > 0 else [2018]


if __name__ == "__main__":
    main(sys.argv[1:])
    import_main(sys.argv[1:])
