"""A form field for numbers typed the Vietnamese way, read by the one parser in ntm.core."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext

from ntm.core.numbers import NumberError, number_read


class VietnameseNumberField(forms.CharField):
    """ "1.234,5", "2.142.589", "80" within [minimum, maximum]; an int when ``integer``."""

    def __init__(
        self,
        *,
        maximum: Decimal | int,
        minimum: Decimal | int = 0,
        integer: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.minimum, self.maximum, self.integer = minimum, maximum, integer

    def prepare_value(self, value: Any) -> Any:
        """A stored number shown with a decimal comma, so it reads back as the same number."""
        if isinstance(value, float):
            value = Decimal(repr(value))
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return f"{value:f}".replace(".", ",") if isinstance(value, Decimal) else str(value)
        return value

    def to_python(self, value: Any) -> Decimal | int | None:  # type: ignore[override]
        text = super().to_python(value) or ""  # None only for a field built with empty_value=None
        try:
            number = number_read(text, minimum=self.minimum, maximum=self.maximum)
        except NumberError as exc:
            raise forms.ValidationError(exc.translated(gettext)) from None
        if number is None or not self.integer:
            return number
        if number != number.to_integral_value():
            raise forms.ValidationError(gettext("«%(raw)s» phải là một số nguyên") % {"raw": text})
        return int(number)
