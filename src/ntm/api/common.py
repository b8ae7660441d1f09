"""What every API view shares: the year parameter, the unit of a code in a year, refusals.

A unit outside the caller's scope answers 404, exactly like a unit that does not exist (as the
pages do); a role that may not see what is asked (a department and a commune's overall
verdict) answers 403.
"""

from __future__ import annotations

import re
from typing import Any

from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request

from ntm.accounts import access
from ntm.core.years import FIRST_YEAR, LAST_YEAR
from ntm.units.models import Unit
from ntm.units.selectors import unit_for_year
from ntm.web.list_selectors import may_see_verdicts

CODE = re.compile(r"[0-9A-Za-z_-]{1,16}")  # registry codes: digits (province 2, commune 5)


def year_param(request: Request, name: str = "year", *, required: bool = True) -> int | None:
    text = request.query_params.get(name, "").strip()
    if not text:
        if required:
            raise ValidationError({name: f"Cần tham số {name} (năm, ví dụ 2018)."})
        return None
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= LAST_YEAR:
        raise ValidationError({name: f"Năm «{text[:20]}» không hợp lệ ({FIRST_YEAR}-{LAST_YEAR})."})
    return int(text)


def unit_of(request: Request, code: str, year: int) -> Unit:
    code = code.strip()
    if not CODE.fullmatch(code):  # before any query: PostgreSQL refuses NUL and the like
        raise NotFound(f"Không có đơn vị mã «{code[:16]}».")
    unit = unit_for_year(code=code, year=year)
    if unit is None or not access.can_view_unit(request.user, unit):
        raise NotFound(f"Không có đơn vị mã {code[:16]} vào 31/12/{year} trong phạm vi của bạn.")
    return unit


def verdicts_required(user: Any) -> None:
    if not may_see_verdicts(user):
        raise PermissionDenied("Sở, ngành chỉ xem các tiêu chí của mình, không xem kết quả chung.")
