"""Two people editing the same commune-year: the second save is refused, both values shown."""

import pytest

from ntm.indicators.models import IndicatorValue
from tests.entry.conftest import form_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(board, commune):
    """The form as both users opened it: 14.2 stored as 60 (version 1), 14.3 empty."""
    board.post(form_url(commune), {"val-14.2": "60"})
    return {"orig-14.2": "60", "ver-14.2": "1", "orig-14.3": "", "ver-14.3": ""}


def test_the_second_save_from_the_same_opened_form_is_refused_with_both_values(
    client, board, commune, opened, django_user_model
):
    from ntm.accounts.models import Membership, Role

    colleague = django_user_model.objects.create_user(username="canbo.xa", password="x")
    Membership.objects.create(user=colleague, role=Role.COMMUNE, unit=commune)
    first = board.post(form_url(commune), {**opened, "val-14.2": "75", "val-14.3": "30"})
    assert first.status_code == 302
    client.force_login(colleague)
    second = client.post(form_url(commune), {**opened, "val-14.2": "80", "val-14.3": "30"})
    html = second.content.decode()
    assert second.status_code == 409
    assert "chưa lưu thay đổi nào của bạn" in html
    box = html[html.index('class="conflict-box"') :].split("</div>", 1)[0]
    assert "Bạn nhập: <strong>80</strong>" in box
    assert "Đã lưu trong lúc đó: <strong>75%</strong>" in box and "bql.santhang" in box
    assert IndicatorValue.objects.get(indicator="14.2").value == 75
    assert IndicatorValue.objects.get(indicator="14.2").version == 2


def test_a_new_value_saved_meanwhile_is_a_conflict_too(board, commune, opened):
    board.post(form_url(commune), {**opened, "val-14.3": "30"})
    second = board.post(form_url(commune), {**opened, "val-14.3": "40", "val-14.2": "90"})
    assert second.status_code == 409
    assert IndicatorValue.objects.get(indicator="14.3").value == 30
    assert IndicatorValue.objects.get(indicator="14.2").value == 60  # nothing of the refused save


def test_after_seeing_the_conflict_saving_again_is_a_decision(board, commune, opened):
    board.post(form_url(commune), {**opened, "val-14.2": "75"})
    refused = board.post(form_url(commune), {**opened, "val-14.2": "80"}).content.decode()
    # The re-rendered form now carries the stored version and value of the conflicting cell.
    assert 'name="ver-14.2" value="2"' in refused and 'name="orig-14.2" value="75"' in refused
    again = board.post(form_url(commune), {"val-14.2": "80", "orig-14.2": "75", "ver-14.2": "2"})
    assert again.status_code == 302
    assert IndicatorValue.objects.get(indicator="14.2").value == 80


def test_changes_to_different_indicators_do_not_conflict(board, commune, opened):
    board.post(form_url(commune), {**opened, "val-14.3": "30"})
    second = board.post(form_url(commune), {**opened, "val-14.2": "80"})
    assert second.status_code == 302
    assert {v.indicator: v.value for v in IndicatorValue.objects.all()} == {"14.2": 80, "14.3": 30}


def test_the_same_value_saved_twice_is_no_conflict(board, commune, opened):
    board.post(form_url(commune), {**opened, "val-14.2": "75"})
    assert board.post(form_url(commune), {**opened, "val-14.2": "75"}).status_code == 302
