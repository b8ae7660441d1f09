"""Reading indicator values and writing numbers the Vietnamese way."""

from __future__ import annotations

import datetime as dt
import math
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, localcontext

from ntm.core.numbers import NumberError, number_read

_TRUE = {"đạt", "dat", "1", "true", "yes", "có", "co"}
_FALSE = {"không đạt", "khong dat", "0", "false", "no", "không", "khong", "chưa đạt", "chua dat"}


def parse_boolean(raw: str) -> bool | None:
    """đạt / không đạt / 1 / 0 / true / false / yes / no, any case; None if none of them."""
    word = " ".join(unicodedata.normalize("NFC", raw).strip().lower().split())
    if word in _TRUE:
        return True
    if word in _FALSE:
        return False
    return None


def parse_number(raw: str) -> float | None:
    """A number written with "." as decimal point (the CSV exchange format); None if not one."""
    try:
        value = number_read(raw, vietnamese=False)
    except NumberError:
        return None
    return None if value is None else float(value)


def parse_vietnamese_number(raw: str) -> float | None:
    """A number typed the Vietnamese way: "1.234,5" or "1234,5" or plain "1234.5"."""
    try:
        value = number_read(raw)
    except NumberError:
        return None
    return None if value is None else float(value)


def round_half_up(value: float, digits: int) -> float:
    """Reports round halves up (13,425 -> 13,43), not to even as round() does."""
    if not math.isfinite(value):
        return value
    quantum = Decimal(1).scaleb(-digits)
    with localcontext() as ctx:
        ctx.prec = 400  # enough digits for any float (1e308) at any report precision
        return float(Decimal(repr(value)).quantize(quantum, rounding=ROUND_HALF_UP))


def format_number(value: float | int | None, digits: int = 0) -> str:
    """2142589 -> "2.142.589"; 13.43 with digits=2 -> "13,43"."""
    if value is None:
        return ""
    rounded = round_half_up(float(value), digits)
    text = f"{rounded:,.{digits}f}"
    return text.replace(",", "\u0001").replace(".", ",").replace("\u0001", ".")


def format_measure(value: float | int | None) -> str:
    """A measured value with only the decimals it has: 70 -> "70", 21.8 -> "21,8"."""
    text = format_number(value, 2)
    return text.rstrip("0").rstrip(",") if "," in text else text


def fold(text: str) -> str:
    """Lower case without accents, for accent-insensitive search ("Dào San" -> "dao san")."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


_ORDER = (
    "aàảãáạăằẳẵắặâầẩẫấậbcdđeèẻẽéẹêềểễếệfghiìỉĩíịjklmnoòỏõóọôồổỗốộơờởỡớợpqrstuùủũúụưừửữứựvwxyỳỷỹýỵz"
)
_RANK = {ch: i for i, ch in enumerate(_ORDER)}


def vietnamese_sort_key(text: str) -> tuple[int, ...]:
    """Vietnamese alphabetical order: a < ă < â < b ... d < đ ... o < ô < ơ ... u < ư."""
    normal = unicodedata.normalize("NFC", text.lower())
    return tuple(_RANK.get(ch, 1000 + ord(ch)) for ch in normal)


def json_plain(value: object) -> object:
    """json.dumps(default=...) for figures: a whole Decimal as an int, else a float; dates ISO."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"không chuyển được {type(value).__name__} sang JSON")
