"""Path converters shared by every app's URLs (registered in ntm.urls before they load)."""

from __future__ import annotations

from ntm.core.years import FIRST_YEAR, LAST_YEAR


class YearConverter:
    """``<year:year>``: four digits within the programme's year bounds; anything else (0,
    99999, 0020) matches no URL, so it is a 404 before a view can build a date from it."""

    regex = "[12][0-9]{3}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise ValueError(value)  # the resolver tries the next pattern, then answers 404
        return year

    def to_url(self, value: int) -> str:
        return str(value)
