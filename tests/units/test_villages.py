"""Villages (thôn, bản) that a commune's users add below their commune."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ntm.units.models import Kind, Level, Unit
from ntm.units.selectors import unit_at, unit_children, unit_region
from ntm.units.services import village_create


def _commune(code: str, on: dt.date) -> Unit:
    unit = unit_at(code=code, level=Level.COMMUNE, on=on)
    assert unit is not None
    return unit


def test_a_village_gets_a_code_numbered_within_its_commune(laichau):
    dao_san = _commune("03571", dt.date(2025, 7, 1))
    first = village_create(commune=dao_san, name="Bản Sin Chải", kind=Kind.BAN)
    second = village_create(commune=dao_san, name="  Bản   Mào Phô ", kind=Kind.BAN)
    assert (first.code, second.code) == ("03571.01", "03571.02")
    assert second.name == "Bản Mào Phô"
    assert [v.name for v in unit_children(unit=dao_san)] == ["Bản Mào Phô", "Bản Sin Chải"]
    assert first.valid_from == dao_san.valid_from and first.level == Level.VILLAGE


def test_a_village_of_a_2019_commune_lives_and_ends_with_it(laichau):
    sung_phai = _commune("03397", dt.date(2019, 1, 1))
    village = village_create(commune=sung_phai, name="Thôn Sùng Chô")
    assert village.valid_to == dt.date(2019, 12, 31)
    assert unit_region(unit=village) == "TDMNPB"


def test_it_rejects_a_second_village_with_the_same_name_ignoring_accents(laichau):
    dao_san = _commune("03571", dt.date(2025, 7, 1))
    village_create(commune=dao_san, name="Bản Sin Chải")
    with pytest.raises(ValidationError, match="Xã Dào San đã có Bản sin chai"):
        village_create(commune=dao_san, name="Bản sin chai")


def test_it_rejects_a_village_under_a_district(laichau):
    district = unit_at(code="109", level=Level.DISTRICT, on=dt.date(2019, 1, 1))
    assert district is not None
    with pytest.raises(ValidationError, match="Huyện Phong Thổ là cấp huyện"):
        village_create(commune=district, name="Thôn Mới")


def test_it_rejects_an_empty_name_and_a_taken_code(laichau):
    dao_san = _commune("03571", dt.date(2025, 7, 1))
    with pytest.raises(ValidationError, match="không được để trống"):
        village_create(commune=dao_san, name="   ")
    village_create(commune=dao_san, name="Bản A", code="X1")
    with pytest.raises(ValidationError, match="Mã thôn, bản X1 đã được dùng"):
        village_create(commune=dao_san, name="Bản B", code="X1")
