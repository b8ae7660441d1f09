"""The import benchmark of ``make bench``: a national template through ``ntm import``.

Every commune of the GSO list x one year (2018, QĐ 1980/QĐ-TTg's 49 indicators) is loaded
into a throwaway SQLite database with random values, written out as ntm's Excel template
(one workbook, one row per commune), and then, in the same run:

1. a bare openpyxl read of that file (read-only mode, every row, values only): the floor;
2. the dry run (``import_plan``): read + check every cell + compare with the database;
3. the commit (``import_commit``) of the same file after the values of a subset of communes
   were removed from the database: the whole file is checked again inside the transaction,
   the subset's values are written with their audit rows and their communes re-evaluated.

The dry run must find every cell valid and unchanged (asserted before any time is printed).
The database is SQLite in a temporary folder, never the one ``NTM_DATA_DIR`` or
``DATABASE_URL`` point to.
"""

from __future__ import annotations

import csv
import io
import os
import secrets
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.synthetic import PROVINCE_REGION, gso_csv_path
from ntm.core.values import format_number as vn

YEAR = 2018
ROOT_CODE = "00"  # a stand-in country root over the provinces, so that one template covers all


def gso_rows(path: Path | None = None) -> list[dict[str, str]]:
    """Province, district and commune of every GSO row (the file bench.synthetic checks)."""
    path = path or gso_csv_path()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def units_create(rows: Sequence[dict[str, str]]) -> Any:
    """Country root, provinces (with their region), districts, communes; returns the root."""
    from ntm.core.values import fold
    from ntm.units.models import Unit

    def make(code: str, name: str, kind: str, level: str, parent: Any, **extra: Any) -> Any:
        return Unit(
            code=code,
            name=name,
            kind=kind,
            level=level,
            parent=parent,
            name_folded=fold(name),
            **extra,
        )

    root = make(ROOT_CODE, "Cả nước (benchmark)", "tinh", "province", None)
    root.save()
    provinces = {}
    for row in rows:
        code = row["Mã TP"]
        if code not in provinces:
            region = PROVINCE_REGION.get(code, "")
            provinces[code] = make(code, row["Tỉnh Thành Phố"], "tinh", "province", None)
            provinces[code].region = region
    Unit.objects.bulk_create(provinces.values())
    for province in provinces.values():
        province.parent = root
    Unit.objects.bulk_update(provinces.values(), ["parent"])
    districts = {}
    for row in rows:
        if row["Mã QH"] not in districts:
            province = provinces[row["Mã TP"]]
            districts[row["Mã QH"]] = make(
                row["Mã QH"], row["Quận Huyện"], "huyen", "district", province
            )
    Unit.objects.bulk_create(districts.values())
    communes = [
        make(r["Mã PX"], r["Phường Xã"], "xa", "commune", districts[r["Mã QH"]], ntm_eligible=True)
        for r in rows
    ]
    Unit.objects.bulk_create(communes, batch_size=2000)
    return root


def values_create(rng: np.random.Generator) -> int:
    """A random, valid value for every commune and indicator of the year's set."""
    from ntm.core.registry import set_for_year
    from ntm.indicators.models import IndicatorValue
    from ntm.units.models import Unit

    cset = set_for_year(YEAR)
    ids = list(Unit.objects.filter(level="commune").values_list("id", flat=True))
    rows = []
    for unit_id in ids:
        for indicator in cset.indicators:
            if indicator.op.is_boolean:
                value = float(rng.random() < 0.85)
            elif indicator.unit == "%":
                value = round(float(rng.uniform(40, 100)), 1)
            else:
                value = round(float(rng.uniform(10, 80)), 2)
            rows.append(
                IndicatorValue(
                    unit_id=unit_id,
                    year=YEAR,
                    criteria_set=cset.id,
                    indicator=indicator.code,
                    value=value,
                )
            )
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def bare_read(data: bytes) -> int:
    """What openpyxl alone costs: open read-only, every row of every sheet, values only."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    cells = 0
    for ws in book.worksheets:
        for row in ws.iter_rows(values_only=True):
            cells += len(row)
    book.close()
    return cells


def measure(*, commit_communes: int, seed: int = 2018) -> dict[str, Any]:
    """The timings, in a configured Django with migrated tables holding the units."""
    from ntm.exchange.services import ImportSource, import_plan
    from ntm.exchange.template import template_build
    from ntm.indicators.models import IndicatorValue
    from ntm.units.models import Unit

    rng = np.random.default_rng(seed)
    created = values_create(rng)
    root = Unit.objects.get(code=ROOT_CODE, level="province")
    start = time.perf_counter()
    data = template_build(unit=root, year=YEAR)
    template_s = time.perf_counter() - start
    print(
        f"Biểu mẫu cả nước: {vn(created)} giá trị, {vn(len(data) / 1048576, 1)} MB, "
        f"tạo trong {vn(template_s, 1)} s",
        flush=True,
    )
    start = time.perf_counter()
    cells = bare_read(data)
    bare_s = time.perf_counter() - start

    source = ImportSource("ca-nuoc.xlsx", data)
    start = time.perf_counter()
    plan = import_plan(source=source, user=None)
    plan_s = time.perf_counter() - start
    assert plan.ok, [p.text() for p in plan.problems[:5]]
    assert plan.counts["unchanged"] == created, plan.counts

    communes = Unit.objects.filter(level="commune").order_by("id")
    subset = list(communes[:commit_communes] if commit_communes else communes)
    removed = IndicatorValue.objects.filter(year=YEAR, unit__in=subset).count()
    IndicatorValue.objects.filter(year=YEAR, unit__in=subset).delete()
    commit_s, printed = command_import(data)
    written = IndicatorValue.objects.filter(year=YEAR, unit__in=subset).count()
    assert written == removed, (written, removed)
    bare_insert_s = bare_insert(subset)

    print(f"openpyxl đọc trần (read-only, mọi dòng): {bare_s:10.3f} s  ({vn(cells)} ô)")
    print(f"ntm import --dry-run (đọc, kiểm, so):    {plan_s:10.3f} s  ({vn(created)} giá trị)")
    print(
        f"ntm import (ghi {vn(written)} giá trị của {vn(len(subset))} xã, kiểm cả tệp, "
        f"đánh giá lại): {commit_s:.3f} s, {vn(written / commit_s)} giá trị/s, "
        f"in {vn(printed)} dòng"
    )
    print(f"ghi trần cùng các dòng (bulk_create):    {bare_insert_s:10.3f} s")
    print(
        f"kiểm tra thử / đọc trần = {vn(plan_s / bare_s, 2)}x; "
        f"nhập / ghi trần = {vn(commit_s / bare_insert_s, 2)}x",
        flush=True,
    )
    reevaluation = measure_reevaluation()
    return {
        **reevaluation,
        "import_values": created,
        "import_file_mb": round(len(data) / 1048576, 2),
        "import_template_s": template_s,
        "import_bare_read_s": bare_s,
        "import_dry_run_s": plan_s,
        "import_dry_run_ratio": plan_s / bare_s,
        "import_commit_s": commit_s,
        "import_commit_values": written,
        "import_commit_communes": len(subset),
        "import_commit_lines": printed,
        "import_bare_insert_s": bare_insert_s,
        "import_commit_ratio": commit_s / bare_insert_s,
    }


def command_import(data: bytes) -> tuple[float, int]:
    """``ntm import FILE`` as an operator runs it (summary output): seconds, lines printed."""
    from django.core.management import call_command

    out = io.StringIO()
    with tempfile.TemporaryDirectory(prefix="ntm-bench-") as folder:
        path = Path(folder) / "ca-nuoc.xlsx"
        path.write_bytes(data)
        start = time.perf_counter()
        call_command("import", str(path), "--no-progress", stdout=out, stderr=io.StringIO())
        seconds = time.perf_counter() - start
    return seconds, len(out.getvalue().splitlines())


def bare_insert(units: Sequence[Any]) -> float:
    """The floor for the commit: the rows it wrote, deleted and bulk-inserted again as they
    are (no reading, checking, audit or evaluation). Only the insert is timed."""
    from ntm.indicators.models import IndicatorValue

    rows = list(IndicatorValue.objects.filter(year=YEAR, unit__in=units))
    for row in rows:
        row.pk = None
    IndicatorValue.objects.filter(year=YEAR, unit__in=units).delete()
    start = time.perf_counter()
    IndicatorValue.objects.bulk_create(rows, batch_size=5000)
    return time.perf_counter() - start


def measure_reevaluation() -> dict[str, Any]:
    """A national re-evaluation after a rule change (database to database: read the values,
    evaluate, replace the verdicts) against a bare write of the same verdict rows, then
    ``ntm verify`` over the country, which must find nothing."""
    from ntm.indicators.models import Evaluation
    from ntm.indicators.reevaluation import reevaluate, verify

    start = time.perf_counter()
    judged = reevaluate(years=[YEAR])
    reevaluate_s = time.perf_counter() - start
    rows = list(Evaluation.objects.filter(year=YEAR))
    for row in rows:
        row.pk = None
    start = time.perf_counter()
    Evaluation.objects.filter(year=YEAR).delete()
    Evaluation.objects.bulk_create(rows, batch_size=500)
    bare_s = time.perf_counter() - start
    start = time.perf_counter()
    differences = verify(years=[YEAR])
    verify_s = time.perf_counter() - start
    assert not differences, differences[:3]
    print(f"ntm reevaluate cả nước ({vn(judged)} xã-năm):  {reevaluate_s:10.3f} s")
    print(f"ghi trần cùng số kết quả (xóa + bulk_create): {bare_s:10.3f} s")
    print(f"ntm verify cả nước (không có khác biệt):      {verify_s:10.3f} s")
    print(f"đánh giá lại / ghi trần = {vn(reevaluate_s / bare_s, 2)}x", flush=True)
    return {
        "reevaluate_commune_years": judged,
        "reevaluate_s": reevaluate_s,
        "reevaluate_bare_write_s": bare_s,
        "reevaluate_ratio": reevaluate_s / bare_s,
        "verify_s": verify_s,
    }


def database_setup(*, communes: int, seed: int) -> int:
    """A throwaway SQLite database holding the GSO units; returns the number of communes."""
    rows = gso_rows()
    if communes and communes < len(rows):
        picked = np.sort(np.random.default_rng(seed).choice(len(rows), communes, replace=False))
        rows = [rows[i] for i in picked]
    folder = tempfile.mkdtemp(prefix="ntm-bench-")
    os.environ.pop("DATABASE_URL", None)
    os.environ["NTM_DATA_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ntm.settings")
    # A throwaway database needs no fixed key (settings refuse to start without one).
    os.environ.setdefault("NTM_SECRET_KEY", secrets.token_urlsafe(50))
    import django
    from django.core.management import call_command

    django.setup()
    print(f"Nhập tệp: CSDL SQLite tạm ở {folder}", flush=True)
    call_command("migrate", verbosity=0)
    units_create(rows)
    return len(rows)


def base_year_create(*, seed: int) -> int:
    """Without the import benchmark: the base year's values and verdicts, for the dashboards."""
    from ntm.indicators.reevaluation import reevaluate

    created = values_create(np.random.default_rng(seed))
    reevaluate(years=[YEAR])
    return created


def run(*, communes: int, commit_communes: int, seed: int) -> dict[str, Any]:
    """Set up a throwaway SQLite database with the GSO units, then measure."""
    count = database_setup(communes=communes, seed=seed)
    return measure(commit_communes=min(commit_communes, count), seed=seed)
