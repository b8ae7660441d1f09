"""Years the programme can be asked about, and a command-line argument type that checks one."""

from __future__ import annotations

import argparse
import re

# Wide on purpose (history before the programme, plans far ahead): the bound only keeps dates
# constructible and absurd input out; what a year holds is for the data to say.
FIRST_YEAR, LAST_YEAR = 1900, 2200


def year_arg(text: str) -> int:
    """argparse ``type=`` for --year: an integer year within the bounds, else a usage error."""
    try:
        year = int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"năm «{text}» không phải là số") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise argparse.ArgumentTypeError(f"năm {year} nằm ngoài khoảng {FIRST_YEAR}-{LAST_YEAR}")
    return year


class YearsError(ValueError):
    """A --years text (command line, export page) that does not name years; says why."""


def years_parse(text: str) -> list[int]:
    """ "2011-2020", "2018", "2016,2018" -> the years; YearsError if not years."""
    years: set[int] = set()
    for part in text.replace(" ", "").split(","):
        match = re.fullmatch(r"(\d{4})(?:-(\d{4}))?", part)
        if not match:
            raise YearsError(f"Năm «{text}» không đúng dạng: ví dụ 2018, 2011-2020 hoặc 2016,2018")
        first, last = int(match[1]), int(match[2] or match[1])
        if not FIRST_YEAR <= first <= last <= LAST_YEAR or last - first > 100:
            raise YearsError(
                f"Khoảng năm «{part}» không hợp lệ: từ {FIRST_YEAR} đến {LAST_YEAR}, "
                "năm đầu không sau năm cuối, không quá 100 năm"
            )
        years.update(range(first, last + 1))
    return sorted(years)
