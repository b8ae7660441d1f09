"""The unit page's money charts as CSV, and the money-against-results page."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from openpyxl import Workbook

from ntm.accounts import access
from ntm.core.values import format_number
from ntm.exchange.export import safe_cells, safe_text
from ntm.finance.money_charts import MONEY_CHARTS, UnitMoney, money_table, unit_money
from ntm.finance.money_results import (
    RATE_COLUMN,
    SORTS,
    communes_sorted,
    default_from,
    money_results,
    results_table,
)
from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_in_year, with_year_names

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RANGE_YEARS = 5  # the default range: the five years up to the page's year


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("parent__parent"), pk=unit_id)
    if not access.can_view_resources(request.user, unit):
        raise Http404
    return unit


def _csv(rows: list[list[str]], filename: str) -> HttpResponse:
    """Semicolons and Vietnamese numbers, as a Vietnamese spreadsheet reads them; text that a
    spreadsheet would run as a formula is defused."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # the byte order mark: Excel then reads the accents as UTF-8
    csv.writer(response, delimiter=";").writerows([[safe_text(c) for c in r] for r in rows])
    return response


@login_required
def unit_money_csv(request: HttpRequest, unit_id: int, year: int, chart: str) -> HttpResponse:
    unit = _unit(request, unit_id)
    if chart not in MONEY_CHARTS:
        raise Http404
    money = unit_money(unit=unit, year=year, user=request.user) or UnitMoney.empty()
    return _csv(money_table(money=money, chart=chart), f"{unit.code}-{year}-{chart}.csv")


def _from_year(request: HttpRequest, year: int) -> int:
    raw = request.GET.get("tu", "")
    if raw.isdigit() and year - 30 <= int(raw) <= year:
        return int(raw)
    return default_from(year=year, span=RANGE_YEARS)


def _shown(value: Any, digits: int) -> str:
    """A cell as the page shows it (the vn filter's digits)."""
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return format_number(float(value), digits)
    return "–" if value is None else str(value)


@login_required
def money_results_page(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = _unit(request, unit_id)
    row = unit_in_year(unit=unit, year=year)
    if row is None:
        raise Http404
    if row.pk != unit.pk:
        return redirect("finance_money_results", unit_id=row.pk, year=year)
    with_year_names([unit], year)
    year_from = _from_year(request, year)
    results = money_results(unit=unit, year_from=year_from, year_to=year, user=request.user)
    order = request.GET.get("sap-xep", "ten")
    rows = communes_sorted(results.communes, order)
    fmt = request.GET.get("dinh-dang")
    name = f"{unit.code}-{year_from}-{year}-von-va-ket-qua"
    if fmt == "csv":
        table = results_table(results=results, rows=rows)
        shown = [table[0]] + [
            [_shown(c, 1 if k == RATE_COLUMN else 0) for k, c in enumerate(r)] for r in table[1:]
        ]
        return _csv(shown, f"{name}.csv")
    if fmt == "xlsx":
        return _xlsx(results_table(results=results, rows=rows), f"{name}.xlsx")
    context = {
        "unit": unit,
        "year": year,
        "results": results,
        "rows": rows,
        "order": order if order in SORTS else "ten",
        "sorts": SORTS,
        "years": range(year - 15, year + 1),
        "is_commune": unit.level == Level.COMMUNE,
    }
    return render(request, "finance/money_results.html", context)


def _xlsx(table: list[list[Any]], filename: str) -> HttpResponse:
    book = Workbook(write_only=True)
    ws = book.create_sheet("Vốn và kết quả")
    ws.append(safe_cells(ws, table[0], bold=True))
    for row in table[1:]:
        ws.append(safe_cells(ws, [float(c) if isinstance(c, Decimal) else c for c in row]))
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(out.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
