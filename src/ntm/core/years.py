"""Years the programme can be asked about, and a command-line argument type that checks one."""

from __future__ import annotations

import argparse

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
