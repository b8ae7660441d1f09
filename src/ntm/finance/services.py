"""Writes of capital entries, contributions and works: one function each, atomic and audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ntm.audit.models import Origin
from ntm.audit.services import audit_record
from ntm.finance.models import (
    MAX_MILLION_VND,
    MEASURE_MAX,
    CapitalEntry,
    CapitalSource,
    Contribution,
    Work,
)
from ntm.units.models import Unit

SOURCES_FILE = Path(__file__).parent / "data" / "capital_sources.yaml"
MEASURES = ("land_m2", "labour_days", "cash_million_vnd", "materials_million_vnd")


class FinanceError(ValueError):
    """A figure that cannot be saved; the message is a Vietnamese sentence for the user."""


def capital_sources_load(*, path: Path = SOURCES_FILE) -> int:
    """Create or update the sources from the data file (idempotent); returns how many."""
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_code: dict[str, CapitalSource] = {}
    for row in rows:
        source, _ = CapitalSource.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "order": row.get("order", 0),
                "parent": by_code.get(row.get("parent", "")),
            },
        )
        by_code[source.code] = source
    return len(by_code)


def _decimal_text(value: Decimal | None) -> str | None:
    return None if value is None else format(value.normalize(), "f")


def capital_entry_snapshot(entry: CapitalEntry) -> dict[str, Any]:
    return {
        "unit": entry.unit.code,
        "years": entry.period_text,
        "source": entry.source.code,
        "stage": entry.stage,
        "amount": _decimal_text(Decimal(entry.amount)),
        "work": entry.work.name if entry.work else None,
        "figure_source": entry.figure_source,
        "note": entry.note,
    }


def contribution_snapshot(row: Contribution) -> dict[str, Any]:
    data: dict[str, Any] = {"unit": row.unit.code, "period": row.period_text}
    for name in MEASURES:
        value = getattr(row, name)
        data[name] = _decimal_text(None if value is None else Decimal(value))
    data.update(
        work=row.work.name if row.work else None, figure_source=row.figure_source, note=row.note
    )
    return data


def capital_entry_check(
    *, year_from: int, year_to: int, amount: Decimal, source: CapitalSource
) -> None:
    if year_to < year_from:
        raise FinanceError(f"Năm kết thúc {year_to} trước năm bắt đầu {year_from}.")
    if not amount.is_finite() or amount > MAX_MILLION_VND:
        raise FinanceError(
            f"Số tiền của nguồn «{source.name}» phải là một số không quá 1.000.000.000 triệu đồng."
        )
    if amount < 0:
        raise FinanceError(f"Số tiền của nguồn «{source.name}» không được âm.")


@transaction.atomic
def capital_entry_save(
    *,
    actor: Any,
    unit: Unit,
    source: CapitalSource,
    stage: str,
    year_from: int,
    year_to: int,
    amount: Decimal,
    work: Work | None = None,
    figure_source: str = "",
    note: str = "",
    origin: str = Origin.PAGE,
    origin_detail: str = "",
) -> tuple[CapitalEntry, str]:
    """Add or replace the figure for (unit, years, source, stage, work); "add"/"change"/"same"."""
    capital_entry_check(year_from=year_from, year_to=year_to, amount=amount, source=source)
    key = {"unit": unit, "year_from": year_from, "year_to": year_to, "source": source}
    entry = CapitalEntry.objects.select_for_update().filter(**key, stage=stage, work=work).first()
    before = capital_entry_snapshot(entry) if entry else None
    entry = entry or CapitalEntry(**key, stage=stage, work=work)
    entry.amount, entry.figure_source, entry.note = amount, figure_source, note
    after = capital_entry_snapshot(entry)
    if before == after:
        return entry, "same"
    entry.author = actor if getattr(actor, "is_authenticated", False) else None
    entry.save()
    audit_record(
        actor=actor,
        action="capital.set",
        object_type="capital_entry",
        object_id=entry.pk,
        unit=unit,
        year=year_to,
        before=before,
        after=after,
        origin=origin,
        origin_detail=origin_detail,
    )
    return entry, "add" if before is None else "change"


def contribution_check(*, date_from: dt.date, date_to: dt.date, values: dict[str, Any]) -> None:
    if date_to < date_from:
        raise FinanceError(f"Kỳ kết thúc {date_to:%m/%Y} trước kỳ bắt đầu {date_from:%m/%Y}.")
    if all(values.get(name) is None for name in MEASURES):
        raise FinanceError("Cần ít nhất một trong: đất hiến, ngày công, tiền mặt, vật liệu.")
    given = {name: Decimal(values[name]) for name in MEASURES if values.get(name) is not None}
    if any(not v.is_finite() or v > MEASURE_MAX[name] for name, v in given.items()):
        raise FinanceError("Số đóng góp quá lớn hoặc không phải là một số hữu hạn.")
    if any(v < 0 for v in given.values()):
        raise FinanceError("Số đóng góp không được âm.")


@transaction.atomic
def contribution_save(
    *,
    actor: Any,
    unit: Unit,
    date_from: dt.date,
    date_to: dt.date,
    values: dict[str, Decimal | None],
    work: Work | None = None,
    figure_source: str = "",
    note: str = "",
    origin: str = Origin.PAGE,
    origin_detail: str = "",
) -> tuple[Contribution, str]:
    """Add or replace the contribution of (unit, period, work); "add"/"change"/"same"."""
    contribution_check(date_from=date_from, date_to=date_to, values=values)
    key = {"unit": unit, "date_from": date_from, "date_to": date_to, "work": work}
    row = Contribution.objects.select_for_update().filter(**key).first()
    before = contribution_snapshot(row) if row else None
    row = row or Contribution(**key)
    for name in MEASURES:
        setattr(row, name, values.get(name))
    row.figure_source, row.note = figure_source, note
    after = contribution_snapshot(row)
    if before == after:
        return row, "same"
    row.author = actor if getattr(actor, "is_authenticated", False) else None
    row.save()
    audit_record(
        actor=actor,
        action="contribution.set",
        object_type="contribution",
        object_id=row.pk,
        unit=unit,
        year=date_to.year,
        before=before,
        after=after,
        origin=origin,
        origin_detail=origin_detail,
    )
    return row, "add" if before is None else "change"


@transaction.atomic
def work_get_or_create(*, actor: Any, unit: Unit, name: str, criteria: list[str]) -> Work:
    """The unit's work of that name; created (and audited) when new, criteria updated if given."""
    name = " ".join(name.split())
    work = Work.objects.filter(unit=unit, name=name).first()
    if work is not None and (not criteria or work.criteria == criteria):
        return work
    before = {"name": work.name, "criteria": work.criteria} if work else None
    work = work or Work(unit=unit, name=name)
    work.criteria = criteria
    work.save()
    audit_record(
        actor=actor,
        action="work.set",
        object_type="work",
        object_id=work.pk,
        unit=unit,
        before=before,
        after={"name": work.name, "criteria": criteria},
    )
    return work
