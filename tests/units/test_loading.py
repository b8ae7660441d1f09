"""Loading the whole country from the registry, and the `ntm units` command."""

import datetime as dt
import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ntm.units.models import Kind, Level, Unit, UnitEvent, UnitEventLink
from ntm.units.selectors import unit_at, unit_children, unit_successors_current
from ntm.units.services import units_load_registry

PRE_2025 = dt.date(2025, 6, 30)
NEW = dt.date(2025, 7, 1)


@pytest.mark.django_db
def test_one_province_then_the_whole_country_load_both_structures_quickly():
    bac_kan = units_load_registry(provinces={"06"})  # small, merged into Thái Nguyên in 2025
    province = unit_at(code="06", level=Level.PROVINCE, on=PRE_2025)
    assert province is not None and province.region == "TDMNPB"
    assert len(unit_children(unit=province)) == 8
    assert unit_at(code="06", level=Level.PROVINCE, on=NEW) is None  # no such 2025 province
    # The merger with Thái Nguyên waits for both sides to be loaded.
    assert bac_kan.events_created == 8  # only the districts' end

    started = time.monotonic()
    units_load_registry()
    assert time.monotonic() - started < 10

    on_old, on_new = Unit.objects.valid_on(PRE_2025), Unit.objects.valid_on(NEW)
    assert on_old.filter(level=Level.PROVINCE).count() == 63
    assert on_new.filter(level=Level.PROVINCE).count() == 34
    assert on_new.filter(level=Level.COMMUNE).count() == 3321
    assert not on_new.filter(level=Level.DISTRICT).exists()
    # 10,035 registry communes, with Lai Châu's 106 of 2025 taken from the 2019 list instead.
    assert on_old.filter(level=Level.COMMUNE).count() == 10035
    thai_nguyen = unit_successors_current(unit=province, on=NEW)
    assert [(u.code, u.name) for u in thai_nguyen] == [("19", "Tỉnh Thái Nguyên")]
    merger = UnitEvent.objects.get(links__unit=province)
    assert merger.kind == UnitEvent.Kind.MERGE
    assert unit_at(code="26732", level=Level.COMMUNE, on=NEW).kind == Kind.DAC_KHU
    # A commune divided in 2025 is marked as a partial predecessor of each part.
    assert UnitEventLink.objects.filter(partial=True).exists()


@pytest.mark.django_db
def test_the_command_loads_a_province_and_prints_history_in_vietnamese():
    out = io.StringIO()
    call_command("units", "load", "--province", "12", stdout=out, stderr=io.StringIO())
    assert "Đã thêm 157 đơn vị hành chính và 49 biến động" in out.getvalue()
    out = io.StringIO()
    call_command("units", "history", "03397", stdout=out)
    text = out.getvalue()
    assert "Xã Sùng Phài (03397), Huyện Tam Đường, Tỉnh Lai Châu" in text
    assert "Hiện nay là: Phường Đoàn Kết (03388), Tỉnh Lai Châu" in text


@pytest.mark.django_db
def test_the_command_names_an_unknown_code():
    with pytest.raises(CommandError, match="Không có đơn vị hành chính nào mang mã 99999"):
        call_command("units", "history", "99999")
