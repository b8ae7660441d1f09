"""Cell values as every importer reads them, whatever the file."""

from __future__ import annotations

from typing import Any


def unit_code_text(raw: Any) -> str:
    """A unit code as text. Excel drops the leading zero of 03409 in a number cell: put it back."""
    if isinstance(raw, bool) or raw is None:
        return "" if raw is None else str(raw)
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int):
        return str(raw).zfill(5) if 0 <= raw < 100000 else str(raw)
    text = str(raw).strip()
    return text.zfill(5) if text.isdigit() and len(text) < 5 else text
