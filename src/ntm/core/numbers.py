"""The one reader of typed and imported numbers: Vietnamese or plain, bounded, with a reason.

Every form, import and command reads numbers here, so a kind of garbage refused once is refused
everywhere. Python's own readers are too kind for user input: ``float()`` takes "1e308",
"nan", "1_000" and Arabic-Indic or full-width digits, ``str.isdigit`` takes superscripts. Only
ASCII digits 0-9 pass here, in one of a few written shapes, with at most MAX_DIGITS significant
digits (as many as a float writes), inside the bounds the caller gives.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

# Significant digits: the most a float's shortest form needs (8.700000000000001), so values we
# export read back unchanged; no figure we keep has more real digits than that.
MAX_DIGITS = 17
MAX_LENGTH = 40  # characters, checked before any other work: a 5,000-digit cell costs nothing

# The Vietnamese shapes: "2.142.589" and "1.234,5" (dots group thousands, comma decimal),
# "1234,5", "80", and a plain dot decimal "21.8" where it cannot be a grouping ("1.234" is).
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_COMMA = re.compile(r"[+-]?[0-9]*(?:,[0-9]+)?")
_DOT = re.compile(r"[+-]?[0-9]*\.[0-9]+")
# The exchange (CSV) shape: a dot decimal point and no grouping at all.
_PLAIN = re.compile(r"[+-]?[0-9]*(?:\.[0-9]+)?")
_WORDS = {"nan", "inf", "infinity", "+inf", "-inf", "+infinity", "-infinity", "+nan", "-nan"}


def gettext_noop(message: str) -> str:
    """Marks a message for the translation catalogue (Django's makemessages finds this name)
    while the core stays free of Django: the page translates it with NumberError.translated."""
    return message


TOO_LARGE = gettext_noop("số quá lớn: một số có nhiều nhất %(digits)s chữ số")
NOT_FINITE = gettext_noop("«%(raw)s» không phải là một số hữu hạn")


class NumberError(ValueError):
    """Why the text is not an acceptable number: a Vietnamese phrase to show after the field.

    ``generic`` when the text is no number at all ("abc"), so a page may say it in its words.
    ``template`` and ``params`` let a page show the reason in the user's language.
    """

    def __init__(
        self, template: str, params: dict[str, str] | None = None, *, generic: bool = False
    ) -> None:
        self.template, self.params = template, dict(params or {})
        super().__init__(template % self.params if self.params else template)
        self.generic = generic

    def translated(self, translate: Callable[[str], str]) -> str:
        """The reason in the language of ``translate`` (a page passes Django's gettext)."""
        message = translate(self.template)
        return message % self.params if self.params else message


def number_read(
    raw: str,
    *,
    vietnamese: bool = True,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal | None:
    """The number written in ``raw`` (None when blank), or NumberError saying why not.

    ``vietnamese`` reads "1.234,5" and "2.142.589"; otherwise only "1234.5" (the CSV format).
    """
    text = raw.strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    _refuse_shape(raw, text)
    if vietnamese:
        digits = _vietnamese_digits(raw, text)
    elif _PLAIN.fullmatch(text) and any(c.isdigit() for c in text):
        digits = text
    else:
        raise NumberError(
            gettext_noop("«%(raw)s» không phải là số (viết như 1234.5)"),
            {"raw": _shown(raw)},
            generic=True,
        )
    return _bounded(raw, Decimal(digits), minimum, maximum)


def number_checked(
    value: Decimal | float | int,
    *,
    minimum: Decimal | int | None = None,
    maximum: Decimal | int | None = None,
) -> Decimal:
    """A number a spreadsheet cell or JSON file already holds, held to the same limits.

    A float is read as its shortest form (repr), so it reads back as the same float.
    """
    if isinstance(value, bool):
        raise NumberError(gettext_noop("«%(raw)s» không phải là số"), {"raw": str(value)})
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, int):
        if value.bit_length() > 64:  # also keeps 5,000-digit integers away from str()
            raise NumberError(TOO_LARGE, {"digits": str(MAX_DIGITS)})
        value = Decimal(value)
    if not value.is_finite():
        raise NumberError(NOT_FINITE, {"raw": str(value)})
    if value.adjusted() >= MAX_DIGITS + 5:  # before formatting: 1E+308 has 309 digits
        raise NumberError(TOO_LARGE, {"digits": str(MAX_DIGITS)})
    return _bounded(f"{value:f}", value, minimum, maximum)


def _refuse_shape(raw: str, text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise NumberError(
            gettext_noop("«%(raw)s» quá dài: một số có nhiều nhất %(digits)s chữ số"),
            {"raw": _shown(raw), "digits": str(MAX_DIGITS)},
        )
    if "\x00" in text or not text.isprintable():
        raise NumberError(gettext_noop("giá trị chứa ký tự điều khiển, không phải là số"))
    if text.lower() in _WORDS:
        raise NumberError(NOT_FINITE, {"raw": _shown(raw)})
    if "_" in text:
        raise NumberError(
            gettext_noop("«%(raw)s»: không dùng dấu gạch dưới trong số"), {"raw": _shown(raw)}
        )
    if any(c.isdigit() and c not in "0123456789" for c in text):
        raise NumberError(gettext_noop("«%(raw)s»: chỉ dùng các chữ số 0-9"), {"raw": _shown(raw)})
    if "e" in text.lower() and any(c in "0123456789" for c in text):
        raise NumberError(
            gettext_noop("«%(raw)s»: không viết số mũ (như 1e5), hãy viết đủ chữ số"),
            {"raw": _shown(raw)},
        )


def _vietnamese_digits(raw: str, text: str) -> str:
    """The text as Python's Decimal reads it, or NumberError for a malformed grouping."""
    if _GROUPED.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    if _COMMA.fullmatch(text) and any(c.isdigit() for c in text):
        return text.replace(",", ".")
    if _DOT.fullmatch(text) and len(text.rsplit(".", 1)[1]) != 3:
        return text
    if "." in text:
        raise NumberError(
            gettext_noop(
                "«%(raw)s»: dấu chấm phân nhóm hàng nghìn phải cách nhau đúng 3 chữ số "
                "(viết như 2.142.589 hoặc 1.234,5)"
            ),
            {"raw": _shown(raw)},
        )
    raise NumberError(
        gettext_noop("«%(raw)s» không phải là số (viết như 1.234,5 hoặc 13,43 hoặc 80)"),
        {"raw": _shown(raw)},
        generic=True,
    )


def _bounded(
    raw: str, value: Decimal, minimum: Decimal | int | None, maximum: Decimal | int | None
) -> Decimal:
    whole, _, part = f"{abs(value):f}".partition(".")
    significant = (whole + part.rstrip("0")).lstrip("0")
    if len(significant) > MAX_DIGITS:
        raise NumberError(
            gettext_noop("«%(raw)s» có quá %(digits)s chữ số có nghĩa"),
            {"raw": _shown(raw), "digits": str(MAX_DIGITS)},
        )
    if value and value.adjusted() < -MAX_DIGITS:  # 1e-320 from a float cell
        raise NumberError(
            gettext_noop("«%(raw)s» quá nhỏ: hãy ghi 0 hoặc một số có ít chữ số hơn"),
            {"raw": _shown(raw)},
        )
    if minimum is not None and value < minimum:
        raise NumberError(
            gettext_noop("giá trị %(raw)s nhỏ hơn mức tối thiểu %(bound)s"),
            {"raw": _shown(raw), "bound": _plain(minimum)},
        )
    if maximum is not None and value > maximum:
        raise NumberError(
            gettext_noop("giá trị %(raw)s lớn hơn mức tối đa %(bound)s"),
            {"raw": _shown(raw), "bound": _plain(maximum)},
        )
    return value


def _plain(bound: Decimal | int) -> str:
    """A bound as Vietnamese writing: 1000000000 -> "1.000.000.000"."""
    whole, _, part = f"{bound:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{part}" if part.strip("0") else grouped


def _shown(raw: str) -> str:
    text = raw.strip()
    return text if len(text) <= 30 else f"{text[:30]}…"
