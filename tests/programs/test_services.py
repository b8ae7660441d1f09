from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from ntm.audit.models import AuditEvent
from ntm.programs.models import OcopProduct
from ntm.programs.services import program_record_create
from ntm.units.models import Unit


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _ocop(commune: Unit, stars: int) -> dict:
    return {
        "name": "Chè thử nghiệm",
        "producer": "HTX thử nghiệm",
        "commune": commune,
        "stars": stars,
        "recognised_on": dt.date(2020, 5, 1),
    }


@pytest.fixture
def santhang(demo, db) -> Unit:
    return Unit.objects.get(level="commune", code="03409", valid_from__isnull=True)


@pytest.mark.parametrize("stars", [2, 6])
def test_it_refuses_ocop_stars_outside_3_to_5(santhang, stars):
    office = _user("vanphong.laichau")
    with pytest.raises(ValidationError) as info:
        program_record_create(actor=office, kind="ocop", data=_ocop(santhang, stars))
    assert "từ 3 đến 5 sao" in str(info.value)
    assert not OcopProduct.objects.filter(name="Chè thử nghiệm").exists()


def test_it_records_an_ocop_product_with_an_audit_row(santhang):
    office = _user("vanphong.laichau")
    product = program_record_create(actor=office, kind="ocop", data=_ocop(santhang, 4))
    event = AuditEvent.objects.get(action="programs.ocop.create", object_id=str(product.pk))
    assert event.actor == office
    assert event.after["stars"] == 4


def test_it_refuses_a_commune_board_recording_for_the_province(santhang):
    board = get_user_model().objects.filter(membership__role="commune").first()
    with pytest.raises(PermissionDenied):
        program_record_create(actor=board, kind="ocop", data=_ocop(santhang, 4))


def test_it_refuses_a_unit_completion_target_without_the_named_unit(santhang):
    office = _user("vanphong.laichau")
    data = {"unit": santhang.parent, "year": 2025, "kind": "unit_completes", "name": "Hoàn thành"}
    with pytest.raises(ValidationError) as info:
        program_record_create(actor=office, kind="target", data=data)
    assert "đơn vị phải hoàn thành" in str(info.value)
