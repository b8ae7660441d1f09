"""Every figure printed in a report, with the query behind it: the report's traceability.

A sentence of the report never formats a number itself: it asks the book, which formats it the
Vietnamese way (2.142.589; 13,43) and records what was printed, from which data (unit, years,
criteria set, filters) and through which command the reader can check it. The appendix of every
format lists the book, so a figure in the text can always be traced back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from ntm.core.values import format_number

BLANK = "…"  # printed where the data holds no figure (never a made-up zero)


@dataclass(frozen=True)
class Figure:
    key: str  # stable name, for tests and for the appendix's order
    label: str  # what it is, in Vietnamese
    text: str  # as printed
    value: float | int | str | None
    query: str  # unit, years, set, filters; and the command that gives the same figure


@dataclass
class FigureBook:
    figures: list[Figure] = field(default_factory=list)

    def number(
        self,
        key: str,
        value: float | int | Decimal | None,
        *,
        label: str,
        query: str,
        digits: int = 0,
    ) -> str:
        """The number as printed (``BLANK`` when unknown), recorded under ``key``."""
        plain: float | int | None
        if value is None:
            plain, text = None, BLANK
        else:
            plain = float(value) if isinstance(value, Decimal) else value
            text = format_number(plain, digits)
        self.figures.append(Figure(key, label, text, plain, query))
        return text

    def get(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)
