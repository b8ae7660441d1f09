"""The list of communes behind a unit's counts, as a page and as an xlsx download.

Access is the unit page's: a unit outside the user's scope answers 404.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from ntm.audit.services import audit_request
from ntm.exchange.export import CONTENT_TYPES
from ntm.indicators.selectors import years_with_data
from ntm.units.models import Level, Unit
from ntm.units.selectors import with_year_names
from ntm.web.list_export import communes_xlsx
from ntm.web.list_selectors import (
    CommuneTable,
    commune_table,
    list_filter_parse,
    may_see_verdicts,
)
from ntm.web.views import _row_for_year, _visible_unit, _year_checked


@login_required
@require_GET
def unit_communes(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    """Every commune under the unit in the year, filtered and sorted by the query string;
    ``?dinh-dang=xlsx`` downloads the same rows."""
    unit = _visible_unit(request, unit_id)
    if unit.level == Level.COMMUNE:
        return redirect("commune", unit_id=unit.id, year=year)
    moved = _row_for_year(request, unit, _year_checked(year), "unit_communes")
    if moved is not None:
        return moved
    with_year_names([unit], year)
    verdicts = may_see_verdicts(request.user)
    wanted = list_filter_parse(params=request.GET, verdicts=verdicts)
    table = commune_table(unit=unit, year=year, user=request.user, wanted=wanted)
    if request.GET.get("dinh-dang") == "xlsx":
        return _download(request, unit, year, table, verdicts)
    context = {
        "unit": unit,
        "year": year,
        "years": years_with_data(unit=unit),
        "table": table,
        "wanted": wanted,
        "verdicts": verdicts,
        "sort_links": {name: wanted.query(**{"sap-xep": key}) for name, key in _SORTS.items()},
        "download": wanted.query(**{"dinh-dang": "xlsx"}),
    }
    return render(request, "web/unit_communes.html", context)


# Template names of the sort orders (a template cannot read "-tieu-chi").
_SORTS = {"ten": "ten", "huyen": "huyen", "tieu_chi": "tieu-chi", "minus_tieu_chi": "-tieu-chi"}


def _download(
    request: HttpRequest, unit: Unit, year: int, table: CommuneTable, verdicts: bool
) -> HttpResponse:
    name = f"danh-sach-xa-{unit.code}-{year}.xlsx"
    body = communes_xlsx(unit=unit, year=year, table=table, verdicts=verdicts)
    audit_request(
        request,
        action="export.communes",
        object_type="unit",
        object_id=unit.code,
        unit=unit,
        year=year,
        after={"file": name, "rows": len(table.rows), "query": request.GET.urlencode()},
    )
    response = HttpResponse(body, content_type=CONTENT_TYPES["xlsx"])
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
