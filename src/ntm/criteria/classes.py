"""Reads: the region or group of every commune under a unit for one criteria set, and why.

A region set (QĐ 1980/2016, QĐ 318/2022) gives a commune its province's region unless a decision
places the commune elsewhere (QĐ 318/2022: particularly difficult communes take the TDMNPB
thresholds), so a commune without its own record *inherits*. A group set (QĐ 51/2025) has no
default: a commune without a record has no group until the province decides one.

The communes are those in force on 31/12 of the set's first year (``classes_year``): the
2025-structure communes for QĐ 51/2025, the pre-2025 ones for QĐ 1980/2016.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext

from ntm.core.model import CriteriaSet, Level
from ntm.core.registry import UnknownCriteriaSetError
from ntm.criteria.models import CommuneClass
from ntm.criteria.selectors import get_any_set
from ntm.units.models import Level as UnitLevel
from ntm.units.models import Unit
from ntm.units.selectors import (
    communes_in_year,
    judged_on,
    names_in_year,
    unit_for_year,
    unit_province,
    unit_region,
    unit_sort_key,
)

CLASSIFICATIONS = ("region", "group")
# At most this many bases are named in the reason of an unassigned commune.
BASES_NAMED = 3


class ClassesError(ValueError):
    """A request the classes cannot answer (unknown set or unit): a Vietnamese sentence."""


@dataclass(frozen=True)
class ClassRow:
    unit: Unit
    name: str  # the commune's name in the reference year
    class_code: str | None
    basis: str
    inherited: bool = False
    reason: str = ""  # why class_code is None

    def as_dict(self) -> dict[str, Any]:
        """Every key on every row: ``basis`` null without a class, ``reason`` null with one."""
        return {
            "unit_code": self.unit.code,
            "name": self.name,
            "class": self.class_code,
            "basis": self.basis or None,
            "inherited": self.inherited,
            "reason": self.reason or None,
        }


def class_set(set_id: str) -> CriteriaSet:
    """A commune-level set that classes communes by region or group; ClassesError otherwise."""
    try:
        cset = get_any_set(set_id)
    except UnknownCriteriaSetError as exc:
        raise ClassesError(str(exc)) from None
    if cset.level is not Level.COMMUNE or cset.classification not in CLASSIFICATIONS:
        raise ClassesError(
            gettext("Bộ tiêu chí %(set)s không phân vùng hay phân nhóm xã.") % {"set": cset.id}
        )
    return cset


def set_years(cset: CriteriaSet) -> range:
    """The years the set judges: from its period's first year, but never before the year it
    took effect (QĐ 318 took effect in 3/2022, so 2021 is still QĐ 1980's), to its period's
    last year or its end (a set with neither: the next 30 years, a bound, not a claim)."""
    first = max(cset.period[0] if cset.period else cset.effective.year, cset.effective.year)
    last = cset.period[1] if cset.period else first + 30
    if cset.ends is not None:
        last = min(last, cset.ends.year)
    return range(first, last + 1)


def classes_year(cset: CriteriaSet, year: int | None = None) -> int:
    """``year`` (one the set judges, else ClassesError), or the first year the set judges."""
    years = set_years(cset)
    if year is None:
        return years[0]
    if year not in years:
        raise ClassesError(
            gettext(
                "Bộ tiêu chí %(set)s chỉ đánh giá các năm %(first)s-%(last)s, không có năm "
                "%(year)s: vùng/nhóm xã ghi theo bộ này chỉ dùng cho các năm đó."
            )
            % {"set": cset.id, "first": years[0], "last": years[-1], "year": year}
        )
    return year


def class_kind(cset: CriteriaSet) -> str:
    return gettext("vùng") if cset.classification == "region" else gettext("nhóm")


def classes_unit(*, code: str, year: int) -> Unit:
    """The unit holding ``code`` on 31/12/``year`` (a code names different rows over time)."""
    unit = unit_for_year(code=code.strip(), year=year)
    if unit is None:
        raise ClassesError(
            gettext("Không có đơn vị mã %(code)s vào ngày 31/12/%(year)s.")
            % {"code": code, "year": year}
        )
    return unit


def class_communes(*, unit: Unit | None, year: int) -> list[Unit]:
    """The programme's communes under ``unit`` (None: the whole country) in force in ``year``,
    in Vietnamese order, each with its name of that year."""
    query: QuerySet[Unit]
    if unit is None:
        query = Unit.objects.filter(level=UnitLevel.COMMUNE, ntm_eligible=True)
        query = query.valid_on(judged_on(year))
    else:
        query = communes_in_year(unit=unit, year=year)
    communes = list(query.select_related("parent__parent"))
    names = names_in_year(units=communes, year=year)
    for commune in communes:
        commune.name = names[commune.pk]
    return sorted(communes, key=unit_sort_key)


def commune_class_rows(*, cset: CriteriaSet, unit: Unit, year: int) -> list[ClassRow]:
    """One row per commune: its own record, its province's region (region sets), or none."""
    communes = class_communes(unit=unit, year=year)
    records = {
        r.unit_id: r
        for r in CommuneClass.objects.filter(
            criteria_set=cset.id, unit_id__in=[c.pk for c in communes]
        )
    }
    province = unit_province(unit=unit)
    unassigned = _unassigned_reason(cset, records.values())
    rows = []
    for commune in communes:
        record = records.get(commune.pk)
        if record is not None:
            rows.append(ClassRow(commune, commune.name, record.class_code, record.legal_basis))
        elif cset.classification == "region":
            rows.append(_inherited_row(cset, commune, province))
        else:
            rows.append(ClassRow(commune, commune.name, None, "", reason=unassigned))
    return rows


def _inherited_row(cset: CriteriaSet, commune: Unit, province: Unit) -> ClassRow:
    # A 2025-structure commune judged under a region set (2025 itself) has a province without
    # a region: unit_region looks at its predecessors' provinces (one or two queries).
    region = province.region or unit_region(unit=commune)
    if not region or region not in cset.classes:
        reason = gettext("chưa được xếp vùng, và tỉnh chưa có vùng theo %(decision)s") % {
            "decision": cset.decision
        }
        return ClassRow(commune, commune.name, None, "", reason=reason)
    basis = gettext(
        "vùng của tỉnh: %(province)s thuộc vùng %(region)s theo phân vùng áp dụng QĐ "
        "%(decision)s; xã không có quyết định xếp vùng riêng"
    ) % {"province": province.name, "region": cset.classes[region], "decision": cset.decision}
    return ClassRow(commune, commune.name, region, basis, inherited=True)


def _unassigned_reason(cset: CriteriaSet, records: Any) -> str:
    """Why a commune of a group set has no group: not yet grouped, or, when its neighbours
    were grouped from a list (QĐ 113/QĐ-UBND's Area III communes), not in that list."""
    bases = sorted({r.legal_basis for r in records if r.legal_basis})
    if not bases:
        return gettext("chưa được phân nhóm")
    named = "; ".join(bases[:BASES_NAMED]) + ("…" if len(bases) > BASES_NAMED else "")
    return gettext(
        "chưa được phân nhóm: không thuộc danh sách đã nhập theo %(bases)s; chưa có căn cứ "
        "để biết xã thuộc nhóm nào"
    ) % {"bases": named}
