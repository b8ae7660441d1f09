"""Names instead of codes on pages: criteria sets by their decision, regions and levels in words.

A code (qd1980-2016, TDMNPB, commune) is for files, URLs and the API; a page shows what an
official would write. Unknown codes are shown as they are rather than failing the page.
"""

from __future__ import annotations

from django import template

from ntm.core.model import LEVEL_NAMES, CriteriaSet, Level
from ntm.core.registry import UnknownCriteriaSetError, get_set
from ntm.criteria.selectors import get_any_set

register = template.Library()


def set_label_of(set_id: str) -> str:
    """ "QĐ 1980/QĐ-TTg" for "qd1980-2016"; several ids joined by ", " stay joined."""
    labels = []
    for one in str(set_id).split(","):
        one = one.strip()
        try:
            labels.append(get_set(one).label)  # the shipped sets: no query
        except UnknownCriteriaSetError:
            try:
                labels.append(get_any_set(one).label)  # an imported set
            except UnknownCriteriaSetError:
                labels.append(one)
    return ", ".join(labels)


@register.filter
def set_label(value: CriteriaSet | str | None) -> str:
    if value is None or value == "":
        return "–"
    if isinstance(value, CriteriaSet):
        return value.label
    return set_label_of(value)


@register.filter
def tier_name(tier: str, set_id: str) -> str:
    """ "Xã đạt chuẩn nông thôn mới nâng cao" for "nang_cao" in the set; unknown stays a code."""
    try:
        tiers = get_set(str(set_id)).tiers
    except UnknownCriteriaSetError:
        return str(tier)
    return next((t.name for t in tiers if t.code == tier), str(tier))


@register.filter
def class_name(code: str, cset: CriteriaSet) -> str:
    """A region in words ("Trung du và miền núi phía Bắc"); a group stays its number ("3"),
    which is how the decision names it ("nhóm 3")."""
    if cset.classification == "group":
        return str(code)
    return cset.classes.get(str(code), str(code))


@register.filter
def level_name(level: str) -> str:
    try:
        return LEVEL_NAMES[Level(level)]
    except ValueError:
        return str(level)
