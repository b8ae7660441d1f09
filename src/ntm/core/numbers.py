"""The one reader of typed and imported numbers: Vietnamese or plain, bounded, with a reason.

Every form, import and command reads numbers here, so a kind of garbage refused once is refused
everywhere. Python's own readers are too kind for user input: ``float()`` takes "1e308",
"nan", "1_000" and Arabic-Indic or full-width digits, ``str.isdigit`` takes superscripts. Only
ASCII digits 0-9 pass here, in one of a few written shapes, with at most MAX_DIGITS significant
digits (as many as a float writes), inside the bounds the caller gives.
"""

from __future__ import annotations

import re
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


class NumberError(ValueError):
    """Why the text is not an acceptable number: a Vietnamese phrase to show after the field.

    ``generic`` when the text is no number at all ("abc"), so a page may say it in its words.
    """

    def __init__(self, message: str, *, generic: bool = False) -> None:
        super().__init__(message)
        self.generic = generic


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
        raise NumberError(f"«{_shown(raw)}» không phải là số (viết như 1234.5)", generic=True)
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
        raise NumberError(f"«{value}» không phải là số")
    if isinstance(value, float):
        value = Decimal(repr(value))
    elif isinstance(value, int):
        if value.bit_length() > 64:  # also keeps 5,000-digit integers away from str()
            raise NumberError(f"số quá lớn: một số có nhiều nhất {MAX_DIGITS} chữ số")
        value = Decimal(value)
    if not value.is_finite():
        raise NumberError(f"«{value}» không phải là một số hữu hạn")
    if value.adjusted() >= MAX_DIGITS + 5:  # before formatting: 1E+308 has 309 digits
        raise NumberError(f"số quá lớn: một số có nhiều nhất {MAX_DIGITS} chữ số")
    return _bounded(f"{value:f}", value, minimum, maximum)


def _refuse_shape(raw: str, text: str) -> None:
    if len(text) > MAX_LENGTH:
        raise NumberError(f"«{_shown(raw)}» quá dài: một số có nhiều nhất {MAX_DIGITS} chữ số")
    if "\x00" in text or not text.isprintable():
        raise NumberError("giá trị chứa ký tự điều khiển, không phải là số")
    if text.lower() in _WORDS:
        raise NumberError(f"«{_shown(raw)}» không phải là một số hữu hạn")
    if "_" in text:
        raise NumberError(f"«{_shown(raw)}»: không dùng dấu gạch dưới trong số")
    if any(c.isdigit() and c not in "0123456789" for c in text):
        raise NumberError(f"«{_shown(raw)}»: chỉ dùng các chữ số 0-9")
    if "e" in text.lower() and any(c in "0123456789" for c in text):
        raise NumberError(f"«{_shown(raw)}»: không viết số mũ (như 1e5), hãy viết đủ chữ số")


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
            f"«{_shown(raw)}»: dấu chấm phân nhóm hàng nghìn phải cách nhau đúng 3 chữ số "
            "(viết như 2.142.589 hoặc 1.234,5)"
        )
    raise NumberError(
        f"«{_shown(raw)}» không phải là số (viết như 1.234,5 hoặc 13,43 hoặc 80)", generic=True
    )


def _bounded(
    raw: str, value: Decimal, minimum: Decimal | int | None, maximum: Decimal | int | None
) -> Decimal:
    whole, _, part = f"{abs(value):f}".partition(".")
    significant = (whole + part.rstrip("0")).lstrip("0")
    if len(significant) > MAX_DIGITS:
        raise NumberError(f"«{_shown(raw)}» có quá {MAX_DIGITS} chữ số có nghĩa")
    if value and value.adjusted() < -MAX_DIGITS:  # 1e-320 from a float cell
        raise NumberError(f"«{_shown(raw)}» quá nhỏ: hãy ghi 0 hoặc một số có ít chữ số hơn")
    if minimum is not None and value < minimum:
        raise NumberError(f"giá trị {_shown(raw)} nhỏ hơn mức tối thiểu {_plain(minimum)}")
    if maximum is not None and value > maximum:
        raise NumberError(f"giá trị {_shown(raw)} lớn hơn mức tối đa {_plain(maximum)}")
    return value


def _plain(bound: Decimal | int) -> str:
    """A bound as Vietnamese writing: 1000000000 -> "1.000.000.000"."""
    whole, _, part = f"{bound:f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    return f"{grouped},{part}" if part.strip("0") else grouped


def _shown(raw: str) -> str:
    text = raw.strip()
    return text if len(text) <= 30 else f"{text[:30]}…"
