"""Text tables: the encodings accepted (UTF-8 with or without BOM, UTF-16 with BOM), the NUL
byte refused, and rows numbered by the line they start on."""

from __future__ import annotations

import codecs

import pytest

from ntm.spreadsheet import SheetError, SheetLimits, csv_delimiter, csv_rows, decode_text


@pytest.mark.parametrize(
    "data",
    [
        "mã,vùng\n03409,3\n".encode(),
        codecs.BOM_UTF8 + "mã,vùng\n03409,3\n".encode(),
        "mã,vùng\n03409,3\n".encode("utf-16"),
    ],
)
def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read(data: bytes):
    assert decode_text(data) == "mã,vùng\n03409,3\n"


def test_a_legacy_encoding_is_refused_with_the_way_out():
    with pytest.raises(SheetError) as caught:
        decode_text(b"kh\xf4ng \xf0a\xf2t")  # Windows-1258
    assert caught.value.kind == "encoding" and "CSV UTF-8" in caught.value.reason


def test_a_nul_byte_is_refused():
    with pytest.raises(SheetError, match="ký tự NUL"):
        decode_text(b"a,b\n1,\x002\n")


def test_the_delimiter_is_the_one_that_makes_a_header():
    text = "Danh sách\nma;vung\n03409;3\n"
    assert csv_delimiter(text, lambda cells: cells == ["ma", "vung"]) == ";"
    assert csv_delimiter(text, lambda cells: False) is None


def test_rows_are_numbered_by_their_line_and_limited():
    text = 'a,b\n"hai\ndòng",2\n3,4\n'
    assert [n for n, _ in csv_rows(text, ",", SheetLimits())] == [1, 3, 4]
    with pytest.raises(SheetError) as caught:
        list(csv_rows(text, ",", SheetLimits(max_rows=2)))
    assert caught.value.kind == "rows"


def test_a_malformed_record_names_its_line():
    text = 'a,b\n1,"' + "x" * 200_000 + '"\n'  # longer than the csv module reads in a field
    with pytest.raises(SheetError) as caught:
        list(csv_rows(text, ",", SheetLimits()))
    assert caught.value.kind == "csv" and caught.value.row == 2
