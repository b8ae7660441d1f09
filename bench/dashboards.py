"""The dashboards benchmark of ``make bench``: the national view and a province dashboard at
national scale, against a trivial view, in the same run and the same database.

It runs after the import benchmark (bench/importing.py), in its throwaway SQLite database:
every commune of the GSO list has values for 2018. Those values are copied to the other
years asked for, lowered a little more for each year before 2018 (and raised after it) so
that the trend moves, and every year is evaluated by the engine (``reevaluate``), as the app
does on every write. Then each page is requested through Django's test client as the
administrator (the whole server side: URL, access checks, queries, template), best of a few
runs, and its time is compared with the criteria sets page (a template and one query).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ntm.core.values import format_number as vn

BASE_YEAR = 2018  # the year the import benchmark gives values (QĐ 1980/QĐ-TTg)
# QĐ 1980/QĐ-TTg judges 2016 to 2020: years in it share the base year's indicators.
DEFAULT_YEARS = (2016, 2017, 2018)
ADMIN = "bench.quantri"


def history_create(*, years: Sequence[int]) -> int:
    """Copy the base year's values to each other year in one statement per year; a yes/no
    indicator turns "không đạt" with a chance growing with the distance to the base year, a
    number moves by up to 4% a year. Returns the rows written."""
    from django.db import connection

    from ntm.core.registry import set_for_year
    from ntm.indicators.models import IndicatorValue

    cset = set_for_year(BASE_YEAR)
    booleans = [i.code for i in cset.indicators if i.op.is_boolean]
    table = IndicatorValue._meta.db_table
    marks = ", ".join(["%s"] * len(booleans))
    written = 0
    with connection.cursor() as cursor:
        for year in years:
            if year == BASE_YEAR:
                continue
            shift = year - BASE_YEAR  # negative before the base year
            # SQLite: random() is a 64-bit integer; abs(random()) % 100 a percentile.
            cursor.execute(
                f"""
                INSERT INTO {table}
                    (unit_id, year, criteria_set, indicator, value, source, evidence,
                     author_id, updated_at, version)
                SELECT unit_id, %s, criteria_set, indicator,
                    CASE
                        WHEN indicator IN ({marks}) THEN
                            CASE WHEN abs(random()) %% 100 < %s THEN 0.0 ELSE value END
                        ELSE min(100.0, round(value * (1 + %s * (abs(random()) %% 100) / 100.0), 2))
                    END,
                    '', '', NULL, updated_at, 1
                FROM {table} WHERE year = %s
                """,  # the table name is the model's; everything else is a parameter
                [year, *booleans, max(0, -10 * shift), 0.04 * shift, BASE_YEAR],
            )
            written += cursor.rowcount
    return written


def admin_client() -> Any:
    """A test client logged in as an administrator of the bench database."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from ntm.accounts.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username=ADMIN)
    Membership.objects.get_or_create(user=user, defaults={"role": Role.ADMIN})
    client = Client()
    client.force_login(user)
    return client


def busiest_province(year: int) -> int:
    """The id of the province with the most communes judged in the year."""
    from django.db.models import Count

    from ntm.indicators.models import Evaluation

    row = (
        Evaluation.objects.filter(year=year)
        .values("unit__parent__parent")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    assert row is not None, "no verdict to show"
    return int(row["unit__parent__parent"])


def page_time(client: Any, url: str, repeat: int) -> float:
    """Best of ``repeat`` requests of a page answering 200, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        best = min(best, time.perf_counter() - start)
        assert response.status_code == 200, (url, response.status_code)
    return best


def measure(*, years: Sequence[int] = DEFAULT_YEARS, repeat: int = 3) -> dict[str, Any]:
    """The timings, in a configured Django whose database holds the base year's values."""
    from ntm.indicators.models import Evaluation
    from ntm.indicators.reevaluation import reevaluate
    from ntm.units.models import Unit

    start = time.perf_counter()
    copied = history_create(years=years)
    judged = reevaluate(years=[y for y in years if y != BASE_YEAR])
    setup_s = time.perf_counter() - start
    communes = Evaluation.objects.filter(year=BASE_YEAR).count()
    print(
        f"Bảng điều khiển: {vn(communes)} xã x {len(years)} năm "
        f"({vn(copied)} giá trị chép thêm, {vn(judged)} xã-năm đánh giá trong {vn(setup_s, 1)} s)",
        flush=True,
    )
    client = admin_client()
    province = busiest_province(BASE_YEAR)
    code = Unit.objects.values_list("code", flat=True).get(pk=province)
    pages = {
        "trivial": "/bo-tieu-chi/",
        "national": f"/toan-quoc/{BASE_YEAR}/",
        "province": f"/don-vi/{province}/{BASE_YEAR}/",
        "summary": f"/api/v1/units/{code}/summary/?year={BASE_YEAR}",
    }
    client.get(pages["trivial"])  # the first request loads templates and URL patterns
    times = {name: page_time(client, url, repeat) for name, url in pages.items()}
    trivial = times["trivial"]
    print(f"trang đơn giản (bộ tiêu chí):            {times['trivial']:10.4f} s")
    print(
        f"toàn quốc {pages['national']}:          {times['national']:10.4f} s  "
        f"= {vn(times['national'] / trivial, 1)}x trang đơn giản"
    )
    print(
        f"bảng điều khiển tỉnh {pages['province']}: {times['province']:10.4f} s  "
        f"= {vn(times['province'] / trivial, 1)}x trang đơn giản"
    )
    print(
        f"API tổng hợp tỉnh {pages['summary']}: {times['summary']:10.4f} s  "
        f"= {vn(times['summary'] / trivial, 1)}x trang đơn giản",
        flush=True,
    )
    return {
        "dashboard_communes": communes,
        "dashboard_years": len(years),
        "dashboard_trivial_s": trivial,
        "dashboard_national_s": times["national"],
        "dashboard_national_ratio": times["national"] / trivial,
        "dashboard_province_s": times["province"],
        "dashboard_province_ratio": times["province"] / trivial,
        "api_summary_s": times["summary"],
        "api_summary_ratio": times["summary"] / trivial,
    }
