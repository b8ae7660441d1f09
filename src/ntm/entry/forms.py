"""The commune-year form as posted: Vietnamese numbers, per-field errors, opened versions.

Each indicator posts three fields: ``val-<code>`` (what the user typed), and two hidden ones
written when the form was opened, ``ver-<code>`` (the stored version, empty when there was no
value) and ``orig-<code>`` (the value shown then). A value counts as changed only when it
differs from what was shown, so a field the user never touched cannot overwrite what someone
else saved meanwhile; the versions let values_set refuse a save that would.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext

from ntm.core.model import CriteriaSet, Indicator
from ntm.core.numbers import NumberError, number_read
from ntm.core.values import format_measure
from ntm.indicators.services import value_problem

VALUE, VERSION, ORIGINAL = "val-", "ver-", "orig-"


class FieldError(ValueError):
    """A message shown on the field (in the user's language)."""


@dataclass
class EntryInput:
    raw: dict[str, str] = field(default_factory=dict)  # what was typed, to show back
    values: dict[str, float | None] = field(default_factory=dict)  # valid values, by code
    errors: dict[str, str] = field(default_factory=dict)
    versions: dict[str, int | None] = field(default_factory=dict)
    originals: dict[str, str] = field(default_factory=dict)
    changed: dict[str, float | None] = field(default_factory=dict)


def posted_codes(*, data: Mapping[str, str]) -> list[str]:
    return [name[len(VALUE) :] for name in data if name.startswith(VALUE)]


def value_input(*, indicator: Indicator, value: float | None) -> str:
    """A stored value as the form field shows it: "1"/"0" for yes/no, "1.234,5" for numbers."""
    if value is None:
        return ""
    if indicator.op.is_boolean:
        return "1" if value == 1 else "0"
    return format_measure(value)


def value_parse(*, indicator: Indicator, raw: str) -> float | None:
    """What the user typed, as a value; FieldError with a message if it is nonsense."""
    text = raw.strip()
    if not text:
        return None
    if indicator.op.is_boolean:
        if text not in ("0", "1"):
            raise FieldError(
                gettext("Chỉ tiêu %(code)s: hãy chọn đạt, không đạt hoặc để trống")
                % {"code": indicator.code}
            )
        return float(text)
    if indicator.unit == "%":
        text = text.removesuffix("%").strip()
    try:
        number = number_read(text)
    except NumberError as exc:
        if not exc.generic:
            raise FieldError(
                gettext("Chỉ tiêu %(code)s: %(reason)s")
                % {"code": indicator.code, "reason": exc.translated(gettext)}
            ) from None
        number = None
    if number is None:
        raise FieldError(
            gettext(
                "Chỉ tiêu %(code)s: “%(raw)s” không phải là số (viết như 1.234,5 hoặc 13,43 hoặc 80)"
            )
            % {"code": indicator.code, "raw": raw.strip()}
        )
    value = float(number)
    problem = value_problem(indicator=indicator, value=value)
    if problem:
        raise FieldError(
            gettext("Chỉ tiêu %(code)s: giá trị %(value)s %(problem)s")
            % {"code": indicator.code, "value": text, "problem": problem}
        )
    return value


def entry_parse(*, cset: CriteriaSet, data: Mapping[str, str], codes: Iterable[str]) -> EntryInput:
    """Parse the posted fields of ``codes`` (indicators the user may edit)."""
    parsed = EntryInput()
    for code in codes:
        indicator = cset.indicator(code)
        if indicator is None or VALUE + code not in data:
            continue
        raw = data[VALUE + code]
        parsed.raw[code] = raw
        parsed.originals[code] = data.get(ORIGINAL + code, "")
        parsed.versions[code] = _version(data.get(VERSION + code, ""))
        try:
            value = value_parse(indicator=indicator, raw=raw)
        except FieldError as exc:
            parsed.errors[code] = str(exc)
            continue
        parsed.values[code] = value
        if value != _original(indicator, parsed.originals[code]):
            parsed.changed[code] = value
    return parsed


def _version(raw: str) -> int | None:
    # A missing or garbled version means "did not exist": the safe reading, since it can only
    # turn a save into a conflict, never let it overwrite a value unseen.
    return int(raw) if raw.isdigit() else None


def _original(indicator: Indicator, raw: str) -> float | None:
    try:
        return value_parse(indicator=indicator, raw=raw)
    except FieldError:
        return None
