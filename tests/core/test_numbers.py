from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntm.core.numbers import MAX_DIGITS, NumberError, number_checked, number_read

NASTY = [
    "1.2.3",
    "1_000",
    "١٢٣",  # Arabic-Indic digits, which int() and float() accept
    "１２３",  # full-width digits
    "²",
    "1e308",
    "1e21",
    "1e-320",
    "1E5",
    "NaN",
    "nan",
    "Infinity",
    "-inf",
    "1\x002",
    "1" * (MAX_DIGITS + 1),
    "9" * 40,
    "9" * 5000,
    "1,2,3",
    "abc",
    "+",
    "0x10",
]


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("2.142.589", "2142589"),
        ("1.234,5", "1234.5"),
        ("13,43", "13.43"),
        ("80", "80"),
        ("21.8", "21.8"),
        ("1.234", "1234"),
        (" 1 234,5 ", "1234.5"),
        ("-5", "-5"),
        ("", None),
    ],
)
def test_it_reads_numbers_written_the_vietnamese_way(typed, value):
    assert number_read(typed) == (None if value is None else Decimal(value))


def test_it_reads_the_csv_format_with_a_dot_decimal_point():
    assert number_read("1.234", vietnamese=False) == Decimal("1.234")
    with pytest.raises(NumberError):
        number_read("1,5", vietnamese=False)


@pytest.mark.parametrize("typed", NASTY)
def test_it_refuses_malformed_numbers_with_a_reason(typed):
    with pytest.raises(NumberError) as error:
        number_read(typed)
    assert str(error.value)


def test_it_refuses_a_number_outside_the_callers_bounds():
    with pytest.raises(NumberError, match=r"lớn hơn mức tối đa 1\.000"):
        number_read("1.001", maximum=1000)
    with pytest.raises(NumberError, match="nhỏ hơn mức tối thiểu 0"):
        number_read("-1", minimum=0)
    assert number_read("1.000", minimum=0, maximum=1000) == 1000


@pytest.mark.parametrize(
    "value",
    [1e308, float("inf"), float("nan"), 10**5000, 1e-320, True],
    ids=["1e308", "inf", "nan", "5001 digits", "1e-320", "True"],
)
def test_it_refuses_cell_numbers_that_are_not_bounded(value):
    with pytest.raises(NumberError):
        number_checked(value)


def test_a_float_cell_reads_back_as_the_same_float():
    assert float(number_checked(8.700000000000001)) == 8.700000000000001


@settings(max_examples=50)
@given(st.one_of(st.sampled_from(NASTY), st.text(max_size=45), st.from_regex(r"[0-9.,e+-]{1,30}")))
def test_any_text_gives_a_bounded_finite_number_or_the_parsers_error(text):
    try:
        value = number_read(text, minimum=-1000, maximum=10**9)
    except NumberError:
        return
    assert value is None or (value.is_finite() and -1000 <= value <= 10**9)
