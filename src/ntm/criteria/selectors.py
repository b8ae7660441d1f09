"""Which criteria set, with which provincial thresholds, applies to a commune and year.

Sets are looked up here rather than in ``core.registry`` because the database adds sets
imported from a workbook (``CriteriaSetRecord``) to the shipped files; the core stays free of
the database and takes the merged mapping as an argument.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from ntm.core import registry
from ntm.core.loader import load_mapping
from ntm.core.model import CriteriaSet, Level
from ntm.core.registry import get_set, set_for_year
from ntm.core.specs import ProvincialSpec as SpecData
from ntm.core.specs import SpecCell, apply_spec
from ntm.criteria.models import CommuneClass, CriteriaSetRecord, ProvincialSpec
from ntm.units.models import Unit
from ntm.units.selectors import unit_at

# Parsed database sets by (record id, file hash): a record changes only with its file.
_PARSED: dict[tuple[int, str], CriteriaSet] = {}


def database_sets() -> dict[str, tuple[CriteriaSet, bool]]:
    """Set id -> (set, replaces_national) for every imported set (one query when cached)."""
    rows = list(
        CriteriaSetRecord.objects.order_by("set_id").values_list(
            "id", "set_id", "source_sha256", "replaces_national"
        )
    )
    missing = [pk for pk, _, sha, _ in rows if (pk, sha) not in _PARSED]
    if missing:
        records = CriteriaSetRecord.objects.filter(id__in=missing)
        for record in records.only("id", "source_sha256", "source_name", "data"):
            cset = load_mapping(record.data, file=record.source_name)
            _PARSED[record.id, record.source_sha256] = cset
    return {set_id: (_PARSED[pk, sha], replaces) for pk, set_id, sha, replaces in rows}


def all_sets(
    *, imported: dict[str, tuple[CriteriaSet, bool]] | None = None
) -> dict[str, CriteriaSet]:
    """The shipped sets with the imported ones (``database_sets()`` unless given) over them.

    An imported set with the id of a shipped one replaces it only when it says so
    (``replaces_national``, e.g. qd51-2025 with the annex's 47 indicators); the import
    refuses any other clash, so the condition here is a second guard.
    """
    sets = dict(registry.national_sets())  # looked up on the module: tests replace it
    for set_id, (cset, replaces) in (database_sets() if imported is None else imported).items():
        if set_id not in sets or replaces:
            sets[set_id] = cset
    return sets


def get_any_set(set_id: str) -> CriteriaSet:
    """A shipped or imported set; UnknownCriteriaSetError naming the known ones otherwise."""
    return get_set(set_id, sets=all_sets())


def set_in_force(*, year: int, level: Level = Level.COMMUNE) -> CriteriaSet:
    """``core.registry.set_for_year`` over the shipped and imported sets."""
    return set_for_year(year, level, sets=all_sets())


def spec_province(*, data: SpecData) -> Unit | None:
    """The province row in force in the specification's first year (codes outlive rows)."""
    on = dt.date(data.first_year, 12, 31) if data.first_year else dt.date.today()
    return unit_at(code=data.province_code, level="province", on=on)


class NoClassError(ValueError):
    """A commune without a region or group under a set: named in the message."""


def spec_data(*, spec: ProvincialSpec) -> SpecData:
    cells = tuple(
        SpecCell(indicator=t.indicator, class_code=t.class_code, value=t.value, tier=t.tier)
        for t in spec.thresholds.all()
    )
    return SpecData(
        id=spec.spec_id,
        province_code=spec.province.code,
        criteria_set=spec.criteria_set,
        legal_source=spec.legal_source,
        cells=cells,
        first_year=spec.first_year,
        last_year=spec.last_year,
        illustrative=spec.illustrative,
    )


def criteria_set_for_province(
    *, province_id: int | None, year: int, set_id: str = ""
) -> CriteriaSet:
    """The set in force in the year (or ``set_id``), shipped or imported, with the province's
    specifications applied."""
    sets = all_sets()
    cset = get_set(set_id, sets=sets) if set_id else set_for_year(year, Level.COMMUNE, sets=sets)
    if province_id is None:
        return cset
    # By code, not by row: the office of 12 specifies for its province in either structure
    # (a QĐ 318/2022 specification for 2022-2025 also judges 2025, in the 2025 structure).
    code = Unit.objects.filter(pk=province_id).values_list("code", flat=True).first()
    specs = ProvincialSpec.objects.filter(
        province__code=code, province__level="province", criteria_set=cset.id
    ).prefetch_related("thresholds", "province")
    for spec in specs.order_by("first_year", "id"):
        data = spec_data(spec=spec)
        if data.covers(year):
            cset = apply_spec(cset, data)
    return cset


RecordedClasses = dict[tuple[int, str], str]
"""(unit id, set id) -> class code, read once for many communes (``recorded_classes``)."""


def recorded_classes(*, unit_ids: list[int]) -> RecordedClasses:
    found: RecordedClasses = {}
    for start in range(0, len(unit_ids), 500):
        rows = CommuneClass.objects.filter(unit_id__in=unit_ids[start : start + 500])
        found.update(
            ((u, s), c) for u, s, c in rows.values_list("unit_id", "criteria_set", "class_code")
        )
    return found


def commune_class(
    *,
    unit: Any,
    cset: CriteriaSet,
    region: Callable[[], str],
    recorded: RecordedClasses | None = None,
) -> str:
    """The commune's class under the set: its own record, else (region sets) ``region()``,
    asked only then (it may need the unit's history)."""
    if recorded is None:
        recorded = recorded_classes(unit_ids=[unit.pk])
    own = recorded.get((unit.pk, cset.id))
    if own is not None:
        return own
    if cset.classification == "region" and (inherited := region()):
        return inherited
    what = "nhóm" if cset.classification == "group" else "vùng"
    raise NoClassError(
        f"{getattr(unit, 'name', '')} ({getattr(unit, 'code', '')}) chưa được xác định {what} "
        f"theo bộ tiêu chí {cset.label}"
    )


def criteria_workbook(*, export_id: str) -> tuple[str, bytes]:
    """(file name, xlsx) of a set, or of a set with one provincial specification applied.

    ``export_id`` is a set id (shipped or imported) or the id of a stored specification.
    """
    from ntm.criteria.workbook_write import workbook_bytes  # openpyxl only when exporting

    imported = database_sets()
    sets = all_sets(imported=imported)
    if export_id in sets:
        replaces = export_id in imported and imported[export_id][1]
        content = workbook_bytes(sets[export_id], replaces_national=replaces)
        return f"{export_id}.xlsx", content
    spec = (
        ProvincialSpec.objects.filter(spec_id=export_id)
        .prefetch_related("thresholds")
        .select_related("province")
        .first()
    )
    if spec is None:
        get_set(export_id, sets=sets)  # raises, naming the known sets
        raise AssertionError("unreachable")
    data = spec_data(spec=spec)
    applied = apply_spec(get_set(spec.criteria_set, sets=sets), data)
    return f"{export_id}.xlsx", workbook_bytes(applied, spec=data)
