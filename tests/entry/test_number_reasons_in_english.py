"""Why a typed number is refused is said in the user's language (the core keeps the wording)."""

import pytest
from django.conf import settings

from tests.entry.conftest import form_url

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "english", "vietnamese"),
    [
        ("1e5", "write all the digits", "hãy viết đủ chữ số"),
        ("1_000", "no underscores in numbers", "không dùng dấu gạch dưới"),
        ("1.2.3", "exactly 3 digits apart", "cách nhau đúng 3 chữ số"),
    ],
)
def test_a_refused_number_is_explained_in_the_chosen_language(
    board, commune, typed, english, vietnamese
):
    page = board.post(form_url(commune), {"val-14.2": typed}).content.decode()
    assert vietnamese in page
    board.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = board.post(form_url(commune), {"val-14.2": typed}).content.decode()
    assert english in page and vietnamese not in page
