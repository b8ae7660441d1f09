"""Numbers the Vietnamese way in templates: {{ 2142589|vn }} -> 2.142.589, {{ x|vn:2 }} -> 13,43."""

import math

from django import template

from ntm.core.values import format_measure, format_number

register = template.Library()


@register.filter
def vn(value: object, digits: int = 0) -> str:
    if value is None or value == "" or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return "–"
    return format_number(float(value), int(digits))  # type: ignore[arg-type]


@register.filter
def get(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key)


@register.filter
def measure(value: object) -> str:
    if value is None or value == "" or not math.isfinite(float(value)):  # type: ignore[arg-type]
        return "–"
    return format_measure(float(value))  # type: ignore[arg-type]
