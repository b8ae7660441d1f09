"""The database-free code helpers used by the CLI."""

import subprocess
import sys

from ntm.units.codes import (
    province_of_commune_code,
    region_of_commune_code,
    region_of_province,
    regions,
)


def test_it_places_a_retired_commune_code_in_its_province_and_region() -> None:
    assert province_of_commune_code("03397") == "12"
    assert region_of_commune_code("03397") == "TDMNPB"


def test_it_places_codes_at_the_edges_of_a_provincial_block() -> None:
    assert province_of_commune_code("03385") == "11"  # last commune of Điện Biên
    assert province_of_commune_code("03386") == "12"  # first of Lai Châu
    assert province_of_commune_code("00001") == "01"


def test_it_refuses_to_guess_outside_every_block() -> None:
    assert province_of_commune_code("99999") is None
    assert province_of_commune_code("abc") is None
    assert province_of_commune_code("") is None


def test_every_pre_2025_province_has_exactly_one_of_seven_regions() -> None:
    provinces = [code for _name, members in regions().values() for code in members]
    assert len(regions()) == 7
    assert len(provinces) == len(set(provinces)) == 63


def test_quang_ninh_is_in_the_red_river_delta_as_gso_places_it() -> None:
    assert region_of_province("22") == "DBSH"
    assert region_of_province("12") == "TDMNPB"
    assert region_of_province("99") is None


def test_the_code_helpers_do_not_import_django() -> None:
    script = "import sys, ntm.units.codes as c; c.province_of_commune_code('03397'); "
    script += "assert 'django' not in sys.modules, sorted(m for m in sys.modules if 'django' in m)"
    subprocess.run([sys.executable, "-c", script], check=True)
