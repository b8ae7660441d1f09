"""Province and region of an official code, without a database.

GSO allocates commune codes in contiguous blocks per (pre-2025) province, so sorted ranges of
every code we know, retired ones included, let the CLI place a commune such as Sùng Phài 03397
(gone since 2020) in its province and region. No Django import here: the `ntm evaluate`
command runs without a database.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import cache
from importlib import resources

import yaml

from ntm.units.registry import commune_codes_by_province


@cache
def regions() -> dict[str, tuple[str, dict[str, str]]]:
    """Region code -> (region name, {province code: province name}), from regions.yaml."""
    text = (resources.files("ntm.units") / "data" / "regions.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)
    return {code: (entry["name"], dict(entry["provinces"])) for code, entry in raw.items()}


@cache
def _region_by_province() -> dict[str, str]:
    return {
        province: region
        for region, (_name, provinces) in regions().items()
        for province in provinces
    }


def region_of_province(code: str) -> str | None:
    """The NTM region of a pre-2025 province code ("12" -> "TDMNPB"); None if unknown."""
    return _region_by_province().get(code.strip().zfill(2))


@cache
def _ranges() -> tuple[list[int], list[tuple[int, str]]]:
    """Range starts, and (range end, province) for each range, in code order."""
    pairs = sorted({(int(code), province) for code, province in commune_codes_by_province()})
    starts: list[int] = []
    ends: list[tuple[int, str]] = []
    for number, province in pairs:
        if ends and ends[-1][1] == province:
            ends[-1] = (number, province)
        else:
            starts.append(number)
            ends.append((number, province))
    return starts, ends


def province_of_commune_code(code: str) -> str | None:
    """The pre-2025 province whose block holds this commune code ("03397" -> "12").

    A code between two provinces' blocks gives None rather than a guess. A 2025 commune code
    is one of its predecessors' codes, so this names that predecessor's old province.
    """
    text = code.strip()
    if not text.isdigit():
        return None
    number = int(text)
    starts, ends = _ranges()
    index = bisect_right(starts, number) - 1
    if index < 0:
        return None
    end, province = ends[index]
    return province if number <= end else None


def region_of_commune_code(code: str) -> str | None:
    """The NTM region of the province whose block holds this commune code."""
    province = province_of_commune_code(code)
    return region_of_province(province) if province else None
