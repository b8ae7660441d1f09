"""Read Vietnam's administrative units from the `vietnamadminunits` package and our own CSV.

Why `vietnamadminunits` (MIT): it ships both structures we need in one SQLite file, the
pre-2025 three-level list (63 provinces, districts, ~10,040 communes; table
`admin_units_legacy`) and the structure in force from 1/7/2025 (34 provinces, 3,321
communes, no district; table `admin_units`), plus the old -> new mapping
(`data/converter_2025.json`). `vietnam-provinces` 2025.x only holds the new structure and is
GPL-3, so it could give neither the history nor the mapping. We read the files directly with
sqlite3 rather than through the package's parser API, which is built for fuzzy address
matching, not for listing.

Lai Châu's pre-2025 units come from `data/laichau_2019.csv` instead (GSO list of 2020-02-25,
108 commune-level units): the registry only has the state just before 2025, after the 2020
changes that the programme's 2019 reports predate.

This module imports no Django: `ntm.units.codes` uses it in the database-free CLI.
"""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources

LAICHAU = "12"


@dataclass(frozen=True)
class LegacyRow:
    """One row of `admin_units_legacy`: a commune with its district and province (pre-2025)."""

    province_code: str
    province: str
    province_lat: float | None
    province_lon: float | None
    district_code: str
    district: str
    district_type: str
    district_lat: float | None
    district_lon: float | None
    ward_code: str  # "" for the five island districts that have no commune level
    ward: str
    ward_type: str
    ward_lat: float | None
    ward_lon: float | None
    key: str  # provinceKey_districtKey_wardKey, as converter_2025.json names old units


@dataclass(frozen=True)
class NewRow:
    """One row of `admin_units`: a commune-level unit directly under a province (from 2025)."""

    province_code: str
    province: str
    province_lat: float | None
    province_lon: float | None
    ward_code: str
    ward: str
    ward_type: str
    ward_lat: float | None
    ward_lon: float | None
    province_key: str
    ward_key: str


@dataclass(frozen=True)
class LaiChau2019Row:
    """One row of our Lai Châu 2019 reference list."""

    district_code: str
    district_name: str
    district_type: str
    commune_code: str
    commune_name: str
    commune_type: str
    ntm_eligible: bool
    change_note: str
    ward_2025_code: str


@dataclass(frozen=True)
class Mapping2025:
    """The registry's old -> new mapping, in codes rather than the package's name keys."""

    # new province code -> old province codes
    provinces: dict[str, list[str]]
    # (new province code, new ward code) -> [(old province, old district, old ward code, partial)];
    # old ward code "" means the whole district (island districts became special zones).
    communes: dict[tuple[str, str], list[tuple[str, str, str, bool]]]


def _package_file(name: str) -> resources.abc.Traversable:
    return resources.files("vietnamadminunits") / "data" / name


def _connect() -> sqlite3.Connection:
    # Deserialise into memory: works whether the package is a folder or a zip, and never
    # writes next to the installed file.
    conn = sqlite3.connect(":memory:")
    conn.deserialize(_package_file("dataset.db").read_bytes())
    return conn


@cache
def legacy_rows() -> tuple[LegacyRow, ...]:
    """Every pre-2025 commune (and island district) of the registry, in code order."""
    query = """
        SELECT provinceCode, province, provinceLat, provinceLon,
               districtCode, district, districtType, districtLat, districtLon,
               COALESCE(wardCode, ''), COALESCE(ward, ''), COALESCE(wardType, ''),
               wardLat, wardLon,
               provinceKey || '_' || districtKey || '_' || COALESCE(wardKey, '')
        FROM admin_units_legacy ORDER BY provinceCode, districtCode, wardCode
    """
    with _connect() as conn:
        return tuple(LegacyRow(*row) for row in conn.execute(query))


@cache
def new_rows() -> tuple[NewRow, ...]:
    """Every commune-level unit of the structure in force from 1/7/2025, in code order."""
    query = """
        SELECT provinceCode, province, provinceLat, provinceLon,
               wardCode, ward, wardType, wardLat, wardLon, provinceKey, wardKey
        FROM admin_units ORDER BY provinceCode, wardCode
    """
    with _connect() as conn:
        return tuple(NewRow(*row) for row in conn.execute(query))


def mapping_2025() -> Mapping2025:
    """converter_2025.json turned into codes; a divided old commune is marked partial."""
    raw = json.loads(_package_file("converter_2025.json").read_text(encoding="utf-8"))
    old_by_key = {row.key: row for row in legacy_rows()}
    new_by_key = {(row.province_key, row.ward_key): row for row in new_rows()}
    # The same key names different codes in each structure: the new Tỉnh An Giang is 91
    # (Kiên Giang's code), the old one 89.
    old_province = {row.key.split("_")[0]: row.province_code for row in old_by_key.values()}
    new_province = {key[0]: row.province_code for key, row in new_by_key.items()}

    def old(key: str, partial: bool) -> tuple[str, str, str, bool]:
        row = old_by_key[key]  # island districts: "province_district_" (no ward key)
        return (row.province_code, row.district_code, row.ward_code, partial)

    communes: dict[tuple[str, str], list[tuple[str, str, str, bool]]] = {}
    for province_key, wards in raw["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for ward_key, old_keys in wards.items():
            new = new_by_key[(province_key, ward_key)]
            communes.setdefault((new.province_code, new.ward_code), []).extend(
                old(key, partial=False) for key in old_keys
            )
    for province_key, divided in raw["DICT_PROVINCE_WARD_DIVIDED"].items():
        for old_key, parts in divided.items():
            for part in parts:
                new = new_by_key[(province_key, part["newWardKey"])]
                communes.setdefault((new.province_code, new.ward_code), []).append(
                    old(old_key, partial=True)
                )
    provinces = {
        new_province[new_key]: sorted(old_province[key] for key in old_keys)
        for new_key, old_keys in raw["DICT_PROVINCE"].items()
    }
    return Mapping2025(provinces=provinces, communes=communes)


@cache
def laichau_2019_rows() -> tuple[LaiChau2019Row, ...]:
    """Lai Châu's 108 commune-level units of 2019, from the project's own copy of the list."""
    text = (resources.files("ntm.units") / "data" / "laichau_2019.csv").read_text(encoding="utf-8")
    return tuple(
        LaiChau2019Row(
            district_code=row["district_code"],
            district_name=row["district_name"],
            district_type=row["district_type"],
            commune_code=row["commune_code"],
            commune_name=row["commune_name"],
            commune_type=row["commune_type"],
            ntm_eligible=row["ntm_eligible"] == "yes",
            change_note=row["change_note"],
            ward_2025_code=row["ward_2025_code"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


def commune_codes_by_province() -> Iterator[tuple[str, str]]:
    """(commune code, pre-2025 province code) for every commune we know, retired ones too."""
    for row in legacy_rows():
        if row.ward_code:
            yield row.ward_code, row.province_code
    for lc in laichau_2019_rows():
        yield lc.commune_code, LAICHAU
