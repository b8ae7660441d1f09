import pytest

from ntm.core.values import (
    fold,
    format_measure,
    format_number,
    parse_boolean,
    parse_vietnamese_number,
    round_half_up,
    vietnamese_sort_key,
)


@pytest.mark.parametrize("word", ["đạt", "Đạt", "ĐẠT", "1", "true", "Yes", " yes "])
def test_yes_words_read_as_true(word):
    assert parse_boolean(word) is True


@pytest.mark.parametrize("word", ["không đạt", "Không Đạt", "0", "FALSE", "no"])
def test_no_words_read_as_false(word):
    assert parse_boolean(word) is False


@pytest.mark.parametrize("word", ["", "maybe", "2", "đạtt"])
def test_other_words_are_not_yes_or_no(word):
    assert parse_boolean(word) is None


def test_numbers_are_written_the_vietnamese_way():
    assert format_number(2142589) == "2.142.589"
    assert format_number(13.4271, 2) == "13,43"
    assert format_number(2.875, 2) == "2,88"


def test_measures_keep_only_their_own_decimals():
    assert format_measure(70) == "70"
    assert format_measure(21.8) == "21,8"
    assert format_measure(1234.5) == "1.234,5"


def test_halves_round_up_as_in_reports():
    assert round_half_up(2.875, 2) == 2.88
    assert round_half_up(13.425, 2) == 13.43


@pytest.mark.parametrize(
    ("typed", "value"), [("1.234,5", 1234.5), ("2.142.589", 2142589), ("13,43", 13.43), ("80", 80)]
)
def test_vietnamese_typed_numbers_are_read(typed, value):
    assert parse_vietnamese_number(typed) == value


def test_folding_removes_accents_and_case():
    assert fold("Lai Châu") == "lai chau"
    assert fold("Dào San") == "dao san"
    assert fold("Đoàn Kết") == "doan ket"


def test_vietnamese_order_puts_d_before_dd_and_a_before_a_breve():
    names = ["Đông Phong", "Dào San", "Ăn Lợi", "An Bình", "Bản Bo"]
    assert sorted(names, key=vietnamese_sort_key) == [
        "An Bình",
        "Ăn Lợi",
        "Bản Bo",
        "Dào San",
        "Đông Phong",
    ]


def test_huge_and_tiny_numbers_are_formatted_without_error():
    assert format_number(1e26) == "100.000.000.000.000.004.764.729.344"
    assert format_measure(1e26).startswith("100.000")
    assert format_number(1e-9, 2) == "0,00"
