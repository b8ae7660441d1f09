"""A NUL character anywhere in a request is refused before any view: a 400 page, nothing saved.

PostgreSQL cannot store NUL in text (each of these was a server error there); SQLite would
store it. The suite runs these on both.
"""

import pytest

from ntm.indicators.models import IndicatorValue, ValueComment
from tests.entry.conftest import YEAR, form_url

pytestmark = pytest.mark.django_db


def test_a_comment_with_a_nul_is_refused_and_not_stored(board, commune):
    answer = board.post(f"/so-lieu/{commune.id}/{YEAR}/14.2/y-kien/", {"text": "a\x00b"})
    assert answer.status_code == 400
    assert "ký tự NUL" in answer.content.decode()
    assert not ValueComment.objects.exists()


def test_a_search_with_a_nul_is_refused(board):
    answer = board.get("/tim-don-vi/", {"q": "San\x00Thàng"})
    assert answer.status_code == 400


def test_a_value_with_a_nul_is_refused_and_not_stored(board, commune):
    answer = board.post(form_url(commune), {"val-14.2": "6\x000"})
    assert answer.status_code == 400
    assert not IndicatorValue.objects.filter(unit=commune, indicator="14.2").exists()


def test_a_nul_in_a_field_name_or_the_address_is_refused(board, commune):
    assert board.post(form_url(commune), {"val-14.2\x00": "60"}).status_code == 400
    assert board.get(f"/so-lieu/{commune.id}/{YEAR}/14.2%00/").status_code == 400


def test_a_login_name_with_a_nul_is_refused(client):
    answer = client.post("/dang-nhap/", {"username": "admin\x00", "password": "x"})
    assert answer.status_code == 400
