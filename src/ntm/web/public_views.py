"""The public pages: no login, read-only, only public facts (ntm.web.public_selectors).

Every other page of the site needs a login (login_required on each view); these two are the
exceptions, listed as such in the authorization matrix (tests/web/test_authorization_matrix.py).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ntm.units.models import Level, Unit
from ntm.units.selectors import unit_in_year, unit_valid_in, with_year_names
from ntm.web.public_selectors import (
    province_contributions,
    province_recognitions,
    public_map,
    public_provinces,
    recognitions_by_year,
)
from ntm.web.views import MAX_YEAR, MIN_YEAR, _year_checked

# The programme's first recognitions were for 2011 (QĐ 491/2009 applied from 2010).
FIRST_PUBLIC_YEAR = 2011


def _this_year() -> int:
    return min(max(timezone.localdate().year, MIN_YEAR), MAX_YEAR)


@require_GET
def public_index(request: HttpRequest) -> HttpResponse:
    provinces = public_provinces(year=_this_year())
    return render(request, "web/public_index.html", {"provinces": provinces})


@require_GET
def public_province(request: HttpRequest, unit_id: int, year: int) -> HttpResponse:
    unit = Unit.objects.filter(pk=unit_id, level=Level.PROVINCE).first()
    if unit is None:
        raise Http404("Không có tỉnh này.")
    _year_checked(year)
    if not unit_valid_in(unit=unit, year=year):
        other = unit_in_year(unit=unit, year=year)
        if other is None:
            raise Http404("Tỉnh không tồn tại trong năm này.")
        return redirect("public_province", unit_id=other.pk, year=year)
    with_year_names([unit], year)
    recognitions = province_recognitions(province=unit)
    last = max(_this_year(), year)
    context = {
        "unit": unit,
        "year": year,
        "years": list(range(FIRST_PUBLIC_YEAR, last + 1)),
        "by_year": recognitions_by_year(recognitions=recognitions),
        "public_map": public_map(province=unit, year=year, recognitions=recognitions),
        "contributions": province_contributions(province=unit, until=dt.date(year, 12, 31)),
    }
    return render(request, "web/public_province.html", context)
