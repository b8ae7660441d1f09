"""The criteria set page's link to the commune classes page, for those who may change them."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from ntm.accounts import access
from ntm.core.model import CriteriaSet, Level
from ntm.criteria.classes import CLASSIFICATIONS

register = template.Library()


@register.simple_tag
def classes_link(user: Any, cset: CriteriaSet) -> str:
    """The classes page of a commune set that classes communes, or "" (the link is hidden)."""
    if cset.level is not Level.COMMUNE or cset.classification not in CLASSIFICATIONS:
        return ""
    if not access.can_manage_criteria(user):
        return ""
    return reverse("criteria_classes_index", args=[cset.id])
