"""The audit page's reading of an event's before/after: one Vietnamese line per changed field.

The audit rows keep what each service wrote (codes, booleans, ids) so that they stay exact;
this module only translates them for people: stage codes by their names in the stage files,
roles and statuses by their labels, booleans as có/không, numbers the Vietnamese way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from ntm.accounts.models import Role
from ntm.audit.models import AuditEvent, Origin
from ntm.core.model import Indicator
from ntm.core.registry import national_sets
from ntm.core.values import format_measure, format_number
from ntm.finance.models import Stage as MoneyStage
from ntm.indicators.services import value_shown
from ntm.units.models import Level
from ntm.workflow.models import Status, Verdict
from ntm.workflow.stages import procedures

# Field names as people say them; a key missing here is shown with its underscores as spaces.
FIELD_LABELS = {
    "stage": _("Bước"),
    "status": _("Trạng thái"),
    "reason": _("Lý do"),
    "criterion": _("Tiêu chí"),
    "verdict": _("Kết quả thẩm định"),
    "indicator": _("Chỉ tiêu"),
    "value": _("Giá trị"),
    "text": _("Nội dung"),
    "note": _("Ý kiến"),
    "username": _("Tên đăng nhập"),
    "name": _("Họ tên"),
    "email": _("Thư điện tử"),
    "is_active": _("Đang hoạt động"),
    "role": _("Vai trò"),
    "unit_code": _("Mã đơn vị"),
    "unit_name": _("Đơn vị"),
    "criteria": _("Tiêu chí phụ trách"),
    "password": _("Mật khẩu"),
    "by_self": _("Tự thực hiện"),
    "locked_until": _("Khóa đến"),
    "file": _("Tệp"),
    "rows": _("Số dòng"),
    "query": _("Bộ lọc"),
    "level": _("Cấp"),
    "tables": _("Số bảng"),
    "files": _("Số tệp"),
    "legal_source": _("Căn cứ"),
    "legal_basis": _("Căn cứ pháp lý"),
    "cells": _("Ô ngưỡng"),
    "criteria_set": _("Bộ tiêu chí"),
    "class_code": _("Nhóm"),
    "number": _("Số quyết định"),
    "date": _("Ngày"),
    "signer": _("Người ký"),
    "amount": _("Số tiền"),
    "year": _("Năm"),
    "kind": _("Loại"),
    "source": _("Nguồn"),
}
# Fields that name what was changed: kept when equal on both sides, or the line would not say
# which indicator or criterion it is about.
IDENTITY = ("indicator", "criterion", "username")
# Database ids mean nothing to a reader; the unit's code and name beside them say the same.
HIDDEN = ("unit_id",)
# A criteria import keeps every threshold cell: the page shows the first ones and a count.
LIST_SHOWN = 12
_CHOICES: dict[str, dict[str, Any]] = {
    "status": dict(Status.choices),
    "role": dict(Role.choices),
    "verdict": dict(Verdict.choices),
    "origin": dict(Origin.choices),
    "level": dict(Level.choices),
}
# Money rows (ntm.finance) also say "stage": planned, allocated, disbursed.
_MONEY_STAGES: dict[str, Any] = dict(MoneyStage.choices)


@dataclass(frozen=True)
class Change:
    """One field of an event: its label, and the value before (None when it was not kept)."""

    label: str
    after: str
    before: str | None = None


@cache
def _stage_names() -> dict[str, str]:
    """Stage code -> name over every procedure; codes are never reused (workflow.stages)."""
    return {s.code: s.name for p in procedures().values() for s in p.stages}


def _set_name(set_id: str) -> str:
    """A national criteria set by its decision ("QĐ 1980/QĐ-TTg"); other keys as
    they are."""
    cset = national_sets().get(set_id)
    return cset.label if cset else set_id


def field_label(key: str) -> str:
    return str(FIELD_LABELS.get(key, key.replace("_", " ")))


def value_text(key: str, value: Any) -> str:
    """A stored value in words: names for codes, có/không, numbers the Vietnamese way."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if isinstance(value, bool):
        return _g("có") if value else _g("không")
    if isinstance(value, int):
        return (
            str(value) if key.endswith(("_id", "code")) or key == "year" else format_number(value)
        )
    if isinstance(value, float):
        return format_measure(value)
    if isinstance(value, dict):
        return "; ".join(f"{_set_name(k)}: {value_text(key, v)}" for k, v in value.items())
    if isinstance(value, list):
        shown = ", ".join(value_text(key, v) for v in value[:LIST_SHOWN])
        more = len(value) - LIST_SHOWN
        return shown + (_g(" và %(count)s mục khác") % {"count": more} if more > 0 else "")
    text = str(value)
    if key == "criteria_set":
        return _set_name(text)
    if key == "stage":
        return _stage_names().get(text) or str(_MONEY_STAGES.get(text, text))
    return str(_CHOICES.get(key, {}).get(text, text))


def event_changes(event: AuditEvent) -> list[Change]:
    """The fields an event changed, in the order they were written; unchanged ones left out
    except those naming the indicator, criterion or account the event is about.

    A field only in `after` (a creation, a reason) is shown without a before; a field only in
    `before` is shown as removed.
    """
    before, after = event.before, event.after
    if not isinstance(before, dict):
        before = {} if before is None else {"value": before}
    if not isinstance(after, dict):
        after = {} if after is None else {"value": after}
    indicator = _indicator_of(event)
    changes = []
    for key in [*after, *(k for k in before if k not in after)]:
        if key in HIDDEN:
            continue
        old, new = before.get(key), after.get(key)
        if key in before and key in after and old == new:
            if key in IDENTITY:
                changes.append(Change(field_label(key), value_text(key, new)))
            continue
        if key == "value" and indicator is not None:
            shown_old = value_shown(indicator=indicator, value=old) if key in before else None
            changes.append(
                Change(field_label(key), value_shown(indicator=indicator, value=new), shown_old)
            )
            continue
        shown_old = value_text(key, old) if key in before else None
        changes.append(Change(field_label(key), value_text(key, new), shown_old))
    return changes


def _indicator_of(event: AuditEvent) -> Indicator | None:
    """The indicator of a value change ("unit:year:set:code"), to write its value with its unit
    ("80%", "đạt"); None for other events and for sets imported by a province."""
    if event.object_type != "indicator_value":
        return None
    parts = event.object_id.split(":")
    cset = national_sets().get(parts[2]) if len(parts) == 4 else None
    return cset.indicator(parts[3]) if cset else None
